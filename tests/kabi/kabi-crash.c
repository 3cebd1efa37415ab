/*
 * kabi-crash.c - faults on purpose, the kind named by its cmdline:
 *   null  write to address 0        page fault, vector 14, address 0
 *   ud2   undefined instruction     invalid opcode, vector 6
 *   div0  divide by zero            divide error, vector 0
 *   hlt   privileged instruction    general protection, vector 13
 *   io    I/O port it was not given general protection, vector 13
 * Exits with 99 if the fault did not happen, 98 for an unknown kind.
 */
#include "kabi.h"

int keel_main(const struct keel_start *s)
{
	const char *kind = s->cmdline;

	if (strcmp(kind, "null") == 0)
		__asm__ volatile("movl $1, 0" : : : "memory");
	else if (strcmp(kind, "ud2") == 0)
		__asm__ volatile("ud2");
	else if (strcmp(kind, "div0") == 0)
		__asm__ volatile("xorl %%ecx, %%ecx; divl %%ecx" : : : "eax", "ecx", "edx");
	else if (strcmp(kind, "hlt") == 0)
		__asm__ volatile("hlt");
	else if (strcmp(kind, "io") == 0)
		__asm__ volatile("inb $0x80, %%al" : : : "rax");
	else
		return 98;
	return 99;
}
