/*
 * du.c - the space files take (busybox's du).
 *
 *   du [-aHLsxlcbhkm] [-d N] [FILE]...
 *
 * For each FILE (default ".") and every directory below it, the space
 * taken by all it holds, in 1024-byte units (512 if POSIXLY_CORRECT is
 * set), counted from st_blocks: the whole blocks - on FAT the clusters -
 * a file takes. -a lists files too, -s only the FILEs themselves, -d N
 * down to depth N; -c adds a total line. -k 1024-byte units, -m MiB
 * (rounded up), -h sizes for people (as df -h), -b the bytes of the
 * files' sizes. -L follows every link, -H those named; -x stays on the
 * FILE's file system; a file with several links is counted once unless
 * -l. Directories are walked in the order readdir gives.
 */
#include "toolbox.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define DU_USAGE "[-aHLdclsxhmk] [FILE]..."

/* A file seen with several links, counted once. */
struct seen {
	dev_t dev;
	ino_t ino;
};

struct du {
	const char *name;        /* argv[0] */
	unsigned long long unit; /* 0: for people */
	bool all, one_fs, each_link, bytes;
	int max_depth, follow_depth, depth;
	dev_t dev;
	struct seen *seen;
	size_t nseen, capseen;
	int status;
};

static void show(const struct du *d, unsigned long long n, const char *path)
{
	char buf[32];
	/* Fixed units round up, as coreutils' du: a 1025 KiB file is 2 MiB. */
	if (d->unit)
		n += (d->unit - 1) / 1024;
	printf("%s\t%s\n", tb_figure(n, d->bytes ? 1 : 512, d->unit, buf), path);
}

/* Whether st was counted already (files with several links); notes it. */
static bool seen_before(struct du *d, const struct stat *st)
{
	for (size_t i = 0; i < d->nseen; i++)
		if (d->seen[i].dev == st->st_dev && d->seen[i].ino == st->st_ino)
			return true;
	if (d->nseen == d->capseen) {
		size_t cap = d->capseen ? d->capseen * 2 : 64;
		struct seen *more = realloc(d->seen, cap * sizeof *more);
		if (!more)
			return false;
		d->seen = more;
		d->capseen = cap;
	}
	d->seen[d->nseen++] = (struct seen){ st->st_dev, st->st_ino };
	return false;
}

static unsigned long long du_path(struct du *d, const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		msg_errno(d->name, "%s", path);
		d->status = 1;
		return 0;
	}
	if (d->one_fs) {
		if (d->depth == 0)
			d->dev = st.st_dev;
		else if (st.st_dev != d->dev)
			return 0;
	}
	if (S_ISLNK(st.st_mode) && d->follow_depth > d->depth) {
		if (stat(path, &st) != 0) {
			msg_errno(d->name, "%s", path);
			d->status = 1;
			return 0;
		}
		if (d->follow_depth == 1) /* -H: from here on, every link */
			d->follow_depth = INT_MAX;
	}
	unsigned long long sum = d->bytes ? (unsigned long long)st.st_size
					  : (unsigned long long)st.st_blocks;
	if (!d->each_link && st.st_nlink > 1 && seen_before(d, &st))
		return 0;
	if (S_ISDIR(st.st_mode)) {
		DIR *dir = opendir(path);
		if (!dir) {
			msg_errno(d->name, "can't open '%s'", path);
			d->status = 1;
			return sum;
		}
		struct dirent *e;
		while ((e = readdir(dir))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char *sub = tb_path_join(path, e->d_name);
			if (!sub)
				continue;
			d->depth++;
			sum += du_path(d, sub);
			d->depth--;
			free(sub);
		}
		closedir(dir);
	} else if (!d->all && d->depth) {
		return sum;
	}
	if (d->depth <= d->max_depth)
		show(d, sum, path);
	return sum;
}

int cmd_du(int argc, char **argv)
{
	struct du d = { .name = argv[0],
			.unit = getenv("POSIXLY_CORRECT") ? 512 : 1024,
			.max_depth = INT_MAX };
	int units = 0, follow = 0, depth_opt = 0; /* the last of each group counts */
	bool total = false;
	unsigned long long depth = 0;
	struct opt o;
	int c, n;

	opt_init(&o, argc, argv, "aHkLsxd:lcbhm", DU_USAGE);
	while ((c = opt_next(&o)) != -1) {
		switch (c) {
		case 'a':
			d.all = true;
			break;
		case 'H':
		case 'L':
			follow = c;
			break;
		case 'k':
		case 'h':
		case 'm':
			units = c;
			break;
		case 's':
			depth_opt = c;
			break;
		case 'd':
			if (!parse_ulong(o.arg, &depth) || depth > INT_MAX) {
				msg(argv[0], "invalid number '%s'", o.arg);
				return 1;
			}
			depth_opt = c;
			break;
		case 'x':
			d.one_fs = true;
			break;
		case 'l':
			d.each_link = true;
			break;
		case 'c':
			total = true;
			break;
		case 'b':
			d.bytes = true;
			break;
		default:
			return 1;
		}
	}
	char **files = opt_operands(&o, &n);
	if (d.bytes)
		d.unit = 1;
	d.unit = units == 'h' ? 0 : units == 'm' ? 1024 * 1024 : units == 'k' ? 1024 : d.unit;
	d.max_depth = depth_opt == 's' ? 0 : depth_opt == 'd' ? (int)depth : INT_MAX;
	d.follow_depth = follow == 'L' ? INT_MAX : follow == 'H' && n ? 1 : 0;
	static char *dot[] = { ".", NULL };
	if (n == 0)
		files = dot, n = 1;
	unsigned long long sum = 0;
	int follow_start = d.follow_depth;
	for (int i = 0; i < n; i++) {
		sum += du_path(&d, files[i]);
		d.follow_depth = follow_start;
	}
	if (total)
		show(&d, sum, "total");
	free(d.seen);
	return d.status;
}
