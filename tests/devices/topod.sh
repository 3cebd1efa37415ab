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
	check_log "$machine: the serial port" 'topod: legacy serial ports 0x3f8-0x3ff irq 4'
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
finish
