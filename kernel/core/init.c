/* init.c - the core's boot order (see init.h). */
#include "core/init.h"
#include "core/console.h"
#include "core/ipc.h"
#include "core/mm/kmem.h"
#include "core/object/device.h"
#include "core/object/memory.h"
#include "core/object/task.h"
#include "core/object/thread.h"
#include "core/object/witness_log.h"

void core_init(void)
{
	thread_init();
	task_init();
	memory_objects_init();
	ipc_init();
	device_init();
	witness_log_init();
	/* The pools' bookkeeping and the slabs of the idle thread: the
	 * kernel's footprint before anything runs (docs/kernel.md). */
	kprintf("memory: pools hold %lu KiB at boot\n", kmem_pool_pages() * 4);
}
