/*
 * dd.c - copy in blocks (busybox's dd).
 *
 *   dd [if=FILE] [of=FILE] [bs=N | ibs=N obs=N] [count=N] [skip=N] [seek=N]
 *      [conv=notrunc,sync,noerror,fsync,swab]
 *      [iflag=skip_bytes,count_bytes,fullblock,direct]
 *      [oflag=seek_bytes,append,direct] [status=none|noxfer]
 *
 * Reads blocks of ibs bytes (default 512) from FILE or standard input and
 * writes them in blocks of obs bytes to FILE or standard output. count
 * input blocks at most; skip blocks of input and seek blocks of output
 * first (bytes with skip_bytes, seek_bytes; count_bytes counts bytes).
 * The output is truncated at the seek point unless conv=notrunc. A short
 * read is a partial record, padded to ibs with conv=sync; fullblock reads
 * until the block is full. conv=noerror goes on after a read error,
 * conv=fsync syncs the output at the end, conv=swab swaps each pair of
 * bytes. direct is accepted and does nothing. At the end (or a write
 * error) standard error gets "F+P records in" and "F+P records out"
 * (full and partial records), as Debian's busybox says them; status=none
 * leaves them out, status=noxfer changes nothing. Numbers take c (1), w (2), b (512), kB (1000),
 * k or K (1024), MB, M, GB, G; KB, KD, kD, MD and GD are the decimal ones.
 */
#include "toolbox.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DD_USAGE                                                                                   \
	"[if=FILE] [of=FILE] [ibs=N obs=N/bs=N] [count=N] [skip=N] [seek=N]\n"                     \
	"\t[conv=notrunc|noerror|sync|fsync]\n"                                                    \
	"\t[iflag=skip_bytes|count_bytes|fullblock|direct] [oflag=seek_bytes|append|direct]"

enum {
	CONV_NOTRUNC = 1 << 0,
	CONV_SYNC = 1 << 1,
	CONV_NOERROR = 1 << 2,
	CONV_FSYNC = 1 << 3,
	CONV_SWAB = 1 << 4,
	IFLAG_SKIP_BYTES = 1 << 0,
	IFLAG_COUNT_BYTES = 1 << 1,
	IFLAG_FULLBLOCK = 1 << 2,
	OFLAG_SEEK_BYTES = 1 << 0,
	OFLAG_APPEND = 1 << 1,
};

struct dd {
	const char *name;
	int in, out;
	const char *in_name, *out_name;
	unsigned long long in_full, in_part, out_full, out_part;
};

/* A number with dd's suffixes, from lo to hi, into *out; false, said, if
 * it is not one. */
static bool dd_number(const char *name, const char *s, unsigned long long lo, unsigned long long hi,
		      unsigned long long *out)
{
	static const struct tb_suffix units[] = {
		{ "c", 1 },           { "w", 2 },           { "b", 512 },
		{ "kB", 1000 },       { "kD", 1000 },       { "k", 1024 },
		{ "KB", 1000 },       { "KD", 1000 },       { "K", 1024 },
		{ "MB", 1000000 },    { "MD", 1000000 },    { "M", 1ull << 20 },
		{ "GB", 1000000000 }, { "GD", 1000000000 }, { "G", 1ull << 30 },
	};
	return tb_number(name, s, units, sizeof units / sizeof units[0], lo, hi, out);
}

/* The words of a comma list (conv=, iflag=, oflag=) as bits; -1, said,
 * for a word not in words (NULL-terminated). */
static int dd_words(const char *name, const char *list, const char *what, const char *const *words)
{
	int bits = 0;
	for (const char *p = list;;) {
		size_t n = strcspn(p, ",");
		int i = 0;
		while (words[i] && (strlen(words[i]) != n || strncmp(words[i], p, n)))
			i++;
		if (!words[i]) {
			msg(name, "invalid argument '%.*s' to '%s'", (int)n, p, what);
			return -1;
		}
		bits |= 1 << i;
		if (!p[n])
			return bits;
		p += n + 1;
	}
}

static void dd_status(const struct dd *d)
{
	fprintf(stderr, "%llu+%llu records in\n%llu+%llu records out\n", d->in_full, d->in_part,
		d->out_full, d->out_part);
}

