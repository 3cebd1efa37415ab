/*
 * ps.c - `ps`: every task initd keeps - initd, the services that run and
 * the programs launched - with its kernel task id, its parent's, what it
 * is, its run time, the memory charged to it, its threads and its name.
 *
 * It asks initd's INITD_TASKS (services/initd/protocol.h) through the
 * launch capability, index by index until NOT_FOUND; initd answers it
 * from any sender, with the kernel's figures (sys_task_info). The task
 * ids are the pids of the C library: a shell's $$ and $!, console
 * reports' "[task N]" (docs/launch.md).
 */
#include "../toolbox.h"

#include "keel/launch.h"
#include "initd_call.h"
#include "keeltools.h"

#define CALL_TIMEOUT_NS 5000000000ull
#define PS_MAX 1024 /* rows: initd's tables hold far fewer */

int tb_ps(int argc, char **argv)
{
	struct opt o;
	int c, n;
	opt_init(&o, argc, argv, "", "");
	while ((c = opt_next(&o)) != -1)
		return 2;
	opt_operands(&o, &n);
	if (n) {
		msg_usage(argv[0], "");
		return 2;
	}
	cap_handle_t initd = launch_cap(keel_start_page(), "launch");
	if (initd == CAP_HANDLE_NONE) {
		msg(argv[0], "no launch capability to reach initd");
		return 1;
	}
	puts(ps_heading());
	for (uint32_t i = 0; i < PS_MAX; i++) {
		struct keel_msg m = { .label = INITD_TASKS, .len = 4 };
		struct initd_task t;
		char row[128];
		memcpy(m.payload, &i, 4);
		status_t st = initd_call(initd, &m, CALL_TIMEOUT_NS, INITD_TASKS_REPLY, &t,
					 sizeof t);
		if (st == STATUS_NOT_FOUND)
			break;
		if (st) {
			msg(argv[0], "initd: %s", status_message(st));
			return 1;
		}
		ps_row(&t, row, sizeof row);
		puts(row);
	}
	return 0;
}
