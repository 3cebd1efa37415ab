#!/bin/sh
# capture.sh - record the PCI configuration spaces and ACPI tables of the
# QEMU machines Keel's tests boot, as test data for topod's host tests.
#
# Usage: tests/data/machines/capture.sh [WORK_DIR]
#   WORK_DIR (default build/capture) holds the Linux peer's packages and the
#   serial logs. The results replace tests/data/machines/{pc,q35,q35-numa}.
#
# It boots the Debian kernel of tests/bench/linux-peer (fetched and checked
# by its fetch.sh) with a busybox initramfs whose /init dumps, as hex on
# the serial console, every /sys/bus/pci/devices/*/config and resource file
# and every table under /sys/firmware/acpi/tables, then powers off. The
# host side turns each dump back into bytes. No driver module is loaded,
# so the configuration spaces are as the firmware (SeaBIOS) left them,
# apart from what the Linux PCI core itself touches while enumerating.
#
# Machines:
#   pc        -M pc, two modern-only virtio-blk disks, isa-debug-exit
#   q35       the same with -M q35
#   q35-numa  q35 with two NUMA nodes (so the firmware writes an SRAT), a
#             PCIe root port with a third virtio-blk disk behind it and a
#             PCIe-to-PCI bridge: real bridges and secondary buses
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
W=${1:-$root/build/capture}
QEMU=${QEMU:-qemu-system-x86_64}
TIMEOUT=${CAPTURE_TIMEOUT:-600}

die() {
	echo "capture.sh: $*" >&2
	exit 1
}

command -v "$QEMU" >/dev/null 2>&1 || die "missing $QEMU (Debian: qemu-system-x86)"
mkdir -p "$W"
W=$(cd "$W" && pwd)
sh "$root/tests/bench/linux-peer/fetch.sh" "$W" || die "fetching the Linux peer failed"
bb=$W/busybox

# --- initramfs: a newc cpio written here (no cpio tool needed) -------------
ino=0
pad4() {
	n=$(($1 % 4))
	[ "$n" -eq 0 ] || head -c $((4 - n)) /dev/zero
}
entry() { # entry NAME MODE SIZE RDEVMAJ RDEVMIN
	ino=$((ino + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$ino" "$2" 0 0 1 0 "$3" 0 0 "$4" "$5" $((${#1} + 1)) 0
	printf '%s\000' "$1"
	pad4 $((110 + ${#1} + 1))
}
file() { # file NAME MODE PATH
	size=$(($(wc -c <"$3") + 0))
	entry "$1" "$2" "$size" 0 0
	cat "$3"
	pad4 "$size"
}

cat >"$W/init" <<'INIT'
#!/bin/sh
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sysfs /sys
hex() { # hex NAME FILE: the file's bytes, 16 hex pairs a line
	echo "@@begin $1"
	$bb od -An -v -tx1 "$2"
	echo "@@end $1"
}
for d in /sys/bus/pci/devices/*; do
	n=${d##*/}
	hex "pci/$n.config" "$d/config"
	echo "@@begin pci/$n.resource"
	$bb cat "$d/resource"
	echo "@@end pci/$n.resource"
done
for t in /sys/firmware/acpi/tables/*; do
	[ -f "$t" ] && hex "acpi/${t##*/}" "$t"
done
echo "@@begin version"
$bb uname -r
echo "@@end version"
echo "@@done"
$bb poweroff -f
INIT

initrd=$W/capture.cpio
{
	entry . 040755 0 0 0
	for d in bin dev proc sys; do entry "$d" 040755 0 0 0; done
	entry dev/console 020600 0 5 1
	file bin/busybox 0100755 "$bb"
	entry bin/sh 0120777 7 0 0
	printf busybox
	pad4 7
	file init 0100755 "$W/init"
	entry TRAILER!!! 0 0 0 0
} >"$initrd"

for d in disk scratch extra; do
	rm -f "$W/$d.img"
	truncate -s 16M "$W/$d.img"
done

# The command line of Keel's QEMU tests (tests/qemu/lib.sh) with the disk
# modern-only and a second, scratch disk.
common="-cpu max -m 256M -smp 2 -display none -monitor none -no-reboot
 -device isa-debug-exit,iobase=0xf4,iosize=0x04
 -drive file=$W/disk.img,if=none,id=disk,format=raw
 -device virtio-blk-pci,disable-legacy=on,drive=disk
 -drive file=$W/scratch.img,if=none,id=scratch,format=raw
 -device virtio-blk-pci,disable-legacy=on,drive=scratch"
numa="-object memory-backend-ram,id=m0,size=128M
 -object memory-backend-ram,id=m1,size=128M
 -numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1,cpus=1,memdev=m1
 -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,slot=1
 -drive file=$W/extra.img,if=none,id=extra,format=raw
 -device virtio-blk-pci,disable-legacy=on,drive=extra,bus=rp1
 -device pcie-pci-bridge,id=br1,bus=pcie.0"

# capture NAME QEMU-OPTIONS...: boot, then unpack the dumps into NAME/.
capture() {
	name=$1
	shift
	log=$W/$name.log
	echo "capture.sh: booting $name" >&2
	# shellcheck disable=SC2086
	timeout "$TIMEOUT" "$QEMU" "$@" -serial "file:$log" \
		-kernel "$W/vmlinuz" -initrd "$initrd" \
		-append "console=ttyS0 quiet loglevel=0 panic=-1" </dev/null ||
		die "QEMU failed for $name (serial log $log)"
	tr -d '\r' <"$log" >"$log.txt"
	grep -q '^@@done$' "$log.txt" || die "$name: the dump did not finish (serial log $log)"
	out=$here/$name
	rm -rf "$out" "$W/$name.unpack"
	mkdir -p "$out/acpi" "$W/$name.unpack"
	# pci.txt: per function "function BB:DD.F", "config", its bytes as
	# hex, "resource", the sysfs resource lines (start end flags), "end".
	awk -v out="$out/pci.txt" -v name="$name" '
		BEGIN { print "# PCI functions of the " name " machine (capture.sh)" > out }
		/^@@begin pci\/.*\.config$/ {
			fn = substr($0, 18); sub(/\.config$/, "", fn)
			print "function " fn > out; print "config" > out; on = 1; next
		}
		/^@@begin pci\/.*\.resource$/ { print "resource" > out; on = 1; next }
		/^@@end pci\/.*\.resource$/ { print "end" > out; on = 0; next }
		/^@@end / { on = 0; next }
		on { print > out }
	' "$log.txt"
	awk -v dir="$W/$name.unpack" '
		/^@@begin acpi\// { f = dir "/" substr($0, 14); next }
		/^@@end / { if (f != "") close(f); f = ""; next }
		f != "" { print > f }
	' "$log.txt"
	for f in "$W/$name.unpack"/*; do
		"$bb" xxd -r -p "$f" >"$out/acpi/${f##*/}.dat"
	done
	echo "capture.sh: $name: $(grep -c '^function' "$out/pci.txt") PCI functions," \
		"tables: $(ls "$out/acpi" | tr '\n' ' ')" >&2
}

# shellcheck disable=SC2086
capture pc -M pc $common
# shellcheck disable=SC2086
capture q35 -M q35 $common
# shellcheck disable=SC2086
capture q35-numa -M q35 $common $numa
"$QEMU" --version | head -n 1 >"$here/qemu-version"
