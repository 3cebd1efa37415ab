#!/bin/sh
# io.sh [IMAGE] - the I/O figures of issues 13 (blkd) and 14 (vfsd), Keel
# and the Linux peer (linux-peer/io.sh) in the same run, one CPU each.
#
# Each figure is measured twice per system: wall clock (QEMU without
# -icount; the guest's monotonic clock; min and median of IO_RUNS runs,
# default 3) and CPU cost in guest instructions (-icount shift=0,sleep=off;
# timestamp ticks less the ticks the CPU spent halted idle, which under
# icount are skipped time, not instructions). Disks: a scratch virtio-blk
# disk, modern-only (virtio-blk-pci,disable-legacy=on), raw, cache=unsafe,
# the same options for both systems.
#   blk_{write,read}_{4,128}k: 64 MiB sequential, one request in flight
#     (Keel: libsys's block client to blkd2; Linux: dd oflag/iflag=direct)
#   fs_write_64m (write + fsync), fs_read_64m (after a cache drop),
#   fs_{create,list,delete}_1000: FAT32 on partition 1 of the scratch disk
#     (Keel: C library + vfsd's code; Linux: vfat)
#   entry_to_topod_devices_insns, entry_to_blkd_ready_insns (Keel's boot)
# Output: keel.NAME=VALUE lines, then linux.NAME=VALUE lines, as run.sh.
set -u
. build/config.sh
img=${1:-build/keel.img}
runs=${IO_RUNS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/keel-io.XXXXXX")
trap 'rm -rf "$work"' EXIT

# make_fat_disk FILE: 1 GiB (sparse), an MBR with one FAT32 partition at 1 MiB
# (mkfs.fat, 4 KiB clusters) holding an empty directory /bench.
make_fat_disk() {
	rm -f "$1" "$work/part.img"
	truncate -s 1023M "$work/part.img"
	mkfs.fat -F 32 -s 8 -n BENCH "$work/part.img" > /dev/null 2>&1
	MTOOLS_SKIP_CHECK=1 mmd -i "$work/part.img" ::/bench
	truncate -s 1G "$1"
	printf 'label: dos\nunit: sectors\nstart=2048, type=c\n' | sfdisk --quiet "$1"
	dd if="$work/part.img" of="$1" bs=1M seek=1 conv=notrunc,sparse status=none
}

# keel_run MODE ARGS DISK PATTERN: boots Keel (MODE icount or wall) with the
# scratch DISK until the serial log matches PATTERN, then stops QEMU;
# leaves the log, without carriage returns, in $work/serial.txt.
keel_run() {
	icount=
	[ "$1" = icount ] && icount="-icount shift=0,sleep=off"
	cp --sparse=always "$img" "$work/disk.img"
	sed "s|^set KEEL_ARGS=.*|set KEEL_ARGS=\"keel.exit=debug keel.bench keel.stamp $2\"|" \
		image/grub.cfg > "$work/grub.cfg"
	MTOOLS_SKIP_CHECK=1 "$MCOPY" -o -i "$work/disk.img@@1M" "$work/grub.cfg" ::/boot/grub/grub.cfg
	rm -f "$work/serial.log" "$work/qemu.pid"
	# shellcheck disable=SC2086
	"$TIMEOUT" --foreground 900 "$QEMU" -accel tcg,thread=single -M pc -cpu max -m 256M \
		-smp 1 $icount -display none -monitor none -no-reboot \
		-serial "file:$work/serial.log" -pidfile "$work/qemu.pid" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive "file=$work/disk.img,if=none,id=disk,format=raw" \
		-device virtio-blk-pci,drive=disk,bootindex=0,disable-legacy=on \
		-drive "file=$3,if=none,id=scratch,format=raw,cache=unsafe" \
		-device virtio-blk-pci,drive=scratch,disable-legacy=on < /dev/null > "$work/qemu.out" 2>&1 &
	qemu=$!
	while kill -0 "$qemu" 2> /dev/null; do
		if grep -Eq -- "$4|PANIC|CPU exception" "$work/serial.log" 2> /dev/null; then
			[ -s "$work/qemu.pid" ] && kill "$(cat "$work/qemu.pid")" 2> /dev/null
			break
		fi
		sleep 0.2
	done
	wait "$qemu"
	tr -d '\r' < "$work/serial.log" > "$work/serial.txt"
	grep -Eq -- "$4" "$work/serial.txt" || {
		echo "io.sh: Keel run ($1, $2) did not finish; serial log:" >&2
		tail -n 30 "$work/serial.txt" >&2
		return 1
	}
}

# figures: the bench: lines of the last Keel run, as NAME=VALUE.
figures() {
	sed -n 's/^\[task [0-9]*\( @[0-9-]*\)\{0,1\}\] bench: //p' "$work/serial.txt"
}

# insns: the guest instructions between each "mark: NAME begin/end" pair
# of the last Keel run, from the kernel's stamps "@TSC-IDLE" (keel.stamp),
# and from kernel entry to topod's device count and to the first "blkd:
# ready", as NAME_insns=VALUE.
insns() {
	awk '
	/bench: reset_to_entry_insns=/ { split($0, a, "="); entry = a[2] }
	/^\[task [0-9]+ @[0-9]+-[0-9]+\]/ {
		s = $3; sub(/^@/, "", s); sub(/\]$/, "", s); split(s, t, "-"); x = t[1] - t[2]
		if ($4 == "mark:") { if ($6 == "begin") b[$5] = x; else print $5 "_insns=" x - b[$5] }
		if ($4 == "topod:" && $6 == "devices" && !td) td = x
		if ($4 == "blkd:" && $5 == "ready" && !br) br = x
	}
	END {
		if (entry && td) print "entry_to_topod_devices_insns=" td - entry
		if (entry && br) print "entry_to_blkd_ready_insns=" br - entry
	}' "$work/serial.txt"
}

