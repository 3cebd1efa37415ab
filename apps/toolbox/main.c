/*
 * main.c - the toolbox multi-call program: runs the command named by
 * argv[0]'s base name, or by argv[1] when called as "toolbox NAME ...".
 * "toolbox --list" prints the command names, one a line.
 */
#include "toolbox.h"

#include <string.h>

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
};

#define TOOLBOX_ENTRY(n) { #n, cmd_##n },
static const struct command commands[] = { { "[", cmd_bracket }, TOOLBOX_COMMANDS(TOOLBOX_ENTRY) };

static const struct command *find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	static const struct command platform = { "poweroff", tb_poweroff };
	return strcmp(name, platform.name) == 0 ? &platform : NULL;
}

int main(int argc, char **argv)
{
	const char *self = argc > 0 ? path_base(argv[0]) : "toolbox";
	const struct command *c = find(self);

	if (!c && argc > 1 && strcmp(argv[1], "--list") == 0) {
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			puts(commands[i].name);
		if (tb_has_poweroff)
			puts("poweroff");
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
	if (fflush(stdout) != 0 && r == 0)
		r = 1;
	return r;
}
