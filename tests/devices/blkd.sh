#!/bin/sh
# blkd on the boot disk and blkd2 on a scratch disk, both modern-only
# virtio-blk: blkcheck (partition 1 of the boot disk) prints the FAT boot
# sector, which must match the image byte for byte, and checks the
# protocol's errors; blkstress writes 64 MiB of known data in random-sized
# requests to the scratch disk and reads it back (both drivers on MSI-X;
# then again with a scratch disk without it); after QEMU exits the
# host checks every byte of the scratch disk file. Then, on pc, initd
# kills blkd2 100 times during the workload (initd.kill): blkstress's
# requests fail retryably, its block client sends them again to the new
# blkd2, and the disk still holds exactly the data written.
. tests/qemu/lib.sh

scratch=$work/scratch.img

# run_until MACHINE ARGS PATTERN SECONDS: boots with the scratch disk until
# the serial log matches PATTERN (or the time is up), then stops QEMU.
run_until() {
	rm -f "$scratch" "$work/qemu.pid" "$log" && truncate -s 80M "$scratch"
	MACHINE=$1 SMP=2 keel_boot "$2" "$4" \
		-drive "file=$scratch,if=none,id=scratch,format=raw,cache=unsafe" \
		-device "virtio-blk-pci,drive=scratch,disable-legacy=on${SCRATCH_OPTS:-}" \
		-pidfile "$work/qemu.pid" > "$work/boot.out" 2>&1 &
	boot=$!
	while kill -0 "$boot" 2> /dev/null; do
		if grep -Eq -- "$3" "$log" 2> /dev/null; then
			sleep 1
			[ -s "$work/qemu.pid" ] && kill "$(cat "$work/qemu.pid")" 2> /dev/null
			break
		fi
		sleep 1
	done
	wait "$boot"
	cat "$work/boot.out"
}

# check_count NAME N REGEX: exactly N lines of the serial log match REGEX.
check_count() {
	n=$(grep -Ec -- "$3" "$log")
	if [ "$n" -eq "$2" ]; then pass "$1"; else fail "$1: $n lines, not $2, match /$3/"; fi
}

verify_scratch() {
	if python3 tests/devices/blkverify.py scratch "$scratch"; then
		pass "$1: the scratch disk holds the 64 MiB written"
	else
		fail "$1: the scratch disk differs from the data written"
	fi
}

for machine in ${MACHINES:-pc q35}; do
	run_until $machine "initd.boot=boot-blk.manifest" 'blkstress: wrote|PANIC' 300
	check_log "$machine: blkd is ready" '^\[task [0-9]+\] blkd: ready'
	check_log "$machine: blkd finds the boot disk's partition" 'blkd: partition 1: blocks 2048-'
	check_log "$machine: blkcheck's checks pass" 'blkcheck: [1-9][0-9]* passed, 0 failed'
	check_log "$machine: blkstress reads back what it wrote" \
		'blkstress: wrote 64 MiB .*: 0 bad blocks, [0-9]+ retries, [0-9]+ rounds, OK'
	check_log "$machine: the boot completes" 'initd: all services up \(6\)'
	check_count "$machine: blkd and blkd2 take MSI-X vectors" 2 \
		'blkd: MSI-X: configuration on entry 0, queue 0 on entry 1'
	check_no_log "$machine: no blkd falls back to INTx" 'blkd: no MSI-X'
	check_no_log "$machine: nothing faulted" 'CPU exception|PANIC'
	if python3 tests/devices/blkverify.py sector "$work/disk.img" "$log"; then
		pass "$machine: the boot sector matches the image byte for byte"
	else
		fail "$machine: the boot sector differs from the image"
	fi
	verify_scratch $machine
done

# Without MSI-X (vectors=0: the scratch disk's function has no MSI-X
# capability) blkd2 says so and falls back to the INTx line and its poll
# timer, on q35 too, where the line topod hands out never fires.
for machine in ${MACHINES:-pc q35}; do
	SCRATCH_OPTS=,vectors=0 run_until $machine "initd.boot=boot-blk.manifest" \
		'blkstress: wrote|PANIC' 300
	check_count "$machine, no MSI-X: blkd2 falls back to INTx" 1 \
		'blkd: no MSI-X \(vectors: NOT_FOUND\): the INTx line and a poll timer'
	check_log "$machine, no MSI-X: blkstress reads back what it wrote" \
		'blkstress: wrote 64 MiB .*: 0 bad blocks, [0-9]+ retries, [0-9]+ rounds, OK'
	verify_scratch "$machine, no MSI-X"
done

run_until pc "initd.boot=boot-blk.manifest initd.kill=blkd2:100" 'blkstress: wrote|PANIC' 600
check_log "kill: initd killed blkd2 100 times" 'initd: killed blkd2 100 times'
check_log "kill: blkstress's data survives every restart" \
	'blkstress: wrote 64 MiB .*: 0 bad blocks, [1-9][0-9]* retries, [0-9]+ rounds, OK'
check_no_log "kill: nothing faulted" 'CPU exception|PANIC'
# Each death: topod turns bus mastering off before the dead instance's DMA
# pages, vectors and BARs go, and the next instance finds it off; every
# instance gets fresh vectors, and the old ones are freed (topod holds 2,
# blkd's, at each death; the kernel's object count is the same after the
# last restart as after the first).
check_count "kill: topod stopped the function at each death" 100 \
	'topod: 00:05.0 driver gone: command 0x[0-9a-f]+ -> 0x[0-9a-f]+ \(bus mastering off\), 2 vectors and [1-9][0-9]* DMA pages freed, 2 vectors held'
check_no_log "kill: no instance found bus mastering on" 'bus mastering ON'
check_count "kill: every instance took MSI-X vectors" 102 \
	'blkd: MSI-X: configuration on entry 0, queue 0 on entry 1'
check_no_log "kill: no instance fell back to INTx" 'blkd: no MSI-X'
# Objects made once at boot may still be going away at the first restart,
# so the count may fall; it must not grow (a leak per kill would show as
# 100 more).
objs=$(sed -n 's/.*initd: killed blkd2 100 times; kernel objects \([0-9]*\) after the first restart, \([0-9]*\) after the last.*/\1 \2/p' "$log" | head -n 1)
if [ -n "$objs" ] && [ "${objs#* }" -le "${objs% *}" ]; then
	pass "kill: kernel objects no more than after the first restart ($objs)"
else
	fail "kill: kernel objects grew: $(grep -E 'initd: killed blkd2' "$log")"
fi
verify_scratch kill
finish
