/*
 * kabi-adversary.c - an unprivileged task that builds valid capability
 * graphs on purpose and works them from several threads at once
 * (kabi.test=adversary; root_adversary.c starts three of these on -smp 4).
 *
 * Where kabi-fuzz draws random arguments, this task only makes calls that
 * look right: derived and badged capabilities, grant-once copies, calls
 * that time out so their reply capabilities go stale at the server,
 * shared memory and an MMIO page mapped and unmapped, a CSpace filled to
 * FULL, quotas driven to QUOTA, child tasks created and killed, futex
 * waits on a page shared with the other adversaries. Its threads race
 * each other on one CSpace and one address space; the root may kill the
 * whole task in the middle of a call.
 *
 * Capabilities from the root (keel_start_cap): 0 shared memory of
 * KABI_SHM_PAGES pages (read, write, map), 1 an MMIO page (read, write,
 * map), 2 a badged send capability to the root's hub inbox.
 * Argument: seed in bits 0-31, operations per thread in bits 32-63.
 *
 * A few operations have one right answer (a copy from the MMIO page is
 * BAD_ADDRESS, a revoked child is unusable, a grant-once capability works
 * once); any other answer is counted as a violation. The result (struct
 * kabi_adv_result) goes to the shared memory's first page at the task's
 * slot (its badge), where the root reads it.
 */
#include "keel/map.h"
#include "kabi.h"

#define WORKERS 3
#define STACK_PAGES 4
#define MAP_SLOTS 4
#define HOARD_MAX 96
#define SERVER_BIT 7
#define ADV_MAP_VA 0x0000360000000000ull
#define ADV_INBOX_VA 0x0000370000000000ull

struct adv {
	const struct keel_start *start;
	cap_handle_t shm, mmio, hub;
	uint8_t *shared; /* the shared pages (page 0: results) */
	struct kabi_adv_result *res;
	volatile cap_handle_t server; /* send capability to our own server inbox */
	volatile uint32_t ready;      /* 1: server is up, 2: it failed */
	volatile uint32_t running, done;
	uint64_t ops;
	uint32_t seed;
};

static struct adv adv;

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void violation(void)
{
	__atomic_add_fetch(&adv.res->violations, 1, __ATOMIC_RELAXED);
}

/* The server thread: owns the inbox, answers some calls at once, some late
 * (the caller has timed out: the reply is consumed as STALE), some never
 * (the reply capability is deleted: the caller gets DEAD). */
static void check_once(struct keel_msg *m)
{
	struct keel_msg t = kabi_msg(KABI_TRY, 0, 0, 0);
	uint64_t info, badge;
	if (sys_msg_send(m->cap, &t, m->cap, CAP_COPY) != STATUS_INVALID)
		violation();
	status_t st = sys_msg_send(m->cap, &t, CAP_HANDLE_NONE, CAP_COPY);
	if (st != STATUS_OK && st != STATUS_FULL)
		violation();
	if (st == STATUS_OK && sys_cap_info(m->cap, &info, &badge) != STATUS_BAD_CAP)
		violation();
	sys_cap_delete(m->cap);
}

static void serve_one(struct keel_msg *m, uint64_t *rng)
{
	if (!(m->flags & MSG_FLAG_CAP))
		return;
	if (m->label == KABI_ITEM && (m->flags & MSG_FLAG_CAP_ONCE)) {
		check_once(m);
		return;
	}
	if (m->label != KABI_PING) {
		sys_cap_delete(m->cap); /* a capability sent to us */
		return;
	}
	struct keel_msg r = kabi_msg(KABI_PONG, kabi_word(m, 0) + 1, 0, 0);
	uint64_t pending, head = r.label | (uint64_t)r.len << 32;
	switch (rnd(rng) % 5) {
	case 0:
		sys_cap_delete(m->cap);
		break;
	case 1:
		kabi_sleep(20000);
		/* fall through */
	case 2:
		sys_msg_reply(m->cap, &r, CAP_HANDLE_NONE, CAP_COPY);
		break;
	default:
		/* In registers, after a hostile head that must change nothing:
		 * a len past what the registers carry, or bits 48-63 set. */
		if (sys_msg_reply_wait_regs(
			    m->cap,
			    rnd(rng) % 2 ? head | 1ull << (48 + rnd(rng) % 16)
					 : r.label | (MSG_REPLY_REGS_MAX + 1ull) << 32,
			    1ull << SERVER_BIT, 0, 1, 2, 3, 4, &pending) != STATUS_INVALID)
			violation();
		/* The poll may take the inbox's bit: kabi_recv pops before it waits. */
		sys_msg_reply_wait_regs(m->cap, head, 1ull << SERVER_BIT, 0, kabi_word(&r, 0),
					kabi_word(&r, 1), kabi_word(&r, 2), 0, &pending);
	}
}

