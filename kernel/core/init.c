/* init.c - the core's boot order (see init.h). */
#include "core/init.h"
#include "core/ipc.h"
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
}
