/*
 * trampoline.S - where application processors start.
 *
 * The boot CPU copies the bytes between trampoline_start and
 * trampoline_end to TRAMPOLINE_PHYS and sends start-up IPIs to every AP
 * at once. An AP begins here in 16-bit real mode at TRAMPOLINE_PHYS, goes
 * straight to long mode on a small identity-mapped page table the boot
 * CPU prepared (tramp_cr3), finds its own struct cpu and stack by its
 * initial APIC id (CPUID leaf 1) in two tables of 256 entries at
 * tramp_table (cpu pointers, then stack tops), and jumps to tramp_entry
 * (ap_entry in the higher half) with its struct cpu as the argument. An AP
 * with no table entry halts. The code is copied, so every address here is
 * computed relative to TRAMPOLINE_PHYS.
 */
#include "arch/x86_64/layout.h"

#define T(x) ((x) - trampoline_start + TRAMPOLINE_PHYS)

	.section .rodata
	.balign 16
	.globl trampoline_start, trampoline_end, trampoline_params
trampoline_start:
	.code16
	cli
	cld
	xor %ax, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	lgdtl T(tramp_gdt_ptr)
	mov %cr4, %eax
	or $(1 << 5), %eax              /* PAE */
	mov %eax, %cr4
	mov T(tramp_cr3), %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx           /* EFER: long mode, no-execute */
	rdmsr
	or $((1 << 8) | (1 << 11)), %eax
	wrmsr
	mov %cr0, %eax
	or $((1 << 31) | (1 << 16) | 1), %eax /* paging, write-protect, protected */
	mov %eax, %cr0
	ljmpl $0x08, $T(tramp_long)

	.code64
tramp_long:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov $1, %eax
	cpuid
	shr $24, %ebx                   /* initial APIC id, 0-255 */
	mov T(tramp_table), %rsi
	mov (%rsi,%rbx,8), %rdi         /* its struct cpu */
	mov 2048(%rsi,%rbx,8), %rsp     /* its stack */
	test %rdi, %rdi
	jz 1f
	mov T(tramp_entry), %rax
	xor %ebp, %ebp
	jmp *%rax
1:	cli
	hlt
	jmp 1b

	.balign 8
tramp_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff        /* 0x10: data */
tramp_gdt_ptr:
	.word tramp_gdt_ptr - tramp_gdt - 1
	.long T(tramp_gdt)

	.balign 8
trampoline_params:                      /* filled in by smp.c for each AP */
tramp_cr3:   .quad 0
tramp_table: .quad 0                    /* physical: cpu pointers, stack tops */
tramp_cpu:   .quad 0                    /* unused */
tramp_entry: .quad 0
trampoline_end:
