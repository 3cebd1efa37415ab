/* witness_log.c - the kernel's witness log instance (see witness_log.h). */
#include "core/mm/kmem.h"
#include "core/panic.h"
#include "core/object/thread.h"
#include "core/object/witness_log.h"

static struct witness_log log;

void witness_log_init(void)
{
	uint64_t pa, share = kmem_total_pages() * PAGE_SIZE / 64;
	uint32_t cap = WITNESS_LOG_CAPACITY;
	while (cap > WITNESS_LOG_MIN && cap * sizeof(struct witness_record) > share)
		cap /= 2;
	/* Not zeroed (512 KiB at boot): a record is read only once written
	 * whole, its fields by witness_append, its hashes by witness_settle. */
	if (kmem_alloc_uninit(kmem_order(cap * sizeof(struct witness_record)), &pa) ||
	    witness_init(&log, arch_phys_to_virt(pa), cap))
		panic("witness: cannot set up the log");
}

struct witness_log *witness_log_get(void)
{
	return &log;
}

void witness_note(enum witness_action action, uint64_t actor, uint64_t subject, uint64_t object,
		  uint64_t arg)
{
	struct witness_event ev = {
		.action = action,
		.actor = (uint32_t)actor,
		.subject = subject,
		.object = object,
		.arg = arg,
		.time = arch_time_ns(),
	};
	if (witness_append(&log, &ev, NULL))
		panic("witness: action %u not recordable", action);
}
