/*
 * icount_probe.S - bare-metal check of how the guest TSC behaves under
 * QEMU -icount shift=0,sleep=off.  Booted as a Multiboot (v1) kernel with
 * no OS underneath, so no interrupt or scheduler noise.  Prints on COM1:
 *   probe.tsc_at_entry=<hex>      64-bit TSC at the first kernel instruction
 *   probe.rdtsc_pair=<hex>        TSC delta of two back-to-back rdtsc
 *   probe.loop_<N>=<hex>          TSC delta between two rdtsc around a loop:
 *                                 7 fixed instructions + N x {dec, jnz}
 * then leaves QEMU through isa-debug-exit (port 0xf4).
 * Built and run by icount-probe.sh.
 */
	.section .text
	.code32
	.globl _start
	.align 4
mb_header:
	.long 0x1BADB002
	.long 0
	.long -(0x1BADB002)

_start:
	rdtsc
	mov	%eax, %ebp
	mov	%edx, %edi
	mov	$0x200000, %esp

	mov	$s_entry, %esi
	call	puts
	mov	%edi, %eax		/* high half, then low half */
	call	puthex
	mov	%ebp, %eax
	call	puthex_nl

	lfence
	rdtsc
	mov	%eax, %ebx
	rdtsc
	sub	%ebx, %eax
	mov	%eax, %ebp
	mov	$s_pair, %esi
	call	puts
	mov	%ebp, %eax
	call	puthex_nl

	/* loop sizes: 0, 1000, 1000000 */
	xor	%edi, %edi
	call	loop_probe
	mov	$1000, %edi
	call	loop_probe
	mov	$1000000, %edi
	call	loop_probe

	mov	$0, %al
	outb	%al, $0xf4		/* isa-debug-exit */
1:	hlt
	jmp	1b

/* loop_probe: edi = N; prints probe.loop_<N hex>=<delta hex> */
loop_probe:
	lfence
	rdtsc
	lfence
	mov	%eax, %ebx
	mov	%edi, %ecx		/* 1 instruction */
	test	%ecx, %ecx		/* 1 instruction */
	jz	2f			/* 1 instruction */
1:	dec	%ecx			/* N instructions */
	jnz	1b			/* N instructions */
2:	lfence
	rdtsc
	sub	%ebx, %eax
	mov	%eax, %ebp
	mov	$s_loop, %esi
	call	puts
	mov	%edi, %eax
	call	puthex
	mov	$'=', %al
	call	putc
	mov	%ebp, %eax
	call	puthex_nl
	ret

putc:					/* al */
	mov	%eax, %edx
	push	%edx
	mov	$0x3fd, %dx
3:	inb	%dx, %al
	test	$0x20, %al
	jz	3b
	pop	%eax
	mov	$0x3f8, %dx
	outb	%al, %dx
	ret

puts:					/* esi -> NUL-terminated */
	lodsb
	test	%al, %al
	jz	4f
	call	putc
	jmp	puts
4:	ret

puthex:					/* eax */
	push	%ebx
	push	%ecx
	mov	%eax, %ebx
	mov	$8, %ecx
5:	rol	$4, %ebx
	mov	%ebx, %eax
	and	$0xf, %eax
	mov	hexdig(%eax), %al
	call	putc
	dec	%ecx
	jnz	5b
	pop	%ecx
	pop	%ebx
	ret

puthex_nl:
	call	puthex
	mov	$'\n', %al
	jmp	putc

	.section .rodata
hexdig:	.ascii "0123456789abcdef"
s_entry: .asciz "probe.tsc_at_entry="
s_pair:	.asciz "probe.rdtsc_pair="
s_loop:	.asciz "probe.loop_"