static _Noreturn void server(uint64_t arg)
{
	struct kabi_inbox ib;
	struct keel_msg m;
	uint64_t rng = arg | 1;
	cap_handle_t send;
	status_t st = kabi_inbox_open(&ib, 16, SERVER_BIT, ADV_INBOX_VA);
	if (st == STATUS_OK)
		st = sys_cap_derive(ib.cap, RIGHT_SEND, 0x5e1f, &send);
	if (st != STATUS_OK) {
		adv.res->reserved[0] = st;
		violation();
		__atomic_store_n(&adv.ready, 2, __ATOMIC_RELEASE);
		__atomic_add_fetch(&adv.done, 1, __ATOMIC_RELEASE);
		sys_thread_exit(0);
	}
	adv.server = send;
	__atomic_store_n(&adv.ready, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&adv.running, __ATOMIC_ACQUIRE))
		if (kabi_recv(&ib, &m, KABI_MS) == STATUS_OK)
			serve_one(&m, &rng);
	while (inbox_ring_pop(ib.ring, &m))
		if (m.flags & MSG_FLAG_CAP)
			sys_cap_delete(m.cap);
	kabi_inbox_close(&ib);
	__atomic_add_fetch(&adv.done, 1, __ATOMIC_RELEASE);
	sys_thread_exit(0);
}

/* A call to our own server that often times out, with the message in
 * memory or in registers; in registers a hostile head is INVALID first. */
static void op_call(uint64_t *rng)
{
	uint64_t w = rnd(rng), timeout = rnd(rng) % 3 ? 50000 : 0;
	struct keel_msg m = kabi_msg(KABI_PING, w, 0, 0);
	cap_handle_t s = __atomic_load_n(&adv.server, __ATOMIC_ACQUIRE);
	uint64_t head, r[5];
	cap_handle_t c;
	status_t st;
	if (rnd(rng) % 2) {
		st = sys_msg_call(s, &m, timeout);
	} else {
		head = rnd(rng) % 2 ? KABI_PING | (MSG_CALL_REGS_MAX + 1 + rnd(rng) % 0xffd7) << 32
				    : KABI_PING | 1ull << (48 + rnd(rng) % 16);
		if (sys_msg_call_regs(s, head, timeout, w, 0, 0, 0, 0, &head, &c, &r[0], &r[1],
				      &r[2], &r[3], &r[4]) != STATUS_INVALID)
			violation();
		st = keel_msg_call(s, &m, timeout);
	}
	if (st == STATUS_OK && (m.label != KABI_PONG || kabi_word(&m, 0) != w + 1 ||
				(m.flags & MSG_FLAG_CAP) || m.badge))
		violation();
}

/* A derived (sometimes badged) memory capability sent in one of the three
 * modes, to our server or to the root's hub. */
static void op_send_cap(uint64_t *rng)
{
	cap_handle_t c;
	uint64_t badge = rnd(rng) % 2 ? 0x100 + (rnd(rng) & 0xff) : 0;
	if (sys_cap_derive(adv.shm, RIGHT_READ | RIGHT_MAP | RIGHT_GRANT, badge, &c) != STATUS_OK)
		return;
	struct keel_msg m = kabi_msg(KABI_GIFT, 0, 0, 0);
	uint32_t mode = (uint32_t)(rnd(rng) % 3);
	cap_handle_t to = rnd(rng) % 2 ? adv.hub : __atomic_load_n(&adv.server, __ATOMIC_ACQUIRE);
	status_t st = sys_msg_send(to, &m, c, mode);
	if (st != STATUS_OK || mode != CAP_MOVE)
		sys_cap_delete(c);
}

