/* trap.h - interrupt descriptor table and the saved register frame. */
#ifndef KEEL_ARCH_X86_64_TRAP_H
#define KEEL_ARCH_X86_64_TRAP_H

#include <stdint.h>

/*
 * Register state at a trap, in the order trap_entry.S pushes it. rdi to
 * r12 are a system call's argument registers in the order of its
 * arguments, so the call reads them where they were saved (struct
 * syscall_args, arch_syscall) instead of a copy.
 */
struct trap_frame {
	uint64_t r15, r14, r13, r11, rcx, rbp, rax;
	uint64_t rdi, rsi, rdx, r10, r8, r9, rbx, r12;
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
