/*
 * kabi-root.c - the root task of the kernel-ABI tests.
 *
 * Booted with keel.init=kabi-root kabi.test=NAME, it runs test NAME,
 * prints one line per check and a summary, and exits with 0 if every
 * check passed, 1 otherwise (the kernel then powers off).
 */
#include "root.h"

#include "lib/cmdline.h"
#include "lib/fmt.h"

/* The root's own mappings go here, clear of the spawner's windows. */
#define ROOT_VA_BASE 0x0000300000000000ull

void kr_log(struct kabi_root *r, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	keel_print(r->witness, "kabi: %s\n", line);
}

void kr_pass(struct kabi_root *r, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	r->passed++;
	keel_print(r->witness, "kabi: PASS %s\n", line);
}

void kr_fail(struct kabi_root *r, const char *what, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	r->failed++;
	keel_print(r->witness, "kabi: FAIL %s: %s\n", what, detail);
}

bool kr_expect(struct kabi_root *r, const char *what, status_t got, status_t want)
{
	if (got == want) {
		kr_pass(r, "%s", what);
		return true;
	}
	kr_fail(r, what, "got %s, wanted %s", status_name(got), status_name(want));
	return false;
}

bool kr_expect_u64(struct kabi_root *r, const char *what, uint64_t got, uint64_t want)
{
	if (got == want) {
		kr_pass(r, "%s", what);
		return true;
	}
	kr_fail(r, what, "got %#llx, wanted %#llx", (unsigned long long)got,
		(unsigned long long)want);
	return false;
}

bool kr_ok(struct kabi_root *r, const char *what, status_t st)
{
	if (st == STATUS_OK)
		return true;
	kr_fail(r, what, "%s (%s)", status_name(st), status_message(st));
	return false;
}

uint64_t kr_va(struct kabi_root *r, uint64_t pages)
{
	uint64_t va = r->next_va;

	r->next_va += (pages + 1) * KEEL_PAGE_SIZE;
	return va;
}

void *kr_map(struct kabi_root *r, cap_handle_t memory, uint64_t pages, uint32_t prot)
{
	uint64_t va = kr_va(r, pages);

	if (!kr_ok(r, "map memory into the root",
		   sys_memory_map(CAP_HANDLE_NONE, memory, va, 0, pages, prot)))
		return NULL;
	return (void *)(uintptr_t)va;
}

bool kr_thread(struct kabi_root *r, void (*entry)(void *), void *arg, uint64_t pages, uint32_t tier,
	       uint64_t affinity, struct kr_thread *t)
{
	*t = (struct kr_thread){ .pages = pages };
	if (!kr_ok(r, "a thread's stack", sys_memory_create(pages, 0, &t->stack)) ||
	    !(t->base = kr_map(r, t->stack, pages, RIGHT_READ | RIGHT_WRITE)))
		return false;
	/* It begins as if called: rsp + 8 is 16-byte aligned. */
	uint64_t top = (uint64_t)(uintptr_t)t->base + pages * KEEL_PAGE_SIZE;
	return kr_ok(r, "a thread of the root task",
		     sys_thread_create(r->start->self_task, (uint64_t)(uintptr_t)entry, top - 8,
				       (uint64_t)(uintptr_t)arg, tier, affinity, &t->thread));
}

void kr_thread_free(struct kr_thread *t)
{
	if (t->thread)
		sys_cap_delete(t->thread);
	if (t->base)
		sys_memory_unmap(CAP_HANDLE_NONE, (uint64_t)(uintptr_t)t->base, t->pages);
	if (t->stack)
		sys_cap_delete(t->stack);
	*t = (struct kr_thread){ 0 };
}

bool kr_inbox(struct kabi_root *r, struct kabi_inbox *ib, uint32_t capacity, uint32_t bit)
{
	uint64_t pages = (inbox_ring_bytes(capacity) + KEEL_PAGE_SIZE - 1) / KEEL_PAGE_SIZE;

	return kr_ok(r, "create and map an inbox",
		     kabi_inbox_open(ib, capacity, bit, kr_va(r, pages)));
}

