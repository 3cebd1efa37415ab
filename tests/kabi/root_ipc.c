/*
 * root_ipc.c - message tests: pingpong (calls, replies, batched sends,
 * a server parked on another CPU and killed there, a parked thread's
 * wake giving way to a more urgent one, the fast path's cases),
 * badge (the kernel stamps badges; they cannot be changed) and revoke
 * (revocation reaches capabilities passed on by other tasks).
 */
#include "root.h"

#define PINGPONG_CALLS 1000
#define BATCH 32

/* Badges of the supervisor capabilities, one per child. */
#define SUP_PONG 0x5001
#define SUP_BADGE 0x5002
#define SUP_RELAY_A 0x500a
#define SUP_RELAY_B 0x500b
#define SUP_PARKED 0x5003

#define PARK_ROUNDS 8 /* parked_pongs */
#define PARK_CALLS 100
#define YIELD_STACK_PAGES 4         /* parked_wake_yields */
#define YIELD_SPIN_TICKS 2000000ull /* the urgent thread's run, in timestamp ticks */

/* Derives a send-only supervisor capability with badge; 0 on failure. */
static cap_handle_t sup_cap(struct kabi_root *r, struct kabi_inbox *sup, uint64_t badge)
{
	cap_handle_t c = CAP_HANDLE_NONE;

	kr_ok(r, "derive a badged supervisor capability",
	      sys_cap_derive(sup->cap, RIGHT_SEND, badge, &c));
	return c;
}

/* Waits for a child's KABI_HELLO on in; returns the capability it carries. */
static cap_handle_t wait_hello(struct kabi_root *r, struct kabi_inbox *in, uint64_t badge,
			       const char *who)
{
	struct keel_msg m = { 0 };
	status_t st = kabi_recv(in, &m, KABI_WAIT_NS);

	if (st) {
		kr_fail(r, who, "no hello: %s", status_name(st));
		return CAP_HANDLE_NONE;
	}
	if (m.label != KABI_HELLO || !(m.flags & MSG_FLAG_CAP) || m.cap == CAP_HANDLE_NONE ||
	    m.badge != badge) {
		kr_fail(r, who, "bad hello: label %#x flags %#x cap %#x badge %#llx (wanted %#llx)",
			m.label, m.flags, m.cap, (unsigned long long)m.badge,
			(unsigned long long)badge);
		return CAP_HANDLE_NONE;
	}
	kr_pass(r, "%s: hello with a capability, badge %#llx", who, (unsigned long long)badge);
	return m.cap;
}

/* 1000 calls, each reply checked; stops at the first bad one. */
static void pingpong_calls(struct kabi_root *r, cap_handle_t pong)
{
	for (uint64_t i = 0; i < PINGPONG_CALLS; i++) {
		struct keel_msg m = kabi_msg(KABI_PING, i, 0, 0);
		status_t st = sys_msg_call(pong, &m, KABI_WAIT_NS);
		if (st) {
			kr_fail(r, "sys_msg_call round trips", "call %llu: %s",
				(unsigned long long)i, status_name(st));
			return;
		}
		if (m.label != KABI_PONG || kabi_word(&m, 0) != i + 1 || kabi_word(&m, 1) != ~i ||
		    m.badge != 0 || (m.flags & MSG_FLAG_CAP) || m.len != 24) {
			kr_fail(r, "sys_msg_call round trips",
				"call %llu: reply label %#x len %u flags %#x badge %#llx words "
				"%#llx %#llx",
				(unsigned long long)i, m.label, m.len, m.flags,
				(unsigned long long)m.badge, (unsigned long long)kabi_word(&m, 0),
				(unsigned long long)kabi_word(&m, 1));
			return;
		}
	}
	kr_pass(r, "%d sys_msg_call round trips, replies checked", PINGPONG_CALLS);
}

/* The same calls with the messages in registers (sys_msg_call_regs, which
 * pong answers with sys_msg_reply_wait_regs); hostile heads are INVALID
 * as an oversized len is in memory, and the payload past len is cleared. */
static void pingpong_regs(struct kabi_root *r, cap_handle_t pong)
{
	uint64_t head, w[5];
	cap_handle_t c;
	struct keel_msg m;

	for (uint64_t i = 0; i < PINGPONG_CALLS; i++) {
		m = kabi_msg(KABI_PING_REGS, i, 0, 0);
		status_t st = keel_msg_call(pong, &m, KABI_WAIT_NS);
		if (st || m.label != KABI_PONG || kabi_word(&m, 0) != i + 1 ||
		    kabi_word(&m, 1) != ~i || kabi_word(&m, 2) != 0 || kabi_word(&m, 4) != 0 ||
		    m.badge != 0 || (m.flags & MSG_FLAG_CAP) || m.len != 24) {
			kr_fail(r, "sys_msg_call_regs round trips",
				"call %llu: %s, reply label %#x len %u flags %#x words %#llx %#llx",
				(unsigned long long)i, status_name(st), m.label, m.len, m.flags,
				(unsigned long long)kabi_word(&m, 0),
				(unsigned long long)kabi_word(&m, 1));
			return;
		}
	}
	kr_pass(r, "%d sys_msg_call_regs round trips, replies checked", PINGPONG_CALLS);
	kr_expect(r, "sys_msg_call_regs: len 41 is INVALID",
		  sys_msg_call_regs(pong, KABI_PING_REGS | 41ull << 32, KABI_WAIT_NS, 0, 0, 0, 0, 0,
				    &head, &c, &w[0], &w[1], &w[2], &w[3], &w[4]),
		  STATUS_INVALID);
	kr_expect(r, "sys_msg_call_regs: len 0xffff is INVALID",
		  sys_msg_call_regs(pong, KABI_PING_REGS | 0xffffull << 32, KABI_WAIT_NS, 0, 0, 0,
				    0, 0, &head, &c, &w[0], &w[1], &w[2], &w[3], &w[4]),
		  STATUS_INVALID);
	kr_expect(r, "sys_msg_call_regs: bit 63 of head is INVALID",
		  sys_msg_call_regs(pong, KABI_PING_REGS | 8ull << 32 | 1ull << 63, KABI_WAIT_NS, 0,
				    0, 0, 0, 0, &head, &c, &w[0], &w[1], &w[2], &w[3], &w[4]),
		  STATUS_INVALID);
	kr_expect(r, "sys_msg_send_regs: len 41 is INVALID",
		  sys_msg_send_regs(pong, KABI_ITEM | 41ull << 32, 0, 0, 0, 0, 0), STATUS_INVALID);
	kr_expect(r, "sys_msg_send_regs: bit 48 of head is INVALID",
		  sys_msg_send_regs(pong, KABI_ITEM | 1ull << 48, 0, 0, 0, 0, 0), STATUS_INVALID);
	m = (struct keel_msg){ .label = KABI_PING_REGS, .len = MSG_PAYLOAD_MAX + 1 };
	kr_expect(r, "keel_msg_call: len 41 is INVALID (in memory)",
		  keel_msg_call(pong, &m, KABI_WAIT_NS), STATUS_INVALID);
	/* len 3: pong sees only the low three bytes of ~0, so it answers 2^24. */
	if (kr_ok(r, "sys_msg_call_regs with len 3 and a full word",
		  sys_msg_call_regs(pong, KABI_PING_REGS | 3ull << 32, KABI_WAIT_NS, ~0ull, ~0ull,
				    ~0ull, ~0ull, ~0ull, &head, &c, &w[0], &w[1], &w[2], &w[3],
				    &w[4]))) {
		kr_expect_u64(r, "the receiver sees no byte past len", w[0], 1ull << 24);
		kr_expect_u64(r, "the reply's head: label, len 24, no flags", head,
			      KABI_PONG | 24ull << 32);
		kr_expect_u64(r, "the reply carries no capability", c, CAP_HANDLE_NONE);
		kr_expect_u64(r, "the reply's bytes past its len are zero", w[3] | w[4], 0);
	}
}

