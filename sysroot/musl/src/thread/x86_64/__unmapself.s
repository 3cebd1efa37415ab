# __unmapself.s - Keel's __unmapself, in place of musl's.
#
# __unmapself(base, size): a detached thread unmaps its own stack and
# exits. No C can run once the stack is gone, so the back-end does it in
# assembly (__keel_unmapself, sysroot/keel/thread_exit.S).
.text
.global __unmapself
.type   __unmapself,@function
__unmapself:
	.hidden __keel_unmapself
	jmp __keel_unmapself
.size __unmapself,.-__unmapself
