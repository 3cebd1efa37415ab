/*
 * main.c - the toolbox multi-call program: runs the command named by
 * argv[0]'s base name, or by argv[1] when called as "toolbox NAME ...".
 * "toolbox --list" prints the command names, one a line.
 */
#include "toolbox.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define TOOLBOX_ENTRY(n) { #n, cmd_##n },
static const struct tb_command commands[] = { { "[", cmd_bracket },
					      TOOLBOX_COMMANDS(TOOLBOX_ENTRY) };

static const struct tb_command *find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	for (const struct tb_command *p = tb_platform; p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

/*
 * After the command: what it wrote to standard output must have gone out.
 * A write that failed (a full disk: ENOSPC) is reported once, here, for
 * every command, and the status is 1 if it was 0. errno is still the
 * failed write's: stdio keeps no other, and nothing since has failed. A
 * reader that went away (EPIPE) is not reported: on Linux SIGPIPE would
 * have ended the command silently.
 */
static int stdout_done(const char *name, int r)
{
	int e = errno;
	if (fflush(stdout) != 0)
		e = errno; /* the last bytes failed */
	else if (!ferror(stdout))
		return r;
	if (e != EPIPE)
		msg(name, "write error: %s", strerror(e ? e : EIO));
	return r ? r : 1;
}

int main(int argc, char **argv)
{
	const char *self = argc > 0 ? path_base(argv[0]) : "toolbox";
	const struct tb_command *c = find(self);

	if (!c && argc > 1 && strcmp(argv[1], "--list") == 0) {
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			puts(commands[i].name);
		for (const struct tb_command *p = tb_platform; p->name; p++)
			puts(p->name);
		return 0;
	}
	bool named = false;
	if (!c && argc > 1) {
		named = true;
		argv++;
		argc--;
		c = find(argv[0]);
		if (!c)
			fprintf(stderr, "toolbox: %s: command not found\n", argv[0]);
	}
	if (!c) {
		fprintf(stderr, "Usage: toolbox NAME [ARG]... (toolbox --list names them)\n");
		return named ? 127 : 1;
	}
	argv[0] = (char *)path_base(argv[0]);
	int r = c->run(argc, argv);
	return stdout_done(argv[0], r);
}
