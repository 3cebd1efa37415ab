#!/bin/sh
# polltest.sh - the host build of tests/polltest.c (musl-gcc), as the
# reference Keel's build is compared with (apps/sh/tests/keel_int.py runs
# the same program at Keel's serial terminal): its pipe mode, and its
# terminal mode with standard input a pipe that stays empty (the timeout
# runs out) or gets a line meanwhile (the wait ends early).
# usage: sysroot/keel/tests/polltest.sh [POLLTEST] (from the top of the tree)
p=$(realpath "${1:-build/host/sysroot/keel/polltest}")
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }

w=$(mktemp -d)
out=$(cd "$w" && "$p" pipe)
case $out in *"polltest: 0 failed"*) ok "pipes, a file, bad descriptors, an empty set" ;;
*) bad "pipes, a file, bad descriptors, an empty set" "$out" ;; esac

out=$(sleep 2 | "$p" 300)
ms=$(echo "$out" | sed -n 's/^poll: timeout after \([0-9]*\) ms$/\1/p')
if [ -n "$ms" ] && [ "$ms" -ge 290 ] && [ "$ms" -lt 1500 ]; then
	ok "an empty input times out after 300 ms ($ms)"
else
	bad "an empty input times out after 300 ms" "$out"
fi

out=$( (sleep 0.3; echo typed; sleep 1) | "$p" 10000)
ms=$(echo "$out" | sed -n 's/^poll: ready after \([0-9]*\) ms.*$/\1/p')
if [ -n "$ms" ] && [ "$ms" -lt 5000 ] && echo "$out" | grep -qx "read: typed"; then
	ok "a line arriving ends the wait early ($ms ms)"
else
	bad "a line arriving ends the wait early" "$out"
fi
rm -rf "$w"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
