/*
 * vspace.h - user address spaces, as the arch-neutral kernel sees them.
 *
 * The architecture implements these (kernel/arch/<arch>/vspace.c). A
 * vspace's kernel half is shared by every task; the user half holds only
 * what sys_memory_map put there. The kernel never dereferences a user
 * address: copy_from_user and copy_to_user walk the page tables and copy
 * through the direct map, so a bad pointer is an error value, never a
 * kernel fault. They reach ordinary memory only: a page of a device
 * mapping (VM_DEVICE) is refused like an unmapped one, since its physical
 * address may be outside the direct map, or a device the kernel must not
 * read through a cacheable view. Callers hold a kernel lock (core/klock.h):
 * mapping and unmapping, every lock; copies, at least their CPU's.
 */
#ifndef KEEL_CORE_VSPACE_H
#define KEEL_CORE_VSPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"
#include "core/object/thread.h"

/* User addresses are [USER_BASE, USER_TOP). The first page is never mapped
 * so that null pointers fault; the top page is kept free so that a return
 * to user mode never lands next to the non-canonical hole. */
#define USER_BASE 0x1000ull
#define USER_TOP 0x00007ffffffff000ull

/* An address in a task's address space. A struct, so that the kernel
 * cannot dereference it or mix it with its own pointers by mistake: user
 * memory is reached only through copy_from_user and copy_to_user. */
typedef struct {
	uint64_t addr;
} uaddr_t;

/* u advanced by n bytes. */
static inline uaddr_t uaddr_add(uaddr_t u, uint64_t n)
{
	return (uaddr_t){ u.addr + n };
}

/* Protection bits for vspace_map, the same values as RIGHT_READ/WRITE/EXEC. */
#define VM_READ (1u << 0)
#define VM_WRITE (1u << 1)
#define VM_EXEC (1u << 2)
/* Device memory (an MMIO object): mapped uncached, and never read or
 * written by the kernel - a user copy through it is STATUS_BAD_ADDRESS. */
#define VM_DEVICE (1u << 8)

struct vspace {
	uint64_t root;        /* physical address of the top-level table */
	uint64_t table_pages; /* page-table pages it holds */
	/* Its version, unique among every address space's versions: set
	 * anew when it is made and at every unmap. A thread's cached
	 * translation (struct vspace_cache in core/object/thread.h) is used
	 * only while it names the version it was made in, so it needs no
	 * clearing, and threads of one task on several CPUs never share
	 * one. */
	uint64_t gen;
	/* The last leaf table vspace_map wrote, and the 2 MiB of addresses it
	 * maps (leaf_va; leaf is NULL when none): a mapping of many pages
	 * walks the tables once per leaf, not once per page. Tables are freed
	 * only with the whole address space, so it stays valid till then. */
	uint64_t leaf_va;
	uint64_t *leaf;
};

/* A new version number for vspace.gen (every lock held). */
uint64_t vspace_next_gen(void);

/* Makes an empty address space sharing the kernel half. */
status_t vspace_create(struct vspace *vs);

/* Frees the user half's page tables (not the mapped frames). The caller
 * has made sure no CPU can still walk them (core/mm/reclaim.h). */
void vspace_destroy(struct vspace *vs);

/*
 * Maps pages 4 KiB pages from va. Page i is frames[i] when frames is not
 * NULL - 0 there is a page not made yet, which its first touch (by the
 * task, or by a user copy) makes (vspace_fill_page); only where
 * ARCH_DEMAND_ZERO - and base + i * 4096 otherwise. Makes at most
 * table_budget page-table pages (vs->table_pages counts them), and
 * STATUS_QUOTA rather than more. STATUS_EXISTS if a page is mapped
 * there already, STATUS_BAD_ADDRESS for a range that is not page-aligned
 * user memory, STATUS_INVALID for W+X, STATUS_NO_MEMORY. *done is the
 * pages mapped, a prefix, when it fails; the caller unmaps them.
 */
status_t vspace_map_run(struct vspace *vs, uint64_t va, uint64_t pages, const uint64_t *frames,
			uint64_t base, uint32_t prot, uint64_t table_budget, uint64_t *done);

/* Implemented by the core (core/object/task.c), called by the
 * architecture at the first touch of a page mapped not made yet: the
 * frame for user page va of vs's task, made if need be; 0 if no mapping
 * covers va. Under at least the caller's CPU lock. */
uint64_t vspace_fill_page(struct vspace *vs, uint64_t va);

/* A user page fault at va: makes the page if it was mapped not made yet
 * and returns true (the access is retried), false for any other fault.
 * The caller holds its CPU's lock. */
bool vspace_fault_in(struct vspace *vs, uint64_t va);

/* Unmaps every page of [va, va + pages * 4096), made or not; pages
 * not mapped are skipped. The caller has checked the range is page-aligned
 * user memory. Stale TLB entries on other CPUs are the caller's business
 * (reclaim). */
void vspace_unmap(struct vspace *vs, uint64_t va, uint64_t pages);

/* Copies between kernel memory and user memory of vs. STATUS_BAD_ADDRESS
 * if any byte is outside the user range, unmapped, or (for writes) not
 * writable; nothing is copied then (reads) or a prefix may be (writes).
 * A page not made yet is made first (vspace_fill_page). */
status_t copy_from_user_walk(struct vspace *vs, void *dst, uint64_t src, size_t n);
status_t copy_to_user_walk(struct vspace *vs, uint64_t dst, const void *src, size_t n);

/* The kernel address of [uva, uva + n) when it lies in the page the last
 * copy translated (and, for writes, that page is writable); else NULL. */
static inline void *vspace_cached(const struct vspace *vs, uint64_t uva, size_t n, bool write)
{
	const struct vspace_cache *c = &thread_current()->ucache;
	uint64_t off = uva & 0xfff;
	if ((uva & ~0xfffull) != c->va || c->gen != vs->gen || !c->va || n == 0 || off + n > 4096 ||
	    (write && !c->writable))
		return NULL;
	return (char *)c->page + off;
}

/* Inline for the common case - a message in the page the last copy used -
 * which then compiles to a few moves when n is a constant (always inlined:
 * left to itself the optimiser keeps one out-of-line copy with a variable n). */
static inline __attribute__((always_inline)) status_t copy_from_user(struct vspace *vs, void *dst,
								     uaddr_t src, size_t n)
{
	void *u = vspace_cached(vs, src.addr, n, false);
	if (!u)
		return copy_from_user_walk(vs, dst, src.addr, n);
	__builtin_memcpy(dst, u, n);
	return STATUS_OK;
}

static inline __attribute__((always_inline)) status_t copy_to_user(struct vspace *vs, uaddr_t dst,
								   const void *src, size_t n)
{
	void *u = vspace_cached(vs, dst.addr, n, true);
	if (!u)
		return copy_to_user_walk(vs, dst.addr, src, n);
	__builtin_memcpy(u, src, n);
	return STATUS_OK;
}

/* Makes vs the address space of this CPU (no-op if it already is). */
void vspace_activate(struct vspace *vs);

#endif
