/*
 * kabi-fuzz.c - an unprivileged task issuing random system calls.
 *
 * It holds nothing but its own task (self_task) and one memory object of
 * two pages (caps[0]) from the root: page 0 becomes its result page
 * (struct kabi_fuzz_result at KABI_FUZZ_RESULT_VA, read by the root after
 * the run), page 1 a target for random pointers (KABI_FUZZ_TARGET_VA,
 * with unmapped pages on both sides). No witness: it cannot print.
 *
 * It issues KABI_FUZZ_CALLS calls with numbers 0..KABI_FUZZ_NR_MAX and
 * random arguments: small integers, rights masks, powers of two, random
 * words, plausible handles (its own, off by one, one bit flipped, random,
 * high bits set) and pointers (NULL, the target page at any offset, its
 * read-only text, kernel-half, non-canonical and huge addresses).
 *
 * Survival rule. The task must not die: any fault is a FAIL for the root,
 * so it points at a validation hole in the kernel or in this filter. The
 * filter refuses (counts as skipped) only draws that would legitimately
 * destroy the fuzzer itself:
 *   - sys_thread_exit;
 *   - sys_task_kill, sys_task_stop and sys_thread_create on a task
 *     capability that is not one of the child tasks it created (it could
 *     be itself: a random thread in its own address space would run
 *     garbage, and a stopped fuzzer never goes on);
 *   - sys_memory_map and sys_memory_unmap in its own address space (task
 *     NONE or any capability that is not a child it created) get their
 *     address replaced by one in a private arena (KABI_FUZZ_ARENA_VA, page
 *     count clamped to the arena, sometimes unaligned) or by a kernel-half
 *     or non-canonical address, so they never touch its image, stack,
 *     start page, result page or rings;
 * and it clamps the timeouts of sys_signal_wait, sys_msg_call,
 * sys_msg_reply_wait, their register forms and sys_futex_wait to 0 so
 * that it never sleeps. Everything else goes to the kernel unchanged:
 * every call is issued with all eight argument registers of the register
 * form (rbx and r12 random as well), whatever its number.
 *
 * Every 2048 calls, and at the end, it cleans up so that quotas do not
 * stay exhausted and the root can check that nothing is left behind:
 * it drains the inboxes it created (their rings are mapped by the fuzzer
 * itself, outside the arena), deleting the capabilities messages brought,
 * kills and deletes its child tasks, deletes every handle it learnt and
 * unmaps the arena.
 */
#include "kabi.h"

#define KNOWN_MAX 48
#define CHILDREN_MAX 8
#define INBOXES_MAX 8
#define CLEANUP_EVERY 2048
#define RING_VA 0x0000250000000000ull
#define RING_STRIDE 0x0000000000100000ull /* 1 MiB: the biggest ring is 65 pages */

struct fuzz {
	uint64_t rng;
	uint64_t rng_regs; /* arguments 7 and 8 (rbx, r12): rng keeps the draws it had */
	cap_handle_t self_task, mem;
	cap_handle_t known[KNOWN_MAX]; /* handles returned to it, newest overwrite oldest */
	unsigned known_n, known_next;
	cap_handle_t children[CHILDREN_MAX]; /* tasks it created: fair game */
	unsigned children_n;
	struct kabi_inbox inboxes[INBOXES_MAX]; /* inboxes it created, rings mapped */
	unsigned inboxes_n;
	volatile struct kabi_fuzz_result *res;
};

static uint64_t rnd(struct fuzz *f)
{
	uint64_t x = f->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	f->rng = x;
	return x * 0x2545f4914f6cdd1dull;
}

static void learn(struct fuzz *f, cap_handle_t h)
{
	if (h == CAP_HANDLE_NONE)
		return;
	f->known[f->known_next] = h;
	f->known_next = (f->known_next + 1) % KNOWN_MAX;
	if (f->known_n < KNOWN_MAX)
		f->known_n++;
}

