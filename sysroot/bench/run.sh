#!/bin/sh
# run.sh - the C library's figures, in guest instructions: each workload
# runs as Keel's root task and in the Linux peer (Debian's kernel and
# busybox, tests/bench/linux-peer/fetch.sh) under the same QEMU flags
# (-icount shift=0,sleep=off: a guest nanosecond is one instruction), the
# peer running the very same program statically linked with Debian's musl.
#
#   ninja bench        (or: sh sysroot/bench/run.sh, once ninja built its programs)
#
# Figures: speedtest1 --size 5 on an in-memory database (its TOTAL), a
# malloc/free loop (instructions per round), zstd compression of a 1 MiB
# corpus at levels 1, 3, 7, 12 (instructions per byte), and the resident
# memory of hello-world (getrusage's maxrss). Prints "name keel linux ratio".
set -u
. build/config.sh
img=build/bench/keel.img		# malloc_loop, hello; speedtest1 and ztest: build/tp
work=$(mktemp -d "${TMPDIR:-/tmp}/keel-libc-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
host=$work/host
mkdir "$host"
cp build/host/sysroot/bench/malloc_loop build/host/sysroot/bench/hello build/tp/host/speedtest1 \
	build/tp/host/ztest "$work/host/"

icount_qemu() { # icount_qemu LOG SECONDS ARGS...: QEMU as the figures need it
	out=$1 secs=$2
	shift 2
	"$TIMEOUT" --foreground "$secs" "$QEMU" -M pc -cpu max -m 256M -smp 1 \
		-icount shift=0,sleep=off -display none -monitor none -no-reboot \
		-serial "file:$out" "$@" < /dev/null
}

keel_run() { # keel_run PROGRAM ARGS: its console lines on stdout
	case $1 in speedtest1 | ztest) from=build/tp/keel.img ;; *) from=$img ;; esac
	cp --sparse=always "$from" "$work/disk.img"
	sed "s|^set KEEL_ARGS=.*|set KEEL_ARGS=\"keel.exit=debug keel.init=$1 $2\"|" \
		image/grub.cfg > "$work/grub.cfg"
	MTOOLS_SKIP_CHECK=1 "$MCOPY" -o -i "$work/disk.img@@1M" "$work/grub.cfg" ::/boot/grub/grub.cfg
	icount_qemu "$work/keel.log" 1200 -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive "file=$work/disk.img,if=none,id=disk,format=raw" \
		-device virtio-blk-pci,drive=disk,bootindex=0,disable-legacy=on
	tr -d '\r' < "$work/keel.log" | sed -n 's/^\[task 1\] //p'
}

# newc cpio members (the kernel's initramfs format), written directly.
cpio_head() { # cpio_head NAME MODE SIZE MAJOR MINOR
	n=$((n + 1))
	printf '070701%08X%08X00000000000000000000000100000000%08X0000000000000000%08X%08X%08X00000000%s\000' \
		"$n" "$2" "$3" "$4" "$5" $((${#1} + 1)) "$1"
	pad $((110 + ${#1} + 1))
}
pad() { while [ $(($1 % 4)) -ne 0 ]; do printf '\000'; set -- $(($1 + 1)); done; }
cpio_file() { # cpio_file NAME MODE PATH
	s=$(wc -c < "$3")
	cpio_head "$1" "$2" "$s" 0 0
	cat "$3"
	pad "$s"
}

linux_run() { # all four programs in one boot of the peer; their output on stdout
	sh tests/bench/linux-peer/fetch.sh build/peer > "$work/fetch.log" 2>&1 ||
		{ echo "# Linux peer skipped: its packages could not be fetched" >&2; return 1; }
	cat > "$work/init" <<-'INIT'
	#!/bin/busybox sh
	/bin/busybox mount -t proc proc /proc
	echo "peer: start"
	/bin/speedtest1 --memdb --size 5 --verify
	/bin/ztest -t
	/bin/malloc_loop
	/bin/hello
	echo "peer: done"
	/bin/busybox poweroff -f
	INIT
	n=0
	{
		for d in bin dev proc; do cpio_head "$d" 16877 0 0 0; done	# 040755
		cpio_head dev/console 8576 0 5 1				# 020600
		cpio_file bin/busybox 33261 build/peer/busybox			# 0100755
		for p in speedtest1 ztest malloc_loop hello; do cpio_file "bin/$p" 33261 "$host/$p"; done
		cpio_file init 33261 "$work/init"
		cpio_head 'TRAILER!!!' 0 0 0 0
	} > "$work/initrd"
	icount_qemu "$work/linux.log" 1800 -kernel build/peer/vmlinuz -initrd "$work/initrd" \
		-append "console=ttyS0 quiet panic=-1 maxcpus=1"
	tr -d '\r' < "$work/linux.log"
}

# Figures from one program's output (stdin), as "name value" lines.
figures() {
	awk '
	/TOTAL\.\.\./ { sub(/s$/, "", $NF); printf "speedtest1_size5_insns %.0f\n", $NF * 1e9 }
	/^level/ { lv = $2; sub(/:/, "", lv) }
	/time: compress/ { printf "zstd_level%s_insns_per_byte %.1f\n", lv, $3 / 1048576 }
	/^malloc_loop:/ { print "malloc_free_round_insns", $6 }
	/^hello: maxrss/ { print "hello_maxrss_kib", $3 }'
}

{
	keel_run speedtest1 "keel.args=--memdb,--size,5,--verify"
	keel_run ztest "keel.args=-t"
	keel_run malloc_loop ""
	keel_run hello ""
} > "$work/keel.out"
figures < "$work/keel.out" > "$work/keel.fig"
if linux_run > "$work/linux.out"; then
	figures < "$work/linux.out" > "$work/linux.fig"
else
	: > "$work/linux.fig"
fi
echo "# figure keel linux keel/linux (guest instructions; QEMU -icount shift=0,sleep=off)"
awk 'NR == FNR { l[$1] = $2; next }
	{ r = ($1 in l) && l[$1] > 0 ? sprintf("%.3f", $2 / l[$1]) : "-"
	  printf "%s %s %s %s\n", $1, $2, ($1 in l) ? l[$1] : "-", r }' "$work/linux.fig" "$work/keel.fig"
grep -q "Verification Hash" "$work/keel.out" && grep "Verification Hash" "$work/keel.out" | sed 's/^/# keel speedtest1 /'
grep "Verification Hash" "$work/linux.out" 2>/dev/null | sed 's/^/# linux speedtest1 /'
