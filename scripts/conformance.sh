#!/bin/sh
# `make conformance`: probe this kernel, run both API families in every
# profile against the reference library (libtfo) and the system's libowfat,
# write $REPORTS/<platform-id>/… and $REPORTS/matrix.{html,md} plus
# $REPORTS/summary.txt (REPORTS defaults to build/reports, apart from the
# report writers' sources in reports/), then print the summary in the
# report's order: one headline per library, the failing clauses grouped by
# deviation, the matrix's column totals.
#
# Exit status: that of the reference run (0 = this kernel supports what
# the libraries promise; 1 = the reference fails here; 77 = nothing could
# run here), unless the libowfat run broke: its FAILs (exit 1) are the
# findings this target exists to show, but a harness error (99), a usage
# error (2) or an interruption (130) means there is nothing to show, and
# becomes the exit status.
set -u
cd "$(dirname "$0")/.."
T=build/tfocheck
OUT=${REPORTS:-build/reports}
JOBS=${JOBS:-}
start=$(date +%s%N)

mkdir -p "$OUT"
echo "== tfocheck probe"
$T probe
echo

run_lib() { # LIB APIS -> returns the run's exit status
	lib=$1 apis=$2
	echo "== tfocheck run --lib $lib --api $apis"
	$T run --lib "$lib" --api "$apis" ${JOBS:+-j "$JOBS"} --out "$OUT" \
		>"$OUT/run-$lib.log" 2>&1
	rc=$?
	sed -n -e 's/^Outcomes: /  /p' -e 's/^interrupted: /  interrupted: /p' "$OUT/run-$lib.log"
	# a run that did not get to its cases says why in its first error
	case $rc in
	0 | 1) ;;
	*) grep -v '^tfocheck run: [0-9]* instances' "$OUT/run-$lib.log" |
		grep -m 1 '^tfocheck run: ' | sed 's/^/  /' ;;
	esac
	echo "  exit $rc (full log: $OUT/run-$lib.log)"
	return $rc
}

# every API family the library exports (libowfat has no connectx)
apis_of() {
	case "$1" in
	libowfat) echo owfat ;;
	*) echo owfat,connectx ;;
	esac
}

run_lib libtfo "$(apis_of libtfo)"
rc_ref=$?
run_lib libowfat "$(apis_of libowfat)"
rc_owfat=$?

results=$(ls "$OUT"/*/results.json 2>/dev/null)
if [ -n "$results" ]; then
	# shellcheck disable=SC2086
	$T report $results --html "$OUT/matrix.html" --markdown "$OUT/matrix.md" \
		--text "$OUT/summary.txt" --brief ||
		echo "conformance: could not build the report" >&2
fi

end=$(date +%s%N)
if [ -f "$OUT/summary.txt" ]; then
	echo
	echo "== summary"
	cat "$OUT/summary.txt"
fi
echo
echo "== reports"
for d in "$OUT"/*/; do
	[ -f "$d/results.json" ] && echo "  $d"
done
for f in matrix.html matrix.md summary.txt; do
	[ -f "$OUT/$f" ] && echo "  $OUT/$f"
done
ms=$(( (end - start) / 1000000 ))
echo "wall time: $((ms / 1000)).$(( (ms % 1000) / 100 )) s"

status=$rc_ref
if [ $rc_ref -eq 0 ]; then
	echo "verdict: the reference library passes on this kernel"
elif [ $rc_ref -eq 77 ]; then
	echo "verdict: nothing could run here (see the log above)"
else
	echo "verdict: the reference library FAILS on this kernel (exit $rc_ref)"
fi
case $rc_owfat in
0 | 1 | 77) ;;
*)
	echo "verdict: the libowfat run broke (exit $rc_owfat; see $OUT/run-libowfat.log): no findings for it"
	[ "$status" -eq 0 ] && status=$rc_owfat
	;;
esac
exit "$status"
