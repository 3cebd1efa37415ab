/*
 * layout.h - the kernel's virtual and physical address layout on x86-64.
 *
 * Shared by assembly, the linker script (through the C preprocessor) and C.
 * The kernel image is loaded at KERNEL_PHYS and runs at KERNEL_VMA + its
 * physical address: the top 2 GiB, as the kernel code model requires.
 */
#ifndef KEEL_ARCH_X86_64_LAYOUT_H
#define KEEL_ARCH_X86_64_LAYOUT_H

#define KERNEL_PHYS 0x100000
#define KERNEL_VMA 0xffffffff80000000
#define KERNEL_BOOT_STACK_SIZE 16384

#endif
