/* trap.h - interrupt descriptor table and the saved register frame. */
#ifndef KEEL_ARCH_X86_64_TRAP_H
#define KEEL_ARCH_X86_64_TRAP_H

#include <stdint.h>

/* Register state at a trap, in the order trap_entry.S pushes it. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap_frame layout is fixed by trap_entry.S");

/* Builds the IDT (once, on the boot CPU). */
void idt_init(void);

/* Loads the IDT on the calling CPU. */
void idt_load(void);

/* Called by trap_entry.S for every vector. */
void trap_dispatch(struct trap_frame *f);

/* Prints f as a register dump on the console. */
void trap_dump(const struct trap_frame *f);

#endif
