/*
 * syscall_entry.S - the SYSCALL instruction's way into the kernel.
 *
 * SYSCALL leaves the user RIP in RCX and RFLAGS in R11, clears IF (FMASK)
 * and does not switch stacks. The entry swaps GS to reach per-CPU data,
 * moves to the running thread's kernel stack and builds the same struct
 * trap_frame an interrupt would (vector SYSCALL_VECTOR), so faults, dumps
 * and the way back are shared with traps. arch_syscall(frame) runs the
 * call; results are written into the frame's rax, rdx and r8.
 *
 * The way back uses SYSRET when the frame still returns to a canonical
 * user address in the user code segment, and IRETQ otherwise (SYSRET to a
 * non-canonical RIP would fault in kernel mode on the user stack).
 *
 * Only the registers the C code may change are saved, and rbx and r12,
 * which carry arguments 7 and 8 of a register-form call: r13-r15 are
 * callee-saved, so they still hold the user's values when arch_syscall
 * returns (a switch to another thread in between keeps them too:
 * arch_switch saves them), and rcx and r11 hold the return rip and
 * rflags, which the frame has. Their slots are left unwritten and filled
 * only on the IRETQ way back, which restores every register from the
 * frame. Nothing reads them in between: a system call's frame is read for
 * its arguments and written with its results, nothing else. rbx is also
 * a result of a register-form call, so the way back restores it from the
 * frame; r12 is only read.
 */
#include "arch/x86_64/percpu.h"

#define SYSCALL_VECTOR 0x100
#define SEL_UDATA 0x23
#define SEL_UCODE 0x2b

	.text
	.globl syscall_entry
syscall_entry:
	swapgs
	mov %rsp, %gs:CPU_USER_RSP
	mov %gs:CPU_KSTACK_TOP, %rsp
	pushq $SEL_UDATA                /* ss */
	pushq %gs:CPU_USER_RSP          /* rsp */
	pushq %r11                      /* rflags */
	pushq $SEL_UCODE                /* cs */
	pushq %rcx                      /* rip */
	pushq $0                        /* error */
	pushq $SYSCALL_VECTOR           /* vector */
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
	sub $40, %rsp                   /* rcx, r11, r13, r14, r15: see above */
	mov %rsp, %rdi
	xor %ebp, %ebp                  /* DF is clear already: FMASK has it */
	call arch_syscall

	/* Fast path only for an unchanged user CS and a canonical lower-half RIP. */
	cmpq $SEL_UCODE, 144(%rsp)      /* frame->cs */
	jne 1f
	movabs $0x00007ffffffff000, %rax
	cmpq %rax, 136(%rsp)            /* frame->rip */
	jae 1f
	add $40, %rsp
	popq %rbp
	popq %rax
	popq %rdi
	popq %rsi
	popq %rdx
	popq %r10
	popq %r8
	popq %r9
	popq %rbx
	add $24, %rsp                   /* r12 (only read), vector and error code */
	mov 0(%rsp), %rcx               /* user rip */
	mov 16(%rsp), %r11              /* user rflags */
	mov 24(%rsp), %rsp              /* user rsp */
	swapgs
	sysretq
	/* IRETQ restores every register: fill the slots not saved above. */
1:	mov %r15, 0(%rsp)
	mov %r14, 8(%rsp)
	mov %r13, 16(%rsp)
	mov 152(%rsp), %rax             /* r11 = rflags, rcx = rip, as SYSRET leaves them */
	mov %rax, 24(%rsp)
	mov 136(%rsp), %rax
	mov %rax, 32(%rsp)
	jmp trap_return