static cap_handle_t some_known(struct fuzz *f)
{
	uint64_t r = rnd(f);

	if (f->known_n == 0 || r % 4 == 0)
		return (r >> 8) & 1 ? f->self_task : f->mem;
	return f->known[(r >> 8) % f->known_n];
}

static uint64_t rand_handle(struct fuzz *f)
{
	uint64_t r = rnd(f);
	cap_handle_t k = some_known(f);

	switch (r % 8) {
	case 0:
	case 1:
	case 2:
		return k;
	case 3:
		return (cap_handle_t)(k + ((r >> 8) & 1 ? 1 : -1));
	case 4:
		return k ^ (1u << ((r >> 8) % 32));
	case 5:
		return (uint32_t)(r >> 16);
	case 6:
		return (r >> 8) & 1 ? 0 : 0xffffffffu;
	default:
		return (uint64_t)k | (r & 0xffffffff00000000ull);
	}
}

static uint64_t rand_pointer(struct fuzz *f)
{
	uint64_t r = rnd(f), low = (r >> 8) & 0xfff;

	switch (r % 10) {
	case 0:
		return 0;
	case 1:
	case 2:
		return KABI_FUZZ_TARGET_VA + low; /* valid, maybe unaligned or straddling */
	case 3:
		return KABI_FUZZ_TARGET_VA + KEEL_PAGE_SIZE - (low % 64); /* runs into unmapped */
	case 4:
		return 0x400000 + low; /* read-only text */
	case 5:
		return 0xffffffff80000000ull + (r >> 12); /* kernel image */
	case 6:
		return 0xffff800000000000ull + (r >> 20); /* kernel direct map */
	case 7:
		return 0x0000800000000000ull + low; /* first non-canonical */
	case 8:
		return r | 0x8000000000000000ull; /* huge */
	default:
		return KABI_FUZZ_TARGET_VA - 64 + (low % 128); /* runs in from unmapped */
	}
}

static uint64_t rand_arg(struct fuzz *f)
{
	uint64_t r = rnd(f);

	switch (r % 16) {
	case 0:
	case 1:
	case 2:
		return (r >> 8) % 8;
	case 3:
		return (r >> 8) & 0x1ff; /* rights, one unknown bit */
	case 4:
	case 5:
	case 6:
		return rand_handle(f);
	case 7:
	case 8:
		return rand_pointer(f);
	case 9:
		return 1ull << ((r >> 8) % 64);
	case 10:
		return rnd(f);
	case 11:
		return (uint32_t)rnd(f);
	case 12:
		return KABI_FUZZ_ARENA_VA + ((r >> 8) % KABI_FUZZ_ARENA_PAGES) * KEEL_PAGE_SIZE;
	case 13:
		return 0;
	case 14:
		return ~0ull;
	default:
		return 1 + (r >> 8) % 64;
	}
}

static bool is_child(struct fuzz *f, uint64_t h)
{
	for (unsigned i = 0; i < f->children_n; i++)
		if (f->children[i] == h)
			return true;
	return false;
}

/* Whether h names a task capability in its CSpace (maybe itself). */
static bool is_task(uint64_t h)
{
	uint64_t info;

	if (h >> 32 || h == CAP_HANDLE_NONE)
		return false; /* the kernel refuses it before looking */
	return sys_cap_info((cap_handle_t)h, &info, NULL) == STATUS_OK &&
	       (info & 0xffffffffu) == OBJ_TASK;
}

/* Rewrites an address and page count so that they cannot touch its own
 * mappings: inside the arena, or invalid. */
