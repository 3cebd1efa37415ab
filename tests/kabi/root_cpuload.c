/*
 * root_cpuload.c - the per-CPU records of sys_kernel_stats.
 *
 *   cpuload  a buffer longer than struct kernel_stats gets one record per
 *            CPU online, zeros after the last one, and nothing past the
 *            last whole record or KERNEL_STATS_CPUS records; the records
 *            add up to the kernel-wide counters; busy + idle grow by the
 *            time between two readings; spinning shows as busy time and
 *            sleeping as idle time; odd lengths and records that run off
 *            the mapping are handled; the time a CPU stood still
 *            never shrinks and grows by at most the time between readings
 */
#include "root.h"

#define FILL 0xa5
#define SPIN_MS 60
#define SLEEP_MS 60

/* The counters and room for one record more than the kernel fills. */
struct load_buf {
	struct kernel_stats k;
	struct kernel_cpu_stats cpu[KERNEL_STATS_CPUS + 1];
};

static bool all_bytes(const void *p, size_t n, uint8_t v)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i] != v)
			return false;
	return true;
}

/* Reads everything into *b (filled with FILL first); false on error. */
static bool read_load(struct kabi_root *r, struct load_buf *b, size_t len)
{
	memset(b, FILL, sizeof *b);
	return kr_ok(r, "sys_kernel_stats with CPU records",
		     sys_kernel_stats(r->witness, &b->k, len));
}

/* Record layout: CPUs online in order, zeros after, the extra untouched. */
static void check_layout(struct kabi_root *r, const struct load_buf *b, unsigned ncpu)
{
	bool online = true, zero = true;
	uint64_t sys = 0, acq = 0, cont = 0, wait = 0;
	for (unsigned i = 0; i < KERNEL_STATS_CPUS; i++) {
		const struct kernel_cpu_stats *c = &b->cpu[i];
		if (i < ncpu) {
			online &= c->cpu == i && (c->flags & KERNEL_CPU_ONLINE) &&
				  c->idle + c->busy > 0;
			sys += c->syscalls;
			acq += c->lock_acquired;
			cont += c->lock_contended;
			wait += c->lock_wait;
		} else {
			zero &= all_bytes(c, sizeof *c, 0);
		}
	}
	kr_expect_u64(r, "a record for every CPU online, in order", online, 1);
	kr_expect_u64(r, "zeros in the records after the last CPU", zero, 1);
	kr_expect_u64(r, "nothing written past KERNEL_STATS_CPUS records",
		      all_bytes(&b->cpu[KERNEL_STATS_CPUS], sizeof b->cpu[0], FILL), 1);
	kr_expect_u64(r, "per-CPU system calls add up to the total", sys, b->k.syscalls);
	kr_expect_u64(r, "per-CPU lock acquisitions add up to the total", acq, b->k.lock_acquired);
	kr_expect_u64(r, "per-CPU contended acquisitions add up", cont, b->k.lock_contended);
	kr_expect_u64(r, "per-CPU lock waits add up", wait, b->k.lock_wait);
}

/* Lengths that are not whole records, and too short ones. */
static void check_lengths(struct kabi_root *r, struct load_buf *b)
{
	size_t half = sizeof b->k + sizeof b->cpu[0] + sizeof b->cpu[0] / 2;
	if (read_load(r, b, half)) {
		kr_expect_u64(r, "a length of 1.5 records fills the first",
			      b->cpu[0].flags & KERNEL_CPU_ONLINE, KERNEL_CPU_ONLINE);
		kr_expect_u64(r, "and leaves the half record alone",
			      all_bytes(&b->cpu[1], sizeof b->cpu[1], FILL), 1);
	}
	if (read_load(r, b, sizeof b->k))
		kr_expect_u64(r, "the plain length writes no record",
			      all_bytes(&b->cpu[0], sizeof b->cpu[0], FILL), 1);
	kr_expect(r, "shorter than struct kernel_stats is RANGE",
		  sys_kernel_stats(r->witness, &b->k, sizeof b->k - 1), STATUS_RANGE);
	if (read_load(r, b, (size_t)-1))
		kr_expect_u64(r, "a huge length still stops after KERNEL_STATS_CPUS records",
			      all_bytes(&b->cpu[KERNEL_STATS_CPUS], sizeof b->cpu[0], FILL), 1);
}

