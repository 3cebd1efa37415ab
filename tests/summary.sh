#!/bin/sh
# summary.sh LOG... - print failures (their FAIL lines and last lines) and one
# total line; fail if anything failed.
passed=0 failed=0
for log in "$@"; do
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	name=$(basename "$log" .log)
	if [ "${f:-1}" -ne 0 ]; then
		echo "---- $name: FAILED ($line)"
		grep -E '^(FAIL|not ok)' "$log" | head -n 20
		# Its last lines too (a session test ends with its serial line's
		# tail): a failure seen only in CI's output can still be read.
		echo "     its last lines:"
		tail -n 40 "$log" | tr -d '\r' | sed 's/^/     | /'
		echo "     full output: $log"
	else
		echo "ok   $name ($p passed)"
	fi
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-1}))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