/* pong sends BATCH messages before replying; one wait then drains them all. */
static void pingpong_batch(struct kabi_root *r, struct kabi_inbox *in, cap_handle_t pong)
{
	struct keel_msg m = kabi_msg(KABI_BATCH, BATCH, 0, 0);
	uint64_t pending = 0;
	uint32_t n = 0;

	if (!kr_ok(r, "call pong for a batch", sys_msg_call(pong, &m, KABI_WAIT_NS)))
		return;
	kr_expect_u64(r, "pong replies after sending the batch", kabi_word(&m, 0), BATCH);
	if (!kr_expect(r, "one sys_signal_wait sees the batch",
		       sys_signal_wait(in->mask, KABI_WAIT_NS, &pending), STATUS_OK))
		return;
	kr_expect_u64(r, "sys_signal_wait returns the inbox bit", pending, in->mask);
	while (inbox_ring_pop(in->ring, &m)) {
		if (m.label != KABI_ITEM || kabi_word(&m, 0) != n || m.badge != 1) {
			kr_fail(r, "batch order", "message %u: label %#x word %llu badge %#llx", n,
				m.label, (unsigned long long)kabi_word(&m, 0),
				(unsigned long long)m.badge);
			return;
		}
		n++;
	}
	kr_expect_u64(r, "batch of sys_msg_send drained after one wait", n, BATCH);
}

/*
 * A server that waits alone on its CPU parks there (docs/kernel.md,
 * "Scheduling"): its CPU halts on its stack. Each round pong is pinned to
 * the last CPU, answers calls from this one, waits again, and then its
 * task is killed while it waits: the kill must end it although no wake
 * comes (its stack is in use where it halts), and afterwards every kernel
 * counter must be back at the baseline.
 */
static void parked_pongs(struct kabi_root *r, struct kabi_inbox *in, struct kabi_inbox *sup)
{
	uint64_t last = kr_last_cpu(r);
	struct kernel_stats base;
	unsigned answered = 0, ended = 0;

	if (r->all_cpus == last)
		return; /* one CPU: the caller is always there too */
	cap_handle_t supc = sup_cap(r, sup, SUP_PARKED);
	if (!supc || !kr_warm_up(r, sup, supc, SUP_PARKED, &base))
		return;
	for (unsigned i = 0; i < PARK_ROUNDS; i++) {
		struct keel_child c = { 0 };
		struct keel_spawn_args a = kr_args(r, "kabi-pong");
		struct keel_msg m = { 0 };
		a.affinity = last;
		a.fault_inbox = supc;
		kr_give(&a, in->cap, RIGHT_SEND | RIGHT_GRANT, 1);
		if (!kr_spawn(r, &a, &c))
			break;
		cap_handle_t p = CAP_HANDLE_NONE;
		if (kabi_recv(in, &m, KABI_WAIT_NS) == STATUS_OK && m.label == KABI_HELLO &&
		    (m.flags & MSG_FLAG_CAP))
			p = m.cap;
		bool ok = p != CAP_HANDLE_NONE;
		for (uint64_t k = 0; ok && k < PARK_CALLS; k++) {
			m = kabi_msg(KABI_PING, k, 0, 0);
			ok = sys_msg_call(p, &m, KABI_WAIT_NS) == STATUS_OK &&
			     m.label == KABI_PONG && kabi_word(&m, 0) == k + 1;
			if (ok && k % 10 == 9)
				kabi_sleep(KABI_MS / 2); /* pong parks between some of them */
		}
		answered += ok;
		kabi_sleep(2 * KABI_MS); /* pong waits for the next call, parked */
		sys_task_kill(c.task, 0);
		ended += kr_wait_end(r, sup, SUP_PARKED, &m, "a parked pong ends when killed");
		kr_release(&c);
		if (p)
			sys_cap_delete(p);
	}
	kr_expect_u64(r, "a server parked on another CPU answers every call", answered,
		      PARK_ROUNDS);
	kr_expect_u64(r, "a server killed while parked ends", ended, PARK_ROUNDS);
	kr_settle(r, &base, "parked and killed servers leave nothing behind", true);
	sys_cap_delete(supc);
}

/* parked_wake_yields: what the two threads saw, and how many ended. */
struct yield_ctx {
	volatile uint32_t started; /* the urgent thread began */
	volatile uint32_t saw;     /* the waiter, as it came back: started, +2 if signalled */
	uint32_t ended;
};

static _Noreturn void yield_waiter(void *arg)
{
	struct yield_ctx *y = arg;
	uint64_t pending = 0;
	sys_signal_wait(1, KABI_WAIT_NS, &pending);
	y->saw = y->started + (pending ? 2 : 0);
	kabi_thread_end(&y->ended);
}

static _Noreturn void yield_urgent(void *arg)
{
	struct yield_ctx *y = arg;
	y->started = 1;
	for (uint64_t t0 = kabi_rdtsc(); kabi_rdtsc() - t0 < YIELD_SPIN_TICKS;)
		;
	kabi_thread_end(&y->ended);
}

/*
 * A parked thread woken while a more urgent one was queued on its CPU
 * lets that one run first (the park kicks its own CPU). A Gravity thread
 * parks on the last CPU in sys_signal_wait; this thread queues a Matter
 * thread there and signals the waiter, two system calls in a row, so the
 * parked CPU usually finds both when it next looks. Whichever it sees
 * first, the Matter thread must have begun before the waiter runs on.
 */
