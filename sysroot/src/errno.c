/*
 * errno.c - the program's errno object (see errno.h). One static int: Keel
 * user programs have no thread-local storage yet, so errno is shared by
 * every thread of a task.
 */
#include <errno.h>

static int errno_value;

int *__keel_errno(void)
{
	return &errno_value;
}
