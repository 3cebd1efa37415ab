#!/bin/sh
# Deliberate kernel faults (keel.test=...) must produce a full report on the
# serial console and a clean stop, never a reset or a hang.
. tests/qemu/lib.sh

keel_boot "keel.test=pagefault" 60
check_status "page fault stops the machine as a panic" 3
check_log "page fault vector and name" 'CPU exception 14 \(#PF page fault\), error code 0x2'
check_log "faulting address and access" 'page not present, write, kernel mode, address cr2=0xffff8000dead0000'
check_log "instruction pointer in the kernel" 'rip=0xffffffff8[0-9a-f]+'
check_log "general registers dumped" 'rax=[0-9a-f]{16} rbx=[0-9a-f]{16}'
check_log "control registers dumped" 'cr0=0x[0-9a-f]+ cr3=0x[0-9a-f]+ cr4=0x'
check_log "backtrace printed" '#0 0xffffffff8[0-9a-f]+'
check_log "stop names the CPU" 'Keel stopped: cpu 0'
check_no_log "nothing ran past the fault" '^selftest: (PASS|FAIL)'

keel_boot "keel.test=ud" 60
check_status "invalid opcode stops the machine as a panic" 3
check_log "invalid opcode reported" 'CPU exception 6 \(#UD invalid opcode\)'

keel_boot "keel.test=stackoverflow" 60
check_status "kernel stack overflow stops the machine as a panic" 3
check_log "overflow is caught by the guard gap" 'kernel stack guard gap: stack overflow'
check_log "the overflowing thread is named" 'thread selftest'

keel_boot "keel.test=panic" 60
check_status "panic stops the machine" 3
check_log "panic message printed" 'KERNEL PANIC on cpu 0: deliberate panic'
check_log "panic names the thread" '^  thread selftest \(id [0-9]+\)'
check_log "panic dumps registers" 'r15=[0-9a-f]{16} rsp=[0-9a-f]{16} rbp=[0-9a-f]{16}'
check_log "panic prints a backtrace" '#0 0xffffffff8[0-9a-f]+'
keel_boot "keel.test=poison" 60
check_status "a write to a freed pool object stops the machine as a panic" 3
check_log "the panic names the pool and the word" 'KERNEL PANIC on cpu 0: pool device: object [0-9]+ was written after it was freed \(byte [0-9]+ holds 0x57a1e\)'
check_no_log "the write is caught when the object is reused" 'was not caught'
finish