static void own_space(struct fuzz *f, uint64_t *addr, uint64_t *pages)
{
	uint64_t r = rnd(f), page = (r >> 8) % KABI_FUZZ_ARENA_PAGES;

	switch (r % 6) {
	case 0:
		*addr = 0xffff800000000000ull + (r >> 20 << 12);
		return;
	case 1:
		*addr = 0x0000800000000000ull;
		return;
	case 2:
		*addr = KABI_FUZZ_ARENA_VA + page * KEEL_PAGE_SIZE + 1 + (r >> 40) % 4095;
		break;
	default:
		*addr = KABI_FUZZ_ARENA_VA + page * KEEL_PAGE_SIZE;
		break;
	}
	if (*pages == 0 || *pages > KABI_FUZZ_ARENA_PAGES - page)
		*pages = 1 + (r >> 32) % (KABI_FUZZ_ARENA_PAGES - page);
}

/* Applies the survival rule; returns false to skip the draw. */
static bool filter(struct fuzz *f, uint64_t nr, uint64_t a[8])
{
	switch (nr) {
	case SYS_THREAD_EXIT:
		return false;
	case SYS_TASK_KILL:
	case SYS_TASK_STOP:
	case SYS_THREAD_CREATE:
		return is_child(f, a[0]) || !is_task(a[0]);
	case SYS_MEMORY_MAP:
		if (!is_child(f, a[0]))
			own_space(f, &a[2], &a[4]);
		return true;
	case SYS_MEMORY_UNMAP:
		if (!is_child(f, a[0]))
			own_space(f, &a[1], &a[2]);
		return true;
	case SYS_SIGNAL_WAIT:
		a[1] = 0;
		return true;
	case SYS_MSG_CALL:
	case SYS_FUTEX_WAIT:
		a[2] = 0;
		return true;
	case SYS_MSG_REPLY_WAIT:
		a[5] = 0;
		return true;
	case SYS_MSG_CALL_REGS:
		a[2] = 0;
		return true;
	case SYS_MSG_REPLY_WAIT_REGS:
		a[3] = 0;
		return true;
	case SYS_TASK_CREATE:
		return f->children_n < CHILDREN_MAX;
	default:
		return true;
	}
}

/* Maps a new inbox's ring so that cleanup can drain it. */
static void adopt_inbox(struct fuzz *f, cap_handle_t inbox, cap_handle_t ring, uint64_t capacity)
{
	struct kabi_inbox *ib;
	uint64_t va;

	if (f->inboxes_n == INBOXES_MAX)
		return;
	ib = &f->inboxes[f->inboxes_n];
	va = RING_VA + f->inboxes_n * RING_STRIDE;
	*ib = (struct kabi_inbox){ .cap = inbox, .ring_mem = ring };
	ib->pages = (inbox_ring_bytes((uint32_t)capacity) + KEEL_PAGE_SIZE - 1) / KEEL_PAGE_SIZE;
	if (sys_memory_map(CAP_HANDLE_NONE, ring, va, 0, ib->pages, RIGHT_READ | RIGHT_WRITE))
		return;
	ib->ring = (struct inbox_ring *)(uintptr_t)va;
	f->inboxes_n++;
}

/* Remembers what a successful call handed back. */
static void harvest(struct fuzz *f, uint64_t nr, const uint64_t a[8], const uint64_t ret[7])
{
	switch (nr) {
	case SYS_CAP_DERIVE:
	case SYS_TASK_GRANT:
	case SYS_THREAD_CREATE:
	case SYS_MEMORY_CREATE:
	case SYS_DEVICE_SPLIT:
		learn(f, (cap_handle_t)ret[0]);
		break;
	case SYS_TASK_CREATE:
		f->children[f->children_n++] = (cap_handle_t)ret[0];
		f->res->tasks_created++;
		learn(f, (cap_handle_t)ret[0]);
		break;
	case SYS_TASK_STOP:
		/* A child stays stopped no longer than this: a later draw may
		 * delete its only handle, and a stopped task nobody can reach
		 * would wait for ever (the root counts what is left). */
		if ((uint32_t)a[1] == 1)
			sys_task_stop((cap_handle_t)a[0], 0);
		break;
	case SYS_INBOX_CREATE:
		learn(f, (cap_handle_t)ret[0]);
		learn(f, (cap_handle_t)ret[1]);
		adopt_inbox(f, (cap_handle_t)ret[0], (cap_handle_t)ret[1], a[0]);
		break;
	default:
		break;
	}
}