/* Records that run onto an unmapped page: the counters land, then BAD_ADDRESS. */
static void check_unmapped(struct kabi_root *r)
{
	cap_handle_t mem;
	if (!kr_ok(r, "memory for the records", sys_memory_create(1, 0, &mem)))
		return;
	uint8_t *page = kr_map(r, mem, 1, RIGHT_READ | RIGHT_WRITE);
	if (page) {
		/* The counters and one record fit; the page after is the guard. */
		size_t off = 4096 - sizeof(struct kernel_stats) - sizeof(struct kernel_cpu_stats);
		kr_expect(r, "records past the mapping are BAD_ADDRESS",
			  sys_kernel_stats(r->witness, (struct kernel_stats *)(page + off),
					   sizeof(struct load_buf)),
			  STATUS_BAD_ADDRESS);
		struct kernel_cpu_stats c;
		memcpy(&c, page + off + sizeof(struct kernel_stats), sizeof c);
		kr_expect_u64(r, "the record that fitted was written", c.flags & KERNEL_CPU_ONLINE,
			      KERNEL_CPU_ONLINE);
		sys_memory_unmap(CAP_HANDLE_NONE, (uint64_t)page, 1);
	}
	sys_cap_delete(mem);
}

/* Busy and idle ticks over an interval, summed over the CPUs. */
struct delta {
	uint64_t busy, idle, span;
	bool sane; /* both grew, and by exactly the time between the readings */
};

static struct delta delta(const struct load_buf *a, const struct load_buf *b, unsigned ncpu)
{
	struct delta d = { 0, 0, 0, true };
	for (unsigned i = 0; i < ncpu; i++) {
		const struct kernel_cpu_stats *x = &a->cpu[i], *y = &b->cpu[i];
		d.sane &= y->busy >= x->busy && y->idle >= x->idle && y->timestamp > x->timestamp;
		if (!d.sane)
			return d;
		d.busy += y->busy - x->busy;
		d.idle += y->idle - x->idle;
		d.sane &= (y->busy - x->busy) + (y->idle - x->idle) == y->timestamp - x->timestamp;
		d.span += y->timestamp - x->timestamp;
	}
	return d;
}

/* Spinning keeps one CPU busy; sleeping leaves them all idle. */
static void check_load(struct kabi_root *r, struct load_buf *a, struct load_buf *b, unsigned ncpu)
{
	uint64_t t0 = 0, t = 0, pending;
	if (!read_load(r, a, sizeof *a))
		return;
	sys_clock_read(&t0);
	do
		sys_clock_read(&t);
	while (t - t0 < SPIN_MS * KABI_MS);
	if (!read_load(r, b, sizeof *b))
		return;
	struct delta d = delta(a, b, ncpu);
	kr_expect_u64(r, "busy + idle grow by the time between readings", d.sane, 1);
	kr_log(r, "spinning: busy %llu idle %llu of %llu ticks", (unsigned long long)d.busy,
	       (unsigned long long)d.idle, (unsigned long long)d.span);
	kr_expect_u64(r, "a spinning thread keeps one CPU's worth busy",
		      d.busy * ncpu * 10 >= d.span * 9, 1);
	sys_signal_wait(1ull << 62, SLEEP_MS * KABI_MS, &pending);
	if (!read_load(r, a, sizeof *a))
		return;
	d = delta(b, a, ncpu);
	kr_log(r, "sleeping: busy %llu idle %llu of %llu ticks", (unsigned long long)d.busy,
	       (unsigned long long)d.idle, (unsigned long long)d.span);
	kr_expect_u64(r, "busy + idle grow by the time between readings (sleeping)", d.sane, 1);
	kr_expect_u64(r, "while the only thread sleeps the CPUs are mostly idle",
		      d.idle * 10 >= d.span * 8, 1);
}

/* The time a CPU stood still never shrinks, and grows by no more than
 * the time between two readings (a guest stopped meanwhile counts up to
 * that time; one that runs counts nothing). */
static void check_stalled(struct kabi_root *r, struct load_buf *a, struct load_buf *b,
			  unsigned ncpu)
{
	uint64_t t0 = 0, t1 = 0, pending;
	sys_clock_read(&t0);
	if (!read_load(r, a, sizeof *a))
		return;
	sys_signal_wait(1ull << 62, SLEEP_MS * KABI_MS, &pending);
	if (!read_load(r, b, sizeof *b))
		return;
	sys_clock_read(&t1);
	bool sane = true;
	for (unsigned i = 0; i < ncpu; i++) {
		uint64_t x = a->cpu[i].stalled_ns, y = b->cpu[i].stalled_ns;
		sane &= y >= x && y - x <= t1 - t0;
		kr_log(r, "cpu %u stood still %llu ns in all", i, (unsigned long long)y);
	}
	kr_expect_u64(r, "stalled_ns grows by at most the time between readings", sane, 1);
}

void test_cpuload(struct kabi_root *r)
{
	static struct load_buf a, b; /* 5 KiB each: not on the stack */
	unsigned ncpu = (unsigned)r->start->cpu_count;
	if (!read_load(r, &a, sizeof a))
		return;
	check_layout(r, &a, ncpu);
	check_lengths(r, &b);
	check_unmapped(r);
	check_load(r, &a, &b, ncpu);
	check_stalled(r, &a, &b, ncpu);
}
