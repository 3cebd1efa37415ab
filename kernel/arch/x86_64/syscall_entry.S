/*
 * syscall_entry.S - the SYSCALL instruction's way into the kernel.
 *
 * SYSCALL leaves the user RIP in RCX and RFLAGS in R11, clears IF (FMASK)
 * and does not switch stacks. The entry swaps GS to reach per-CPU data,
 * moves to the running thread's kernel stack and builds the same struct
 * trap_frame an interrupt would (vector SYSCALL_VECTOR), so faults, dumps
 * and the way back are shared with traps. syscall_dispatch(frame) runs the
 * call; results are written into the frame's rax, rdx and r8.
 *
 * The way back uses SYSRET when the frame still returns to a canonical
 * user address in the user code segment, and IRETQ otherwise (SYSRET to a
 * non-canonical RIP would fault in kernel mode on the user stack).
 */
#include "arch/x86_64/frame.h"
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
	PUSH_GPRS
	mov %rsp, %rdi
	cld
	xor %ebp, %ebp
	call syscall_dispatch

	/* Fast path only for an unchanged user CS and a canonical lower-half RIP. */
	cmpq $SEL_UCODE, 144(%rsp)      /* frame->cs */
	jne 1f
	movabs $0x00007ffffffff000, %rax
	cmpq %rax, 136(%rsp)            /* frame->rip */
	jae 1f
	POP_GPRS
	add $16, %rsp                   /* vector and error code */
	mov 0(%rsp), %rcx               /* user rip */
	mov 16(%rsp), %r11              /* user rflags */
	mov 24(%rsp), %rsp              /* user rsp */
	swapgs
	sysretq
1:	jmp trap_return
