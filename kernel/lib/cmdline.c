/* cmdline.c - kernel command line lookup (see cmdline.h). */
#include "lib/cmdline.h"

/* If the word at w (length wn) is key or key=..., returns the value start, else NULL. */
static const char *match(const char *w, size_t wn, const char *key)
{
	size_t i = 0;
	while (key[i] && i < wn && w[i] == key[i])
		i++;
	if (key[i])
		return NULL;
	if (i == wn)
		return w + i;
	return w[i] == '=' ? w + i + 1 : NULL;
}

/* Finds the last word matching key; sets *val and *vn. Returns whether found. */
static bool find(const char *c, const char *key, const char **val, size_t *vn)
{
	bool found = false;
	while (*c) {
		while (*c == ' ')
			c++;
		const char *w = c;
		while (*c && *c != ' ')
			c++;
		size_t wn = (size_t)(c - w);
		const char *v = wn ? match(w, wn, key) : NULL;
		if (v) {
			*val = v;
			*vn = (size_t)(c - v);
			found = true;
		}
	}
	return found;
}

bool cmdline_has(const char *cmdline, const char *key)
{
	const char *v;
	size_t vn;
	return find(cmdline, key, &v, &vn);
}

status_t cmdline_get(const char *cmdline, const char *key, char *out, size_t n)
{
	const char *v;
	size_t vn;
	if (!find(cmdline, key, &v, &vn))
		return STATUS_NOT_FOUND;
	if (vn + 1 > n)
		return STATUS_RANGE;
	for (size_t i = 0; i < vn; i++)
		out[i] = v[i];
	out[vn] = '\0';
	return STATUS_OK;
}
