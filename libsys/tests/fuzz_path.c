/*
 * fuzz_path.c - libFuzzer target for path parsing (libsys/path.c).
 *
 * Input: one byte that splits the rest into two texts a and b, each an
 * exact-size heap copy so that ASan flags any read past its end. Each is
 * parsed; an accepted text must be canonical (it formats back to exactly
 * the input), every component must pass path_check_component(), and the
 * limits must hold. The join of a and b must succeed exactly when the
 * limits allow, keep the components of both in order and contain a.
 * Popping must walk back through prefixes that contain nothing longer.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Ilibsys/include \
 *       -Ikernel -Ibuild/gen libsys/tests/fuzz_path.c libsys/path.c \
 *       -o fuzz_path
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keel/path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_parsed(const struct path *p, const char *text, size_t len)
{
	char out[PATH_MAX_BYTES + 1];
	struct path q;

	if (path_count(p) > PATH_MAX_COMPONENTS || path_length(p) != len || len > PATH_MAX_BYTES)
		abort();
	if (path_format(p, out, sizeof out) != STATUS_OK || memcmp(out, text, len) != 0 ||
	    out[len] != '\0')
		abort();
	for (size_t i = 0; i < path_count(p); i++) {
		const char *s;
		size_t n;
		if (path_component(p, i, &s, &n) || path_check_component(s, n) || s < p->text ||
		    s + n > p->text + path_length(p))
			abort();
	}
	if (path_parse(out, len, &q) != STATUS_OK || !path_equal(p, &q))
		abort();
}

/* Checks the join of a and b against their components. */
static void check_join(const struct path *a, const struct path *b)
{
	struct path j;
	size_t count = path_count(a) + path_count(b);
	size_t len = path_length(a) + path_length(b) + (path_count(a) && path_count(b) ? 1 : 0);
	status_t want = count > PATH_MAX_COMPONENTS ? STATUS_FULL
			: len > PATH_MAX_BYTES      ? STATUS_RANGE
						    : STATUS_OK;

	path_init(&j);
	if (path_join(a, b, &j) != want)
		abort();
	if (want) {
		if (path_count(&j) != 0)
			abort();
		return;
	}
	if (path_count(&j) != count || path_length(&j) != len || !path_is_within(&j, a) ||
	    path_is_within(a, &j) != (path_count(b) == 0))
		abort();
	for (size_t i = 0; i < count; i++) {
		const char *s, *t;
		size_t n, m;
		const struct path *src = i < path_count(a) ? a : b;
		size_t k = i < path_count(a) ? i : i - path_count(a);
		if (path_component(&j, i, &s, &n) || path_component(src, k, &t, &m) || n != m ||
		    memcmp(s, t, n) != 0)
			abort();
	}
	/* Popping b's components gives back a. */
	for (size_t i = 0; i < path_count(b); i++)
		if (path_pop(&j))
			abort();
	if (!path_equal(&j, a))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t rest = size - 1, alen = rest ? data[0] * rest / 255 : 0, blen = rest - alen;
	char *ta = malloc(alen ? alen : 1), *tb = malloc(blen ? blen : 1);
	if (!ta || !tb)
		abort();
	memcpy(ta, data + 1, alen);
	memcpy(tb, data + 1 + alen, blen);

	struct path a, b;
	status_t sa = path_parse(ta, alen, &a), sb = path_parse(tb, blen, &b);
	if (sa && path_count(&a) != 0)
		abort();
	if (!sa)
		check_parsed(&a, ta, alen);
	if (!sb)
		check_parsed(&b, tb, blen);
	if (!sa && !sb)
		check_join(&a, &b);
	if (!sa) {
		struct path q = a;
		while (path_pop(&q) == STATUS_OK)
			if (!path_is_within(&a, &q) || path_is_within(&q, &a))
				abort();
	}
	free(ta);
	free(tb);
	return 0;
}
