# vfork.s - Keel's vfork, in place of musl's: the back-end's answer to
# Linux's vfork (58), which is -ENOSYS (Keel has no fork), as errno.
.global vfork
.type vfork,@function
vfork:
	sub $8,%rsp
	mov $58,%edi
	call __keel_syscall
	add $8,%rsp
	mov %rax,%rdi
	.hidden __syscall_ret
	jmp __syscall_ret
.size vfork,.-vfork