static void parked_wake_yields(struct kabi_root *r)
{
	static struct yield_ctx y;
	uint64_t last = kr_last_cpu(r);
	struct kr_thread waiter, urgent = { 0 };

	if (r->all_cpus == last)
		return;
	y = (struct yield_ctx){ 0 };
	if (kr_thread(r, yield_waiter, &y, YIELD_STACK_PAGES, THREAD_TIER_GRAVITY, last, &waiter)) {
		kabi_sleep(5 * KABI_MS); /* it waits, parked */
		if (kr_thread(r, yield_urgent, &y, YIELD_STACK_PAGES, THREAD_TIER_MATTER, last,
			      &urgent))
			kr_ok(r, "signal the waiter", sys_signal_raise(waiter.thread, 1));
		for (int i = 0; i < 5000 && __atomic_load_n(&y.ended, __ATOMIC_ACQUIRE) < 2; i++)
			kabi_sleep(KABI_MS);
		kr_expect_u64(r, "a parked thread woken beside a more urgent one lets it run first",
			      y.saw, 3);
	}
	kr_thread_free(&waiter);
	kr_thread_free(&urgent);
}

/* sys_task_info of pong after it has answered calls, of the root itself,
 * and what is refused. */
static void task_described(struct kabi_root *r, cap_handle_t task, cap_handle_t inbox)
{
	struct task_info pi, own;
	uint64_t now = 0;
	cap_handle_t bare = 0;
	if (!kr_ok(r, "sys_task_info of pong", sys_task_info(task, &pi, sizeof pi)) ||
	    !kr_ok(r, "sys_task_info of the root itself",
		   sys_task_info(r->start->self_task, &own, sizeof own)))
		return;
	sys_clock_read(&now);
	kr_expect_u64(r, "the root is task 1", own.id, 1);
	kr_expect_u64(r, "pong has its own id", pi.id > 1, 1);
	kr_expect_u64(r, "pong has its one thread", pi.threads, 1);
	kr_expect_u64(r, "pong's pages are charged to it and to the root",
		      pi.pages > 0 && own.pages >= pi.pages, 1);
	kr_expect_u64(r, "pong holds slots and objects", pi.slots > 0 && pi.objects > 0, 1);
	kr_expect_u64(r, "pong has run", pi.run_ns > 0, 1);
	kr_expect_u64(r, "pong was made after the root and before now",
		      own.created_ns <= pi.created_ns && pi.created_ns <= now, 1);
	kr_expect_u64(r, "pong is not dying", pi.flags, 0);
	kr_expect(r, "a buffer too short is RANGE", sys_task_info(task, &pi, sizeof pi - 1),
		  STATUS_RANGE);
	kr_expect(r, "a buffer in the kernel's half is BAD_ADDRESS",
		  sys_task_info(task, (void *)0xffff800000000000ull, sizeof pi),
		  STATUS_BAD_ADDRESS);
	if (kr_ok(r, "derive pong's task without read",
		  sys_cap_derive(task, RIGHT_CONTROL, 0, &bare))) {
		kr_expect(r, "without read it is NO_RIGHTS", sys_task_info(bare, &pi, sizeof pi),
			  STATUS_NO_RIGHTS);
		sys_cap_delete(bare);
	}
	kr_expect(r, "an inbox is not a task", sys_task_info(inbox, &pi, sizeof pi),
		  STATUS_BAD_CAP);
}

/*
 * The IPC fast path (kernel/core/ipc.c) runs a call, and a reply with a
 * wait, between two threads at home on one CPU while the other one
 * waits: it must give exactly what the general path gives. Two threads
 * of the root pinned to the first CPU - a server that owns an inbox of
 * FAST_CAPACITY and a client that calls it through a badged capability -
 * record what they see; the checks are made here once both have ended.
 */
enum fast_label {
	FAST_REGS = 0x46410001,
	FAST_MEM,
	FAST_JUNK,
	FAST_HOLD,
	FAST_ITEM,
	FAST_QUIT,
	FAST_MUTE /* not answered: the server waits again, with a deadline unless word 0 is 0 */
};

#define FAST_CAPACITY 4
#define FAST_BADGE 0x77
#define FAST_GO 2 /* the server's signal bit that ends its hold */
#define FAST_SEEN 3
#define FAST_STEPS 11
#define FAST_MUTES 2
#define FAST_MUTE_NS (3 * KABI_MS) /* the muted calls' timeout */

struct fast_ctx {
	uint64_t ring_va;
	struct kabi_inbox ib;    /* the server's */
	cap_handle_t client_cap; /* FAST_BADGE, send only */
	cap_handle_t server_thread;
	uint32_t ready;         /* the server's inbox: 1 open, 2 failed */
	uint32_t holding;       /* the server holds a full ring */
	uint32_t seen, drained; /* by the server: messages taken, items drained */
	struct keel_msg got[FAST_SEEN];
	status_t server_st;      /* why the server's loop ended */
	status_t st[FAST_STEPS]; /* the client's calls */
	struct keel_msg reply[FAST_STEPS];
	uint64_t mute_ns[FAST_MUTES];    /* how long each muted call waited */
	cap_handle_t muted[FAST_MUTES];  /* their reply handles, held by the server */
	status_t mute_reply[FAST_MUTES]; /* its late replies to them */
	uint32_t mutes, forever;
	uint32_t root_waits; /* the root is in its one wait for the end */
	uint32_t ended;
};