/* Drains and closes its inboxes, kills its children, forgets its handles. */
static void cleanup(struct fuzz *f)
{
	for (unsigned i = 0; i < f->inboxes_n; i++) {
		struct kabi_inbox *ib = &f->inboxes[i];
		struct keel_msg m;
		while (inbox_ring_pop(ib->ring, &m))
			if (m.flags & MSG_FLAG_CAP)
				sys_cap_delete(m.cap);
		kabi_inbox_close(ib);
	}
	f->inboxes_n = 0;
	for (unsigned i = 0; i < f->children_n; i++) {
		sys_task_kill(f->children[i], 0);
		sys_cap_delete(f->children[i]);
	}
	f->children_n = 0;
	for (unsigned i = 0; i < f->known_n; i++)
		if (f->known[i] != f->self_task && f->known[i] != f->mem)
			sys_cap_delete(f->known[i]);
	f->known_n = f->known_next = 0;
	sys_memory_unmap(CAP_HANDLE_NONE, KABI_FUZZ_ARENA_VA, KABI_FUZZ_ARENA_PAGES);
}

/* Draws and issues one call; returns false if the filter skipped it. */
static bool one_call(struct fuzz *f)
{
	uint64_t nr = rnd(f) % (KABI_FUZZ_NR_MAX + 1), a[8], ret[7];
	status_t st;

	for (int i = 0; i < 6; i++)
		a[i] = rand_arg(f);
	if (rnd(f) & 1)
		a[0] = rand_handle(f); /* most calls name a capability first */
	/* Drawn from a second generator, so a seed replays the same first six
	 * arguments as before the register form existed. */
	uint64_t keep = f->rng;
	f->rng = f->rng_regs;
	a[6] = rand_arg(f);
	a[7] = rand_arg(f);
	f->rng_regs = f->rng;
	f->rng = keep;
	if (!filter(f, nr, a)) {
		f->res->skipped++;
		return false;
	}
	/* Every call goes in with eight registers (rbx and r12 random too)
	 * and comes back with seven: register-form calls read and write them,
	 * the others must leave them alone. */
	st = (status_t)syscall_raw_regs(nr, a, ret);
	f->res->calls++;
	f->res->by_number[nr]++;
	f->res->by_status[(unsigned)st < STATUS_COUNT ? st : STATUS_COUNT]++;
	if (st == STATUS_OK)
		harvest(f, nr, a, ret);
	return true;
}

int keel_main(const struct keel_start *s)
{
	struct fuzz f = {
		.rng = keel_start_arg(s) | 1,
		.rng_regs = (keel_start_arg(s) ^ 0x5851f42d4c957f2dull) | 1,
		.self_task = s->self_task,
		.mem = keel_start_cap(s, 0),
		.res = (volatile struct kabi_fuzz_result *)(uintptr_t)KABI_FUZZ_RESULT_VA,
	};

	if (sys_memory_map(CAP_HANDLE_NONE, f.mem, KABI_FUZZ_RESULT_VA, 0, 1,
			   RIGHT_READ | RIGHT_WRITE))
		return 11;
	if (sys_memory_map(CAP_HANDLE_NONE, f.mem, KABI_FUZZ_TARGET_VA, 1, 1,
			   RIGHT_READ | RIGHT_WRITE))
		return 12;
	while (f.res->calls < KABI_FUZZ_CALLS) {
		if (one_call(&f) && f.res->calls % CLEANUP_EVERY == 0)
			cleanup(&f);
	}
	cleanup(&f);
	f.res->magic = KABI_FUZZ_MAGIC;
	return 0;
}
