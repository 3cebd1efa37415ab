#!/bin/sh
# abi_soak.sh [RUNS] - the kernel ABI's tests (tests/qemu/abi.sh's kabi
# boots) at -smp 1, 2, 4 and 8, RUNS times in a row (default 3): what a
# change to the kernel's locking must pass before it lands. Not in `ninja
# test` (about 10 minutes a run on 2 host cores); abi.sh there runs each
# test once, the concurrency ones at 1 and 8 CPUs too.
#
#   sh tests/qemu/abi_soak.sh 5
. tests/qemu/lib.sh

runs=${1:-3}

kabi() {
	SMP=$2 keel_boot "keel.init=kabi-root kabi.test=$1 ${4:-}" "$3"
	check_status "run $run: $1 (smp $2): root exits with 0 and Keel powers off" 1
	check_log "run $run: $1 (smp $2): reports no failures" "kabi: $1: [1-9][0-9]* passed, 0 failed"
	check_no_log "run $run: $1 (smp $2): has no failed check" 'kabi: FAIL'
}

run=1
while [ "$run" -le "$runs" ]; do
	for smp in 1 2 4 8; do
		for t in pingpong nocap badge revoke fault shm timer witness cpuload harden pools; do
			kabi "$t" "$smp" 300
		done
		kabi fuzz "$smp" 900
		kabi adversary "$smp" 900 "kabi.ops=${KABI_ADV_OPS:-3000}"
		kabi pairs "$smp" 600
	done
	run=$((run + 1))
done
finish
