/*
 * kabi-toucher.c - touches every page of a promised object, one after
 * another, for ever: each first touch makes a page (demand zero), so a
 * kill or an unmap from outside lands while pages are being made. A
 * little work between touches makes the first pass last tens of
 * milliseconds, so that on one CPU too the root gets to stop it half way.
 *
 * caps[0]: a memory object of KABI_TOUCH_PAGES pages, read, write, map;
 * caps[1]: a one-page object, read, write, map: word 0 counts the pages
 *          touched so far (the first pass ends at KABI_TOUCH_PAGES).
 * The start argument, when not 0, is how many pages it goes round
 * instead (the first ones): few enough that their translations stay
 * cached on its CPU.
 * Never returns: the root kills it, or unmaps the object under it, and
 * the next touch faults.
 */
#include "kabi.h"

int keel_main(const struct keel_start *s)
{
	volatile uint64_t *pages = (volatile uint64_t *)(uintptr_t)KABI_TOUCH_VA;
	volatile uint64_t *count = (volatile uint64_t *)(uintptr_t)KABI_TOUCH_COUNT_VA;
	const uint64_t words = KEEL_PAGE_SIZE / 8;
	const uint64_t round = keel_start_arg(s) ? keel_start_arg(s) : KABI_TOUCH_PAGES;

	if (sys_memory_map(CAP_HANDLE_NONE, keel_start_cap(s, 1), KABI_TOUCH_COUNT_VA, 0, 1,
			   RIGHT_READ | RIGHT_WRITE) ||
	    sys_memory_map(CAP_HANDLE_NONE, keel_start_cap(s, 0), KABI_TOUCH_VA, 0,
			   KABI_TOUCH_PAGES, RIGHT_READ | RIGHT_WRITE))
		return 2;
	for (uint64_t n = 0;; n++) {
		uint64_t pg = n % round;
		pages[pg * words + pg % words] += n + 1;
		*count = n + 1;
		for (volatile unsigned k = 0; k < 1000; k++)
			;
	}
}
