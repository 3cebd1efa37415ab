#!/bin/sh
# run-one.sh LOG PROGRAM - run one test program and record its output in LOG.
#
# A test program prints "N passed, N failed" as its last line. If it ends
# without that line (a crash, a timeout), the run is recorded as one
# failure. This script always succeeds so that every test runs; the
# summary decides.
log=$1 prog=$2
mkdir -p "$(dirname "$log")"
case $prog in
*.sh)	# A script runs under the interpreter its #! line names (sh without one).
	interp=$(sed -n '1s/^#! *//p' "$prog")
	${interp:-sh} "$prog" > "$log.tmp" 2>&1 ;;
*) "$prog" > "$log.tmp" 2>&1 ;;
esac
status=$?
last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log.tmp" | tail -n 1)
if [ -z "$last" ]; then
	echo "0 passed, 1 failed (no summary line; exit status $status)" >> "$log.tmp"
elif [ "$status" -ne 0 ] && echo "$last" | grep -q ' 0 failed'; then
	echo "0 passed, 1 failed (exit status $status despite no failed checks)" >> "$log.tmp"
fi
mv "$log.tmp" "$log"
exit 0