# keel_blk MODE: one run of blkbench; its figures on stdout.
keel_blk() {
	rm -f "$work/scratch.img" && truncate -s 80M "$work/scratch.img"
	keel_run "$1" "initd.boot=boot-blkbench.manifest" "$work/scratch.img" 'blkbench: done' || return 1
	if [ "$1" = icount ]; then insns; else figures | grep '_ns='; fi
}

# keel_fs MODE: fsbench on a fresh FAT32 disk, in one boot as on Linux:
# the 64 MiB file written, vfsd's cache dropped (VFS_DROP_CACHE), the
# file read back, then the small files.
keel_fs() {
	make_fat_disk "$work/fat.img"
	keel_run "$1" "initd.boot=boot-fsbench.manifest" "$work/fat.img" "fsbench: done" || return 1
	grep -q "fsbench: done all OK" "$work/serial.txt" || {
		echo "# Keel's fsbench ($1) failed:" >&2
		grep -E "fsbench|initd: iovfsd|vfsd:" "$work/serial.txt" | sed 's/^/#   /' >&2
	}
	if [ "$1" = icount ]; then insns | grep '^fs_'; else figures | grep '_ns='; fi
}

# linux_run MODE WORKLOAD: one run of the peer; its figures without the
# "linux." prefix (dd's start-up, blk_none, taken off the blk insns).
linux_run() {
	if [ "$2" = blk ]; then
		rm -f "$work/scratch.img" && truncate -s 80M "$work/scratch.img"
		disk=$work/scratch.img
	else
		make_fat_disk "$work/fat.img"
		disk=$work/fat.img
	fi
	sh tests/bench/linux-peer/io.sh "$1" "$2" "$disk" > "$work/peer.txt" || return 1
	grep '^# ' "$work/peer.txt" >&2
	sed -n 's/^linux\.//p' "$work/peer.txt" | awk -F= -v mode="$1" '
		/^blk_none_/ { none[$1] = $2; next }
		mode == "icount" && /_insns=/ { n = $1; sub(/^blk_[a-z]*_[0-9]*k_/, "blk_none_", n)
			print $1 "=" ($1 ~ /^blk_/ ? $2 - none[n] : $2) }
		mode == "wall" && /_ns=/ { print }'
}

# summary SYSTEM FILE: for every NAME_ns (lines of all runs), the min and
# median in ms and, for blk_ and fs_*_64m figures, MiB/s of the min and
# median; every NAME_insns as it is, and per KiB for 64 MiB figures.
summary() {
	sort "$2" | awk -F= -v sys="$1" '
	function flush(   i, j, t, med) {
		if (!name) return
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
		med = v[int((n + 1) / 2)]
		if (name ~ /_ns$/) {
			base = name; sub(/_ns$/, "", base)
			printf "%s.%s_ms_min=%.1f\n%s.%s_ms_median=%.1f\n", sys, base, v[1] / 1e6, sys, base, med / 1e6
			if (base ~ /^blk_/ || base ~ /_64m$/)
				printf "%s.%s_mibps_best=%.1f\n%s.%s_mibps_median=%.1f\n", sys, base, 64e9 / v[1], sys, base, 64e9 / med
		} else {
			printf "%s.%s=%.0f\n", sys, name, med
			if (name ~ /^blk_/ || name ~ /_64m_insns$/) { b = name; sub(/_insns$/, "_insns_per_kib", b); printf "%s.%s=%.0f\n", sys, b, med / 65536 }
		}
		n = 0
	}
	$1 != name { flush(); name = $1 }
	{ v[++n] = $2 + 0 }
	END { flush() }'
}

echo "# I/O figures (issues 13 and 14), one CPU, scratch virtio-blk disk (modern-only, raw, cache=unsafe)"
echo "# wall clock: QEMU without icount, guest monotonic clock, min and median of $runs runs;"
echo "# *_insns: QEMU -icount shift=0,sleep=off, guest instructions with idle time left out"
: > "$work/keel.txt"
: > "$work/linux.txt"
for w in ${IO_WORKLOADS-blk fs}; do
	keel_$w icount >> "$work/keel.txt" || echo "# Keel $w icount run failed" >&2
	linux_run icount $w >> "$work/linux.txt" || echo "# Linux $w icount run failed" >&2
	i=0
	while [ $i -lt "$runs" ]; do
		keel_$w wall >> "$work/keel.txt" || echo "# Keel $w wall run failed" >&2
		linux_run wall $w >> "$work/linux.txt" || echo "# Linux $w wall run failed" >&2
		i=$((i + 1))
	done
done
summary keel "$work/keel.txt"
summary linux "$work/linux.txt"