/* Revoking a capability makes everything derived from it unusable. */
static void op_revoke_chain(uint64_t *rng)
{
	cap_handle_t a, b, c;
	(void)rng;
	if (sys_cap_derive(adv.shm, RIGHT_READ | RIGHT_MAP | RIGHT_GRANT, 0, &a) != STATUS_OK)
		return;
	if (sys_cap_derive(a, RIGHT_READ | RIGHT_GRANT, 0, &b) == STATUS_OK) {
		if (sys_cap_derive(b, RIGHT_READ, 0, &c) == STATUS_OK) {
			sys_cap_revoke(a);
			uint64_t info, badge;
			if (sys_cap_info(c, &info, &badge) == STATUS_OK)
				violation();
			sys_cap_delete(c);
		}
		sys_cap_delete(b);
	}
	sys_cap_delete(a);
}

/* A grant-once copy of a send capability to our own server: the server
 * (check_once) finds it cannot travel in its own message, works once and
 * is then gone. Then a plain message sent in registers. */
static void op_grant_once(uint64_t *rng)
{
	cap_handle_t s = __atomic_load_n(&adv.server, __ATOMIC_ACQUIRE);
	struct keel_msg m = kabi_msg(KABI_ITEM, rnd(rng), 0, 0);
	sys_msg_send(s, &m, s, CAP_GRANT_ONCE);
	/* A message in registers: a hostile head first, which sends nothing. */
	if (sys_msg_send_regs(s, KABI_ITEM | (rnd(rng) % 2 ? 1ull << 63 : 41ull << 32), 0, 0, 0, 0,
			      0) != STATUS_INVALID)
		violation();
	status_t st = keel_msg_send(s, &m, CAP_HANDLE_NONE, 0);
	if (st != STATUS_OK && st != STATUS_FULL)
		violation();
}

/* Maps the shared memory and the MMIO page; every copy through the MMIO
 * page is refused. */
static void op_map(uint64_t *rng, unsigned me)
{
	uint64_t va = ADV_MAP_VA + (me * MAP_SLOTS + rnd(rng) % MAP_SLOTS) * 0x100000ull;
	bool dev = rnd(rng) % 2;
	uint64_t pages = dev ? 1 : 1 + rnd(rng) % (KABI_SHM_PAGES - 2);
	/* Shared pages 2 and up: 0 holds the results, 1 the futex words. */
	if (sys_memory_map(CAP_HANDLE_NONE, dev ? adv.mmio : adv.shm, va, dev ? 0 : 2, pages,
			   RIGHT_READ | RIGHT_WRITE) != STATUS_OK)
		return;
	if (dev) {
		struct keel_msg *m = (struct keel_msg *)va;
		cap_handle_t s = __atomic_load_n(&adv.server, __ATOMIC_ACQUIRE);
		if (sys_msg_send(s, m, CAP_HANDLE_NONE, CAP_COPY) != STATUS_BAD_ADDRESS)
			violation();
	} else {
		((volatile uint8_t *)va)[rnd(rng) % (pages * KEEL_PAGE_SIZE)] = 1;
	}
	sys_memory_unmap(CAP_HANDLE_NONE, va, pages);
}

/* Fills the CSpace (or the object quota) and empties it again. */
static void op_hoard(uint64_t *rng)
{
	cap_handle_t held[HOARD_MAX];
	unsigned n = 0;
	bool objects = rnd(rng) % 2;
	while (n < HOARD_MAX) {
		status_t st = objects ? sys_memory_create(1, 0, &held[n])
				      : sys_cap_derive(adv.shm, RIGHT_READ, 0, &held[n]);
		if (st != STATUS_OK) {
			if (st != STATUS_FULL && st != STATUS_QUOTA)
				violation();
			break;
		}
		n++;
	}
	while (n)
		sys_cap_delete(held[--n]);
}

/* A child task with a thread-less address space, made and killed. */
static void op_task(uint64_t *rng)
{
	cap_handle_t t, mem;
	if (sys_task_create(4, 4, 8 + rnd(rng) % 8, CAP_HANDLE_NONE, &t) != STATUS_OK)
		return;
	if (sys_memory_create(1, 0, &mem) == STATUS_OK) {
		sys_memory_map(t, mem, 0x400000, 0, 1, RIGHT_READ | RIGHT_WRITE);
		sys_cap_delete(mem);
	}
	if (rnd(rng) % 2)
		sys_task_kill(t, 0);
	sys_cap_delete(t);
}