/* Reads up to n bytes: once, or (full) until n or the end. */
static ssize_t dd_read(int fd, char *buf, size_t n, bool full)
{
	size_t got = 0;
	do {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return got ? (ssize_t)got : -1;
		if (r == 0)
			break;
		got += (size_t)r;
	} while (full && got < n);
	return (ssize_t)got;
}

/* Writes len bytes as one output record of obs; false, said, on error. */
static bool dd_write(struct dd *d, const char *buf, size_t len, size_t obs)
{
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(d->out, buf + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (done == obs) {
		d->out_full++;
		return true;
	}
	if (done == len) {
		d->out_part++;
		return true;
	}
	msg_errno(d->name, "error writing '%s'", d->out_name);
	return false;
}

int cmd_dd(int argc, char **argv)
{
	static const char *const conv_words[] = { "notrunc", "sync", "noerror",
						  "fsync",   "swab", NULL };
	static const char *const iflag_words[] = { "skip_bytes", "count_bytes", "fullblock",
						   "direct", NULL };
	static const char *const oflag_words[] = { "seek_bytes", "append", "direct", NULL };
	const unsigned long long size_max = SIZE_MAX / 2;
	struct dd d = { .name = argv[0], .in = 0, .out = 1 };
	unsigned long long ibs = 512, obs = 512, count = 0, seek = 0, skip = 0;
	int conv = 0, iflag = 0, oflag = 0;
	bool has_count = false, none = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		if (!strcmp(a, "--"))
			continue;
		if (!eq) {
			msg_usage(argv[0], DD_USAGE);
			return 1;
		}
		size_t k = (size_t)(eq - a);
		const char *v = eq + 1;
#define KEY(s) (k == sizeof(s) - 1 && !strncmp(a, s, k))
		bool ok = true;
		int bits;
		if (KEY("bs")) {
			ok = dd_number(argv[0], v, 1, size_max, &ibs);
			obs = ibs;
		} else if (KEY("ibs")) {
			ok = dd_number(argv[0], v, 1, size_max, &ibs);
		} else if (KEY("obs")) {
			ok = dd_number(argv[0], v, 1, size_max, &obs);
		} else if (KEY("count")) {
			ok = dd_number(argv[0], v, 0, ULLONG_MAX, &count);
			has_count = true;
		} else if (KEY("seek")) {
			ok = dd_number(argv[0], v, 0, ULLONG_MAX, &seek);
		} else if (KEY("skip")) {
			ok = dd_number(argv[0], v, 0, ULLONG_MAX, &skip);
		} else if (KEY("if")) {
			d.in_name = v;
		} else if (KEY("of")) {
			d.out_name = v;
		} else if (KEY("conv")) {
			ok = (bits = dd_words(argv[0], v, "conv", conv_words)) >= 0;
			conv |= ok ? bits : 0;
		} else if (KEY("iflag")) {
			ok = (bits = dd_words(argv[0], v, "iflag", iflag_words)) >= 0;
			iflag |= ok ? bits : 0;
		} else if (KEY("oflag")) {
			ok = (bits = dd_words(argv[0], v, "oflag", oflag_words)) >= 0;
			oflag |= ok ? bits : 0;
		} else if (KEY("status")) {
			if (!strcmp(v, "none"))
				none = true;
			else if (strcmp(v, "noxfer")) {
				msg(argv[0], "invalid argument '%s' to 'status'", v);
				return 1;
			}
		} else {
			msg_usage(argv[0], DD_USAGE);
			return 1;
		}
#undef KEY
		if (!ok)
			return 1;
	}

	char *ibuf = malloc(ibs), *obuf = ibs == obs ? ibuf : malloc(obs);
	if (!ibuf || !obuf) {
		msg(argv[0], "out of memory");
		return 1;
	}
	if (d.in_name) {
		if ((d.in = open(d.in_name, O_RDONLY)) < 0) {
			msg_errno(argv[0], "can't open '%s'", d.in_name);
			return 1;
		}
	} else {
		d.in_name = "standard input";
	}
	if (d.out_name) {
		int flags = O_WRONLY | O_CREAT | (oflag & OFLAG_APPEND ? O_APPEND : 0) |
			    (!seek && !(conv & CONV_NOTRUNC) ? O_TRUNC : 0);
		if ((d.out = open(d.out_name, flags, 0666)) < 0) {
			msg_errno(argv[0], "can't open '%s'", d.out_name);
			return 1;
		}
		unsigned long long at = seek * (oflag & OFLAG_SEEK_BYTES ? 1 : obs);
		struct stat st;
		if (seek && !(conv & CONV_NOTRUNC) && ftruncate(d.out, (off_t)at) < 0 &&
		    (fstat(d.out, &st) < 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
			msg_errno(argv[0], "%s", d.out_name);
			return 1;
		}
	} else {
		d.out_name = "standard output";
	}
	if (skip) {
		size_t step = iflag & IFLAG_SKIP_BYTES ? 1 : ibs;
		if (lseek(d.in, (off_t)(skip * step), SEEK_CUR) < 0) {
			/* Not seekable (a pipe): read past it. */
			for (; skip; skip--) {
				ssize_t n = dd_read(d.in, ibuf, step, false);
				if (n < 0) {
					msg_errno(argv[0], "%s", d.in_name);
					return 1;
				}
				if (n == 0)
					break;
			}
		}
	}
	if (seek &&
	    lseek(d.out, (off_t)(seek * (oflag & OFLAG_SEEK_BYTES ? 1 : obs)), SEEK_CUR) < 0) {
		msg_errno(argv[0], "%s", d.out_name);
		return 1;
	}

	size_t held = 0; /* bytes waiting in obuf when ibs != obs */
	ssize_t last = 0;
	int status = 0;
	for (;;) {
		size_t want = ibs;
		if (has_count) {
			if (count == 0)
				break;
			if ((iflag & IFLAG_COUNT_BYTES) && count < ibs)
				want = count;
		}
		ssize_t n = dd_read(d.in, ibuf, want, iflag & IFLAG_FULLBLOCK);
		if (n == 0)
			break;
		if (n < 0) {
			if (!(conv & CONV_NOERROR)) {
				msg_errno(argv[0], "%s", d.in_name);
				return 1;
			}
			msg_errno(argv[0], "%s", d.in_name);
			lseek(d.in, (off_t)ibs, SEEK_CUR);
			n = 0;
		}
		if (conv & CONV_SWAB) {
			if (last & 1) {
				msg(argv[0], "can't swab %lu byte buffer", (unsigned long)last);
				return 1;
			}
			last = n;
			for (ssize_t i = 0; i + 1 < n; i += 2) {
				char t = ibuf[i];
				ibuf[i] = ibuf[i + 1];
				ibuf[i + 1] = t;
			}
		}
		count -= iflag & IFLAG_COUNT_BYTES ? (unsigned long long)n : 1;
		if ((size_t)n == ibs) {
			d.in_full++;
		} else {
			d.in_part++;
			if (conv & CONV_SYNC) {
				memset(ibuf + n, 0, ibs - (size_t)n);
				n = (ssize_t)ibs;
			}
		}
		if (obuf == ibuf) {
			if (!dd_write(&d, ibuf, (size_t)n, obs)) {
				status = 1;
				goto out;
			}
			continue;
		}
		for (const char *p = ibuf; n;) {
			size_t take = obs - held < (size_t)n ? obs - held : (size_t)n;
			memcpy(obuf + held, p, take);
			p += take;
			n -= (ssize_t)take;
			held += take;
			if (held == obs) {
				if (!dd_write(&d, obuf, obs, obs)) {
					status = 1;
					goto out;
				}
				held = 0;
			}
		}
	}
	if ((conv & CONV_FSYNC) && fsync(d.out) < 0) {
		msg_errno(argv[0], "%s", d.out_name);
		return 1;
	}
	if (held && !dd_write(&d, obuf, held, obs)) {
		status = 1;
		goto out;
	}
	if (close(d.in) < 0) {
		msg_errno(argv[0], "%s", d.in_name);
		return 1;
	}
	if (close(d.out) < 0) {
		msg_errno(argv[0], "%s", d.out_name);
		return 1;
	}
out:
	if (!none)
		dd_status(&d);
	if (obuf != ibuf)
		free(obuf);
	free(ibuf);
	return status;
}
