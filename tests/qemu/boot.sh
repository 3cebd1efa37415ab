#!/bin/sh
# boot.sh run IMAGE - boot IMAGE in QEMU (no KVM) on a virtio-blk disk with
# the serial console on this terminal. Quit with Ctrl-A X.
set -eu
. build/config.sh
mode=$1 img=$2
case $mode in
run)
	exec "$QEMU" -M pc -cpu max -m 512M -smp "${SMP:-2}" -nographic -no-reboot \
		-drive "file=$img,if=none,id=disk,format=raw" \
		-device virtio-blk-pci,drive=disk,bootindex=0,disable-legacy=on ;;
*) echo "boot.sh: unknown mode $mode" >&2; exit 2 ;;
esac
