#!/bin/sh
# Power through topod on pc and q35: with initd.power=off initd asks topod
# for the power capability once all services are up and topod writes ACPI
# S5 (from the FADT and the DSDT's \_S5_): QEMU exits by itself, status 0,
# without the debug-exit device. initd.power=reset resets the machine
# (FADT reset register on q35, the i8042 on pc), which -no-reboot also
# turns into QEMU exiting.
. tests/qemu/lib.sh

for machine in pc q35; do
	MACHINE=$machine SMP=2 keel_boot "initd.power=off" 60
	check_status "$machine: QEMU exits on ACPI power-off" 0
	check_log "$machine: topod powers off" 'topod: power off[[:space:]]*$'
	check_no_log "$machine: initd did not see it fail" 'initd: power off failed'
	MACHINE=$machine SMP=2 keel_boot "initd.power=reset" 60
	check_status "$machine: QEMU exits on reset (-no-reboot)" 0
	check_log "$machine: topod resets" 'topod: power reset[[:space:]]*$'
	check_no_log "$machine: initd did not see it fail" 'initd: power reset failed'
done
finish
