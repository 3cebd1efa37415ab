/*
 * child.c - launch-child: what launch-test launches. Its first argument
 * says what to do; its exit code says what it saw:
 *   args A B   exit 40 + argc if argv[1..2] are "A" "B", the environment
 *              has LT=1 and the working directory block said /w; else 1
 *   caps       exit 50 + 1 if it got "token", + 2 if it got "extra"
 *              (which its manifest does not declare: it never should)
 *   crash      a page fault at address 0
 *   spin       runs until it is killed
 *   nest       launches "launch-child spin" with its own launch capability
 *              and exits 60 without waiting (initd must kill the spinner)
 */
#include <stdlib.h>
#include <string.h>

#include "keel/launch.h"

int main(int argc, char **argv)
{
	const struct keel_start *s = keel_start_page();
	const char *lt = getenv("LT");
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "args"))
		return argc == 4 && !strcmp(argv[2], "A") && !strcmp(argv[3], "B b") && lt &&
				       !strcmp(lt, "1")
			       ? 40 + argc
			       : 1;
	if (!strcmp(argv[1], "caps"))
		return 50 + (launch_cap(s, "token") != CAP_HANDLE_NONE) +
		       2 * (launch_cap(s, "extra") != CAP_HANDLE_NONE);
	if (!strcmp(argv[1], "crash"))
		return *(volatile int *)(uintptr_t)argc - 1000; /* argc is 2: address 2 */
	if (!strcmp(argv[1], "nest")) {
		char *spin[] = { "launch-child", "spin", NULL };
		struct launch_req req = { "launch-child", spin, NULL, NULL, 0, NULL, NULL, NULL };
		uint32_t id;
		return launch_start(launch_cap(s, "launch"), &req, &id) == STATUS_OK ? 60 : 61;
	}
	if (!strcmp(argv[1], "spin"))
		for (;;)
			sys_thread_yield();
	return 3;
}
