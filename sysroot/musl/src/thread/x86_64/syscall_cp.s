# syscall_cp.s - Keel's __syscall_cp_asm, in place of musl's.
#
# A cancellation point: if the thread's cancel flag (*rdi) is set, act on
# it; otherwise make system call rsi with the six arguments that follow,
# through the Keel back-end. __cp_begin and __cp_end bound the code musl's
# cancellation handler inspects.
.text
.global __cp_begin
.hidden __cp_begin
.global __cp_end
.hidden __cp_end
.global __cp_cancel
.hidden __cp_cancel
.hidden __cancel
.global __syscall_cp_asm
.hidden __syscall_cp_asm
.type   __syscall_cp_asm,@function
__syscall_cp_asm:

__cp_begin:
	mov (%rdi),%eax
	test %eax,%eax
	jnz __cp_cancel
	mov %rsi,%rdi
	mov %rdx,%rsi
	mov %rcx,%rdx
	mov %r8,%rcx
	mov %r9,%r8
	mov 8(%rsp),%r9
	mov 16(%rsp),%rax
	push %rax
	call __keel_syscall
	add $8,%rsp
__cp_end:
	ret
__cp_cancel:
	jmp __cancel
.size __syscall_cp_asm,.-__syscall_cp_asm
