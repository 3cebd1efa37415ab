/* reclaim.c - deferred release after TLB epochs (see reclaim.h). */
#include <stddef.h>

#include "core/mm/reclaim.h"

/* FIFO: epochs are stamped in increasing order, so the head is the oldest. */
static struct reclaim_node *head, **tail = &head;
static uint32_t pending;

void reclaim_defer(struct reclaim_node *n, void (*release)(struct reclaim_node *n))
{
	n->epoch = arch_tlb_epoch_bump();
	n->release = release;
	n->next = NULL;
	*tail = n;
	tail = &n->next;
	pending++;
}

void reclaim_run(void)
{
	if (!head)
		return;
	uint64_t safe = arch_tlb_epoch_safe();
	while (head && head->epoch <= safe) {
		struct reclaim_node *n = head;
		head = n->next;
		if (!head)
			tail = &head;
		pending--;
		n->release(n);
	}
}

uint32_t reclaim_pending(void)
{
	return pending;
}
