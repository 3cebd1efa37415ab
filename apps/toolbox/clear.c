/*
 * clear.c - clear the terminal: cursor home, erase the screen, and erase
 * the scrollback (ESC [3J), which busybox's clear leaves alone.
 */
#include "toolbox.h"

int cmd_clear(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("\033[H\033[2J\033[3J", stdout);
	return 0;
}
