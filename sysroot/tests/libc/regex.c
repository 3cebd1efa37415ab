/* regex.c - POSIX regular expressions: basic and extended syntax,
 * sub-matches, REG_ICASE, REG_NEWLINE, REG_NOSUB, compile errors and their
 * regerror messages. Output is compared with the host build. */
#define _GNU_SOURCE
#include <regex.h>
#include <stdio.h>

struct probe {
	const char *re;
	int flags;
	const char *text;
};

static const struct probe probes[] = {
	{ "a.c", 0, "xxabcxx" },
	{ "^a*b$", 0, "aaab" },
	{ "\\(ab\\)*c", 0, "ababc" },
	{ "(ab)+(c|d)", REG_EXTENDED, "zzababdzz" },
	{ "([0-9]+)-([0-9]+)", REG_EXTENDED, "call 555-1234 now" },
	{ "[[:alpha:]]+[[:digit:]]{2,3}", REG_EXTENDED, "-- abc1234 --" },
	{ "HELLO", REG_ICASE, "say hello" },
	{ "^line", REG_NEWLINE, "first\nline two" },
	{ "^line", 0, "first\nline two" },
	{ "a|b|c", REG_EXTENDED | REG_NOSUB, "xxc" },
	{ "(a*)*", REG_EXTENDED, "aaa" },
	{ "(a|ab)(c|bcd)(d*)", REG_EXTENDED, "abcd" },
	{ "x{3}", REG_EXTENDED, "xxxx" },
	{ "[^a-z]", REG_EXTENDED, "abcD" },
	{ "\\.", 0, "a.b" },
	{ "a\\{2,\\}", 0, "caaat" },
	{ "(", REG_EXTENDED, "" },
	{ "a{2,1}", REG_EXTENDED, "" },
	{ "[z-a]", REG_EXTENDED, "" },
	{ "\\(", 0, "" },
	{ "a**", REG_EXTENDED, "aa" },
	{ "[[:nope:]]", REG_EXTENDED, "" },
	{ "x\\", REG_EXTENDED, "" },
	{ "nomatch", 0, "something else" },
};

static void run(const struct probe *p)
{
	regex_t re;
	regmatch_t m[5];
	char err[128];
	int rc = regcomp(&re, p->re, p->flags);
	if (rc) {
		regerror(rc, &re, err, sizeof err);
		printf("/%s/ %#x: compile error %d: %s\n", p->re, p->flags, rc, err);
		return;
	}
	rc = regexec(&re, p->text, 5, m, 0);
	printf("/%s/ %#x on \"%s\": %s, %zu groups", p->re, p->flags, p->text,
	       rc == 0 ? "match" : "no match", re.re_nsub);
	if (rc == 0 && !(p->flags & REG_NOSUB))
		for (int i = 0; i < 5 && i <= (int)re.re_nsub; i++)
			printf(" [%d,%d)", (int)m[i].rm_so, (int)m[i].rm_eo);
	printf("\n");
	regfree(&re);
}

int main(void)
{
	for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
		run(&probes[i]);
	return 0;
}
