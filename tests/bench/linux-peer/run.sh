#!/bin/sh
# run.sh - boot the Linux peer under QEMU icount and print its figures.
#
# Usage: tests/bench/linux-peer/run.sh [BUILD_DIR]
#   BUILD_DIR defaults to $PEER_BUILD, else build/peer under the repo root.
# Environment:
#   PEER_ITERS    timed pipe round trips (default 2000)
#   PEER_PROBE=1  also print linux.probe.* lines (TSC/icount checks)
#   PEER_TIMEOUT  seconds before QEMU is stopped (default 300)
#   PEER_LINUX_CPUS  "all" (default): /init brings the second vCPU online
#                 before measuring; "1": Linux stays on the boot CPU only
#                 (no cross-CPU figure).
#   PEER_BOOT_SMP=1  let Linux bring up the APs while booting instead of
#                 passing maxcpus=1.  Under -icount, QEMU 7.2 starves the AP
#                 during boot-time bring-up and the boot never ends (see
#                 README.md), so this is off by default.
#   PEER_APPEND   extra words for the kernel command line (e.g. nokaslr)
#   QEMU          QEMU binary (default qemu-system-x86_64)
#   MUSL_GCC      compiler for pingpong.c (default musl-gcc)
#
# Prints only the figure lines (linux.*=N) on stdout; progress and errors go
# to stderr.  The full serial log is kept in BUILD_DIR/serial.log.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
B=${1:-${PEER_BUILD:-$root/build/peer}}
ITERS=${PEER_ITERS:-2000}
PROBE=${PEER_PROBE:-0}
TIMEOUT=${PEER_TIMEOUT:-300}
LINUX_CPUS=${PEER_LINUX_CPUS:-all}
BOOT_SMP=${PEER_BOOT_SMP:-0}
QEMU=${QEMU:-qemu-system-x86_64}
MUSL_GCC=${MUSL_GCC:-musl-gcc}

die() {
	echo "run.sh: $*" >&2
	exit 1
}

case $ITERS in '' | *[!0-9]*) die "PEER_ITERS must be a positive integer, not '$ITERS'" ;; esac
case $TIMEOUT in '' | *[!0-9]*) die "PEER_TIMEOUT must be a number of seconds, not '$TIMEOUT'" ;; esac
case $LINUX_CPUS in all | 1) ;; *) die "PEER_LINUX_CPUS must be 'all' or '1', not '$LINUX_CPUS'" ;; esac
for tool in "$QEMU" "$MUSL_GCC" timeout; do
	command -v "$tool" >/dev/null 2>&1 || die "missing host tool '$tool'"
done

mkdir -p "$B"
B=$(cd "$B" && pwd)

sh "$here/fetch.sh" "$B" || die "fetching the peer's packages failed (see above)"

# --- pingpong -------------------------------------------------------------
pp="$B/pingpong"
# Rebuilt every run (well under a second), so it always matches the source.
"$MUSL_GCC" -static -O2 -Wall -o "$pp.$$" "$here/pingpong.c" || die "building pingpong.c with $MUSL_GCC failed"
mv "$pp.$$" "$pp"

# --- initramfs (newc cpio, written here: no cpio tool needed) ---------------
. "$here/cpio.sh"

# Everything of this run goes in its own folder, so that two runs sharing
# BUILD_DIR do not trample each other.
W="$B/run.$$"
rm -rf "$W"
mkdir -p "$W"
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM

cat >"$W/init.sh" <<'EOF'
#!/bin/sh
# /init.sh of the Linux peer; /init (pingpong) has stamped the TSC and
# exec'd this script.  Kernel command-line words peer_iters=, peer_cpus=
# and peer_probe= arrive as environment variables.
bb=/bin/busybox
echo # end whatever the firmware left on the console line
$bb mount -t proc proc /proc
$bb mount -t sysfs sysfs /sys
up=$($bb cat /proc/uptime)
rc=0
if [ "${peer_cpus:-all}" = all ]; then
	# Linux booted with maxcpus=1; bring the other vCPUs up now.
	for f in /sys/devices/system/cpu/cpu[0-9]*/online; do
		[ -f "$f" ] && [ "$($bb cat "$f")" = 0 ] || continue
		echo 1 >"$f" || { echo "linux-peer: cannot online ${f%/online}"; rc=1; }
	done
