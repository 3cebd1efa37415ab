/* main.c - the edit program; everything lives in app.c and below. */
#include <string.h>

#include "app.h"

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--bench") == 0)
		return edit_bench(argv[2]);
	return edit_main(argc, argv);
}
