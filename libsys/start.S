/*
 * start.S - _start, where every Keel program begins.
 *
 * The kernel (or libsys's keel_spawn) starts a task's first thread here
 * with rdi = KEEL_START_ADDR, the task's read-only struct keel_start, and
 * rsp = KEEL_STACK_TOP. _start calls keel_main(start) and ends the thread
 * with its return value: sys_thread_exit, number 9 (checked in keel/sys.h).
 */
	.section .text.start, "ax", @progbits
	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp		/* the outermost frame: backtraces stop here */
	andq $-16, %rsp		/* promised by the ABI; made certain for the call */
	call keel_main		/* rdi still holds the start page */
	movslq %eax, %rdi	/* int exit code, sign-extended */
	movl $9, %eax		/* SYS_THREAD_EXIT */
	syscall
	ud2			/* sys_thread_exit does not return */
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
