#!/bin/sh
# Boots the virtio-blk image and checks the kernel reports itself and its
# boot information, then powers off cleanly.
. tests/qemu/lib.sh
keel_boot "keel.test=boot" 60
check_status "powers off cleanly" 1
check_log "banner names Keel and its version" '^Keel [0-9]+\.[0-9]+\.[0-9]+ \(x86_64\)'
check_log "loader is GRUB" 'boot: loader "GRUB'
check_log "usable memory is reported" 'boot: [0-9]+ KiB usable memory'
check_log "memory map lists available RAM" 'memory 0x[0-9a-f]+-0x[0-9a-f]+ available'
check_log "ACPI RSDP is found" 'boot: ACPI (1\.0|2\.0\+) RSDP'
check_log "boot completes" '^Keel: boot complete'
check_no_log "no panic" 'PANIC'
check_no_log "the boot loader prints no error or warning" '(Unknown command|error:|warning:)'
# The kernel's fixed footprint: its bss (room for the boot CPU only; the
# others' state is allocated as they start) stays under 64 KiB.
bss=$(readelf -SW build/keel.elf |
	awk '{ for (i = 1; i < NF; i++) if ($i == ".bss") print $(i + 4) }')
if [ -n "$bss" ] && [ $((0x$bss)) -lt 65536 ]; then
	pass "the kernel's bss is under 64 KiB ($((0x$bss)) bytes)"
else
	fail "the kernel's bss is under 64 KiB: .bss size '$bss'"
fi
finish
