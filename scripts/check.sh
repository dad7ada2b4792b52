#!/bin/sh
# make check: the project's own tests (build/tests/unit) in parallel groups.
#
# Most suites spend their time waiting (kernel timers, qemu booting, runs
# of tfocheck that wait on timeouts), so a few groups run side by side,
# each one `build/tests/unit SUITE...` with its output in a file; the
# outputs are then printed one after the other, in a fixed order, with
# CUnit's per-test lines and each group's Run Summary, and a last line
# adds them up.  hygiene runs alone, after the others: it counts every
# process of this tree's build/tfocheck as the run's own, so no other
# suite may be running tfocheck meanwhile.
#
# CHECK_PARALLEL=0 runs everything in one sequential `build/tests/unit`.
# Exit status: 0 when every group passed, 1 otherwise.
set -u

UNIT=build/tests/unit
[ -x "$UNIT" ] || { echo "check: $UNIT is not built" >&2; exit 1; }
if [ "${CHECK_PARALLEL:-1}" = 0 ]; then
	exec "$UNIT"
fi

# balanced by their measured times (make check prints them at the end);
# every suite no group names goes into the last one.  A group runs its
# suites in the order named: the timers suite compares "at once" verdicts
# and goes first, the fuzz suite, which loads the machine with namespaces,
# last of its group.
G1="timers mutants_owfat reports untrusted"
G2="mutants_connectx harness fuzz"
ALONE="hygiene"
all=$(sed -n 's/^TEST_SUITE(\([a-z_0-9]*\),.*/\1/p' tests/*.c | sort)
G3=""
for s in $all; do
	case " $G1 $G2 $ALONE " in *" $s "*) ;; *) G3="$G3 $s" ;; esac
done

dir=$(mktemp -d /tmp/tfocheck-check-XXXXXX)
trap 'rm -rf "$dir"' EXIT
trap 'kill 0 2>/dev/null; exit 130' INT TERM

now() {
	date +%s.%N
}

# group NAME SUITES...: run in the background, log and times in $dir
group() {
	name=$1
	shift
	(
		t0=$(now)
		"$UNIT" "$@" > "$dir/$name.log" 2>&1
		echo $? > "$dir/$name.rc"
		echo "$t0 $(now)" > "$dir/$name.time"
	) &
}

t0=$(now)
group 1 $G1
group 2 $G2
group 3 $G3
wait
group 4 $ALONE
wait
t1=$(now)

rc=0
tests=0 failed=0 skipped=0 asserts_failed=0
for g in 1 2 3 4; do
	cat "$dir/$g.log"
	echo
	[ "$(cat "$dir/$g.rc" 2>/dev/null)" = 0 ] || rc=1
	set -- $(awk '$1 == "tests" { r = $3; f = $5 } $1 == "asserts" { a = $5 }
		      /^skipped tests:/ { s = $3 } END { print r + 0, f + 0, a + 0, s + 0 }' "$dir/$g.log")
	tests=$((tests + $1)) failed=$((failed + $2))
	asserts_failed=$((asserts_failed + $3)) skipped=$((skipped + $4))
done
echo "make check: 4 groups ($(echo "$G1" | wc -w), $(echo "$G2" | wc -w), $(echo "$G3" | wc -w) suites side by side, then $ALONE):" \
	"$tests tests ran, $failed failed ($asserts_failed asserts), $skipped skipped," \
	"$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
for g in 1 2 3 4; do
	read -r a b < "$dir/$g.time"
	printf '  group %s %5.1f s:%s\n' "$g" "$(awk -v a="$a" -v b="$b" 'BEGIN { print b - a }')" \
		"$(sed -n 's/^  (suite \([a-z_0-9]*\): \([0-9.]*\) s)$/ \1 \2/p' "$dir/$g.log" | tr '\n' ',' | sed 's/,$//')"
done
exit "$rc"
