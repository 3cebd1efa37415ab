# __set_thread_area.s - Keel's __set_thread_area, in place of musl's:
# Linux's arch_prctl(ARCH_SET_FS, tp) (158, 0x1002) through the back-end,
# which sets the calling thread's FS base (docs/libc.md, TLS).
.text
.global __set_thread_area
.hidden __set_thread_area
.type __set_thread_area,@function
__set_thread_area:
	sub $8,%rsp
	mov %rdi,%rdx
	mov $0x1002,%esi
	mov $158,%edi
	call __keel_syscall
	add $8,%rsp
	ret
.size __set_thread_area,.-__set_thread_area
