# lib.sh - shared helpers for Keel's QEMU tests (sourced, not run).
#
# A test script sources this file, boots Keel with keel_boot, checks the
# serial log with the check_* helpers and ends with finish, which prints
# "N passed, N failed" and sets the exit status.
#
# Tests pass kernel switches by booting a copy of build/keel.img whose
# grub.cfg sets KEEL_ARGS; the copy is sparse and thrown away afterwards.

set -u
. build/config.sh
KEEL_IMG=${KEEL_IMG:-build/keel.img}
test_name=$(basename "$0" .sh)
work=$(mktemp -d "${TMPDIR:-/tmp}/keel-$test_name.XXXXXX")
trap 'rm -rf "$work"' EXIT
log=$work/serial.log
passed=0
failed=0

# keel_image ARGS OUT: copy the image with ARGS as the kernel command line.
keel_image() {
	cp --sparse=always "$KEEL_IMG" "$2"
	sed "s|^set KEEL_ARGS=.*|set KEEL_ARGS=\"$1\"|" image/grub.cfg > "$work/grub.cfg"
	MTOOLS_SKIP_CHECK=1 "$MCOPY" -o -i "$2@@1M" "$work/grub.cfg" ::/boot/grub/grub.cfg
}

# keel_boot ARGS [SECONDS] [QEMU OPTIONS...]: boot to power-off or timeout.
# Sets qemu_status: 1 = Keel powered off cleanly, 3 = Keel panicked,
# 124 = timed out. SMP (default 1) sets the CPU count.
keel_boot() {
	args=$1
	secs=${2:-60}
	[ $# -ge 2 ] && shift 2 || shift $#
	keel_image "keel.exit=debug $args" "$work/disk.img"
	# One TCG thread for all CPUs: QEMU 7.2's multi-threaded TCG can crash
	# (SIGSEGV in memory_region_dispatch_read) when one CPU does port or
	# MMIO I/O while another changes the memory map, as topod does when it
	# sizes BARs; about one boot in nine did at -smp 2.
	"$TIMEOUT" --foreground "$secs" "$QEMU" -accel tcg,thread=single \
		-M "${MACHINE:-pc}" -cpu max -m 256M -smp "${SMP:-1}" \
		-display none -monitor none -no-reboot -serial "file:$log" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive "file=$work/disk.img,if=none,id=disk,format=raw" \
		-device virtio-blk-pci,drive=disk,bootindex=0,disable-legacy=on "$@" < /dev/null
	qemu_status=$?
	echo "---- serial output (qemu exit status $qemu_status)"
	cat "$log"
	echo "----"
}

pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# check_log NAME REGEX: the serial log has a line matching REGEX.
check_log() {
	if grep -Eq -- "$2" "$log"; then pass "$1"; else fail "$1: no line matching /$2/"; fi
}

# check_no_log NAME REGEX: the serial log has no line matching REGEX. A
# failure quotes the first such line (the summary shows only FAIL lines).
check_no_log() {
	if grep -Eq -- "$2" "$log"; then
		fail "$1: unexpected line: $(grep -Ea -m1 -- "$2" "$log" | cut -c1-160)"
	else pass "$1"; fi
}

# check_status NAME WANT: QEMU ended with exit status WANT.
check_status() {
	if [ "$qemu_status" -eq "$2" ]; then pass "$1"; else
		fail "$1: qemu exit status $qemu_status, wanted $2"; fi
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# selftest NAME SMP: boot with keel.test=NAME on SMP CPUs; check the verdict.
selftest() {
	SMP=$2 keel_boot "keel.test=$1" "${3:-120}"
	check_status "$1 (smp $2) powers off cleanly" 1
	check_log "$1 (smp $2) reports no failures" "^selftest: $1: [1-9][0-9]* passed, 0 failed"
	check_no_log "$1 (smp $2) has no failed check" '^selftest: FAIL'
}
