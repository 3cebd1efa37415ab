/*
 * echo.c - busybox's echo: leading options -n (no newline), -e (escapes)
 * and -E (no escapes) in any combination; any other word, "--" included,
 * starts the text. As in busybox, -E never turns -e off. With -e: \a \b \c (stop) \e \f \n \r \t \v \\, \0NNN
 * and \NNN in octal, \xHH in hexadecimal.
 */
#include "toolbox.h"

#include <string.h>

/* True when w is an option word of echo ("-" followed only by n, e, E). */
static bool echo_option(const char *w)
{
	if (w[0] != '-' || w[1] == '\0')
		return false;
	return strspn(w + 1, "neE") == strlen(w + 1);
}

/* Reads up to max digits of base (8 or 16) from *p into *v. */
static int echo_digits(const char **p, int base, int max, int *v)
{
	int n = 0;

	*v = 0;
	for (; n < max; n++) {
		char c = (*p)[n];
		int d = c >= '0' && c <= '7'                 ? c - '0'
			: base == 16 && c >= '8' && c <= '9' ? c - '0'
			: base == 16 && c >= 'a' && c <= 'f' ? c - 'a' + 10
			: base == 16 && c >= 'A' && c <= 'F' ? c - 'A' + 10
							     : -1;
		if (d < 0)
			break;
		*v = *v * base + d;
	}
	*p += n;
	return n;
}

/* Writes s interpreting escapes; returns false when \c stopped output. */
static bool echo_escaped(const char *s)
{
	static const char from[] = "abefnrtv\\", to[] = "\a\b\033\f\n\r\t\v\\";
	int v;

	while (*s) {
		if (*s != '\\' || !s[1]) {
			putchar(*s++);
			continue;
		}
		s++;
		const char *k = strchr(from, *s);
		if (*s == 'c')
			return false;
		if (k) {
			putchar(to[k - from]);
			s++;
		} else if (*s == 'x') {
			s++;
			if (echo_digits(&s, 16, 2, &v) > 0)
				putchar(v);
			else
				fputs("\\x", stdout);
		} else if (*s >= '0' && *s <= '7') {
			if (*s == '0')
				s++;
			echo_digits(&s, 8, 3, &v);
			putchar(v & 0xff);
		} else {
			putchar('\\');
		}
	}
	return true;
}

int cmd_echo(int argc, char **argv)
{
	bool newline = true, escapes = false;
	int i = 1;

	for (; i < argc && echo_option(argv[i]); i++)
		for (const char *p = argv[i] + 1; *p; p++) {
			if (*p == 'n')
				newline = false;
			else if (*p == 'e')
				escapes = true;
		}
	for (; i < argc; i++) {
		if (escapes && !echo_escaped(argv[i]))
			return 0;
		if (!escapes)
			fputs(argv[i], stdout);
		if (i + 1 < argc)
			putchar(' ');
	}
	if (newline)
		putchar('\n');
	return 0;
}
