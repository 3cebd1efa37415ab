#!/bin/sh
# icount-probe.sh - check, with no OS in the way, how the guest TSC behaves
# under the benchmark's QEMU flags (-icount shift=0,sleep=off).
#
# Usage: tests/bench/linux-peer/icount-probe.sh [BUILD_DIR]
# Builds icount_probe.S (clang -m32) into a Multiboot kernel, boots it and
# prints its probe.* lines (values in hex).  Expected under icount:
#   probe.rdtsc_pair=00000002            rdtsc; mov; rdtsc
#   probe.loop_00000000=00000007         the fixed 7 instructions
#   probe.loop_000003e8=000007d7         7 + 2*1000
#   probe.loop_000f4240=001e8487         7 + 2*1000000
# i.e. one TSC tick per guest instruction, no scaling by a TSC frequency.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
B=${1:-${PEER_BUILD:-$root/build/peer}}
QEMU=${QEMU:-qemu-system-x86_64}
CLANG=${CLANG:-clang}
mkdir -p "$B"
"$CLANG" -m32 -nostdlib -static -Wl,-Ttext=0x100000 -Wl,--build-id=none \
	-o "$B/icount_probe.elf" "$here/icount_probe.S"
set +e
timeout 60 "$QEMU" -M pc -cpu max -m 256M -smp 2 -icount shift=0,sleep=off \
	-display none -monitor none -serial stdio -no-reboot \
	-device isa-debug-exit,iobase=0xf4 -kernel "$B/icount_probe.elf" </dev/null
rc=$?
set -e
# isa-debug-exit with value 0 makes QEMU exit with status 1.
[ "$rc" -eq 1 ] || { echo "icount-probe.sh: QEMU exit status $rc (expected 1)" >&2; exit 1; }
