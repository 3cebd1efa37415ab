/*
 * uname.c - the system's names (busybox's uname): -s the kernel's name
 * (the default), -n the node name, -r its release, -v its version, -m the
 * machine, -p and -i the processor and platform ("unknown", as busybox
 * says), -o the operating system, -a all of them but -p and -i. Whatever the order of
 * the options, the fields come in that order, one blank apart.
 *
 * -o is the kernel's name as uname(2) gives it ("Keel", or "Linux" on a
 * Linux host), where busybox prints the constant of its build
 * ("GNU/Linux"): tests/DIFFERENCES.
 */
#include "toolbox.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#define UNAME_USAGE "[-amnrspvio]"
#define UNAME_ALL 0x9fu /* -a: all but -p and -i, which are unknown */

int cmd_uname(int argc, char **argv)
{
	static const char letters[] = "snrvmpio";
	struct utsname u;
	struct opt o;
	unsigned want = 0;
	int c, n;

	opt_init(&o, argc, argv, "asnrvmpio", UNAME_USAGE);
	while ((c = opt_next(&o)) != -1) {
		if (c == '?')
			return 1;
		want |= c == 'a' ? UNAME_ALL : 1u << (strchr(letters, c) - letters);
	}
	opt_operands(&o, &n);
	if (n) {
		msg_usage(argv[0], UNAME_USAGE);
		return 1;
	}
	if (uname(&u) != 0) {
		msg_errno(argv[0], "uname");
		return 1;
	}
	const char *field[] = { u.sysname, u.nodename, u.release, u.version,
				u.machine, "unknown",  "unknown", u.sysname };
	bool first = true;
	for (int i = 0; i < 8; i++)
		if ((want ? want : 1u) >> i & 1) {
			printf("%s%s", first ? "" : " ", field[i]);
			first = false;
		}
	putchar('\n');
	return 0;
}
