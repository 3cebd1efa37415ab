/*
 * boot.S - multiboot2 header and the 32-bit entry that reaches long mode.
 *
 * GRUB jumps to boot_entry in 32-bit protected mode with paging off,
 * EAX = multiboot2 magic and EBX = physical address of the boot
 * information. This code runs at its physical (load) address: it checks
 * for a 64-bit CPU, builds temporary page tables that map the first 1 GiB
 * at 0, at DIRECT_MAP_BASE and at KERNEL_VMA, enables long mode with NX, and jumps to
 * kernel_entry64 in the higher half. Everything it touches is in the
 * .boot sections, linked at physical addresses.
 */
#include "arch/x86_64/layout.h"

#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_ARCH_I386    0
#define COM1             0x3f8

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* Information request: memory map, modules, ACPI RSDP, framebuffer info. */
	.balign 8
	.word 1, 0
	.long 8 + 4 * 4
	.long 6, 3, 14, 15
	/* Modules page-aligned, so the kernel can map or free them by page. */
	.balign 8
	.word 6, 0
	.long 8
	/* End tag. */
	.balign 8
	.word 0, 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl boot_entry
boot_entry:
	cli
	cld
	mov $boot_stack_top, %esp
	mov %eax, boot_magic            /* first argument of kernel_main */
	mov %ebx, %esi                  /* boot info, second argument */
	rdtsc                           /* guest instructions since reset under icount */
	mov %eax, boot_tsc
	mov %edx, boot_tsc + 4

	/* Long mode needs CPUID leaf 0x80000001 with the LM bit. */
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb no_long_mode
	mov $0x80000001, %eax
	cpuid
	bt $29, %edx
	jnc no_long_mode

	/* The tables live in .boot.bss; do not rely on the loader zeroing it. */
	mov $boot_pml4, %edi
	xor %eax, %eax
	mov $(4 * 4096 / 4), %ecx
	rep stosl
	mov boot_magic, %edi

	/* PD: 512 x 2 MiB pages covering [0, 1 GiB), present + writable + large. */
	mov $boot_pd, %ebx
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax
	mov %eax, (%ebx, %ecx, 8)
	movl $0, 4(%ebx, %ecx, 8)
	inc %ecx
	cmp $512, %ecx
	jne 1b

	/* The same 1 GiB at 0 (for this code) and at KERNEL_VMA (for the kernel). */
	mov $boot_pd + 3, %eax
	mov %eax, boot_pdpt_low
	mov %eax, boot_pdpt_high + 8 * 510
	mov $boot_pdpt_low + 3, %eax
	mov %eax, boot_pml4
	mov %eax, boot_pml4 + 8 * 256   /* and at DIRECT_MAP_BASE, for early page tables */
	mov $boot_pdpt_high + 3, %eax
	mov %eax, boot_pml4 + 8 * 511

	mov %cr4, %eax
	or $(1 << 5), %eax              /* PAE */
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx           /* EFER: long mode enable, no-execute enable */
	rdmsr
	or $((1 << 8) | (1 << 11)), %eax
	wrmsr
	mov %cr0, %eax
	or $((1 << 31) | (1 << 16) | 1), %eax /* paging, write-protect, protected mode */
	mov %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $boot_entry64

no_long_mode:
	mov $no_long_mode_msg, %esi
	mov $COM1, %dx
2:	lodsb
	test %al, %al
	jz 3f
	out %al, %dx
	jmp 2b
3:	hlt
	jmp 3b

	.code64
boot_entry64:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	movabs $kernel_entry64, %rax
	jmp *%rax

	.section .boot.data, "aw"
	.balign 8
	.globl boot_tsc
boot_tsc:
	.quad 0
boot_magic:
	.long 0
	.long 0
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code, ring 0 */
	.quad 0x00cf92000000ffff        /* 0x10: data, ring 0 */
boot_gdt_ptr:
	.word boot_gdt_ptr - boot_gdt - 1
	.long boot_gdt
no_long_mode_msg:
	.asciz "Keel: this CPU cannot run 64-bit code; halting.\r\n"

	.section .boot.bss, "aw", @nobits
	.balign 4096
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4096
	.skip 4096
boot_stack_top:

	/* Higher half from here on. */
	.text
	.globl kernel_entry64
kernel_entry64:
	movabs $kernel_boot_stack_top, %rsp
	xor %ebp, %ebp
	/* edi = magic and esi = boot info were set in 32-bit mode; upper halves are zero. */
	mov %edi, %edi
	mov %esi, %esi
	call kernel_main
4:	cli
	hlt
	jmp 4b

	.bss
	.balign 16
	.skip KERNEL_BOOT_STACK_SIZE
	.globl kernel_boot_stack_top
kernel_boot_stack_top:
