/*
 * df.c - the file systems' size and free space (busybox's df).
 *
 *   df [-PkmhHTai] [-B SIZE] [-t TYPE] [FILE]...
 *
 * Without FILE, every mounted file system that has blocks (-a: every one);
 * with FILEs, the one each is on. Sizes are in 1024-byte units (-k, the
 * default; 512 if POSIXLY_CORRECT is set, which -k does not change), -m MiB, -B SIZE units of SIZE
 * (a number, with K, M or G for 1024, 1024^2 or 1024^3), -h or -H the
 * shortest of bytes, K, M, G ... with one decimal. -P keeps each file
 * system on one line and says "Capacity" for "Use%"; -T adds the type,
 * -t TYPE lists that type only, -i counts files instead of blocks. The
 * percentage is of the space a user may use (used + available), rounded.
 *
 * Where the mounts come from is the platform's (tb_mounts): the host's
 * /proc/mounts, or on Keel the three roots its C library serves - the
 * volume vfsd serves at "/" (vfat), /dev and /bundle, the last two without
 * blocks - and the figures are statvfs's.
 */
#include "toolbox.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#define DF_USAGE "[-PkmhTai] [-B SIZE] [-t TYPE] [FILESYSTEM]..."

struct df {
	unsigned long long unit; /* bytes a figure counts; 0: human-readable */
	bool posix, type, all, inodes;
	const char *only; /* -t */
};

/* The column header for units of unit: "1K-blocks", "1M-blocks"; with -P
 * the bytes ("1024-blocks"). */
static void units_header(const struct df *d, char *out, size_t len)
{
	unsigned long long u = d->unit;
	if (d->inodes) {
		snprintf(out, len, "   Inodes");
	} else if (!u) {
		snprintf(out, len, "     Size");
	} else if (d->posix || u < 1024) {
		snprintf(out, len, "%llu-blocks", u);
	} else {
		/* Whole units, the remainder rounded: 1536 is "2K". */
		static const char letters[] = "KMGTPEZY";
		int scale = -1;
		unsigned tenth = 0;
		while (u >= 1024) {
			tenth = (unsigned)(((u % 1024) * 10 + 512) / 1024);
			u /= 1024;
			scale++;
		}
		if (tenth >= 5)
			u++;
		snprintf(out, len, "%llu%c-blocks", u, letters[scale]);
	}
}

/* Prints the line of one file system; 1 if statvfs failed (reported). */
static int show(const struct df *d, const char *name, const struct tb_mount *m, bool asked)
{
	struct statvfs s;
	if (statvfs(m->dir, &s) != 0) {
		msg_errno(name, "%s", m->dir);
		return 1;
	}
	if (!s.f_frsize)
		s.f_frsize = s.f_bsize;
	if (!s.f_blocks && !asked && !d->all)
		return 0;
	unsigned long long unit = d->unit;
	if (d->inodes) {
		s.f_blocks = s.f_files;
		s.f_bfree = s.f_bavail = s.f_ffree;
		s.f_frsize = 1;
		if (unit)
			unit = 1;
	}
	unsigned long long used = s.f_blocks - s.f_bfree, total = used + s.f_bavail;
	unsigned pct = 0;
	if (total) {
		while (total >= INT_MAX / 101) { /* narrower, as busybox divides */
			total >>= 1;
			used >>= 1;
		}
		pct = (unsigned)((used * 100 + total / 2) / total);
	}
	if (printf("%-20s", m->fsname) > 20 && !d->posix)
		printf("\n%-20s", "");
	if (d->type && printf(" %-10s", m->type) > 11 && !d->posix)
		printf("\n%-30s", "");
	char a[32], b[32], c[32];
	printf(" %9s %9s %9s %3u%% %s\n", tb_figure(s.f_blocks, s.f_frsize, unit, a),
	       tb_figure(s.f_blocks - s.f_bfree, s.f_frsize, unit, b),
	       tb_figure(s.f_bavail, s.f_frsize, unit, c), pct, m->dir);
	return 0;
}

/* -B's SIZE into *out: a number from 1, alone, with a unit after it, or a
 * unit alone (K, KiB, M, MiB, G, GiB - in either case but the B's -
 * are powers of 1024, KB, MB and GB of 1000). False, reported, if bad. */
static bool block_size(const char *name, const char *s, unsigned long long *out)
{
	static const struct tb_suffix units[] = {
		{ "KiB", 1ull << 10 }, { "kiB", 1ull << 10 }, { "K", 1ull << 10 },
		{ "k", 1ull << 10 },   { "MiB", 1ull << 20 }, { "miB", 1ull << 20 },
		{ "M", 1ull << 20 },   { "m", 1ull << 20 },   { "GiB", 1ull << 30 },
		{ "giB", 1ull << 30 }, { "G", 1ull << 30 },   { "g", 1ull << 30 },
		{ "KB", 1000 },        { "MB", 1000000 },     { "GB", 1000000000 },
	};
	const size_t count = sizeof units / sizeof units[0];
	for (size_t i = 0; i < count; i++)
		if (!strcmp(s, units[i].suffix)) {
			*out = units[i].mult;
			return true;
		}
	return tb_number(name, s, units, count, 1, ULLONG_MAX, out);
}

int cmd_df(int argc, char **argv)
{
	struct df d = { .unit = getenv("POSIXLY_CORRECT") ? 512 : 1024 };
	const char *bsize = NULL;
	int units_opt = 0; /* the last of -k, -m and -B counts */
	bool human = false;
	struct opt o;
	int c, n, status = 0;

	opt_init(&o, argc, argv, "kPTt:aiB:hHm", DF_USAGE);
	while ((c = opt_next(&o)) != -1) {
		switch (c) {
		case 'k':
		case 'm':
			units_opt = c;
			break;
		case 'B':
			units_opt = c;
			bsize = o.arg;
			break;
		case 'h':
		case 'H':
			human = true;
			break;
		case 'P':
			d.posix = true;
			break;
		case 'T':
			d.type = true;
			break;
		case 't':
			d.only = o.arg;
			break;
		case 'a':
			d.all = true;
			break;
		case 'i':
			d.inodes = true;
			break;
		default:
			return 1;
		}
	}
	char **files = opt_operands(&o, &n);
	if (units_opt == 'm') /* -k: the default units, 512 under POSIXLY_CORRECT */
		d.unit = 1024 * 1024;
	if (units_opt == 'B' && !block_size(argv[0], bsize, &d.unit))
		return 1;
	if (human)
		d.unit = 0;
	char units[40];
	units_header(&d, units, sizeof units);
	printf("Filesystem           %s%-15sUsed Available %s Mounted on\n",
	       d.type ? "Type       " : "", units, d.posix ? "Capacity" : "Use%");
	if (n == 0) {
		const struct tb_mount *m = tb_mounts();
		if (!m) {
			msg_errno(argv[0], "/proc/mounts");
			return 1;
		}
		for (; m->dir; m++)
			if (strcmp(m->fsname, "rootfs") && (!d.only || !strcmp(m->type, d.only)))
				status |= show(&d, argv[0], m, false);
		return status;
	}
	for (int i = 0; i < n; i++) {
		struct stat st;
		const struct tb_mount *m = stat(files[i], &st) == 0 ? tb_mount_of(files[i], &st)
								    : NULL;
		if (!m) {
			msg(argv[0], "%s: can't find mount point", files[i]);
			status = 1;
		} else if (!d.only || !strcmp(m->type, d.only)) {
			status |= show(&d, argv[0], m, true);
		}
	}
	return status;
}
