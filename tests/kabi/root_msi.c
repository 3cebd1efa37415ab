/*
 * root_msi.c - message-signalled interrupts (sys_irq_msi_create).
 *
 *   msi   a vector is allocated on each CPU and its message is a local
 *         APIC address and a vector; writing that message to the
 *         interrupt address window (a page of the MMIO root mapped at
 *         the message address: QEMU decodes the write there exactly as it
 *         decodes a PCI device's MSI write) raises the bound signal bit,
 *         on whichever CPU the vector belongs to; a message sent before
 *         the bind or while masked is kept and signalled once at the
 *         unmask; parts, vectors and copies without control cannot
 *         allocate; a CPU has 32 vectors, then FULL; a deleted vector is
 *         freed and signals nothing; a child's object quota stops its
 *         allocations (QUOTA) and its vectors return when it exits.
 */
#include "root.h"

#define MSI_BIT 7
#define MSI_WINDOW 0xfee00000ull
#define MSI_WINDOW_PAGES 256 /* 1 MiB: every xAPIC destination id */
#define MSI_PER_CPU 32
#define QUIET_NS (20 * KABI_MS)

struct msi_test {
	struct kabi_root *r;
	volatile uint32_t *window; /* MSI_WINDOW mapped uncached */
};

/* Writes message as a device would: the data, 32 bits, at the address. */
static void msi_send(struct msi_test *t, uint64_t message)
{
	uint64_t off = msi_address(message) - MSI_WINDOW;
	t->window[off / 4] = msi_data(message);
}

/* Whether the bit arrives within timeout (PASS/FAIL as want says). */
static void expect_signal(struct msi_test *t, const char *what, uint64_t timeout, bool want)
{
	uint64_t pending = 0;
	status_t st = sys_signal_wait(1ull << MSI_BIT, timeout, &pending);
	kr_expect(t->r, what, st, want ? STATUS_OK : STATUS_TIMEOUT);
}

/* The message of a vector of cpu: an xAPIC address, a vector of 0xc0-0xdf. */
static void check_message(struct msi_test *t, uint32_t cpu, uint64_t m)
{
	uint32_t a = msi_address(m), d = msi_data(m);
	bool ok = (a & 0xfff00fffu) == MSI_WINDOW && d >= 0xc0 && d < 0xc0 + MSI_PER_CPU;
	if (ok)
		kr_pass(t->r, "cpu %u: message address %#x data %#x", cpu, a, d);
	else
		kr_fail(t->r, "message", "cpu %u: address %#x data %#x", cpu, a, d);
}

/* One vector of cpu through its whole life: latch, mask, ack, delete. */
static void msi_life(struct msi_test *t, uint32_t cpu)
{
	struct kabi_root *r = t->r;
	cap_handle_t irq;
	uint64_t m;
	if (!kr_ok(r, "allocate a vector", sys_irq_msi_create(r->start->irq, cpu, &irq, &m)))
		return;
	check_message(t, cpu, m);
	kr_expect(r, "acknowledging an unbound vector is INVALID", sys_irq_ack(irq),
		  STATUS_INVALID);
	msi_send(t, m);
	kr_expect(r, "bind the vector", sys_irq_bind(irq, MSI_BIT), STATUS_OK);
	expect_signal(t, "a message sent before the bind is signalled at the bind", 1000 * KABI_MS,
		      true);
	/* A message is asynchronous, as a device's is: each wait below also
	 * lets the one just sent land before the next step. */
	msi_send(t, m);
	expect_signal(t, "a vector not acknowledged stays masked", QUIET_NS, false);
	msi_send(t, m);
	expect_signal(t, "...after two messages", QUIET_NS, false);
	kr_expect(r, "sys_irq_ack", sys_irq_ack(irq), STATUS_OK);
	expect_signal(t, "messages sent while masked are signalled at the acknowledge",
		      1000 * KABI_MS, true);
	kr_expect(r, "sys_irq_ack", sys_irq_ack(irq), STATUS_OK);
	expect_signal(t, "...once: the vector kept one message, not two", QUIET_NS, false);
	msi_send(t, m);
	expect_signal(t, "after the acknowledge a message arrives again", 1000 * KABI_MS, true);
	kr_expect(r, "sys_irq_ack", sys_irq_ack(irq), STATUS_OK);
	kr_expect(r, "delete the vector", sys_cap_delete(irq), STATUS_OK);
	msi_send(t, m);
	expect_signal(t, "a deleted vector signals nothing", QUIET_NS, false);
}

