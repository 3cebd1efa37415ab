/*
 * thread_exit.S - the parts of a thread's life that must not use its
 * stack in C: its first instructions, and its last.
 *
 * Keel system calls by number (checked against abi/syscalls.def in
 * thread.c): sys_thread_exit is 9, sys_futex_wake is 34.
 */
	.text

/* keel_thread_start: the entry of a thread made by __keel_clone, with
 * rdi = its struct thread_boot (fn, arg, tls, ...) and rsp 8 below it.
 * Sets the FS base to tls and calls keel_thread_main(boot). */
	.globl keel_thread_start
	.hidden keel_thread_start
	.type keel_thread_start, @function
keel_thread_start:
	xor %ebp, %ebp
	mov 16(%rdi), %rax		/* boot->tls */
	wrfsbase %rax
	and $-16, %rsp
	call keel_thread_main
	ud2
	.size keel_thread_start, . - keel_thread_start

/* keel_thread_finish(word, word2, code): stores 0 in each word that is not
 * NULL - the clear-tid word (musl's thread-list lock) and the exit-stack
 * lock - wakes one waiter on the clear-tid word, and ends the thread with
 * code, using registers only. The wake is Linux's CLONE_CHILD_CLEARTID:
 * a joiner (__tl_sync) or a thread taking the thread-list lock may be
 * waiting on that word for this thread's end, and without it would wait
 * forever. */
	.globl keel_thread_finish
	.hidden keel_thread_finish
	.type keel_thread_finish, @function
keel_thread_finish:
	mov %rdx, %r12			/* code; calls keep r12 and rbx */
	mov %rdi, %rbx
	test %rdi, %rdi
	jz 1f
	movl $0, (%rdi)
1:	test %rsi, %rsi
	jz 2f
	movl $0, (%rsi)
2:	test %rbx, %rbx
	jz 3f
	mov %rbx, %rdi
	mov $1, %esi
	mov $34, %eax			/* sys_futex_wake(word, 1) */
	syscall
3:	mov %r12, %rdi
	mov $9, %eax			/* sys_thread_exit(code) */
	syscall
	ud2
	.size keel_thread_finish, . - keel_thread_finish

/* __keel_unmapself(base, size): musl's __unmapself - a detached thread
 * frees its own stack and exits with 0. */
	.globl __keel_unmapself
	.hidden __keel_unmapself
	.type __keel_unmapself, @function
__keel_unmapself:
	/* munmap zeroes the pages it frees, so no C may run on the stack
	 * being freed: take the one exit stack (its lock is released by
	 * keel_thread_finish, after the last use of it) and free from there. */
	mov $1, %eax
1:	xchg %eax, keel_exit_lock(%rip)
	test %eax, %eax
	jz 2f
	pause
	mov $1, %eax
	jmp 1b
2:	lea keel_exit_stack+4096(%rip), %rsp	/* EXIT_STACK in thread.c */
	call keel_unmap_and_exit
	ud2
	.size __keel_unmapself, . - __keel_unmapself

	.section .note.GNU-stack, "", @progbits
