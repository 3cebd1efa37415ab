/* path.c - typed paths (see keel/path.h for the rules). */
#include "keel/path.h"
#include "keel/sys.h"

/* Returns the length of the well-formed UTF-8 sequence for a code point
 * of U+00A0 or above starting at s[0], of which n bytes are available, or
 * 0 if there is none: a stray continuation byte, a truncated or overlong
 * sequence, a surrogate, a code point beyond U+10FFFF or a C1 control. */
static size_t utf8_len(const uint8_t *s, size_t n)
{
	size_t len;
	uint32_t cp, min;

	if (s[0] >= 0xc0 && s[0] < 0xe0) {
		len = 2, cp = s[0] & 0x1f, min = 0xa0; /* below U+00A0: C1 or overlong */
	} else if (s[0] >= 0xe0 && s[0] < 0xf0) {
		len = 3, cp = s[0] & 0x0f, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] < 0xf5) {
		len = 4, cp = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

status_t path_check_component(const char *s, size_t n)
{
	const uint8_t *u = (const uint8_t *)s;

	if (n == 0)
		return STATUS_BAD_FORMAT;
	if (n > PATH_COMPONENT_MAX)
		return STATUS_RANGE;
	if (u[0] == ' ' || u[n - 1] == ' ')
		return STATUS_BAD_FORMAT;
	for (size_t i = 0; i < n;) {
		if (u[i] >= 0x20 && u[i] < 0x7f && u[i] != '/') {
			i++;
			continue;
		}
		size_t len = u[i] >= 0x80 ? utf8_len(u + i, n - i) : 0;
		if (!len)
			return STATUS_BAD_FORMAT;
		i += len;
	}
	if (s[0] == '.' && (n == 1 || (n == 2 && s[1] == '.')))
		return STATUS_INVALID;
	return STATUS_OK;
}

void path_init(struct path *p)
{
	p->count = 0;
	p->len = 0;
}

status_t path_push(struct path *p, const char *s, size_t n)
{
	status_t st = path_check_component(s, n);

	if (st)
		return st;
	if (p->count == PATH_MAX_COMPONENTS)
		return STATUS_FULL;
	size_t sep = p->count ? 1 : 0;
	if (n + sep > PATH_MAX_BYTES - (size_t)p->len)
		return STATUS_RANGE;
	if (sep)
		p->text[p->len] = '/';
	memcpy(p->text + p->len + sep, s, n);
	p->start[p->count++] = (uint16_t)(p->len + sep);
	p->len = (uint16_t)(p->len + sep + n);
	return STATUS_OK;
}

status_t path_parse(const char *text, size_t len, struct path *out)
{
	path_init(out);
	if (len == 0)
		return STATUS_OK;
	if (!text)
		return STATUS_INVALID;
	/* Each turn takes the component up to the next '/' or the end; a
	 * '/' at either end or twice in a row yields an empty one. */
	for (size_t i = 0;; i++) {
		size_t j = i;
		while (j < len && text[j] != '/')
			j++;
		status_t st = path_push(out, text + i, j - i);
		if (st) {
			path_init(out);
			return st;
		}
		if (j == len)
			return STATUS_OK;
		i = j;
	}
}

status_t path_pop(struct path *p)
{
	if (!p->count)
		return STATUS_EMPTY;
	p->count--;
	p->len = p->count ? (uint16_t)(p->start[p->count] - 1) : 0;
	return STATUS_OK;
}

status_t path_join(const struct path *a, const struct path *b, struct path *out)
{
	size_t acount = a->count, alen = a->len, bcount = b->count, blen = b->len;

	if (!bcount || !acount) {
		*out = bcount ? *b : *a;
		return STATUS_OK;
	}
	if (acount + bcount > PATH_MAX_COMPONENTS)
		return STATUS_FULL;
	if (alen + 1 + blen > PATH_MAX_BYTES)
		return STATUS_RANGE;
	/* out may be a or b: b's offsets are saved and the text moves with
	 * memmove, b's part first, before anything of b can be overwritten. */
	uint16_t bstart[PATH_MAX_COMPONENTS];
	memcpy(bstart, b->start, bcount * sizeof bstart[0]);
	memmove(out->text + alen + 1, b->text, blen);
	if (out != a) {
		memmove(out->text, a->text, alen);
		memmove(out->start, a->start, acount * sizeof out->start[0]);
	}
	out->text[alen] = '/';
	for (size_t i = 0; i < bcount; i++)
		out->start[acount + i] = (uint16_t)(bstart[i] + alen + 1);
	out->count = (uint16_t)(acount + bcount);
	out->len = (uint16_t)(alen + 1 + blen);
	return STATUS_OK;
}

status_t path_format(const struct path *p, char *buf, size_t n)
{
	if (n <= p->len) {
		if (n)
			buf[0] = '\0';
		return STATUS_RANGE;
	}
	memcpy(buf, p->text, p->len);
	buf[p->len] = '\0';
	return STATUS_OK;
}

size_t path_count(const struct path *p)
{
	return p->count;
}

size_t path_length(const struct path *p)
{
	return p->len;
}

status_t path_component(const struct path *p, size_t i, const char **s, size_t *n)
{
	if (i >= p->count)
		return STATUS_RANGE;
	size_t end = i + 1 < p->count ? (size_t)p->start[i + 1] - 1 : p->len;
	*s = p->text + p->start[i];
	*n = end - p->start[i];
	return STATUS_OK;
}

bool path_equal(const struct path *a, const struct path *b)
{
	return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* Components never contain '/', so the text forms compare component by
 * component as long as the prefix ends at a component boundary of p. */
bool path_is_within(const struct path *p, const struct path *prefix)
{
	if (prefix->len > p->len || memcmp(p->text, prefix->text, prefix->len) != 0)
		return false;
	return prefix->len == 0 || prefix->len == p->len || p->text[prefix->len] == '/';
}
