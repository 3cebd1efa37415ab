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

/*
 * enter_user(entry, stack, arg, kstack_top): leaves the kernel for a new
 * user thread. Builds, from the top of the thread's kernel stack (whose
 * current contents are abandoned), the trap frame of a user context with
 * every register zero except rdi = arg, and returns to it through
 * trap_return. Interrupts are off on entry.
 */
	.globl enter_user
enter_user:
	mov %rcx, %rsp
	pushq $0x23                     /* ss: user data */
	pushq %rsi                      /* rsp */
	pushq $0x200                    /* rflags: interrupts on */
	pushq $0x2b                     /* cs: user code */
	pushq %rdi                      /* rip */
	pushq $0                        /* error */
	pushq $0                        /* vector */
	mov %rdx, %r8                   /* keep arg while the registers are cleared */
	xor %eax, %eax
	pushq %rax                      /* r12 */
	pushq %rax                      /* rbx */
	pushq %rax                      /* r9 */
	pushq %rax                      /* r8 */
	pushq %rax                      /* r10 */
	pushq %rax                      /* rdx */
	pushq %rax                      /* rsi */
	pushq %r8                       /* rdi = arg */
	pushq %rax                      /* rax */
	pushq %rax                      /* rbp */
	pushq %rax                      /* rcx */
	pushq %rax                      /* r11 */
	pushq %rax                      /* r13 */
	pushq %rax                      /* r14 */
	pushq %rax                      /* r15 */
	jmp trap_return
