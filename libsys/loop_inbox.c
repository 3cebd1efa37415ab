/*
 * loop_inbox.c - opening the inbox a service's loop serves (see
 * keel/loop.h). Kept apart from loop.c, whose every kernel call goes
 * through struct sysops so that tests can run it on a fake kernel: this
 * one-time set-up makes real system calls.
 */
#include "keel/loop.h"
#include "keel/map.h"

status_t loop_inbox_open(uint32_t slots, unsigned bit, cap_handle_t *inbox,
			 struct inbox_ring **ring)
{
	uint64_t pages = (inbox_ring_bytes(slots) + KEEL_PAGE_SIZE - 1) / KEEL_PAGE_SIZE;
	cap_handle_t in, mem;
	void *at;
	status_t st = sys_inbox_create(slots, bit, &in, &mem);
	if (st)
		return st;
	st = keel_map(mem, 0, pages, RIGHT_READ | RIGHT_WRITE, &at);
	/* The mapping keeps the ring alive; the slot is better spent elsewhere. */
	sys_cap_delete(mem);
	if (st) {
		sys_cap_delete(in);
		return st;
	}
	*inbox = in;
	*ring = at;
	return STATUS_OK;
}
