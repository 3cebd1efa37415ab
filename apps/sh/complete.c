/*
 * complete.c - the shell's completer for the line editor.
 */
#define _DEFAULT_SOURCE 1
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "complete.h"
#include "sh.h"

static bool word_break(char c)
{
	return c == ' ' || c == '\t' || strchr(";|&<>()", c);
}

/* Whether the word starting at start is in command position. */
static bool command_position(const char *line, size_t start)
{
	size_t i = start;

	while (i > 0 && (line[i - 1] == ' ' || line[i - 1] == '\t'))
		i--;
	return i == 0 || strchr(";|&(", line[i - 1]);
}

/* Adds the entries of the directory in word (up to its last '/') whose
 * names start with the rest of word; directories get a trailing '/'. */
static void complete_path(const char *word, size_t len, struct completion *c, bool exec_only)
{
	const char *slash = NULL;

	for (size_t i = 0; i < len; i++)
		if (word[i] == '/')
			slash = word + i;
	size_t dlen = slash ? (size_t)(slash - word) + 1 : 0;
	char *dir = dlen ? strndup(word, dlen) : strdup("./");
	const char *prefix = word + dlen;
	size_t plen = len - dlen;
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, plen) != 0)
			continue;
		if (e->d_name[0] == '.' && (plen == 0 || prefix[0] != '.'))
			continue;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		struct strbuf p;
		struct stat st;

		sb_init(&p);
		sb_puts(&p, dir);
		sb_puts(&p, e->d_name);
		bool isdir = stat(sb_cstr(&p), &st) == 0 && S_ISDIR(st.st_mode);

		if (!exec_only || isdir || access(p.s, X_OK) == 0) {
			p.len = 0;
			sb_put(&p, word, dlen);
			sb_puts(&p, e->d_name);
			if (isdir)
				sb_putc(&p, '/');
			completion_add(c, sb_cstr(&p));
		}
		sb_free(&p);
	}
	if (d)
		closedir(d);
	free(dir);
}

/* Adds executables from each PATH directory whose names start with word. */
static void complete_programs(struct shell *sh, const char *word, size_t len, struct completion *c)
{
	const char *path = var_get(sh, "PATH");

	for (const char *p = path ? path : ""; *p;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *dir = n ? strndup(p, n) : strdup(".");
		DIR *d = opendir(dir);
		struct dirent *ent;

		while (d && (ent = readdir(d)) != NULL) {
			if (ent->d_name[0] == '.' || strncmp(ent->d_name, word, len) != 0)
				continue;
			struct strbuf full;
			struct stat st;

			sb_init(&full);
			sb_printf(&full, "%s/%s", dir, ent->d_name);
			if (stat(full.s, &st) == 0 && S_ISREG(st.st_mode) &&
			    access(full.s, X_OK) == 0)
				completion_add(c, ent->d_name);
			sb_free(&full);
		}
		if (d)
			closedir(d);
		free(dir);
		p = e ? e + 1 : p + n;
	}
}

void complete_line(void *ctx, const char *line, size_t pos, struct completion *c)
{
	struct shell *sh = ctx;
	size_t start = pos;

	while (start > 0 && !word_break(line[start - 1]))
		start--;
	c->start = start;
	const char *word = line + start;
	size_t len = pos - start;
	bool has_slash = memchr(word, '/', len) != NULL;

	if (!command_position(line, start) || has_slash) {
		complete_path(word, len, c, command_position(line, start));
		return;
	}
	size_t nb;
	const struct builtin *b = builtin_table(&nb);

	for (size_t i = 0; i < nb; i++)
		if (strncmp(b[i].name, word, len) == 0)
			completion_add(c, b[i].name);
	for (struct func *f = sh->funcs; f; f = f->next)
		if (strncmp(f->name, word, len) == 0)
			completion_add(c, f->name);
	complete_programs(sh, word, len, c);
}
