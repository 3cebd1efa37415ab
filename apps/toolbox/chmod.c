/*
 * chmod.c - change files' modes (busybox's chmod): `chmod [-Rvcf] MODE
 * FILE...`. MODE is octal (at most 07777) or POSIX's symbolic clauses,
 * comma-separated: who (ugoa, none meaning all but the umask's bits), then
 * one or more actions, each an operator (+ - =) and either permissions
 * (rwxXst) or a class to copy them from (u g o). -R descends into
 * directories (links below the named files are not followed), -v reports
 * every file, -c only the files whose mode changes, -f leaves out the
 * messages of failed changes (busybox still reports a name it cannot
 * find). A MODE such as -w may stand first, where an option would.
 *
 * On Keel's volume only a file's read-only attribute can change (chmod
 * a-w sets it, u+w clears it); any other change fails there with
 * "Operation not permitted" (docs/files.md).
 */
#include "toolbox.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CHMOD_USAGE "[-Rvcf] MODE[,MODE]... FILE..."
#define ALL_BITS 07777u

struct chmod_run {
	const char *name, *mode;
	bool recurse, verbose, changes, quiet;
	int status;
};

/* The bits of one class letter (u, g, o; a for all) that a clause's
 * who-list covers: each class's rwx and its own special bit. */
static unsigned class_bits(char c)
{
	switch (c) {
	case 'u':
		return S_ISUID | S_IRWXU;
	case 'g':
		return S_ISGID | S_IRWXG;
	case 'o':
		return S_IRWXO;
	case 'a':
		return ALL_BITS;
	}
	return 0;
}

/* The bits one permission letter stands for in every class; X only for a
 * directory or a mode with an execute bit already (as it stands so far). */
static unsigned perm_bits(char c, unsigned mode)
{
	switch (c) {
	case 'r':
		return S_IRUSR | S_IRGRP | S_IROTH;
	case 'w':
		return S_IWUSR | S_IWGRP | S_IWOTH;
	case 'x':
		return S_IXUSR | S_IXGRP | S_IXOTH;
	case 'X':
		return S_ISDIR(mode) || (mode & (S_IXUSR | S_IXGRP | S_IXOTH))
			       ? S_IXUSR | S_IXGRP | S_IXOTH
			       : 0;
	case 's':
		return S_ISUID | S_ISGID;
	case 't':
		return S_ISVTX;
	}
	return 0;
}

/* The rwx bits of class c in mode, copied to all three classes. */
static unsigned copy_bits(char c, unsigned mode)
{
	unsigned rwx = c == 'u' ? (mode >> 6) & 7 : c == 'g' ? (mode >> 3) & 7 : mode & 7;
	return rwx << 6 | rwx << 3 | rwx;
}

/* MODE applied to a file whose mode is cur (with its type bits); false if
 * MODE is not one. */
static bool chmod_parse(const char *s, unsigned cur, unsigned *out)
{
	if (*s >= '0' && *s <= '7') {
		char *end;
		unsigned long v = strtoul(s, &end, 8);
		if (*end || v > ALL_BITS)
			return false;
		*out = (unsigned)v;
		return true;
	}
	unsigned mode = cur;
	mode_t mask = umask(0);
	umask(mask);
	while (*s) {
		if (*s == ',') { /* empty clauses are allowed */
			s++;
			continue;
		}
		unsigned who = 0;
		while (*s && strchr("ugoa", *s)) {
			who |= class_bits(*s++);
			if (!*s)
				return false; /* a who-list with no action */
		}
		do {
			char op = *s;
			if (op != '+' && op != '-' && op != '=')
				return false;
			s++;
			if (op == '=')
				mode &= ~(who ? who : ALL_BITS);
			unsigned perms = 0;
			if (*s && strchr("ugo", *s)) {
				perms = copy_bits(*s++, mode);
			} else {
				while (*s && strchr("rwxXst", *s))
					perms |= perm_bits(*s++, mode);
			}
			perms &= who ? who : ~(unsigned)mask;
			if (op == '-')
				mode &= ~perms;
			else
				mode |= perms;
		} while (*s && *s != ',');
	}
	*out = mode & ALL_BITS;
	return true;
}

/* Changes one file whose stat is st; false on failure (reported). */
static bool chmod_one(struct chmod_run *r, const char *path, const struct stat *st)
{
	unsigned mode;
	if (!chmod_parse(r->mode, st->st_mode, &mode)) {
		msg(r->name, "invalid mode '%s'", r->mode);
		exit(1);
	}
	if (chmod(path, mode) != 0) {
		if (!r->quiet)
			msg_errno(r->name, "%s", path);
		return false;
	}
	if (r->verbose || (r->changes && (st->st_mode & ALL_BITS) != mode)) {
		char s[11];
		tb_mode_string(mode, s);
		printf("mode of '%s' changed to %04o (%s)\n", path, mode, s + 1);
	}
	return true;
}

/* One named file (depth 0: a link is followed) or one found below it
 * (a link is passed over), then, with -R, a directory's entries in the
 * order readdir gives them, also when the directory's own change failed:
 * on Keel's volume `chmod -R a-w DIR` fails for every directory, whose
 * mode cannot change, and makes every file read-only. */
static void chmod_path(struct chmod_run *r, const char *path, int depth)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		msg_errno(r->name, "%s", path);
		r->status = 1;
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		if (depth > 0)
			return;
		if (stat(path, &st) != 0) {
			if (!r->quiet)
				msg_errno(r->name, "%s", path);
			r->status = 1;
			return;
		}
		if (!chmod_one(r, path, &st))
			r->status = 1;
		return; /* a named link to a directory is not descended into */
	}
	if (!chmod_one(r, path, &st))
		r->status = 1; /* a directory's entries are still changed (GNU's way) */
	if (!S_ISDIR(st.st_mode) || !r->recurse)
		return;
	DIR *dir = opendir(path);
	if (!dir) {
		msg_errno(r->name, "%s", path);
		r->status = 1;
		return;
	}
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *sub = tb_path_join(path, e->d_name);
		if (!sub) {
			msg(r->name, "out of memory");
			r->status = 1;
			continue;
		}
		chmod_path(r, sub, depth + 1);
		free(sub);
	}
	closedir(dir);
}

int cmd_chmod(int argc, char **argv)
{
	struct chmod_run r = { .name = argv[0] };
	struct opt o;
	int c, n;

	/* A first operand such as -w is a mode, not options: it is hidden
	 * from the option scan as "aw" and given back afterwards. */
	char *dashed = NULL;
	for (int i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (argv[i][1] && !strchr("-Rvcf", argv[i][1])) {
			dashed = argv[i];
			dashed[0] = 'a';
			break;
		}
	}
	opt_init(&o, argc, argv, "Rvcf", CHMOD_USAGE);
	while ((c = opt_next(&o)) != -1) {
		if (c == '?')
			return 1;
		r.recurse |= c == 'R';
		r.verbose |= c == 'v';
		r.changes |= c == 'c';
		r.quiet |= c == 'f';
	}
	if (dashed)
		dashed[0] = '-';
	char **ops = opt_operands(&o, &n);
	if (n < 2) {
		msg_usage(argv[0], o.usage);
		return 1;
	}
	r.mode = ops[0];
	for (int i = 1; i < n; i++)
		chmod_path(&r, ops[i], 0);
	return r.status;
}
