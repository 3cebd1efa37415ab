/*
 * true.c - true and false: exit 0 and 1, ignoring their arguments.
 */
#include "toolbox.h"

int cmd_true(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int cmd_false(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 1;
}
