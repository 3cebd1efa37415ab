#!/bin/sh
# Every CPU comes online and runs a thread pinned to it, with 4, 1 and 8 CPUs.
. tests/qemu/lib.sh
selftest smp 4
check_log "4 CPUs online" '^smp: 4 of 4 CPUs online'
for cpu in 0 1 2 3; do
	check_log "cpu $cpu reports online" "^selftest: cpu $cpu online"
done
check_log "timer calibrated" '^timer: TSC [0-9]+ kHz'
check_log "IO APIC found and masked" '^apic: IO APIC [0-9]+ at 0x[0-9a-f]+'
selftest smp 1
check_log "1 CPU online" '^smp: 1 of 1 CPUs online'
selftest smp 8 180
check_log "8 CPUs online" '^smp: 8 of 8 CPUs online'
finish
