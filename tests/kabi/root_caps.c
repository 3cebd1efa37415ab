/*
 * root_caps.c - nocap: every call without the capability, the rights, the
 * quota or the address it needs fails with its own clear status, and
 * changes nothing.
 */
#include "root.h"

/* Read-only data: the kernel must refuse to write a result here. */
static const uint8_t rodata_buf[sizeof(struct kernel_stats)] = { 1 };

/* A raw system call, for numbers and argument bits the stubs cannot express. */
static status_t raw(uint64_t nr, uint64_t a0, uint64_t a1)
{
	uint64_t ret[2];

	return (status_t)syscall_raw(nr, a0, a1, 0, 0, 0, 0, ret);
}

static void nocap_handles(struct kabi_root *r, struct kabi_inbox *in)
{
	static const cap_handle_t made_up[] = { 0x7fffffff, 0xfffffff0, 0x00abcdef, 0x13572468 };
	char what[96];

	for (size_t i = 0; i < sizeof(made_up) / sizeof(made_up[0]); i++) {
		fmt_snprintf(what, sizeof(what), "made-up handle %#x is BAD_CAP", made_up[i]);
		kr_expect(r, what, sys_cap_info(made_up[i], NULL, NULL), STATUS_BAD_CAP);
	}
	kr_expect(r, "CAP_HANDLE_NONE for a required cap is BAD_CAP",
		  sys_cap_info(CAP_HANDLE_NONE, NULL, NULL), STATUS_BAD_CAP);
	kr_expect(r, "a handle with bits above 32 is BAD_CAP",
		  raw(SYS_CAP_INFO, (1ull << 32) | in->cap, 0), STATUS_BAD_CAP);
	kr_expect(r, "an inbox cap where a memory cap is needed is BAD_CAP",
		  sys_memory_map(CAP_HANDLE_NONE, in->cap, kr_va(r, 1), 0, 1, RIGHT_READ),
		  STATUS_BAD_CAP);
}

static void nocap_rights(struct kabi_root *r, struct kabi_inbox *in, cap_handle_t mem)
{
	struct keel_msg m = kabi_msg(KABI_PING, 0, 0, 0);
	cap_handle_t nosend = 0, nomap = 0, ro = 0, more = 0;

	if (kr_ok(r, "derive an inbox cap without send",
		  sys_cap_derive(in->cap, RIGHT_GRANT | RIGHT_RECEIVE, 0, &nosend))) {
		kr_expect(r, "send without RIGHT_SEND is NO_RIGHTS",
			  sys_msg_send(nosend, &m, CAP_HANDLE_NONE, 0), STATUS_NO_RIGHTS);
		kr_expect(r, "deriving more rights (all) is NO_RIGHTS",
			  sys_cap_derive(nosend, RIGHTS_ALL, 0, &more), STATUS_NO_RIGHTS);
		kr_expect(r, "deriving back the send right is NO_RIGHTS",
			  sys_cap_derive(nosend, RIGHT_SEND | RIGHT_GRANT, 0, &more),
			  STATUS_NO_RIGHTS);
	}
	kr_expect(r, "an unknown right bit is INVALID", sys_cap_derive(in->cap, 1u << 8, 0, &more),
		  STATUS_INVALID);
	kr_expect_u64(r, "failed derives hand out no capability", more, 0);
	if (kr_ok(r, "derive a memory cap without map",
		  sys_cap_derive(mem, RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT, 0, &nomap)))
		kr_expect(r, "map without RIGHT_MAP is NO_RIGHTS",
			  sys_memory_map(CAP_HANDLE_NONE, nomap, kr_va(r, 1), 0, 1, RIGHT_READ),
			  STATUS_NO_RIGHTS);
	if (kr_ok(r, "derive a read-only memory cap",
		  sys_cap_derive(mem, RIGHT_READ | RIGHT_MAP, 0, &ro)))
		kr_expect(r, "mapping a read-only cap writable is NO_RIGHTS",
			  sys_memory_map(CAP_HANDLE_NONE, ro, kr_va(r, 1), 0, 1,
					 RIGHT_READ | RIGHT_WRITE),
			  STATUS_NO_RIGHTS);
	if (ro)
		kr_expect(r, "derive without RIGHT_GRANT is NO_RIGHTS",
			  sys_cap_derive(ro, RIGHT_READ, 0, &more), STATUS_NO_RIGHTS);
	if (nosend)
		sys_cap_delete(nosend);
	if (nomap)
		sys_cap_delete(nomap);
	if (ro)
		sys_cap_delete(ro);
}

