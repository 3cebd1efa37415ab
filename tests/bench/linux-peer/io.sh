#!/bin/sh
# io.sh MODE WORKLOAD DISK - one run of the Linux peer's I/O figures
# (tests/bench/io.sh calls it; see README.md).
#   MODE      icount (-icount shift=0,sleep=off) or wall (no icount)
#   WORKLOAD  blk: dd on the whole disk, 64 MiB written then read with
#             oflag=direct / iflag=direct, bs=4k then bs=128k;
#             fs: io fs on the disk's partition 1 mounted as vfat
#   DISK      a raw disk file, attached as the only virtio-blk disk,
#             modern-only, cache=unsafe (the same options as Keel's scratch disk)
# Prints linux.NAME_ns and linux.NAME_insns lines (tests/bench/linux-peer/io.c).
# Linux 6.1 (Debian's, pinned: fetch.sh) boots from an initramfs with
# busybox, io, and the modules the disk needs, taken from the pinned
# linux-image package (uncompressed .ko in Debian 12; busybox insmod).
# One CPU (-smp 1): the idle time Linux reports is then all skipped time.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
B=${PEER_BUILD:-$root/build/peer}
QEMU=${QEMU:-qemu-system-x86_64}
MUSL_GCC=${MUSL_GCC:-musl-gcc}
mode=$1 workload=$2 disk=$3

die() {
	echo "linux-peer/io.sh: $*" >&2
	exit 1
}
case $mode in icount | wall) ;; *) die "MODE is icount or wall, not '$mode'" ;; esac
case $workload in blk | fs) ;; *) die "WORKLOAD is blk or fs, not '$workload'" ;; esac
sh "$here/fetch.sh" "$B" >&2 || die "fetching the peer's packages failed"
mkdir -p "$B"
W="$B/io.$$"
rm -rf "$W"
mkdir -p "$W/mod"
trap 'rm -rf "$W"' EXIT

"$MUSL_GCC" -static -O2 -Wall -I"$here/../io" -o "$W/io" "$here/io.c" "$here/../io/fsbench.c" ||
	die "building io.c with $MUSL_GCC failed"

# The modules, in load order, from the pinned package fetch.sh checked.
kver=6.1.0-56-amd64
mods="drivers/virtio/virtio_ring.ko drivers/virtio/virtio.ko
drivers/virtio/virtio_pci_modern_dev.ko drivers/virtio/virtio_pci_legacy_dev.ko
drivers/virtio/virtio_pci.ko drivers/block/virtio_blk.ko fs/fat/fat.ko fs/fat/vfat.ko
fs/nls/nls_cp437.ko fs/nls/nls_utf8.ko"
deb=$(ls "$B"/linux-image-"$kver"_*.deb)
paths=
for m in $mods; do paths="$paths ./lib/modules/$kver/kernel/$m"; done
# shellcheck disable=SC2086
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$W/mod" $paths || die "no modules in $deb"

# newc cpio, as run.sh writes it.
. "$here/cpio.sh"

cat > "$W/init" << 'EOF2'
#!/bin/busybox sh
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sysfs /sys
$bb mount -t devtmpfs devtmpfs /dev
echo
rc=0
for m in /lib/mod/*.ko; do $bb insmod "$m" || { echo "linux-peer: insmod $m failed"; rc=1; }; done
/bin/io idle
n=16384
if [ "$peer_io" = blk ]; then
	# What starting dd costs, for io.sh to take off (count=0 moves nothing).
	/bin/io run blk_none /bin/busybox dd if=/dev/vda of=/dev/null bs=4k count=0 iflag=direct status=none || rc=1
	for bs in 4 128; do
		n=$((65536 / bs))
		/bin/io run blk_write_${bs}k /bin/busybox dd if=/dev/zero of=/dev/vda bs=${bs}k count=$n oflag=direct status=none || rc=1
		/bin/io run blk_read_${bs}k /bin/busybox dd if=/dev/vda of=/dev/null bs=${bs}k count=$n iflag=direct status=none || rc=1
	done
else
	$bb mkdir -p /mnt
	$bb mount -t vfat -o codepage=437,iocharset=utf8 /dev/vda1 /mnt || rc=1
	/bin/io fs /mnt/bench || rc=1
	$bb umount /mnt || rc=1
fi
echo "linux-peer: done rc=$rc"
$bb poweroff -f
EOF2

{
	for d in . bin dev proc sys lib lib/mod mnt; do entry "$d" 040755 0 0 0; done
	file bin/busybox 0100755 "$B/busybox"
	symlink bin/sh busybox
	file bin/io 0100755 "$W/io"
	i=0
	for m in $mods; do
		i=$((i + 1))
		file "lib/mod/$(printf %02d $i)-${m##*/}" 0100644 "$W/mod/lib/modules/$kver/kernel/$m"
	done
	file init 0100755 "$W/init"
	entry TRAILER!!! 0 0 0 0
} > "$W/initramfs.cpio"

icount=
[ "$mode" = icount ] && icount="-icount shift=0,sleep=off"
set +e
# shellcheck disable=SC2086
timeout "${PEER_TIMEOUT:-900}" "$QEMU" -accel tcg,thread=single -M pc -cpu max -m 256M -smp 1 \
	$icount -nographic -no-reboot -kernel "$B/vmlinuz" -initrd "$W/initramfs.cpio" \
	-append "console=ttyS0 quiet panic=-1 peer_io=$workload" \
	-drive "file=$disk,if=none,id=scratch,format=raw,cache=unsafe" \
	-device virtio-blk-pci,drive=scratch,disable-legacy=on < /dev/null > "$W/serial.log" 2>&1
qrc=$?
set -e
tr -d '\r' < "$W/serial.log" > "$B/io-serial.log"
grep -q '^linux-peer: done rc=0$' "$B/io-serial.log" || {
	tail -n 30 "$B/io-serial.log" >&2
	die "the peer's $workload run ($mode) failed (QEMU status $qrc); log: $B/io-serial.log"
}
grep '^io: ' "$B/io-serial.log" | sed 's/^/# /'
grep '^linux\.[a-z0-9_]*=' "$B/io-serial.log"
