/*
 * kabi-shm.c - shared memory and a read-only view of it.
 *
 * caps[0]: the root's memory, read, write and map;
 * caps[1]: the same memory, read and map only;
 * caps[2]: a send cap to the root's inbox.
 * Maps caps[0] read-write and writes kabi_shm_word(i) to every word; tries
 * to map caps[1] writable (must be NO_RIGHTS), maps it read-only and reads
 * the pattern back; sends KABI_REPORT (word 0: the three map statuses in
 * bytes 0-2, word 1: 1 if the view showed the pattern); then writes to the
 * read-only view, which must fault. Exits with 99 if it does not.
 */
#include "kabi.h"

int keel_main(const struct keel_start *s)
{
	const uint32_t n = KABI_SHM_PAGES * KEEL_PAGE_SIZE / 4;
	volatile uint32_t *rw = (volatile uint32_t *)(uintptr_t)KABI_SHM_RW_VA;
	volatile uint32_t *ro = (volatile uint32_t *)(uintptr_t)KABI_SHM_RO_VA;
	status_t s_rw, s_ro_w, s_ro;
	uint64_t seen = 0;
	struct keel_msg m;

	s_rw = sys_memory_map(CAP_HANDLE_NONE, keel_start_cap(s, 0), KABI_SHM_RW_VA, 0,
			      KABI_SHM_PAGES, RIGHT_READ | RIGHT_WRITE);
	if (s_rw == STATUS_OK)
		for (uint32_t i = 0; i < n; i++)
			rw[i] = kabi_shm_word(i);
	s_ro_w = sys_memory_map(CAP_HANDLE_NONE, keel_start_cap(s, 1), KABI_SHM_RO_VA, 0,
				KABI_SHM_PAGES, RIGHT_READ | RIGHT_WRITE);
	s_ro = sys_memory_map(CAP_HANDLE_NONE, keel_start_cap(s, 1), KABI_SHM_RO_VA, 0,
			      KABI_SHM_PAGES, RIGHT_READ);
	if (s_ro == STATUS_OK) {
		seen = 1;
		for (uint32_t i = 0; i < n; i++)
			if (ro[i] != kabi_shm_word(i))
				seen = 0;
	}
	m = kabi_msg(KABI_REPORT, (uint64_t)s_rw | (uint64_t)s_ro_w << 8 | (uint64_t)s_ro << 16,
		     seen, 0);
	if (sys_msg_send(keel_start_cap(s, 2), &m, CAP_HANDLE_NONE, 0))
		return 11;
	if (s_ro == STATUS_OK)
		ro[0] = 1;
	return 99;
}
