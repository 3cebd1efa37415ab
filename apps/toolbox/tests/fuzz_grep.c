/*
 * fuzz_grep.c - libFuzzer target for grep's pattern handling: the first
 * byte picks the options (-E -F -i -w -x), the first line is the pattern
 * text (split into patterns at '\n' escapes as grep -e would be given),
 * the rest is matched line by line, including -o's repeated matching.
 */
#include "../grep.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs every match of g over line s, as grep -o does. */
static void fuzz_matches(const struct grep_pats *g, const char *s)
{
	size_t start = 0, so, eo, len = strlen(s);

	while (start <= len && grep_match(g, s, start, &so, &eo))
		start = eo > so ? eo : so + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct grep_pats g = { 0 };

	if (size < 1)
		return 0;
	g.extended = data[0] & 1;
	g.fixed = data[0] & 2;
	g.icase = data[0] & 4;
	g.word = data[0] & 8;
	g.line = data[0] & 16;
	char *text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	char *nl = strchr(text, '\n');
	char *subject = nl ? nl + 1 : text + strlen(text);
	if (nl)
		*nl = '\0';
	for (char *p = text; (p = strchr(p, '\t')) != NULL; p++)
		*p = '\n';
	if (grep_add(&g, text) && grep_compile("grep", &g)) {
		for (char *line = subject; line;) {
			char *next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			fuzz_matches(&g, line);
			line = next;
		}
	}
	grep_free(&g);
	free(text);
	return 0;
}
