# clone.s - Keel's __clone, in place of musl's.
#
# __clone(func, stack, flags, arg, ptid, tls, ctid) starts func(arg) on
# stack as a new thread. Linux's clone system call cannot be expressed as
# a call that returns twice on one stack, so musl's contract is kept at
# this level instead: the back-end's __keel_clone (sysroot/keel/thread.c)
# takes the same seven arguments and creates the thread with Keel's
# sys_thread_create. It returns the new thread's id or -errno.
.text
.global __clone
.hidden __clone
.type   __clone,@function
__clone:
	.hidden __keel_clone
	jmp __keel_clone
.size __clone,.-__clone
