#!/bin/sh
# diff.sh - the differential test of the C library: every program of
# sysroot/tests/libc runs on the host (built with Debian's musl-gcc) and in
# Keel (built against build/sysroot, booted as the root task with
# keel.init=PROGRAM), and the two outputs must be identical byte for byte.
# The Keel side's output is its debug-console lines in the serial log,
# without the kernel's "[task 1] " prefix.
#
#   sh sysroot/tests/libc/diff.sh [PROGRAM...]    (default: all of them)
KEEL_IMG=${KEEL_IMG:-build/libc/keel.img}
. tests/qemu/lib.sh

programs=${*:-"fmt_int fmt_float sort regex timefmt wide malloc stdio jmp threads tls pipes"}
for p in $programs; do
	if ! build/host/sysroot/tests/libc/$p > "$work/$p.host" 2>&1; then
		fail "$p: the host build exits with status $?"
		continue
	fi
	keel_boot "keel.init=$p" 180 > "$work/$p.boot" 2>&1
	tr -d '\r' < "$log" | sed -n 's/^\[task 1\] //p' > "$work/$p.keel"
	if [ "$qemu_status" -ne 1 ] || ! grep -q "^Keel: root task exited with code 0" "$log"; then
		fail "$p: Keel did not end with exit code 0 (qemu status $qemu_status)"
		tail -n 20 "$log"
	elif cmp -s "$work/$p.host" "$work/$p.keel"; then
		pass "$p: Keel's output is the host's ($(wc -l < "$work/$p.host") lines)"
	else
		fail "$p: output differs (< host, > Keel)"
		diff "$work/$p.host" "$work/$p.keel" | head -n 20
	fi
done
finish