static _Noreturn void fast_server(void *arg)
{
	struct fast_ctx *f = arg;
	uint64_t pending = 0;
	status_t st = kabi_inbox_open(&f->ib, FAST_CAPACITY, 0, f->ring_va);
	__atomic_store_n(&f->ready, st == STATUS_OK ? 1 : 2, __ATOMIC_RELEASE);
	for (bool quit = st != STATUS_OK; !quit && st == STATUS_OK;) {
		struct keel_msg m, out;
		if (!inbox_ring_pop(f->ib.ring, &m)) {
			st = sys_signal_wait(f->ib.mask,
					     f->forever ? TIMEOUT_FOREVER : KABI_WAIT_NS, &pending);
			continue;
		}
		f->forever = 0;
		/* The muted calls timed out meanwhile: answer them late. */
		for (uint32_t i = 0; i < f->mutes && m.label != FAST_MUTE; i++)
			if (f->muted[i]) {
				struct keel_msg late = kabi_msg(FAST_MUTE, 0, 0, 0);
				f->mute_reply[i] = sys_msg_reply(f->muted[i], &late,
								 CAP_HANDLE_NONE, 0);
				f->muted[i] = 0;
			}
		if (f->seen < FAST_SEEN)
			f->got[f->seen] = m;
		f->seen++;
		out = kabi_msg(m.label, kabi_word(&m, 0) + 1, 0, 0);
		switch (m.label) {
		case FAST_REGS:
			st = sys_msg_reply_wait_regs(m.cap, out.label | (uint64_t)out.len << 32,
						     f->ib.mask, KABI_WAIT_NS, kabi_word(&out, 0),
						     0, 0, 0, &pending);
			break;
		case FAST_MEM:
			st = sys_msg_reply_wait(m.cap, &out, CAP_HANDLE_NONE, 0, f->ib.mask,
						KABI_WAIT_NS, &pending);
			break;
		case FAST_JUNK:
			/* Header fields the kernel must not pass on, and bytes past len. */
			out.len = 5;
			memset(out.payload, 0xab, sizeof out.payload);
			out.flags = 3;
			out.badge = 99;
			out.cap = 0x123;
			out.reserved = 7;
			st = sys_msg_reply_wait(m.cap, &out, CAP_HANDLE_NONE, 0, f->ib.mask,
						KABI_WAIT_NS, &pending);
			break;
		case FAST_MUTE:
			if (f->mutes < FAST_MUTES)
				f->muted[f->mutes++] = m.cap;
			f->forever = kabi_word(&m, 0) == 0;
			break;
		case FAST_HOLD:
			/* Wait for the inbox's bit again and again without draining,
			 * until FAST_GO: the client fills the ring meanwhile. */
			__atomic_store_n(&f->holding, 1, __ATOMIC_RELEASE);
			do
				st = sys_signal_wait(f->ib.mask | FAST_GO, KABI_WAIT_NS, &pending);
			while (st == STATUS_OK && !(pending & FAST_GO));
			for (uint32_t n = 0;; n++)
				if (!inbox_ring_pop(f->ib.ring, &m)) {
					__atomic_store_n(&f->drained, n, __ATOMIC_RELEASE);
					break;
				}
			break;
		default:
			quit = true;
		}
	}
	f->server_st = st;
	kabi_thread_end(&f->ended);
}

static _Noreturn void fast_client(void *arg)
{
	struct fast_ctx *f = arg;
	struct keel_msg m = kabi_msg(FAST_REGS, 10, 0, 0);
	f->st[0] = keel_msg_call(f->client_cap, &m, KABI_WAIT_NS);
	f->reply[0] = m;
	/* The header a caller writes is not what the receiver gets. */
	m = kabi_msg(FAST_MEM, 20, 0, 0);
	m.flags = 0xffff;
	m.badge = 1234;
	m.cap = 5;
	m.reserved = 9;
	f->st[1] = sys_msg_call(f->client_cap, &m, KABI_WAIT_NS);
	f->reply[1] = m;
	m = kabi_msg(FAST_JUNK, 30, 0, 0);
	f->st[2] = sys_msg_call(f->client_cap, &m, KABI_WAIT_NS);
	f->reply[2] = m;
	/* Calls the server takes and leaves unanswered, waiting again: with
	 * a deadline of its own (the caller's goes among the CPU's sleepers)
	 * and without one (the caller's stays the CPU's last). Each must end
	 * at its timeout. The root waits for the end first, so that it adds
	 * no deadline of its own meanwhile. */
	while (!__atomic_load_n(&f->root_waits, __ATOMIC_ACQUIRE))
		kabi_sleep(KABI_MS);
	kabi_sleep(KABI_MS);
	for (unsigned i = 0; i < FAST_MUTES; i++) {
		uint64_t t0, t1;
		m = kabi_msg(FAST_MUTE, i == 0, 0, 0);
		sys_clock_read(&t0);
		f->st[9 + i] = keel_msg_call(f->client_cap, &m, FAST_MUTE_NS);
		sys_clock_read(&t1);
		f->mute_ns[i] = t1 - t0;
	}
	/* The server holds; fill its ring, and let it wait again. */
	m = kabi_msg(FAST_HOLD, 0, 0, 0);
	f->st[3] = keel_msg_send(f->client_cap, &m, CAP_HANDLE_NONE, 0);
	for (int i = 0; i < 5000 && !__atomic_load_n(&f->holding, __ATOMIC_ACQUIRE); i++)
		kabi_sleep(KABI_MS);
	f->st[4] = STATUS_OK;
	for (uint64_t i = 0; i < FAST_CAPACITY && f->st[4] == STATUS_OK; i++) {
		m = kabi_msg(FAST_ITEM, i, 0, 0);
		f->st[4] = keel_msg_send(f->client_cap, &m, CAP_HANDLE_NONE, 0);
	}
	kabi_sleep(2 * KABI_MS);
	m = kabi_msg(FAST_REGS, 40, 0, 0);
	f->st[5] = keel_msg_call(f->client_cap, &m, KABI_WAIT_NS);
	m = kabi_msg(FAST_MEM, 50, 0, 0);
	f->st[6] = sys_msg_call(f->client_cap, &m, KABI_WAIT_NS);
	sys_signal_raise(f->server_thread, FAST_GO);
	for (int i = 0; i < 5000 && __atomic_load_n(&f->drained, __ATOMIC_ACQUIRE) < FAST_CAPACITY;
	     i++)
		kabi_sleep(KABI_MS);
	m = kabi_msg(FAST_REGS, 60, 0, 0);
	f->st[7] = keel_msg_call(f->client_cap, &m, KABI_WAIT_NS);
	f->reply[7] = m;
	/* A request the kernel cannot read, to a server that waits. */
	f->st[8] = sys_msg_call(f->client_cap, (struct keel_msg *)0xffff800000000000ull,
				KABI_WAIT_NS);
	m = kabi_msg(FAST_QUIT, 0, 0, 0);
	keel_msg_send(f->client_cap, &m, CAP_HANDLE_NONE, 0);
	kabi_thread_end(&f->ended);
}

/* What the server got through the badged capability for a call. */
static void fast_got(struct kabi_root *r, const struct fast_ctx *f, unsigned i, const char *what)
{
	const struct keel_msg *g = &f->got[i];
	if (g->badge != FAST_BADGE || g->flags != (MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE) ||
	    !(g->cap & 0x80000000u) || g->reserved != 0 || g->len != 24)
		kr_fail(r, what, "badge %#llx flags %#x cap %#x reserved %#x len %u",
			(unsigned long long)g->badge, g->flags, g->cap, g->reserved, g->len);
	else
		kr_pass(r, "%s", what);
}

