/*
 * kabi-msi.c - allocates message-signalled vectors on CPU 0 from the
 * interrupt root it was given (capability 0) until a call fails, and
 * exits with (vectors allocated) * 256 + the failing status. Its object
 * quota is what stops it; the vectors go back when it exits.
 */
#include "kabi.h"

#define TRIES 64

int keel_main(const struct keel_start *s)
{
	cap_handle_t root = keel_start_cap(s, 0), irq;
	uint64_t message;
	status_t st = STATUS_OK;
	int n = 0;
	while (n < TRIES && (st = sys_irq_msi_create(root, 0, &irq, &message)) == STATUS_OK)
		n++;
	return n * 256 + (int)st;
}
