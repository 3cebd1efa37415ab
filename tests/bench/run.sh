#!/bin/sh
# run.sh IMAGE - Keel's benchmarks, measured in guest instructions.
#
# QEMU runs with -icount shift=0,sleep=off: guest time advances one
# nanosecond per guest instruction, so rdtsc differences inside the guest
# are instruction counts, deterministic from run to run. Keel prints its
# figures as "bench: name=value" lines when booted with keel.bench.
# The Linux peer (tests/bench/linux-peer) runs the same workloads under the
# same flags when its pinned packages can be fetched.
set -u
. build/config.sh
img=${1:-build/keel.img}
work=$(mktemp -d "${TMPDIR:-/tmp}/keel-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# keel_bench SMP ARGS: boot Keel under icount and print its figures.
keel_bench() {
	cp --sparse=always "$img" "$work/disk.img"
	sed "s|^set KEEL_ARGS=.*|set KEEL_ARGS=\"keel.exit=debug keel.bench $2\"|" \
		image/grub.cfg > "$work/grub.cfg"
	MTOOLS_SKIP_CHECK=1 "$MCOPY" -o -i "$work/disk.img@@1M" "$work/grub.cfg" ::/boot/grub/grub.cfg
	"$TIMEOUT" --foreground 600 "$QEMU" -M pc -cpu max -m 256M -smp "$1" \
		-icount shift=0,sleep=off -display none -monitor none -no-reboot \
		-serial "file:$work/serial.log" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive "file=$work/disk.img,if=none,id=disk,format=raw" \
		-device virtio-blk-pci,drive=disk,bootindex=0,disable-legacy=on < /dev/null
	status=$?
	if [ "$status" -ne 1 ]; then
		echo "bench: Keel run failed (qemu status $status); serial log:" >&2
		cat "$work/serial.log" >&2
		return 1
	fi
	tr -d '\r' < "$work/serial.log" | sed -n 's/^\(\[task [0-9]*\] \)\{0,1\}bench: /keel./p'
}

echo "# Keel figures, guest instructions (QEMU -icount shift=0,sleep=off)"
echo "# kernel: boot and thread switch (4 CPUs)"
keel_bench 4 "keel.test=switch" || exit 1
echo "# kernel ABI: message round trips between two user tasks (2 CPUs, as the peer)"
keel_bench 2 "keel.init=kabi-root kabi.test=bench" || exit 1
echo "# kernel lock: N independent call/reply pairs, pair i on CPU i (4 CPUs)"
keel_bench 4 "keel.init=kabi-root kabi.test=pairs" || exit 1
sh tests/bench/pairs_wall.sh "$img" || exit 1
echo "# initd: boot to all services up, and a crashed service back to serving (2 CPUs)"
keel_bench 2 "initd.test=crash" > "$work/initd.txt" || exit 1
cat "$work/initd.txt"
awk -F= '/^keel.reset_to_entry_insns=/ { e = $2 } /^keel.reset_to_all_services_up_insns=/ { u = $2 }
	END { if (e && u) print "keel.entry_to_all_services_up_insns=" u - e }' "$work/initd.txt"

sh tests/bench/boot.sh "$img" || exit 1
sh apps/edit/bench.sh "$img" || exit 1
sh tests/bench/console.sh "$img"
sh tests/bench/io.sh "$img" || echo "# I/O figures (tests/bench/io.sh) failed"

if [ -x tests/bench/linux-peer/run.sh ] || [ -f tests/bench/linux-peer/run.sh ]; then
	echo "# Linux peer, same QEMU flags"
	if sh tests/bench/linux-peer/fetch.sh > "$work/peer-fetch.log" 2>&1; then
		sh tests/bench/linux-peer/run.sh || echo "# Linux peer run failed"
	else
		echo "# Linux peer skipped: its pinned packages could not be fetched:"
		sed 's/^/#   /' "$work/peer-fetch.log" | tail -n 5
	fi
fi
