/* main.c - the edit program; everything lives in app.c and below. */
#include "app.h"

int main(int argc, char **argv)
{
	return edit_main(argc, argv);
}
