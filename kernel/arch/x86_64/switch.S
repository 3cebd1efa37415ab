/*
 * switch.S - kernel context switch.
 *
 * arch_switch(save_sp, new_sp) saves the callee-saved registers on the
 * current stack, stores the stack pointer in *save_sp, loads new_sp and
 * pops the registers saved there. A new thread's stack (arch_thread_setup)
 * holds six zero registers and the address of thread_entry_asm.
 */
	.text
	.globl arch_switch
arch_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

	.globl thread_entry_asm
thread_entry_asm:
	xor %ebp, %ebp          /* ends backtraces here */
	call thread_boot
	ud2
