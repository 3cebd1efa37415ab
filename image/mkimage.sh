#!/bin/sh
# mkimage.sh - build Keel's bootable disk image without root or loop devices.
#
#   mkimage.sh OUT KERNEL GRUB_DIR GRUB_MKIMAGE WORKDIR BUNDLE [APP...]
#
# Layout: MBR (GRUB boot.img in its first 440 bytes, one partition entry),
# GRUB core.img from sector 1, and from 1 MiB a FAT32 system partition with
# /boot/grub/grub.cfg, /boot/keel.elf, the boot bundle /boot/bundle.tar
# and /apps holding each APP (programs initd launches from the disk).
# Every input that could vary between builds is fixed (volume id,
# timestamps, disk id, file order), so the same sources give a
# byte-identical image.
set -eu

out=$1 kernel=$2 grub_dir=$3 grub_mkimage=$4 work=$5 bundle=$6
shift 6
here=$(dirname "$0")

part_start=2048            # sectors: the partition starts at 1 MiB
part_sectors=131072        # 64 MiB system partition
disk_id=0x4b45454c         # "KEEL"
export SOURCE_DATE_EPOCH=946684800  # 2000-01-01, the FAT epoch's first safe year
export MTOOLS_SKIP_CHECK=1

rm -rf "$work"
mkdir -p "$work"

# GRUB core image: BIOS disk access, MBR partitions, FAT, multiboot2 and
# normal mode for grub.cfg. It must fit in the gap before the partition.
# Its embedded configuration (grub-early.cfg) sends GRUB's output to the
# serial line too (a plain terminal: no escape sequences), so that what it
# prints reaches the serial console and the tests' logs, finds the system
# partition and lets normal mode read $prefix/grub.cfg there. That file
# holds only commands: the rescue-mode parser that reads it takes no
# comments.
"$grub_mkimage" -O i386-pc -d "$grub_dir" -c "$here/grub-early.cfg" \
	-p '(hd0,msdos1)/boot/grub' -o "$work/core.img" \
	biosdisk part_msdos fat normal multiboot2 boot configfile echo test serial terminal terminfo \
	halt
core_bytes=$(wc -c < "$work/core.img")
if [ "$core_bytes" -gt $(( (part_start - 1) * 512 )) ]; then
	echo "mkimage: core.img is $core_bytes bytes, too big for the boot gap" >&2
	exit 1
fi

# The FAT32 system partition, filled in a fixed order with fixed times.
truncate -s $((part_sectors * 512)) "$work/part.img"
mkfs.fat --invariant -F 32 -n KEEL -i 4b45454c "$work/part.img" > /dev/null
mkdir "$work/files"
cp "$here/grub.cfg" "$work/files/grub.cfg"
cp "$kernel" "$work/files/keel.elf"
cp "$bundle" "$work/files/bundle.tar"
touch -d "@$SOURCE_DATE_EPOCH" "$work/files/grub.cfg" "$work/files/keel.elf" "$work/files/bundle.tar"
mmd -i "$work/part.img" ::/boot ::/boot/grub
mcopy -m -i "$work/part.img" "$work/files/grub.cfg" ::/boot/grub/grub.cfg
mcopy -m -i "$work/part.img" "$work/files/keel.elf" ::/boot/keel.elf
mcopy -m -i "$work/part.img" "$work/files/bundle.tar" ::/boot/bundle.tar
mmd -i "$work/part.img" ::/apps
for app in "$@"; do
	cp "$app" "$work/files/app"
	touch -d "@$SOURCE_DATE_EPOCH" "$work/files/app"
	mcopy -m -i "$work/part.img" "$work/files/app" "::/apps/$(basename "$app")"
done

# The whole disk: partition table, boot code, core image, partition.
truncate -s $(((part_start + part_sectors) * 512)) "$work/disk.img"
printf 'label: dos\nlabel-id: %s\nunit: sectors\nstart=%d, size=%d, type=c, bootable\n' \
	"$disk_id" "$part_start" "$part_sectors" | sfdisk --quiet "$work/disk.img"
dd if="$grub_dir/boot.img" of="$work/disk.img" bs=440 count=1 conv=notrunc status=none
dd if="$work/core.img" of="$work/disk.img" bs=512 seek=1 conv=notrunc status=none
dd if="$work/part.img" of="$work/disk.img" bs=512 seek=$part_start conv=notrunc status=none
mv "$work/disk.img" "$out"