fi
if [ "${peer_probe:-0}" = 1 ]; then
	/bin/pingpong probe || rc=$?
	for f in /sys/devices/system/cpu/vulnerabilities/*; do
		echo "linux.probe.vuln.${f##*/}=$($bb cat "$f" | $bb tr ' ' '_')"
	done
	echo "linux.probe.clocksource=$($bb cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
	echo "linux.probe.kernel=$($bb uname -r)"
	echo "linux.probe.cpus_online=$($bb cat /sys/devices/system/cpu/online)"
	# seconds since boot / seconds idle (summed over CPUs), read at init.
	echo "linux.probe.uptime_idle_s_at_init=$(echo "$up" | $bb tr ' ' '/')"
fi
/bin/pingpong bench "${peer_iters:-2000}" || rc=$?
echo "linux-peer: done rc=$rc"
$bb poweroff -f
EOF

initrd="$W/initramfs.cpio"
{
	dir .
	dir bin
	dir dev
	dir proc
	dir sys
	chardev dev/console 5 1
	chardev dev/null 1 3
	file bin/busybox 0100755 "$B/busybox"
	symlink bin/sh busybox
	symlink bin/pingpong ../init
	file init 0100755 "$pp"
	file init.sh 0100755 "$W/init.sh"
	entry TRAILER!!! 0 0 0 0
} >"$initrd"

# --- boot -------------------------------------------------------------------
log="$W/serial.log"
cmdline="console=ttyS0 quiet panic=-1 peer_iters=$ITERS peer_probe=$PROBE peer_cpus=$LINUX_CPUS"
[ "$BOOT_SMP" = 1 ] || cmdline="$cmdline maxcpus=1"
[ -z "${PEER_APPEND:-}" ] || cmdline="$cmdline $PEER_APPEND"
echo "run.sh: booting the Linux peer ($ITERS round trips, timeout ${TIMEOUT}s)" >&2
set +e
timeout "$TIMEOUT" "$QEMU" -M pc -cpu max -m 256M -smp 2 \
	-icount shift=0,sleep=off -nographic -no-reboot \
	-kernel "$B/vmlinuz" -initrd "$initrd" \
	-append "$cmdline" \
	</dev/null >"$log" 2>&1
qrc=$?
set -e
tr -d '\r' <"$log" >"$W/serial.txt"
log="$W/serial.txt"
cp "$log" "$B/serial.log" # kept for reading; the checks below use this run's copy

if [ "$qrc" -eq 124 ]; then
	tail -n 20 "$log" >&2
	[ "$BOOT_SMP" != 1 ] || echo "run.sh: PEER_BOOT_SMP=1 is known to hang under -icount in QEMU 7.2" >&2
	die "QEMU did not finish within ${TIMEOUT}s (raise PEER_TIMEOUT); serial log: $B/serial.log"
fi
if ! grep -q '^linux-peer: done rc=0$' "$log"; then
	tail -n 20 "$log" >&2
	die "the peer did not complete its run (QEMU exit status $qrc); serial log: $B/serial.log"
fi
grep -q '^linux\.pipe_roundtrip_insns=[0-9][0-9]*$' "$log" || die "no linux.pipe_roundtrip_insns line in the serial log $B/serial.log"
grep '^linux\.[a-z0-9_.]*=' "$log"
if ! grep -q '^linux\.pipe_roundtrip_cross_cpu_insns=' "$log"; then
	echo "run.sh: only one CPU online in the guest, so no cross-CPU figure" >&2
fi