static void pingpong_fast(struct kabi_root *r)
{
	static struct fast_ctx f;
	struct kr_thread srv = { 0 }, cli = { 0 };
	struct task_info before, after;

	f = (struct fast_ctx){ .ring_va = kr_va(r, 1) };
	if (!kr_ok(r, "the root's description",
		   sys_task_info(r->start->self_task, &before, sizeof before)))
		return;
	if (kr_thread(r, fast_server, &f, 4, THREAD_TIER_MATTER, 1, &srv)) {
		for (int i = 0; i < 5000 && !__atomic_load_n(&f.ready, __ATOMIC_ACQUIRE); i++)
			kabi_sleep(KABI_MS);
		f.server_thread = srv.thread;
		if (kr_expect_u64(r, "the server opens its inbox", f.ready, 1) &&
		    kr_ok(r, "derive a badged send capability",
			  sys_cap_derive(f.ib.cap, RIGHT_SEND, FAST_BADGE, &f.client_cap)) &&
		    kr_thread(r, fast_client, &f, 4, THREAD_TIER_MATTER, 1, &cli)) {
			/* One long wait rather than a loop of sleeps: the muted
			 * calls' deadlines must be the only ones added on the
			 * way (kernel/core/object/thread.c, the sleepers). */
			uint32_t e;
			__atomic_store_n(&f.root_waits, 1, __ATOMIC_RELEASE);
			while ((e = __atomic_load_n(&f.ended, __ATOMIC_ACQUIRE)) < 2 &&
			       sys_futex_wait((uint64_t)(uintptr_t)&f.ended, e, 60000 * KABI_MS) !=
				       STATUS_TIMEOUT)
				;
		}
	}
	kr_expect_u64(r, "fast path: client and server end", f.ended, 2);
	kr_expect(r, "fast path: the server's loop ends on quit", f.server_st, STATUS_OK);
	kr_expect(r, "fast path: a call in registers", f.st[0], STATUS_OK);
	kr_expect_u64(r, "fast path: its reply", kabi_word(&f.reply[0], 0), 11);
	fast_got(r, &f, 0, "fast path: a call in registers carries the badge and a reply handle");
	kr_expect(r, "fast path: a call in memory", f.st[1], STATUS_OK);
	kr_expect_u64(r, "fast path: its reply in memory", kabi_word(&f.reply[1], 0), 21);
	fast_got(r, &f, 1,
		 "fast path: a call in memory carries the badge, not the caller's header");
	kr_expect(r, "fast path: a reply in memory with a hostile header", f.st[2], STATUS_OK);
	const struct keel_msg *j = &f.reply[2];
	uint8_t want[MSG_PAYLOAD_MAX] = { 0 };
	memset(want, 0xab, 5);
	if (j->flags || j->badge || j->cap != CAP_HANDLE_NONE || j->reserved || j->len != 5 ||
	    memcmp(j->payload, want, sizeof want) != 0)
		kr_fail(r, "fast path: the caller gets only the reply's len bytes",
			"flags %#x badge %#llx cap %#x reserved %#x len %u", j->flags,
			(unsigned long long)j->badge, j->cap, j->reserved, j->len);
	else
		kr_pass(r, "fast path: the caller gets only the reply's len bytes");
	for (unsigned i = 0; i < FAST_MUTES; i++) {
		const char *how = i == 0 ? "the server waiting with a deadline"
					 : "the server waiting without one";
		kr_expect(r, "fast path: an unanswered call times out", f.st[9 + i],
			  STATUS_TIMEOUT);
		if (f.mute_ns[i] < FAST_MUTE_NS || f.mute_ns[i] > FAST_MUTE_NS + 50 * KABI_MS)
			kr_fail(r, "fast path: ... at its deadline", "%s: %llu ns for %llu", how,
				(unsigned long long)f.mute_ns[i], (unsigned long long)FAST_MUTE_NS);
		else
			kr_pass(r, "fast path: ... at its deadline, %s", how);
		kr_expect(r, "fast path: its late reply is STALE, the caller gone", f.mute_reply[i],
			  STATUS_STALE);
	}
	kr_expect(r, "fast path: a send to a holding server", f.st[3], STATUS_OK);
	kr_expect(r, "fast path: sends fill the ring", f.st[4], STATUS_OK);
	kr_expect(r, "fast path: a call in registers to a full ring is FULL", f.st[5], STATUS_FULL);
	kr_expect(r, "fast path: a call in memory to a full ring is FULL", f.st[6], STATUS_FULL);
	kr_expect_u64(r, "fast path: the server drains the ring", f.drained, FAST_CAPACITY);
	kr_expect(r, "fast path: a call once the ring is drained", f.st[7], STATUS_OK);
	kr_expect_u64(r, "fast path: its reply", kabi_word(&f.reply[7], 0), 61);
	kr_expect(r, "fast path: a request in the kernel's half is BAD_ADDRESS", f.st[8],
		  STATUS_BAD_ADDRESS);
	kr_thread_free(&cli);
	kr_thread_free(&srv);
	if (f.client_cap)
		sys_cap_delete(f.client_cap);
	if (f.ready == 1)
		kabi_inbox_close(&f.ib);
	/* Every reply entry taken (one slot unit each) was given back. */
	if (kr_ok(r, "the root's description after",
		  sys_task_info(r->start->self_task, &after, sizeof after)))
		kr_expect_u64(r, "fast path: the calls leave no slot charged", after.slots,
			      before.slots);
}

/*
 * Two threads of one task answer the same call at once: A on the caller's
 * CPU, whose reply and wait the fast path takes, and B on another CPU,
 * whose reply takes the general path and the caller's CPU's lock. Exactly
 * one reply may count - the caller gets it, once - and the other is
 * refused (BAD_CAP or STALE: the handle names nothing any more). A
 * publishes each call's handle and B takes it; both then reply after a
 * delay that changes from round to round, so that either may be first.
 */
#define RACE_ROUNDS 3000
enum race_label { RACE_CALL = 0x52410001, RACE_A, RACE_B, RACE_QUIT };

struct race_ctx {
	uint64_t ring_va;
	struct kabi_inbox ib; /* A's */
	cap_handle_t send;    /* the client's capability to it */
	uint32_t ready;       /* 1 once A's inbox is open, 2 if it failed */
	uint64_t published;   /* round << 32 | reply handle, 0 once B took it */
	uint32_t stop;        /* B ends */
	uint32_t a_ok, b_ok, a_refused, b_refused, c_a, c_b, c_wrong;
	status_t a_odd, b_odd, c_st; /* an unexpected status, the client's last */
	uint32_t ended;
};

static void race_delay(uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		__asm__ volatile("pause");
}

/* Counts one replier's reply: answered, refused (BAD_CAP or STALE: the
 * handle names nothing any more), or the first other status. */
static void race_tally(bool answered, status_t st, uint32_t *ok, uint32_t *refused, status_t *odd)
{
	if (answered)
		(*ok)++;
	else if (st == STATUS_BAD_CAP || st == STATUS_STALE)
		(*refused)++;
	else if (!*odd)
		*odd = st;
}

