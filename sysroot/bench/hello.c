/*
 * hello.c - hello, world, and how much memory it holds: getrusage's
 * ru_maxrss in KiB (on Linux the peak resident set; on Keel every mapped
 * page, which is every page the task holds - see docs/libc.md).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>

int main(void)
{
	struct rusage ru;
	printf("hello, world\n");
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		printf("hello: maxrss %ld KiB\n", ru.ru_maxrss);
	return 0;
}
