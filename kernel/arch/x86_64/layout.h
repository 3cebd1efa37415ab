/*
 * layout.h - the kernel's virtual and physical address layout on x86-64.
 *
 * Shared by assembly, the linker script (through the C preprocessor) and C.
 *
 *   0x0000000000000000 - 0x00007fffffffffff  user space (lower half)
 *   0xffff800000000000 (PML4 slot 256)         direct map of physical memory
 *   0xffffc00000000000 (PML4 slot 384)         device (MMIO) mappings, uncached
 *   0xffffff0000000000 (PML4 slot 510)         kernel stacks, each under a guard gap
 *   0xffffffff80000000 (PML4 slot 511)         the kernel image (KERNEL_VMA + phys)
 *
 * The kernel image is loaded at KERNEL_PHYS; the kernel code model needs
 * it in the top 2 GiB.
 */
#ifndef KEEL_ARCH_X86_64_LAYOUT_H
#define KEEL_ARCH_X86_64_LAYOUT_H

#define KERNEL_PHYS 0x100000
#define KERNEL_VMA 0xffffffff80000000
#define KERNEL_BOOT_STACK_SIZE 16384

#define DIRECT_MAP_BASE 0xffff800000000000
#define MMIO_BASE 0xffffc00000000000
#define MMIO_SIZE 0x0000004000000000 /* 256 GiB window */
#define KSTACK_AREA 0xffffff0000000000

/* A kernel stack slot: KSTACK_SIZE mapped at the top, the rest a guard gap. */
#define KSTACK_SIZE 16384
#define KSTACK_SLOT_SIZE 32768
#define KSTACK_SLOTS 4096

/* The AP start-up trampoline runs from this low page (reserved at boot). */
#define TRAMPOLINE_PHYS 0x8000

#endif
