#!/bin/sh
# boot.sh run IMAGE - boot IMAGE in QEMU (no KVM) on a virtio-blk disk with
# the serial console on this terminal (WINDOW=1: and the screen in QEMU's
# window). Quit with Ctrl-A X, or `poweroff` in the shell.
set -eu
. build/config.sh
mode=$1 img=$2
case $mode in
run)
	# WINDOW=1: QEMU's window shows the screen (the shell on Alt+F1) and
	# the serial console stays on this terminal.
	if [ -n "${WINDOW:-}" ]; then
		display="-serial mon:stdio"
	else
		display=-nographic
	fi
	# shellcheck disable=SC2086
	exec "$QEMU" -accel tcg,thread=single -M pc -cpu max -m 512M -smp "${SMP:-2}" $display -no-reboot \
		-drive "file=$img,if=none,id=disk,format=raw" \
		-device virtio-blk-pci,drive=disk,bootindex=0,disable-legacy=on ;;
*) echo "boot.sh: unknown mode $mode" >&2; exit 2 ;;
esac
