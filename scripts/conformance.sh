#!/bin/sh
# `make conformance`: probe this kernel, run both API families in every
# profile against the reference library (libtfo) and the system's libowfat,
# write $REPORTS/<platform-id>/… and $REPORTS/matrix.html (REPORTS defaults
# to build/reports, apart from the report writers' sources in reports/),
# print where they are and one headline per library.  Exit status: that of the reference
# run (0 = this kernel supports what the libraries promise; 77 = nothing
# could run here), so packaging and CI hosts can gate on it.
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

run_lib() { # LIB APIS -> sets $rc_<lib>
	lib=$1 apis=$2
	echo "== tfocheck run --lib $lib --api $apis"
	$T run --lib "$lib" --api "$apis" ${JOBS:+-j "$JOBS"} --out "$OUT" \
		>"$OUT/run-$lib.log" 2>&1
	rc=$?
	# the per API x profile table and the totals; failures are in the log
	sed -n -e '/^Results by API/,/^$/p' -e '/^Outcomes:/p' "$OUT/run-$lib.log"
	echo "  (full log: $OUT/run-$lib.log)"
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
if [ -n "$results" ] && $T report --help >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	$T report $results --html "$OUT/matrix.html" --markdown "$OUT/matrix.md" >/dev/null ||
		echo "conformance: could not build the matrix" >&2
fi

end=$(date +%s%N)
echo
echo "== reports"
for d in "$OUT"/*/; do
	[ -f "$d/results.json" ] && echo "  $d"
done
[ -f "$OUT/matrix.html" ] && echo "  $OUT/matrix.html"
echo
for lib in libtfo libowfat; do
	grep -h '^headline: ' "$OUT/run-$lib.log" 2>/dev/null | sed 's/^headline: /  /'
done
ms=$(( (end - start) / 1000000 ))
echo "wall time: $((ms / 1000)).$(( (ms % 1000) / 100 )) s"
if [ $rc_ref -eq 0 ]; then
	echo "verdict: the reference library passes on this kernel"
elif [ $rc_ref -eq 77 ]; then
	echo "verdict: nothing could run here (see the log above)"
else
	echo "verdict: the reference library FAILS on this kernel (exit $rc_ref)"
fi
exit $rc_ref
