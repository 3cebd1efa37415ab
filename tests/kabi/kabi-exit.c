/* kabi-exit.c - exits at once with the code its spawner passed as arg. */
#include "kabi.h"

int keel_main(const struct keel_start *s)
{
	return (int)keel_start_arg(s);
}