struct keel_spawn_args kr_args(struct kabi_root *r, const char *name)
{
	return (struct keel_spawn_args){
		.name = name,
		.quota_slots = 64,
		.quota_objects = 32,
		.quota_pages = 64,
		.tier = THREAD_TIER_MATTER,
		.affinity = r->all_cpus,
	};
}

void kr_give(struct keel_spawn_args *a, cap_handle_t cap, uint32_t rights, uint64_t badge)
{
	if (a->cap_count < KEEL_SPAWN_CAPS_MAX)
		a->caps[a->cap_count] = (struct keel_grant){ cap, rights, badge };
	a->cap_count++; /* too many: keel_spawn says INVALID */
}

bool kr_spawn(struct kabi_root *r, const struct keel_spawn_args *a, struct keel_child *c)
{
	status_t st = keel_spawn(&r->spawner, a, c);

	if (st == STATUS_OK)
		return true;
	kr_fail(r, "spawn", "%s: %s (%s)", a->name, status_name(st), status_message(st));
	return false;
}

void kr_release(struct keel_child *c)
{
	if (c->thread)
		sys_cap_delete(c->thread);
	if (c->task)
		sys_cap_delete(c->task);
	*c = (struct keel_child){ 0 };
}

/* Describes a supervisor message for a FAIL line. */
static void describe_end(const struct keel_msg *m, char *buf, size_t n)
{
	if (m->label == MSG_LABEL_TASK_FAULT) {
		struct task_fault_msg f;
		memcpy(&f, m->payload, sizeof(f));
		fmt_snprintf(buf, n,
			     "fault: vector %u error %#x rip %#llx addr %#llx (badge %#llx)",
			     f.vector, f.error, (unsigned long long)f.pc,
			     (unsigned long long)f.addr, (unsigned long long)m->badge);
	} else if (m->label == MSG_LABEL_TASK_EXIT) {
		struct task_exit_msg e;
		memcpy(&e, m->payload, sizeof(e));
		fmt_snprintf(buf, n, "exit with code %llu (badge %#llx)",
			     (unsigned long long)e.code, (unsigned long long)m->badge);
	} else {
		fmt_snprintf(buf, n, "label %#x (badge %#llx)", m->label,
			     (unsigned long long)m->badge);
	}
}

bool kr_wait_end(struct kabi_root *r, struct kabi_inbox *sup, uint64_t badge, struct keel_msg *m,
		 const char *what)
{
	char desc[160];

	for (;;) {
		status_t st = kabi_recv(sup, m, KABI_WAIT_NS);
		if (st) {
			kr_fail(r, what, "no supervisor message: %s", status_name(st));
			return false;
		}
		if ((m->label == MSG_LABEL_TASK_EXIT || m->label == MSG_LABEL_TASK_FAULT) &&
		    m->badge == badge)
			return true;
		describe_end(m, desc, sizeof(desc));
		kr_fail(r, what, "unexpected supervisor message: %s", desc);
	}
}

bool kr_wait_exit(struct kabi_root *r, struct kabi_inbox *sup, uint64_t badge, uint64_t code,
		  const char *what)
{
	struct keel_msg m;
	struct task_exit_msg e;
	char desc[160];

	if (!kr_wait_end(r, sup, badge, &m, what))
		return false;
	memcpy(&e, m.payload, sizeof(e));
	if (m.label == MSG_LABEL_TASK_EXIT && e.code == code) {
		kr_pass(r, "%s", what);
		return true;
	}
	describe_end(&m, desc, sizeof(desc));
	kr_fail(r, what, "wanted exit with code %llu, got %s", (unsigned long long)code, desc);
	return false;
}

