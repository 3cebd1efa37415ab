/*
 * ps.c - `ps`: every task initd keeps - initd, the services that run and
 * the programs launched - with its kernel task id, its parent's, what it
 * is, its run time, the memory charged to it, its threads and its command
 * line (INITD_TASK_ARGS; cut to 35 bytes), or its name. It always shows
 * every task: -A, -e, -f, ... and BSD's `aux` are accepted and change
 * nothing.
 *
 * It asks initd's INITD_TASKS (services/initd/protocol.h) through the
 * launch capability, index by index until NOT_FOUND; initd answers it
 * from any sender, with the kernel's figures (sys_task_info). The task
 * ids are the pids of the C library: a shell's $$ and $!, console
 * reports' "[task N]" (docs/launch.md).
 */
#include "../toolbox.h"

#include <stdlib.h>
#include <string.h>

#include "keel/launch.h"
#include "initd_call.h"
#include "keeltools.h"

#define PS_MAX 256 /* rows: initd's tables hold fewer */

/* The selections people type out of habit, which ps accepts and ignores:
 * it always shows every task, in one form. BSD's letters (ps aux, ps ax)
 * come without a dash. */
#define PS_USAGE "[-AaefLlx] | [auxw]"

static bool ps_bsd_letters(const char *s)
{
	return *s && strspn(s, "auxw") == strlen(s);
}

int tb_ps(int argc, char **argv)
{
	struct opt o;
	int c, n;
	opt_init(&o, argc, argv, "AaefLlx", PS_USAGE);
	while ((c = opt_next(&o)) != -1)
		if (c == '?')
			return 2;
	char **ops = opt_operands(&o, &n);
	if (n > 1 || (n == 1 && !ps_bsd_letters(ops[0]))) {
		msg_usage(argv[0], PS_USAGE);
		return 2;
	}
	cap_handle_t initd = launch_cap(keel_start_page(), "launch");
	if (initd == CAP_HANDLE_NONE) {
		msg(argv[0], "no launch capability to reach initd");
		return 1;
	}
	struct initd_task *tasks = calloc(PS_MAX, sizeof *tasks);
	char(*args)[INITD_TASK_ARGS_MAX] = calloc(PS_MAX, INITD_TASK_ARGS_MAX);
	if (!tasks || !args) {
		msg(argv[0], "out of memory");
		free(tasks);
		free(args);
		return 1;
	}
	status_t st;
	uint32_t count = initd_tasks(initd, tasks, args, PS_MAX, &st);
	puts(ps_heading());
	for (uint32_t i = 0; i < count; i++) {
		char row[160];
		ps_row(&tasks[i], args[i], row, sizeof row);
		puts(row);
	}
	free(tasks);
	free(args);
	if (st) {
		msg(argv[0], "initd: %s", status_message(st));
		return 1;
	}
	return 0;
}
