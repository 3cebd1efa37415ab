/*
 * trap_entry.S - the 256 interrupt vector stubs and the common trap path.
 *
 * Each stub makes the stack look the same for every vector (an error code,
 * zero when the CPU pushes none, then the vector number) and jumps to
 * trap_common, which saves the general registers as a struct trap_frame
 * (trap.h), calls trap_dispatch(frame) and returns with iretq. Entries
 * from user mode swap GS so the kernel always finds its per-CPU data.
 */
#include "arch/x86_64/frame.h"

	.text
	.balign 16
	.globl trap_stubs
trap_stubs:
	vector = 0
	.rept 256
	.balign 16
	.if vector == 8 || vector == 10 || vector == 11 || vector == 12 || vector == 13 || vector == 14 || vector == 17 || vector == 21 || vector == 29 || vector == 30
	/* the CPU pushed an error code */
	.else
	pushq $0
	.endif
	pushq $vector
	jmp trap_common
	vector = vector + 1
	.endr

trap_common:
	testb $3, 24(%rsp)              /* CS of the interrupted context */
	jz 1f
	swapgs
1:	PUSH_GPRS
	mov %rsp, %rdi
	cld
	call trap_dispatch
	.globl trap_return
trap_return:
	POP_GPRS
	testb $3, 24(%rsp)
	jz 2f
	swapgs
2:	add $16, %rsp                   /* vector and error code */
	iretq