uint64_t kr_cmd_number(struct kabi_root *r, const char *key, uint64_t dflt)
{
	char text[24];
	uint64_t v = 0;
	if (cmdline_get(r->start->cmdline, key, text, sizeof text) != STATUS_OK || !text[0])
		return dflt;
	for (const char *p = text; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v ? v : dflt;
}

bool kr_stats(struct kabi_root *r, struct kernel_stats *s)
{
	return kr_ok(r, "sys_kernel_stats", sys_kernel_stats(r->witness, s, sizeof(*s)));
}

static bool stats_equal(const struct kernel_stats *a, const struct kernel_stats *b, bool pages)
{
	/* Pools keep or give back slabs as objects come and go. */
	return (!pages || a->free_pages + a->pool_pages == b->free_pages + b->pool_pages) &&
	       a->threads == b->threads && a->tasks == b->tasks && a->objects == b->objects;
}

bool kr_settle(struct kabi_root *r, const struct kernel_stats *base, const char *what, bool pages)
{
	struct kernel_stats now;

	for (int i = 0; i < 50; i++) {
		if (!kr_stats(r, &now))
			return false;
		if (stats_equal(&now, base, pages)) {
			kr_pass(r, "%s", what);
			return true;
		}
		kabi_sleep(10 * KABI_MS);
	}
	kr_fail(r, what,
		"after 500 ms: free_pages + pool_pages %llu (was %llu), threads %llu (was %llu), "
		"tasks %llu (was %llu), objects %llu (was %llu), reclaim_pending %llu",
		(unsigned long long)(now.free_pages + now.pool_pages),
		(unsigned long long)(base->free_pages + base->pool_pages),
		(unsigned long long)now.threads, (unsigned long long)base->threads,
		(unsigned long long)now.tasks, (unsigned long long)base->tasks,
		(unsigned long long)now.objects, (unsigned long long)base->objects,
		(unsigned long long)now.reclaim_pending);
	return false;
}

static const struct {
	const char *name;
	void (*run)(struct kabi_root *r);
} tests[] = {
	{ "pingpong", test_pingpong }, { "nocap", test_nocap },         { "badge", test_badge },
	{ "revoke", test_revoke },     { "fault", test_fault },         { "shm", test_shm },
	{ "cycles", test_cycles },     { "fuzz", test_fuzz },           { "bench", test_bench },
	{ "timer", test_timer },       { "witness", test_witness },     { "devices", test_devices },
	{ "harden", test_harden },     { "adversary", test_adversary }, { "msi", test_msi },
	{ "cpuload", test_cpuload },   { "pairs", test_pairs },         { "pools", test_pools },
	{ "demand", test_demand },     { "reclaim", test_reclaim },     { "stop", test_stop },
};

int keel_main(const struct keel_start *start)
{
	struct kabi_root r = {
		.start = start,
		.witness = start->witness,
		.next_va = ROOT_VA_BASE,
	};
	char name[32];
	bool found = false;

	if (start->magic != KEEL_START_MAGIC || start->version != KEEL_START_VERSION)
		return 2;
	r.all_cpus = start->cpu_count >= 64 ? ~0ull : (1ull << start->cpu_count) - 1;
	if (r.all_cpus == 0)
		r.all_cpus = 1;
	keel_spawner_init(&r.spawner, start);
	if (cmdline_get(start->cmdline, "kabi.test", name, sizeof(name)) != STATUS_OK) {
		keel_print(r.witness, "kabi: FAIL no kabi.test=NAME on the command line\n");
		return 1;
	}
	kr_log(&r, "%s: start (%llu CPUs)", name, (unsigned long long)start->cpu_count);
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (strcmp(name, tests[i].name) == 0) {
			tests[i].run(&r);
			found = true;
		}
	}
	if (!found)
		kr_fail(&r, "kabi.test", "unknown test \"%s\"", name);
	keel_print(r.witness, "kabi: %s: %u passed, %u failed\n", name, r.passed, r.failed);
	return r.failed == 0 && r.passed > 0 ? 0 : 1;
}
