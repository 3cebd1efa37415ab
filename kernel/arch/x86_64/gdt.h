/*
 * gdt.h - per-CPU GDT and TSS.
 *
 * Selector layout (fixed by SYSCALL/SYSRET, which derive the user
 * selectors from STAR): 0x08 kernel code, 0x10 kernel data, 0x20 user data,
 * 0x28 user code, 0x30 the TSS.
 */
#ifndef KEEL_ARCH_X86_64_GDT_H
#define KEEL_ARCH_X86_64_GDT_H

#include <stdint.h>

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x23
#define SEL_UCODE 0x2b
#define SEL_TSS 0x30

/* Interrupt stack table slots. */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss) == 104, "TSS is 104 bytes");

struct gdt {
	uint64_t entries[8];
};

/* Bytes of the I/O permission bitmap that follows a TSS (65536 ports),
 * plus the all-ones byte the CPU requires after it. */
#define IOMAP_BYTES 8192
#define IOMAP_TAIL 1

/* Fills gdt and tss for one CPU, with IST stacks ending at ist_tops[0..2].
 * tss must be followed in memory by IOMAP_BYTES + IOMAP_TAIL bytes of I/O
 * permission bitmap, which start all ones (every port denied). */
void gdt_setup(struct gdt *gdt, struct tss *tss, const uint64_t ist_tops[3]);

/* Loads gdt, reloads segment registers and the task register on this CPU. */
void gdt_load(struct gdt *gdt);

#endif