static _Noreturn void race_a(void *arg)
{
	struct race_ctx *x = arg;
	uint64_t pending;
	status_t st = kabi_inbox_open(&x->ib, 4, 0, x->ring_va);
	__atomic_store_n(&x->ready, st == STATUS_OK ? 1 : 2, __ATOMIC_RELEASE);
	while (st == STATUS_OK) {
		struct keel_msg m;
		if (!inbox_ring_pop(x->ib.ring, &m)) {
			st = sys_signal_wait(x->ib.mask, KABI_WAIT_NS, &pending);
			if (st == STATUS_TIMEOUT)
				st = STATUS_OK;
			continue;
		}
		if (m.label == RACE_QUIT)
			break;
		uint64_t k = kabi_word(&m, 0);
		__atomic_store_n(&x->published, k << 32 | m.cap, __ATOMIC_RELEASE);
		race_delay((uint32_t)(k * 7 % 61));
		status_t r = sys_msg_reply_wait_regs(m.cap, RACE_A | 8ull << 32, x->ib.mask,
						     KABI_WAIT_NS, k, 0, 0, 0, &pending);
		/* Answered, and then waited (OK) or waited in vain (TIMEOUT). */
		race_tally(r == STATUS_OK || r == STATUS_TIMEOUT, r, &x->a_ok, &x->a_refused,
			   &x->a_odd);
	}
	kabi_thread_end(&x->ended);
}

static _Noreturn void race_b(void *arg)
{
	struct race_ctx *x = arg;
	while (!__atomic_load_n(&x->stop, __ATOMIC_ACQUIRE)) {
		uint64_t p = __atomic_exchange_n(&x->published, 0, __ATOMIC_ACQ_REL);
		if (!p) {
			race_delay(1);
			continue;
		}
		uint64_t k = p >> 32;
		struct keel_msg m = kabi_msg(RACE_B, k, 0, 0);
		race_delay((uint32_t)(k * 13 % 67));
		status_t r = sys_msg_reply((cap_handle_t)p, &m, CAP_HANDLE_NONE, 0);
		race_tally(r == STATUS_OK, r, &x->b_ok, &x->b_refused, &x->b_odd);
	}
	kabi_thread_end(&x->ended);
}

static _Noreturn void race_client(void *arg)
{
	struct race_ctx *x = arg;
	for (uint64_t k = 1; k <= RACE_ROUNDS; k++) {
		struct keel_msg m = kabi_msg(RACE_CALL, k, 0, 0);
		x->c_st = keel_msg_call(x->send, &m, KABI_WAIT_NS);
		if (x->c_st)
			break;
		if (kabi_word(&m, 0) != k || (m.label != RACE_A && m.label != RACE_B))
			x->c_wrong++;
		else if (m.label == RACE_A)
			x->c_a++;
		else
			x->c_b++;
	}
	struct keel_msg quit = kabi_msg(RACE_QUIT, 0, 0, 0);
	keel_msg_send(x->send, &quit, CAP_HANDLE_NONE, 0);
	__atomic_store_n(&x->stop, 1, __ATOMIC_RELEASE);
	kabi_thread_end(&x->ended);
}

static void reply_race(struct kabi_root *r)
{
	static struct race_ctx x;
	struct kr_thread a = { 0 }, b = { 0 }, c = { 0 };
	struct task_info before, after;
	uint64_t first = r->all_cpus & -r->all_cpus, other = kr_last_cpu(r);

	if (first == other)
		return; /* one CPU: nothing runs at once */
	x = (struct race_ctx){ .ring_va = kr_va(r, 1) };
	if (!kr_ok(r, "the root's description",
		   sys_task_info(r->start->self_task, &before, sizeof before)))
		return;
	if (kr_thread(r, race_a, &x, 4, THREAD_TIER_MATTER, first, &a)) {
		for (int i = 0; i < 5000 && !__atomic_load_n(&x.ready, __ATOMIC_ACQUIRE); i++)
			kabi_sleep(KABI_MS);
		if (kr_expect_u64(r, "reply race: A opens its inbox", x.ready, 1) &&
		    kr_ok(r, "reply race: a send capability",
			  sys_cap_derive(x.ib.cap, RIGHT_SEND, 0, &x.send)) &&
		    kr_thread(r, race_b, &x, 4, THREAD_TIER_MATTER, other, &b) &&
		    kr_thread(r, race_client, &x, 4, THREAD_TIER_MATTER, first, &c)) {
			uint32_t e;
			while ((e = __atomic_load_n(&x.ended, __ATOMIC_ACQUIRE)) < 3 &&
			       sys_futex_wait((uint64_t)(uintptr_t)&x.ended, e, 120000 * KABI_MS) !=
				       STATUS_TIMEOUT)
				;
		}
	}
	kr_expect_u64(r, "reply race: A, B and the client end", x.ended, 3);
	kr_expect(r, "reply race: every call is answered", x.c_st, STATUS_OK);
	kr_expect_u64(r, "reply race: ... with its own round and a replier's label", x.c_wrong, 0);
	kr_expect_u64(r, "reply race: the answers the client got", x.c_a + x.c_b, RACE_ROUNDS);
	kr_expect_u64(r, "reply race: A's replies that counted reached the client", x.a_ok, x.c_a);
	kr_expect_u64(r, "reply race: B's replies that counted reached the client", x.b_ok, x.c_b);
	kr_expect(r, "reply race: A refused only as BAD_CAP or STALE", x.a_odd, STATUS_OK);
	kr_expect(r, "reply race: B refused only as BAD_CAP or STALE", x.b_odd, STATUS_OK);
	kr_pass(r, "reply race: A answered %u, B %u; refused A %u, B %u", x.a_ok, x.b_ok,
		x.a_refused, x.b_refused);
	kr_thread_free(&c);
	kr_thread_free(&b);
	kr_thread_free(&a);
	if (x.send)
		sys_cap_delete(x.send);
	if (x.ready == 1)
		kabi_inbox_close(&x.ib);
	if (kr_ok(r, "the root's description after",
		  sys_task_info(r->start->self_task, &after, sizeof after)))
		kr_expect_u64(r, "reply race: no reply entry stays charged", after.slots,
			      before.slots);
}

