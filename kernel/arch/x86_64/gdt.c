/* gdt.c - per-CPU GDT and TSS set-up (see gdt.h). */
#include <string.h>

#include "arch/x86_64/gdt.h"

#define SEG_KCODE 0x00af9a000000ffffull /* present, ring 0, code, long mode */
#define SEG_KDATA 0x00cf92000000ffffull /* present, ring 0, data, writable */
#define SEG_UDATA 0x00cff2000000ffffull /* present, ring 3, data, writable */
#define SEG_UCODE 0x00affa000000ffffull /* present, ring 3, code, long mode */

void gdt_setup(struct gdt *gdt, struct tss *tss, const uint64_t ist_tops[3])
{
	uint64_t base = (uint64_t)tss;
	uint64_t limit = sizeof *tss + IOMAP_BYTES + IOMAP_TAIL - 1;
	uint8_t *iomap = (uint8_t *)(tss + 1);

	*tss = (struct tss){ 0 };
	for (int i = 0; i < 3; i++)
		tss->ist[i] = ist_tops[i];
	tss->iomap_base = sizeof *tss;
	memset(iomap, 0xff, IOMAP_BYTES + IOMAP_TAIL); /* every port denied */

	gdt->entries[0] = 0;
	gdt->entries[1] = SEG_KCODE;
	gdt->entries[2] = SEG_KDATA;
	gdt->entries[3] = 0;
	gdt->entries[4] = SEG_UDATA;
	gdt->entries[5] = SEG_UCODE;
	/* A 64-bit TSS descriptor takes two slots: type 0x9 (available), present. */
	gdt->entries[6] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ull << 40 |
			  ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt->entries[7] = base >> 32;
}

void gdt_load(struct gdt *gdt)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) ptr = { sizeof *gdt - 1, (uint64_t)gdt };

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "mov %2, %%ds\n\t"
			 "mov %2, %%es\n\t"
			 "mov %2, %%ss\n\t"
			 "ltr %w3\n\t"
			 :
			 : "m"(ptr), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(SEL_TSS)
			 : "rax", "memory");
}
