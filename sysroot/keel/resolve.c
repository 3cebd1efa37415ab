/* resolve.c - POSIX path text to typed paths below the root (resolve.h). */
#include <errno.h>
#include <string.h>

#include "resolve.h"

static int errno_of(status_t st)
{
	switch (st) {
	case STATUS_RANGE:
	case STATUS_FULL:
		return ENAMETOOLONG;
	default:
		return EINVAL;
	}
}

/* Applies the component of n bytes at s to *p. */
static int step(struct path *p, const char *s, size_t n)
{
	if (n == 0 || (n == 1 && s[0] == '.'))
		return 0;
	if (n == 2 && s[0] == '.' && s[1] == '.') {
		path_pop(p); /* EMPTY at the root: ".." stays there */
		return 0;
	}
	if (n > PATH_COMPONENT_MAX)
		return -ENAMETOOLONG;
	status_t st = path_push(p, s, n);
	return st ? -errno_of(st) : 0;
}

int keel_resolve(const struct path *cwd, const char *text, struct path *out, bool *dir)
{
	path_init(out);
	if (dir)
		*dir = false;
	if (!text)
		return -EFAULT;
	size_t len = strnlen(text, KEEL_POSIX_PATH_MAX);
	if (len == 0)
		return -ENOENT;
	if (len == KEEL_POSIX_PATH_MAX)
		return -ENAMETOOLONG;
	struct path p;
	if (text[0] == '/')
		path_init(&p);
	else
		p = *cwd;
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && text[j] != '/')
			j++;
		int r = step(&p, text + i, j - i);
		if (r)
			return r;
		i = j + 1;
	}
	if (dir) {
		size_t k = len;
		while (k > 0 && text[k - 1] == '.')
			k--;
		/* "x/", "x/." and "x/.." all name directories. */
		*dir = text[len - 1] == '/' ||
		       ((k == 0 || text[k - 1] == '/') && len - k >= 1 && len - k <= 2);
	}
	*out = p;
	return 0;
}
