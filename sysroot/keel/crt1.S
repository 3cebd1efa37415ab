/*
 * crt1.S - _start for C programs on Keel (in place of musl's crt1.o).
 *
 * The kernel or libsys's keel_spawn starts a task's first thread here with
 * rdi = KEEL_START_ADDR (the task's struct keel_start, abi/start.h) and
 * rsp = KEEL_STACK_TOP. __keel_start_c (start.c) builds argc, argv, envp
 * and the auxiliary vector from it and enters musl's __libc_start_main.
 */
	.section .text.start, "ax", @progbits
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp
	and $-16, %rsp
	call __keel_start_c
	ud2
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
