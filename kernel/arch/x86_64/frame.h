/*
 * frame.h - assembler macros that save and restore the general registers
 * in the order of struct trap_frame (trap.h), for the interrupt path
 * (trap_entry.S). The system-call path (syscall_entry.S) saves fewer and
 * says why.
 */
#ifndef KEEL_ARCH_X86_64_FRAME_H
#define KEEL_ARCH_X86_64_FRAME_H

.macro PUSH_GPRS
	pushq %r12
	pushq %rbx
	pushq %r9
	pushq %r8
	pushq %r10
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rax
	pushq %rbp
	pushq %rcx
	pushq %r11
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro POP_GPRS
	popq %r15
	popq %r14
	popq %r13
	popq %r11
	popq %rcx
	popq %rbp
	popq %rax
	popq %rdi
	popq %rsi
	popq %rdx
	popq %r10
	popq %r8
	popq %r9
	popq %rbx
	popq %r12
.endm

#endif