/* Futex waits and wakes on words of the page shared with the others. */
static void op_futex(uint64_t *rng)
{
	uint64_t word = (uint64_t)(uintptr_t)(adv.shared + KEEL_PAGE_SIZE + 4 * (rnd(rng) % 16));
	uint64_t woken;
	if (rnd(rng) % 2)
		sys_futex_wait(word, *(volatile uint32_t *)(uintptr_t)word, 20000);
	else
		sys_futex_wake(word, 2, &woken);
}

static void one_op(uint64_t *rng, unsigned me)
{
	switch (rnd(rng) % 9) {
	case 0:
		op_call(rng);
		break;
	case 1:
		op_send_cap(rng);
		break;
	case 2:
		op_revoke_chain(rng);
		break;
	case 3:
		op_grant_once(rng);
		break;
	case 4:
		op_map(rng, me);
		break;
	case 5:
		op_hoard(rng);
		break;
	case 6:
		op_task(rng);
		break;
	case 7:
		op_futex(rng);
		break;
	default:
		sys_thread_yield();
		break;
	}
	__atomic_add_fetch(&adv.res->ops, 1, __ATOMIC_RELAXED);
}

static _Noreturn void worker(uint64_t me)
{
	uint64_t rng = ((uint64_t)adv.seed << 8 | me) * 0x9e3779b97f4a7c15ull | 1;
	while (__atomic_load_n(&adv.ready, __ATOMIC_ACQUIRE) == 0)
		kabi_sleep(KABI_MS);
	if (adv.ready == 1)
		for (uint64_t i = 0; i < adv.ops; i++)
			one_op(&rng, (unsigned)me);
	__atomic_add_fetch(&adv.done, 1, __ATOMIC_RELEASE);
	sys_thread_exit(0);
}

static status_t start_thread(void (*fn)(uint64_t), uint64_t arg)
{
	cap_handle_t mem, th;
	void *stack;
	status_t st = sys_memory_create(STACK_PAGES, 0, &mem);
	if (st == STATUS_OK)
		st = keel_map(mem, 0, STACK_PAGES, RIGHT_READ | RIGHT_WRITE, &stack);
	if (st)
		return st;
	uint64_t top = (uint64_t)(uintptr_t)stack + STACK_PAGES * KEEL_PAGE_SIZE - 8;
	uint64_t n = adv.start->cpu_count, cpus = n >= 64 ? ~0ull : (1ull << n) - 1;
	return sys_thread_create(adv.start->self_task, (uint64_t)(uintptr_t)fn, top, arg,
				 THREAD_TIER_MATTER, cpus ? cpus : 1, &th);
}

int keel_main(const struct keel_start *start)
{
	uint64_t arg = keel_start_arg(start), info, badge;
	void *shared;
	adv.start = start;
	adv.shm = keel_start_cap(start, 0);
	adv.mmio = keel_start_cap(start, 1);
	adv.hub = keel_start_cap(start, 2);
	adv.seed = (uint32_t)arg;
	adv.ops = arg >> 32;
	if (sys_cap_info(adv.hub, &info, &badge) != STATUS_OK || badge >= KABI_ADV_TASKS ||
	    keel_map(adv.shm, 0, KABI_SHM_PAGES, RIGHT_READ | RIGHT_WRITE, &shared) != STATUS_OK)
		return 2;
	adv.shared = shared;
	adv.res = (struct kabi_adv_result *)shared + badge;
	adv.running = 1;
	if (start_thread(server, arg) != STATUS_OK)
		return 3;
	for (uint64_t i = 0; i < WORKERS; i++)
		if (start_thread(worker, i) != STATUS_OK)
			return 4;
	while (__atomic_load_n(&adv.done, __ATOMIC_ACQUIRE) < WORKERS)
		kabi_sleep(5 * KABI_MS);
	__atomic_store_n(&adv.running, 0, __ATOMIC_RELEASE);
	while (__atomic_load_n(&adv.done, __ATOMIC_ACQUIRE) < WORKERS + 1)
		kabi_sleep(KABI_MS);
	__atomic_store_n(&adv.res->magic, KABI_ADV_MAGIC, __ATOMIC_RELEASE);
	return 0;
}
