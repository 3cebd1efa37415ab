/*
 * util.c - number parsing, whole writes and a plain byte copy.
 */
#include "toolbox.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parses a decimal number with no sign and nothing after it. */
bool parse_ulong(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = (unsigned)(*s - '0');
		if (v > (~0ULL - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* Parses a count with busybox's optional suffixes b (512), k (1024) and
 * m (1024*1024). */
bool parse_size(const char *s, unsigned long long *out)
{
	size_t n = strlen(s);
	unsigned long long mul = 1, v;
	char buf[32];

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n + 1);
	switch (buf[n - 1]) {
	case 'b':
		mul = 512;
		break;
	case 'k':
		mul = 1024;
		break;
	case 'm':
		mul = 1024 * 1024;
		break;
	default:
		break;
	}
	if (mul != 1)
		buf[--n] = '\0';
	if (!parse_ulong(buf, &v) || (v && mul > ~0ULL / v))
		return false;
	*out = v * mul;
	return true;
}

/* Writes all of buf, retrying short writes; false on error. */
bool write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		len -= (size_t)w;
	}
	return true;
}

/* Copies in to out until end of file: 0, or -1 (read) / -2 (write). */
int copy_fd(int in, int out)
{
	char buf[16384];

	for (;;) {
		ssize_t r = read(in, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
		if (!write_all(out, buf, (size_t)r))
			return -2;
	}
}

/* qsort comparator for an array of C strings, byte order. */
int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* n items of size bytes each as df and du show them (busybox's): in units of unit, rounded
 * to the nearest; or (unit 0) scaled by 1024 while it is 1024 or more,
 * with one decimal and the unit's letter ("0" and "512" stay bare). */
const char *tb_figure(unsigned long long n, unsigned long long size, unsigned long long unit,
		      char buf[32])
{
	static const char letters[] = "KMGTPEZY";
	if (n == 0)
		return "0";
	if (size > 1)
		n *= size;
	if (unit) {
		snprintf(buf, 32, "%llu", (n + unit / 2) / unit);
		return buf;
	}
	int scale = -1;
	unsigned tenth = 0;
	while (n >= 1024) {
		tenth = (unsigned)(((n % 1024) * 10 + 512) / 1024);
		n /= 1024;
		scale++;
	}
	if (scale < 0) {
		snprintf(buf, 32, "%llu", n);
		return buf;
	}
	if (tenth >= 10)
		n++, tenth = 0;
	snprintf(buf, 32, "%llu.%u%c", n, tenth, letters[scale]);
	return buf;
}

bool tb_number(const char *name, const char *s, const struct tb_suffix *units, size_t count,
	       unsigned long long lo, unsigned long long hi, unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long n = s[0] >= '0' && s[0] <= '9' ? strtoull(s, &end, 10) : 0;
	if (s[0] < '0' || s[0] > '9' || errno) {
		msg(name, "invalid number '%s'", s);
		return false;
	}
	bool range = false;
	if (*end) {
		size_t i = 0;
		while (i < count && strcmp(end, units[i].suffix))
			i++;
		if (i == count) {
			msg(name, "invalid number '%s'", s);
			return false;
		}
		range = n > ULLONG_MAX / units[i].mult;
		n *= units[i].mult;
	}
	if (range || n < lo || n > hi) {
		msg(name, "number %s is not in %llu..%llu range", s, lo, hi);
		return false;
	}
	*out = n;
	return true;
}

void tb_mode_string(mode_t m, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";

	out[0] = S_ISDIR(m)    ? 'd'
		 : S_ISLNK(m)  ? 'l'
		 : S_ISCHR(m)  ? 'c'
		 : S_ISBLK(m)  ? 'b'
		 : S_ISFIFO(m) ? 'p'
		 : S_ISSOCK(m) ? 's'
			       : '-';
	for (int i = 0; i < 9; i++)
		out[i + 1] = m & (0400 >> i) ? rwx[i] : '-';
	if (m & S_ISUID)
		out[3] = out[3] == 'x' ? 's' : 'S';
	if (m & S_ISGID)
		out[6] = out[6] == 'x' ? 's' : 'S';
	if (m & S_ISVTX)
		out[9] = out[9] == 'x' ? 't' : 'T';
	out[10] = '\0';
}
