/* memory.h - boot-time set-up of physical memory and the kernel's address space. */
#ifndef KEEL_ARCH_X86_64_MEMORY_H
#define KEEL_ARCH_X86_64_MEMORY_H

#include <stdint.h>

#include "core/boot/mb2.h"

/*
 * Hands every usable frame to the page allocator (never the kernel, the
 * boot information, modules, the low 1 MiB or the allocator's own
 * metadata), builds the kernel page tables (direct map, W^X kernel image,
 * stack area) and switches to them. mi must be re-read through the direct
 * map afterwards: boot.S's identity map is gone. Panics on failure.
 */
void memory_init(const struct mb2_info *mi, uint64_t info_pa);

/* Physical address of the kernel's PML4 (every CPU and task shares its upper half). */
uint64_t memory_kernel_root(void);

/* Maps [pa, pa + size) uncached in the device window; returns its address or 0. */
void *memory_map_mmio(uint64_t pa, uint64_t size);

#endif