/* Who may allocate: the root and copies of it with control, nothing else. */
static void msi_rights(struct msi_test *t)
{
	struct kabi_root *r = t->r;
	cap_handle_t part = 0, weak = 0, irq = 0, x = 0;
	uint64_t m;
	kr_expect(r, "an offline CPU is INVALID", sys_irq_msi_create(r->start->irq, 64, &x, &m),
		  STATUS_INVALID);
	if (kr_ok(r, "split IRQ 8", sys_device_split(r->start->irq, 8, 1, &part)))
		kr_expect(r, "a part of the interrupt range cannot allocate",
			  sys_irq_msi_create(part, 0, &x, &m), STATUS_NO_RIGHTS);
	if (kr_ok(r, "derive the root without control",
		  sys_cap_derive(r->start->irq, RIGHTS_ALL & ~RIGHT_CONTROL, 0, &weak)))
		kr_expect(r, "a copy without control cannot allocate",
			  sys_irq_msi_create(weak, 0, &x, &m), STATUS_NO_RIGHTS);
	if (kr_ok(r, "allocate a vector", sys_irq_msi_create(r->start->irq, 0, &irq, &m))) {
		kr_expect(r, "a vector cannot allocate", sys_irq_msi_create(irq, 0, &x, &m),
			  STATUS_NO_RIGHTS);
		kr_expect(r, "a vector cannot be split", sys_device_split(irq, 0, 1, &x),
			  STATUS_INVALID);
	}
	sys_cap_delete(part);
	sys_cap_delete(weak);
	sys_cap_delete(irq);
}

/* Allocates vectors of cpu until it fails; returns how many, all deleted,
 * and the failure in *last. */
static uint32_t msi_fill(struct msi_test *t, uint32_t cpu, status_t *last)
{
	cap_handle_t h[MSI_PER_CPU + 1];
	uint64_t m;
	uint32_t n = 0;
	*last = STATUS_OK;
	while (n <= MSI_PER_CPU && *last == STATUS_OK)
		if ((*last = sys_irq_msi_create(t->r->start->irq, cpu, &h[n], &m)) == STATUS_OK)
			n++;
	for (uint32_t i = 0; i < n; i++)
		sys_cap_delete(h[i]);
	return n;
}

/* 32 vectors a CPU, FULL after; deleting frees them; a child's quota. */
static void msi_limits(struct msi_test *t, struct kabi_inbox *sup)
{
	struct kabi_root *r = t->r;
	status_t last;
	uint32_t n = msi_fill(t, 0, &last);
	kr_expect_u64(r, "a CPU has 32 vectors", n, MSI_PER_CPU);
	kr_expect(r, "the 33rd is FULL", last, STATUS_FULL);
	kr_expect_u64(r, "deleted vectors are free again", msi_fill(t, 0, &last), MSI_PER_CPU);
	struct keel_spawn_args a = kr_args(r, "kabi-msi");
	struct keel_child c;
	struct keel_msg msg;
	kr_give(&a, r->start->irq, RIGHTS_ALL, 0);
	if (!kr_ok(r, "derive a supervisor cap",
		   sys_cap_derive(sup->cap, RIGHT_SEND, 0x4d5349, &a.fault_inbox)))
		return;
	if (!kr_spawn(r, &a, &c))
		return;
	if (kr_wait_end(r, sup, 0x4d5349, &msg, "kabi-msi")) {
		const struct task_exit_msg *e = (const void *)msg.payload;
		uint64_t got = e->code / 256;
		kr_expect(r, "the child's object quota stops it", (status_t)(e->code % 256),
			  STATUS_QUOTA);
		if (got >= 1 && got < MSI_PER_CPU)
			kr_pass(r, "the child allocated %lu vectors before QUOTA", got);
		else
			kr_fail(r, "child", "allocated %lu vectors", got);
	}
	kr_release(&c);
	sys_cap_delete(a.fault_inbox);
	kr_expect_u64(r, "a dead child's vectors are free again", msi_fill(t, 0, &last),
		      MSI_PER_CPU);
}

void test_msi(struct kabi_root *r)
{
	struct msi_test t = { r, NULL };
	struct kernel_stats base;
	struct kabi_inbox sup;
	cap_handle_t win;
	if (!kr_stats(r, &base) || !kr_inbox(r, &sup, 16, 0))
		return;
	if (!kr_ok(r, "split the MSI window",
		   sys_device_split(r->start->mmio, MSI_WINDOW, MSI_WINDOW_PAGES * 4096, &win)))
		return;
	t.window = kr_map(r, win, MSI_WINDOW_PAGES, RIGHT_READ | RIGHT_WRITE);
	if (!t.window)
		return;
	unsigned cpus = (unsigned)__builtin_popcountll(r->all_cpus);
	for (uint32_t cpu = 0; cpu < cpus; cpu++)
		msi_life(&t, cpu);
	msi_rights(&t);
	msi_limits(&t, &sup);
	sys_memory_unmap(CAP_HANDLE_NONE, (uint64_t)t.window, MSI_WINDOW_PAGES);
	sys_cap_delete(win);
	kabi_inbox_close(&sup);
	kr_settle(r, &base, "every vector and object is released", false);
}
