# restore.s - Keel's __restore_rt, in place of musl's.
#
# musl puts this address in every sigaction as the signal trampoline. Keel
# delivers no POSIX signals (the back-end refuses handlers for anything it
# cannot raise itself), so it is never reached by a signal; if it were, the
# back-end answers rt_sigreturn (15) with -ENOSYS and the ud2 faults the
# task rather than returning into a frame that does not exist.
	nop
.global __restore_rt
.hidden __restore_rt
.type __restore_rt,@function
__restore_rt:
	mov $15,%edi
	call __keel_syscall
	ud2
.size __restore_rt,.-__restore_rt
