/*
 * main.c - main() for programs that define keel_main() instead (see
 * keel/sys.h). The C library's start-up calls main(); a program that
 * defines its own main() never pulls this file out of libsys.a.
 */
#include "keel/sys.h"

int main(void);

int main(void)
{
	return keel_main(keel_start_page());
}
