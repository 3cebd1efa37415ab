#!/bin/sh
# blkd on the boot disk and blkd2 on a scratch disk, both modern-only
# virtio-blk: blkcheck (partition 1 of the boot disk) prints the FAT boot
# sector, which must match the image byte for byte, and checks the
# protocol's errors; blkstress writes 64 MiB of known data in random-sized
# requests to the scratch disk and reads it back; after QEMU exits the
# host checks every byte of the scratch disk file.
. tests/qemu/lib.sh

scratch=$work/scratch.img
truncate -s 80M "$scratch"
for machine in ${MACHINES:-pc q35}; do
	rm -f "$scratch" && truncate -s 80M "$scratch"
	MACHINE=$machine SMP=2 keel_boot "initd.boot=boot-blk.manifest initd.test=up" 300 \
		-drive "file=$scratch,if=none,id=scratch,format=raw,cache=unsafe" \
		-device virtio-blk-pci,drive=scratch,disable-legacy=on
	check_log "$machine: blkd is ready" '^\[task [0-9]+\] blkd: ready'
	check_log "$machine: blkd finds the boot disk's partition" 'blkd: partition 1: blocks 2048-'
	check_log "$machine: blkcheck's checks pass" 'blkcheck: [1-9][0-9]* passed, 0 failed'
	check_log "$machine: blkstress reads back what it wrote" \
		'blkstress: wrote 64 MiB .*: 0 bad blocks, [0-9]+ retries, OK'
	check_log "$machine: the boot completes" 'initd: all services up \(6\)'
	check_status "$machine: Keel powers off cleanly" 1
	if python3 tests/devices/blkverify.py sector "$work/disk.img" "$log"; then
		pass "$machine: the boot sector matches the image byte for byte"
	else
		fail "$machine: the boot sector differs from the image"
	fi
	if python3 tests/devices/blkverify.py scratch "$scratch"; then
		pass "$machine: the scratch disk holds the 64 MiB written"
	else
		fail "$machine: the scratch disk differs from the data written"
	fi
done
finish
