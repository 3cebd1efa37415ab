#!/bin/sh
# bench.sh [IMAGE] - the editor's figures on Keel, in guest instructions
# (QEMU -icount shift=0,sleep=off: rdtsc differences count instructions).
# A generated C file of 10 MiB (the one tests/bench_edit.c makes on the
# host) is copied onto the image; sh runs tests/edit-bench.sh from the boot
# bundle: `edit --bench /big.c` opens it through vfsd and draws the first
# screen on the serial terminal (edit_open_10mib_insns), jumps to its middle
# (not a keystroke: the highlighter's state is computed from the top once),
# types one character and redraws (edit_key_in_middle_insns), then a second
# (edit_next_key_insns); then poweroff. Goals (issue 17): open at most
# 100,000,000, keystroke at most 1,000,000.
set -u
. build/config.sh
img=${1:-build/keel.img}
work=$(mktemp -d "${TMPDIR:-/tmp}/keel-edit-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

awk 'BEGIN {
	for (i = 0; n < 10485760; i++) {
		if (i % 1000 == 500) s = sprintf("/* comment %u\n", i)
		else if (i % 1000 == 700) s = sprintf("   end */ int v%u;\n", i)
		else s = sprintf("\tint x%u = foo(bar, \"str\", 42); // note\n", i)
		printf "%s", s
		n += length(s)
	}
}' > "$work/big.c"
cp --sparse=always "$img" "$work/disk.img"
sed 's|^set KEEL_ARGS=.*|set KEEL_ARGS="keel.exit=debug initd.console=sh,/bundle/edit-bench.sh"|' \
	image/grub.cfg > "$work/grub.cfg"
MTOOLS_SKIP_CHECK=1 "$MCOPY" -o -i "$work/disk.img@@1M" "$work/grub.cfg" ::/boot/grub/grub.cfg
MTOOLS_SKIP_CHECK=1 "$MCOPY" -i "$work/disk.img@@1M" "$work/big.c" ::/big.c
"$TIMEOUT" --foreground 900 "$QEMU" -M pc -cpu max -m 256M -smp "${EDIT_BENCH_SMP:-1}" \
	-icount shift=0,sleep=off -display none -monitor none -no-reboot \
	-serial "file:$work/serial.log" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-drive "file=$work/disk.img,if=none,id=disk,format=raw" \
	-device virtio-blk-pci,drive=disk,bootindex=0,disable-legacy=on < /dev/null
status=$?
echo "# editor on Keel: 10 MiB file ($(wc -c < "$work/big.c") bytes), guest instructions"
if { [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; } || ! grep -q 'bench: edit_open' "$work/serial.log"; then
	echo "bench: editor run failed (qemu status $status); serial log:" >&2
	tail -c 3000 "$work/serial.log" >&2
	exit 1
fi
tr -d '\r' < "$work/serial.log" | sed -n 's/^.*bench: edit_/keel.edit_/p'
