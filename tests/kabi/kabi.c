/* kabi.c - helpers shared by the kernel-ABI test programs (see kabi.h). */
#include "kabi.h"

/* A signal bit that no test raises: waiting on it is a sleep. */
#define SLEEP_BIT 62

status_t kabi_inbox_open(struct kabi_inbox *ib, uint32_t capacity, uint32_t bit, uint64_t va)
{
	status_t st;

	*ib = (struct kabi_inbox){ .mask = 1ull << bit };
	st = sys_inbox_create(capacity, bit, &ib->cap, &ib->ring_mem);
	if (st)
		return st;
	ib->pages = (inbox_ring_bytes(capacity) + KEEL_PAGE_SIZE - 1) / KEEL_PAGE_SIZE;
	st = sys_memory_map(CAP_HANDLE_NONE, ib->ring_mem, va, 0, ib->pages,
			    RIGHT_READ | RIGHT_WRITE);
	if (st) {
		sys_cap_delete(ib->ring_mem);
		sys_cap_delete(ib->cap);
		*ib = (struct kabi_inbox){ 0 };
		return st;
	}
	ib->ring = (struct inbox_ring *)(uintptr_t)va;
	return STATUS_OK;
}

void kabi_inbox_close(struct kabi_inbox *ib)
{
	if (ib->ring)
		sys_memory_unmap(CAP_HANDLE_NONE, (uint64_t)(uintptr_t)ib->ring, ib->pages);
	if (ib->ring_mem)
		sys_cap_delete(ib->ring_mem);
	if (ib->cap)
		sys_cap_delete(ib->cap);
	*ib = (struct kabi_inbox){ 0 };
}

static uint64_t now_ns(void)
{
	uint64_t ns = 0;

	sys_clock_read(&ns);
	return ns;
}

/* The ring is checked before every wait, and the signal bit is raised
 * after a message is posted, so a message never goes unnoticed. */
status_t kabi_recv(struct kabi_inbox *ib, struct keel_msg *m, uint64_t timeout_ns)
{
	bool forever = timeout_ns == TIMEOUT_FOREVER;
	uint64_t end = forever ? 0 : now_ns() + timeout_ns;

	for (;;) {
		uint64_t t, pending;
		status_t st;

		if (inbox_ring_pop(ib->ring, m))
			return STATUS_OK;
		t = forever ? 0 : now_ns();
		if (!forever && t >= end)
			return STATUS_TIMEOUT;
		st = sys_signal_wait(ib->mask, forever ? TIMEOUT_FOREVER : end - t, &pending);
		if (st != STATUS_OK && st != STATUS_TIMEOUT)
			return st;
	}
}

_Noreturn void kabi_thread_end(uint32_t *count)
{
	__asm__ volatile(
		"lock incl (%[count])\n\t"
		"mov %[count], %%rdi\n\t"
		"mov $0xffffffff, %%esi\n\t"
		"mov %[wake], %%eax\n\t"
		"syscall\n\t"
		"xor %%edi, %%edi\n\t"
		"mov %[exit], %%eax\n\t"
		"syscall\n\t"
		"ud2"
		:
		: [count] "r"(count), [wake] "i"(SYS_FUTEX_WAKE), [exit] "i"(SYS_THREAD_EXIT)
		: "memory");
	__builtin_unreachable();
}

void kabi_sleep(uint64_t timeout_ns)
{
	uint64_t pending;

	sys_signal_wait(1ull << SLEEP_BIT, timeout_ns, &pending);
}