static void nocap_mapping(struct kabi_root *r, cap_handle_t mem)
{
	uint64_t va = kr_va(r, 2);

	kr_expect(r, "a W+X mapping is INVALID",
		  sys_memory_map(CAP_HANDLE_NONE, mem, va, 0, 1,
				 RIGHT_READ | RIGHT_WRITE | RIGHT_EXEC),
		  STATUS_INVALID);
	kr_expect(r, "pages beyond the object are RANGE",
		  sys_memory_map(CAP_HANDLE_NONE, mem, va, 0, 2, RIGHT_READ), STATUS_RANGE);
	kr_expect(r, "an unaligned address is BAD_ADDRESS",
		  sys_memory_map(CAP_HANDLE_NONE, mem, va + 8, 0, 1, RIGHT_READ),
		  STATUS_BAD_ADDRESS);
	kr_expect(r, "a kernel address is BAD_ADDRESS",
		  sys_memory_map(CAP_HANDLE_NONE, mem, 0xffff800000000000ull, 0, 1, RIGHT_READ),
		  STATUS_BAD_ADDRESS);
	kr_expect(r, "a non-canonical address is BAD_ADDRESS",
		  sys_memory_map(CAP_HANDLE_NONE, mem, 0x0000800000000000ull, 0, 1, RIGHT_READ),
		  STATUS_BAD_ADDRESS);
	if (kr_expect(r, "a read-write mapping works",
		      sys_memory_map(CAP_HANDLE_NONE, mem, va, 0, 1, RIGHT_READ | RIGHT_WRITE),
		      STATUS_OK)) {
		kr_expect(r, "mapping over it is EXISTS",
			  sys_memory_map(CAP_HANDLE_NONE, mem, va, 0, 1, RIGHT_READ),
			  STATUS_EXISTS);
		sys_memory_unmap(CAP_HANDLE_NONE, va, 1);
	}
}

static void nocap_pointers(struct kabi_root *r, struct kabi_inbox *in, cap_handle_t mem)
{
	struct keel_msg m = kabi_msg(KABI_PING, 0, 0, 0);
	uint8_t *page = kr_map(r, mem, 1, RIGHT_READ | RIGHT_WRITE);
	cap_handle_t ib = in->cap;
	struct kernel_stats ks;

	kr_expect(r, "a NULL message is BAD_ADDRESS", sys_msg_send(ib, NULL, 0, 0),
		  STATUS_BAD_ADDRESS);
	kr_expect(r, "a kernel-half message is BAD_ADDRESS",
		  sys_msg_send(ib, (void *)0xffffffff80000000ull, 0, 0), STATUS_BAD_ADDRESS);
	kr_expect(r, "a non-canonical message is BAD_ADDRESS",
		  sys_msg_send(ib, (void *)0x0000800000000000ull, 0, 0), STATUS_BAD_ADDRESS);
	kr_expect(r, "an unmapped message is BAD_ADDRESS",
		  sys_msg_send(ib, (void *)(uintptr_t)kr_va(r, 1), 0, 0), STATUS_BAD_ADDRESS);
	if (page) {
		memcpy(page + KEEL_PAGE_SIZE - 32, &m, 32);
		kr_expect(r, "a message running into an unmapped page is BAD_ADDRESS",
			  sys_msg_send(ib, (void *)(page + KEEL_PAGE_SIZE - 32), 0, 0),
			  STATUS_BAD_ADDRESS);
		memcpy(page + 8, &m, sizeof(m));
		kr_expect(r, "an unaligned message in mapped memory is accepted",
			  sys_msg_send(ib, (void *)(page + 8), 0, 0), STATUS_OK);
		kr_expect_u64(r, "and arrives intact",
			      inbox_ring_pop(in->ring, &m) && m.label == KABI_PING, 1);
	}
	kr_expect_u64(r, "refused sends post nothing", inbox_ring_pending(in->ring), 0);
	kr_expect(r, "stats into read-only data is BAD_ADDRESS",
		  sys_kernel_stats(r->witness, (void *)rodata_buf, sizeof(ks)), STATUS_BAD_ADDRESS);
	kr_expect(r, "stats into a NULL buffer is BAD_ADDRESS",
		  sys_kernel_stats(r->witness, NULL, sizeof(ks)), STATUS_BAD_ADDRESS);
	kr_expect(r, "stats into a too small buffer is RANGE",
		  sys_kernel_stats(r->witness, &ks, sizeof(ks) - 1), STATUS_RANGE);
	kr_expect(r, "a NULL console text is BAD_ADDRESS", sys_debug_write(r->witness, NULL, 8),
		  STATUS_BAD_ADDRESS);
	kr_expect(r, "a kernel-half console text is BAD_ADDRESS",
		  sys_debug_write(r->witness, (void *)0xffffffff80100000ull, 8),
		  STATUS_BAD_ADDRESS);
}

