#!/bin/sh
# The kernel ABI seen from user space: the root task kabi-root (tests/kabi)
# runs one test per boot, chosen with kabi.test=NAME, and powers off with
# its verdict. With 2 CPUs; pingpong also with 1, 4 and 8 (the IPC path
# takes per-CPU locks); the adversaries, the fuzzer and the pairs also with
# 1 and 8. tests/qemu/abi_soak.sh runs them all at 1, 2, 4 and 8 CPUs, many
# times in a row.
. tests/qemu/lib.sh

# kabi NAME SMP SECONDS [ARGS [QEMU OPTIONS]]: boot kabi-root with
# kabi.test=NAME; check the verdict. Lines are not anchored: the kernel may
# prefix console lines with a task id.
kabi() {
	SMP=$2 keel_boot "keel.init=kabi-root kabi.test=$1 ${4:-}" "$3" ${5:-}
	check_status "$1 (smp $2): root exits with 0 and Keel powers off" 1
	check_log "$1 (smp $2): reports no failures" "kabi: $1: [1-9][0-9]* passed, 0 failed"
	check_no_log "$1 (smp $2): has no failed check" 'kabi: FAIL'
	check_no_log "$1 (smp $2): no thread of the root task faults" \
		'^task 1 thread [0-9]+: CPU exception|^Keel: root task faulted'
}

kabi pingpong 2 120
kabi pingpong 1 120
kabi pingpong 4 120
kabi pingpong 8 120
kabi nocap 2 120
kabi badge 2 120
kabi revoke 2 120
kabi fault 2 120
kabi shm 2 120
kabi cycles 2 900
kabi fuzz 2 900
kabi fuzz 1 300
kabi fuzz 8 300
# The timers' lateness in guest time (-icount): what the kernel does, not
# how busy the host is (TCG's clock is the host's).
kabi timer 2 120 "" "-icount shift=0,sleep=off"
kabi timer 4 120 "" "-icount shift=0,sleep=off"
kabi witness 2 120
kabi cpuload 1 120
kabi cpuload 2 120
kabi cpuload 4 120
kabi devices 2 120
kabi msi 2 120
kabi msi 4 120
kabi harden 2 300
kabi pools 1 120
kabi pools 4 120
kabi demand 2 300
kabi demand 4 300
# A creation that needs the pages of an object just deleted waits for
# them (kernel/core/sys/syscall.c, memory_wait): on a machine small enough
# that memory, not the root's page quota, runs out.
kabi reclaim 1 120 "" "-m 64M"
kabi reclaim 2 120 "" "-m 64M"
kabi reclaim 4 120 "" "-m 64M"
kabi reclaim 8 120 "" "-m 64M"
# sys_task_stop: threads running on other CPUs, blocked in a wait, made
# while stopped; a task that stops itself; one killed while stopped.
kabi stop 1 120
kabi stop 2 120
kabi stop 4 120
kabi stop 8 120
# The adversaries: valid capability graphs worked by 12 threads at once.
# KABI_ADV_OPS=N runs N operations per thread instead of 3,000.
kabi adversary 4 600 "kabi.ops=${KABI_ADV_OPS:-3000}"
kabi adversary 1 300 "kabi.ops=${KABI_ADV_OPS:-3000}"
kabi adversary 8 300 "kabi.ops=${KABI_ADV_OPS:-3000}"
kabi bench 2 300
check_log "bench: same-CPU call round trip" 'bench: ipc_call_roundtrip_same_cpu_insns=[0-9]+'
check_log "bench: cross-CPU call round trip" 'bench: ipc_call_roundtrip_cross_cpu_insns=[0-9]+'
check_log "bench: same-CPU call round trip in registers" 'bench: ipc_call_regs_roundtrip_same_cpu_insns=[0-9]+'
check_log "bench: cross-CPU call round trip in registers" 'bench: ipc_call_regs_roundtrip_cross_cpu_insns=[0-9]+'
check_log "bench: same-CPU round trip in registers, a thread queued" 'bench: ipc_call_regs_roundtrip_same_cpu_queued_insns=[0-9]+'
check_log "bench: batched send" 'bench: ipc_send_batched_per_msg_insns=[0-9]+'
check_log "bench: batched send in registers" 'bench: ipc_send_regs_batched_per_msg_insns=[0-9]+'
check_log "bench: batched send in one call" 'bench: ipc_send_many_per_msg_insns=[0-9]+'
kabi pairs 4 600
check_log "pairs: 4 independent pairs measured" 'bench: pairs_4_ticks_per_roundtrip=[0-9]+'
kabi pairs 1 300
kabi pairs 8 300
check_log "pairs: 8 independent pairs measured" 'bench: pairs_8_ticks_per_roundtrip=[0-9]+'
finish