void test_pingpong(struct kabi_root *r)
{
	struct kabi_inbox in, sup;
	struct keel_child pong = { 0 };
	struct keel_spawn_args a;
	cap_handle_t pcap;

	if (!kr_inbox(r, &in, 64, 0) || !kr_inbox(r, &sup, 8, 1))
		return;
	a = kr_args(r, "kabi-pong");
	a.fault_inbox = sup_cap(r, &sup, SUP_PONG);
	kr_give(&a, in.cap, RIGHT_SEND | RIGHT_GRANT, 1);
	if (!kr_spawn(r, &a, &pong))
		return;
	pcap = wait_hello(r, &in, 1, "pong");
	if (pcap) {
		struct keel_msg quit = kabi_msg(KABI_QUIT, 0, 0, 0);
		pingpong_calls(r, pcap);
		pingpong_regs(r, pcap);
		pingpong_batch(r, &in, pcap);
		task_described(r, pong.task, in.cap);
		kr_ok(r, "send quit to pong", sys_msg_send(pcap, &quit, CAP_HANDLE_NONE, 0));
		kr_wait_exit(r, &sup, SUP_PONG, 0, "pong exits with code 0");
		struct task_info gone;
		kr_expect(r, "an ended task's description is STALE",
			  sys_task_info(pong.task, &gone, sizeof gone), STATUS_STALE);
		sys_cap_delete(pcap);
	}
	kr_release(&pong);
	parked_pongs(r, &in, &sup);
	parked_wake_yields(r);
	pingpong_fast(r);
	reply_race(r);
	sys_cap_delete(a.fault_inbox);
	kabi_inbox_close(&in);
	kabi_inbox_close(&sup);
}

/* Receives the badge child's report number step. */
static bool badge_report(struct kabi_root *r, struct kabi_inbox *in, uint64_t step,
			 struct keel_msg *m)
{
	status_t st;

	*m = (struct keel_msg){ 0 };
	st = kabi_recv(in, m, KABI_WAIT_NS);

	if (st || m->label != KABI_REPORT || kabi_word(m, 0) != step) {
		kr_fail(r, "badge child report", "step %llu: %s, label %#x word %llu",
			(unsigned long long)step, status_name(st), m->label,
			(unsigned long long)kabi_word(m, 0));
		return false;
	}
	return true;
}

/* The root's own view: a badge is set once and kept by copies. */
static void badge_local(struct kabi_root *r, struct kabi_inbox *in)
{
	cap_handle_t b7 = 0, copy = 0, again = 0;
	uint64_t info = 0, badge = 0;

	if (!kr_ok(r, "derive a badged cap",
		   sys_cap_derive(in->cap, RIGHT_SEND | RIGHT_GRANT, 7, &b7)))
		return;
	kr_expect(r, "re-badging a badged cap is NO_RIGHTS",
		  sys_cap_derive(b7, RIGHT_SEND, 8, &again), STATUS_NO_RIGHTS);
	if (kr_ok(r, "derive an unbadged copy", sys_cap_derive(b7, RIGHT_SEND, 0, &copy)) &&
	    kr_ok(r, "sys_cap_info of the copy", sys_cap_info(copy, &info, &badge))) {
		kr_expect_u64(r, "the copy keeps badge 7", badge, 7);
		kr_expect_u64(r, "sys_cap_info: type inbox", info & 0xffffffffu, OBJ_INBOX);
		kr_expect_u64(r, "sys_cap_info: rights send only", info >> 32, RIGHT_SEND);
	}
	if (again)
		sys_cap_delete(again);
	if (copy)
		sys_cap_delete(copy);
	sys_cap_delete(b7);
}

void test_badge(struct kabi_root *r)
{
	struct kabi_inbox in, sup;
	struct keel_child child = { 0 };
	struct keel_spawn_args a;
	struct keel_msg m;

	if (!kr_inbox(r, &in, 16, 0) || !kr_inbox(r, &sup, 8, 1))
		return;
	badge_local(r, &in);
	a = kr_args(r, "kabi-badge");
	a.fault_inbox = sup_cap(r, &sup, SUP_BADGE);
	kr_give(&a, in.cap, RIGHT_SEND | RIGHT_GRANT, 7);
	if (!kr_spawn(r, &a, &child))
		return;
	if (badge_report(r, &in, 1, &m))
		kr_expect_u64(r, "a forged badge 0xdead arrives as the cap's badge 7", m.badge, 7);
	if (badge_report(r, &in, 2, &m)) {
		kr_expect(r, "child derives an unbadged copy", (status_t)kabi_word(&m, 1),
			  STATUS_OK);
		kr_expect_u64(r, "a message through the copy carries badge 7", m.badge, 7);
	}
	if (badge_report(r, &in, 3, &m)) {
		kr_expect(r, "child cannot re-badge its cap", (status_t)kabi_word(&m, 1),
			  STATUS_NO_RIGHTS);
		kr_expect_u64(r, "child's sys_cap_info of the copy shows badge 7", kabi_word(&m, 2),
			      7);
		kr_expect_u64(r, "report badge 7", m.badge, 7);
	}
	kr_wait_exit(r, &sup, SUP_BADGE, 0, "badge child exits with code 0");
	kr_release(&child);
	sys_cap_delete(a.fault_inbox);
	kabi_inbox_close(&in);
	kabi_inbox_close(&sup);
}

/*
 * revoke: root's target inbox T, control inbox C, supervisor inbox S.
 * Relay A gets a send cap to T (badge 0xa1) and a send cap to C; relay B
 * only a send cap to C. Root hands A a cap to B's inbox; A derives a copy
 * of its T cap and sends it to B with CAP_COPY. Both send to T; root
 * revokes T; both sends now fail with BAD_CAP; root's own T still works.
 */
struct revoke_ctx {
	struct kabi_inbox t, c, s;
	struct keel_child a, b;
	cap_handle_t sup_a, sup_b;
	cap_handle_t in_a, in_b; /* send caps to the relays' inboxes */
};

/* Waits for one control message from the relay with badge. */
static bool ctl_recv(struct kabi_root *r, struct revoke_ctx *x, uint32_t label, uint64_t badge,
		     struct keel_msg *m, const char *what)
{
	status_t st;

	*m = (struct keel_msg){ 0 };
	st = kabi_recv(&x->c, m, KABI_WAIT_NS);

	if (st == STATUS_OK && m->label == label && m->badge == badge)
		return true;
	kr_fail(r, what, "%s, label %#x badge %#llx (wanted %#x from %#llx)", status_name(st),
		m->label, (unsigned long long)m->badge, label, (unsigned long long)badge);
	return false;
}

