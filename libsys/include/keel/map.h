/*
 * keel/map.h - mapping memory at an address libsys chooses, and the
 * address map of a Keel task.
 *
 * A task's user half (below 0x0000800000000000) is laid out as
 *
 *   0x0000000000400000  the program image (sysroot/keel.ld)
 *   0x0000100000000000  the boot bundle, read-only, while a spawner uses it
 *                       (KEEL_SPAWN_BUNDLE_ADDR, keel/spawn.h)
 *   0x0000180000000000  the spawner's fill window (KEEL_SPAWN_SCRATCH_ADDR)
 *   0x0000200000000000  the libsys region, KEEL_MAP_REGION_BYTES long:
 *                       every mapping keel_map places - inbox rings
 *                       (loop_inbox_open), thread stacks, staging pages
 *   0x00007fffffdf0000  the first thread's stack, up to KEEL_STACK_TOP
 *   0x00007fffffff0000  the start page (KEEL_START_ADDR, abi/start.h)
 *
 * The rest is the program's own. A program that maps memory itself should
 * let keel_map choose the address rather than pick a constant: a constant
 * that is free in one task is taken in another when tasks share one
 * address space, as they do under the host port.
 *
 * How the address is chosen. keel_map keeps one hint, the page where its
 * next search starts: one past the last mapping it placed, or the start
 * of the last range keel_unmap freed below that. It asks the kernel to map
 * there and moves on one page at a time while the kernel answers
 * STATUS_EXISTS, up to the region's end and then from its start: the
 * first free place from the hint on (next fit). The hint is only where to
 * start - the kernel's page tables are the record of what is taken - so a
 * stale hint costs refusals, never a wrong answer: a range unmapped with
 * sys_memory_unmap rather than keel_unmap is found again once the search
 * wraps round. But unmap with keel_unmap what keel_map placed: the kernel
 * frees a task's page tables only at its end, so a task whose mappings
 * walk on through the region (each one past the last) makes page tables
 * for all of it - up to 512 KiB - where reusing the same addresses makes
 * none (a shell's pipe rings did: 92 KiB after 600 pipelines). Before the hint, every mapping stepped over every page of
 * the task's earlier mappings, one system call each: vfsd stepped over
 * its 512-page cache to map a 64-page buffer, about half of all system
 * calls from kernel entry to all services up. Under the host port every
 * task shares the test process's address space (docs/host-port.md), the
 * kernel refuses a page that any task maps, and the very same probe
 * therefore gives each task addresses no other task uses - without a
 * host-only code path.
 */
#ifndef KEEL_MAP_H
#define KEEL_MAP_H

#include <stdint.h>

#include "keel/sys.h"

#define KEEL_MAP_REGION 0x0000200000000000ull
#define KEEL_MAP_REGION_BYTES (256ull << 20) /* 65536 pages */

/*
 * Maps pages pages of memory, from its page first, into the calling task
 * with prot (RIGHT_READ, RIGHT_WRITE, RIGHT_EXEC) at the first
 * page-aligned address of the libsys region, from the hint on (above),
 * where all of them fit, and sets *addr to it. Returns STATUS_OK; STATUS_INVALID for zero pages;
 * STATUS_FULL if the region has no such place; otherwise the status of
 * the first sys_memory_map that failed for a reason other than EXISTS
 * (NO_RIGHTS, RANGE, QUOTA, ...), with nothing mapped. The caller unmaps
 * with keel_unmap (or sys_memory_unmap).
 */
status_t keel_map(cap_handle_t memory, uint64_t first, uint64_t pages, uint32_t prot, void **addr);

/* sys_memory_unmap(CAP_HANDLE_NONE, addr, pages), and the next keel_map
 * searches from the freed place when it is below the hint. */
status_t keel_unmap(void *addr, uint64_t pages);

#endif
