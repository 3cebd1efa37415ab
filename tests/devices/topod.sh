#!/bin/sh
# topod on -M pc and -M q35: it finds the machine (PCI through the legacy
# ports or ECAM), logs its registry (the boot disk, the serial port, every
# CPU with its class), and hands the disk's function to its driver,
# devclient, which checks what it got and what it may not do.
. tests/qemu/lib.sh

for machine in pc q35; do
	MACHINE=$machine SMP=2 keel_boot "initd.boot=boot-devices.manifest initd.test=up" 60
	via=ports; [ $machine = q35 ] && via=ECAM
	check_log "$machine: topod counts the devices" "topod: [0-9]+ devices \([0-9]+ PCI functions via $via"
	check_log "$machine: the boot disk" 'topod: boot disk [0-9a-f:.]+ 1af4:1042'
	check_log "$machine: the serial port" 'topod: legacy uart0 ports 0x3f8-0x3ff irq 4'
	check_log "$machine: cpu 0 with its class" 'topod: cpu 0 apic 0 (Apex|Forge|Mill|Ember)'
	check_log "$machine: cpu 1 with its class" 'topod: cpu 1 apic 1 (Apex|Forge|Mill|Ember)'
	check_log "$machine: the power tables" 'topod: power off ACPI S5'
	check_log "$machine: the driver's checks pass" 'devclient: [1-9][0-9]* passed, 0 failed'
	check_log "$machine: topod reports the refused read" 'topod: refused: the driver of .* read 00:00.0'
	check_log "$machine: the boot completes" "initd: all services up \\(3\\)"
	check_log "$machine: initd's status scenario passes" "initd: up: [1-9][0-9]* passed, 0 failed"
	check_status "$machine: Keel powers off cleanly" 1
	check_no_log "$machine: nothing faulted" 'CPU exception|PANIC'
done

# A legacy device has one driver: kbd1 and kbd2 (echo's code) both say
# `device legacy i8042`; topod hands the i8042 to kbd1 and refuses kbd2,
# which initd then does not start. initd kills kbd1 three times: each
# restart gets the i8042 again, and nothing of the old hand-outs is left.
MACHINE=pc keel_boot "initd.boot=boot-legacy.manifest initd.kill=kbd1:3" 25
check_log "legacy: kbd1 is started with the i8042" 'initd: kbd1 starts'
check_no_log "legacy: kbd1 always gets it" 'initd: kbd1: no device'
check_log "legacy: kbd1's restarts leave nothing behind" \
	'initd: killed kbd1 3 times; kernel objects ([0-9]+) after the first restart, \1 after'
check_log "legacy: topod refuses the second claim" \
	'topod: refused: i8042 is held by driver slot 1, wanted by slot 2 \(BUSY\)'
check_log "legacy: initd says why kbd2 does not start" \
	'initd: kbd2: no device legacy i8042 from topod: BUSY'
check_no_log "legacy: nothing faulted" 'CPU exception|PANIC'
finish