/* Asks both relays to send to T; checks the statuses they report. */
static void revoke_try(struct kabi_root *r, struct revoke_ctx *x, status_t want, const char *when)
{
	struct keel_msg m = kabi_msg(KABI_TRY, 0, 0, 0);
	char what[96];

	kr_ok(r, "send try to relay A", sys_msg_send(x->in_a, &m, CAP_HANDLE_NONE, 0));
	if (ctl_recv(r, x, KABI_TRIED, 0xa, &m, "relay A reports")) {
		fmt_snprintf(what, sizeof(what), "%s: relay A's send is %s", when,
			     status_name(want));
		kr_expect(r, what, (status_t)kabi_word(&m, 0), want);
	}
	m = kabi_msg(KABI_TRY, 0, 0, 0);
	kr_ok(r, "send try to relay B", sys_msg_send(x->in_b, &m, CAP_HANDLE_NONE, 0));
	if (ctl_recv(r, x, KABI_TRIED, 0xb, &m, "relay B reports")) {
		fmt_snprintf(what, sizeof(what), "%s: relay B's send is %s", when,
			     status_name(want));
		kr_expect(r, what, (status_t)kabi_word(&m, 0), want);
	}
}

/* After a successful try: T holds one message from each relay, badge 0xa1. */
static void revoke_drain(struct kabi_root *r, struct revoke_ctx *x)
{
	struct keel_msg m;
	unsigned seen = 0;

	while (inbox_ring_pop(x->t.ring, &m)) {
		if (m.label == KABI_TARGET && m.badge == 0xa1)
			seen |= 1u << (kabi_word(&m, 0) & 1);
		else
			kr_fail(r, "target inbox", "label %#x badge %#llx", m.label,
				(unsigned long long)m.badge);
	}
	kr_expect_u64(r, "target inbox got A's and B's messages, both badged 0xa1", seen, 3);
}

static bool revoke_setup(struct kabi_root *r, struct revoke_ctx *x)
{
	struct keel_spawn_args a;
	struct keel_msg m;

	if (!kr_inbox(r, &x->t, 16, 0) || !kr_inbox(r, &x->c, 16, 1) || !kr_inbox(r, &x->s, 8, 2))
		return false;
	x->sup_a = sup_cap(r, &x->s, SUP_RELAY_A);
	x->sup_b = sup_cap(r, &x->s, SUP_RELAY_B);
	a = kr_args(r, "kabi-relay");
	a.cmdline = "b";
	a.fault_inbox = x->sup_b;
	kr_give(&a, x->c.cap, RIGHT_SEND, 0xb);
	if (!kr_spawn(r, &a, &x->b))
		return false;
	a = kr_args(r, "kabi-relay");
	a.cmdline = "a";
	a.fault_inbox = x->sup_a;
	kr_give(&a, x->c.cap, RIGHT_SEND, 0xa);
	kr_give(&a, x->t.cap, RIGHT_SEND | RIGHT_GRANT, 0xa1);
	if (!kr_spawn(r, &a, &x->a))
		return false;
	/* The hellos may come in either order. */
	for (int i = 0; i < 2; i++) {
		m = (struct keel_msg){ 0 };
		if (kabi_recv(&x->c, &m, KABI_WAIT_NS) || m.label != KABI_HELLO ||
		    !(m.flags & MSG_FLAG_CAP)) {
			kr_fail(r, "relay hello", "label %#x flags %#x", m.label, m.flags);
			return false;
		}
		if (m.badge == 0xa)
			x->in_a = m.cap;
		else if (m.badge == 0xb)
			x->in_b = m.cap;
	}
	if (!x->in_a || !x->in_b) {
		kr_fail(r, "relay hello", "wanted one hello from each relay");
		return false;
	}
	m = kabi_msg(KABI_PEER, 0, 0, 0);
	if (!kr_ok(r, "give relay A relay B's inbox", sys_msg_send(x->in_a, &m, x->in_b, CAP_COPY)))
		return false;
	/* A reports after sending the gift, B after receiving it: on two CPUs
	 * either report may come first. */
	struct keel_msg from_a = { 0 }, from_b = { 0 };
	for (int i = 0; i < 2; i++) {
		m = (struct keel_msg){ 0 };
		if (kabi_recv(&x->c, &m, KABI_WAIT_NS) || m.label != KABI_REPORT ||
		    (m.badge != 0xa && m.badge != 0xb)) {
			kr_fail(r, "relay reports", "label %#x badge %#llx", m.label,
				(unsigned long long)m.badge);
			return false;
		}
		if (m.badge == 0xa)
			from_a = m;
		else
			from_b = m;
	}
	kr_expect(r, "relay A derives a copy of its target cap", (status_t)kabi_word(&from_a, 0),
		  STATUS_OK);
	kr_expect(r, "relay A sends the copy to B with CAP_COPY", (status_t)kabi_word(&from_a, 1),
		  STATUS_OK);
	return kr_expect_u64(r, "relay B received a capability", kabi_word(&from_b, 0), 1);
}

static void revoke_end(struct kabi_root *r, struct revoke_ctx *x)
{
	struct keel_msg m = kabi_msg(KABI_QUIT, 0, 0, 0);

	/* One at a time: the order of two exit messages is not defined. */
	if (x->in_a && x->a.task) {
		sys_msg_send(x->in_a, &m, CAP_HANDLE_NONE, 0);
		kr_wait_exit(r, &x->s, SUP_RELAY_A, 0, "relay A exits with code 0");
	}
	if (x->in_b && x->b.task) {
		sys_msg_send(x->in_b, &m, CAP_HANDLE_NONE, 0);
		kr_wait_exit(r, &x->s, SUP_RELAY_B, 0, "relay B exits with code 0");
	}
	kr_release(&x->a);
	kr_release(&x->b);
	if (x->in_a)
		sys_cap_delete(x->in_a);
	if (x->in_b)
		sys_cap_delete(x->in_b);
	if (x->sup_a)
		sys_cap_delete(x->sup_a);
	if (x->sup_b)
		sys_cap_delete(x->sup_b);
	kabi_inbox_close(&x->t);
	kabi_inbox_close(&x->c);
	kabi_inbox_close(&x->s);
}

void test_revoke(struct kabi_root *r)
{
	struct revoke_ctx x = { 0 };
	struct keel_msg m;

	if (revoke_setup(r, &x)) {
		revoke_try(r, &x, STATUS_OK, "before revoke");
		revoke_drain(r, &x);
		kr_expect(r, "sys_cap_revoke of the root's target inbox cap",
			  sys_cap_revoke(x.t.cap), STATUS_OK);
		revoke_try(r, &x, STATUS_BAD_CAP, "after revoke");
		kr_expect_u64(r, "nothing reached the target after revoke",
			      inbox_ring_pending(x.t.ring), 0);
		m = kabi_msg(KABI_TARGET, 2, 0, 0);
		kr_expect(r, "the root's own target cap still sends",
			  sys_msg_send(x.t.cap, &m, CAP_HANDLE_NONE, 0), STATUS_OK);
		kr_expect_u64(r, "and its message arrives",
			      inbox_ring_pop(x.t.ring, &m) && kabi_word(&m, 0) == 2, 1);
	}
	revoke_end(r, &x);
}