static void nocap_deleted(struct kabi_root *r)
{
	cap_handle_t a = 0, b = 0;

	if (!kr_ok(r, "create memory", sys_memory_create(1, 0, &a)))
		return;
	kr_expect(r, "sys_cap_delete", sys_cap_delete(a), STATUS_OK);
	kr_expect(r, "a deleted handle is BAD_CAP", sys_cap_info(a, NULL, NULL), STATUS_BAD_CAP);
	kr_expect(r, "deleting it again is BAD_CAP", sys_cap_delete(a), STATUS_BAD_CAP);
	if (kr_ok(r, "create memory again", sys_memory_create(1, 0, &b))) {
		kr_expect(r, "the old handle stays BAD_CAP when slots are reused",
			  sys_cap_info(a, NULL, NULL), STATUS_BAD_CAP);
		kr_expect_u64(r, "the new handle differs from the deleted one", b != a, 1);
		sys_cap_delete(b);
	}
}

static void nocap_quota(struct kabi_root *r, cap_handle_t mem)
{
	uint64_t q = r->start->quota_pages;
	cap_handle_t t = 0, m2 = 0;
	status_t st;

	if (q < (1ull << 40)) {
		kr_expect(r, "memory beyond the root's page quota is QUOTA",
			  sys_memory_create(q + 1, 0, &m2), STATUS_QUOTA);
		/* A page limit is not reserved (docs/kernel.md, "Quotas"): a
		 * child may declare more than its creator may hold. */
		if (kr_ok(r, "a task with more pages than the root has is made",
			  sys_task_create(8, 8, q + 1, CAP_HANDLE_NONE, &t))) {
			if (kr_ok(r, "... and took none of the root's pages",
				  sys_memory_create(1, 0, &m2)))
				sys_cap_delete(m2);
			sys_task_kill(t, 0);
			sys_cap_delete(t);
		}
	} else {
		kr_log(r, "root page quota %llu: skipping the over-quota checks",
		       (unsigned long long)q);
	}
	st = sys_task_create(8, 8, 1, CAP_HANDLE_NONE, &t);
	if (st == STATUS_QUOTA) {
		kr_pass(r, "a task with a 1-page quota: its creation already exceeds it (QUOTA)");
		return;
	}
	if (!kr_ok(r, "create a task with a 1-page quota", st))
		return;
	kr_expect(r, "mapping into a task beyond its page quota is QUOTA",
		  sys_memory_map(t, mem, 0x400000, 0, 1, RIGHT_READ), STATUS_QUOTA);
	kr_expect(r, "sys_task_kill of a task without threads", sys_task_kill(t, 0), STATUS_OK);
	kr_expect(r, "a killed task's cap is STALE", sys_task_grant(t, mem, RIGHT_READ, 0, NULL),
		  STATUS_STALE);
	kr_expect(r, "deleting a STALE cap says STALE", sys_cap_delete(t), STATUS_STALE);
	kr_expect(r, "and empties the slot", sys_cap_info(t, NULL, NULL), STATUS_BAD_CAP);
}

static void nocap_numbers(struct kabi_root *r)
{
	static const uint64_t bad[] = { 0, SYS_COUNT, SYS_COUNT + 1, 0xffff,
					(1ull << 32) | SYS_CAP_INFO };
	uint64_t pending;
	char what[96];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fmt_snprintf(what, sizeof(what), "system call number %#llx is NO_SYSCALL",
			     (unsigned long long)bad[i]);
		kr_expect(r, what, raw(bad[i], 0, 0), STATUS_NO_SYSCALL);
	}
	kr_expect(r, "a u32 argument with bits above 32 is INVALID",
		  raw(SYS_MEMORY_CREATE, 1, 1ull << 32), STATUS_INVALID);
	kr_expect(r, "an inbox capacity that is not a power of two is INVALID",
		  sys_inbox_create(3, 0, NULL, NULL), STATUS_INVALID);
	kr_expect(r, "signal bit 64 is INVALID", sys_inbox_create(1, 64, NULL, NULL),
		  STATUS_INVALID);
	kr_expect(r, "waiting on an empty mask is INVALID", sys_signal_wait(0, 0, &pending),
		  STATUS_INVALID);
	kr_expect(r, "a 0-page memory object is INVALID", sys_memory_create(0, 0, NULL),
		  STATUS_INVALID);
}

void test_nocap(struct kabi_root *r)
{
	struct kabi_inbox in;
	cap_handle_t mem = 0;
	struct kernel_stats base;

	if (!kr_inbox(r, &in, 8, 0) || !kr_ok(r, "create memory", sys_memory_create(1, 0, &mem)))
		return;
	if (!kr_stats(r, &base))
		return;
	nocap_handles(r, &in);
	nocap_rights(r, &in, mem);
	nocap_mapping(r, mem);
	nocap_deleted(r);
	nocap_quota(r, mem);
	nocap_numbers(r);
	nocap_pointers(r, &in, mem);
	/* Page tables made for the root's own mappings stay; objects, tasks
	 * and threads must not. */
	kr_settle(r, &base, "nocap leaves no objects, tasks or threads behind", false);
	sys_cap_delete(mem);
	kabi_inbox_close(&in);
}
