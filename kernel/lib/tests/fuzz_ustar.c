/*
 * fuzz_ustar.c - libFuzzer target for ustar_next() and ustar_find().
 *
 * Input: one control byte, then the archive. The control byte may have the
 * harness stamp the ustar magic into every non-zero block and rewrite the
 * checksum of every block that carries the magic, so that mutations get
 * past those two checks to the ones behind them. The archive is an
 * exact-size heap copy, so ASan flags any read past its end; every member
 * returned must lie inside it, and ustar_find() must agree with the walk.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I kernel \
 *       kernel/lib/tests/fuzz_ustar.c kernel/lib/ustar.c -o fuzz_ustar
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ustar.h"

enum {
	CTL_STAMP_MAGIC = 1, /* write "ustar\0" "00" into every non-zero block */
	CTL_FIX_SUMS = 2,    /* fix the checksum of every block with the magic */
};

enum { F_CHKSUM = 148, F_MAGIC = 257 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool has_nonzero(const uint8_t *b)
{
	for (size_t i = 0; i < USTAR_BLOCK; i++)
		if (b[i])
			return true;
	return false;
}

/* Writes the block's checksum as GNU tar does: six octal digits, NUL, space. */
static void fix_sum(uint8_t *h)
{
	unsigned sum = 0;
	memset(h + F_CHKSUM, ' ', 8);
	for (size_t i = 0; i < USTAR_BLOCK; i++)
		sum += h[i];
	for (int i = 5; i >= 0; i--, sum >>= 3)
		h[F_CHKSUM + i] = (uint8_t)('0' + (sum & 7));
	h[F_CHKSUM + 6] = '\0';
}

static void repair(uint8_t *a, size_t n, uint8_t ctl)
{
	for (size_t off = 0; n - off >= USTAR_BLOCK && off < n; off += USTAR_BLOCK) {
		uint8_t *b = a + off;
		if ((ctl & CTL_STAMP_MAGIC) && has_nonzero(b))
			memcpy(b + F_MAGIC,
			       "ustar\0"
			       "00",
			       8);
		if ((ctl & CTL_FIX_SUMS) && memcmp(b + F_MAGIC, "ustar", 5) == 0)
			fix_sum(b);
	}
}

static bool is_regular(char type)
{
	return type == USTAR_REGULAR || type == USTAR_REGULAR_OLD;
}

/*
 * Walks the archive, checking that every member lies inside it. Returns
 * STATUS_NOT_FOUND for a sound archive, with the name of its last regular
 * file in last (empty if none) and in *count how many regular files bear
 * that name; STATUS_BAD_FORMAT for a broken one.
 */
static status_t walk(const uint8_t *a, size_t n, char *last, int *count)
{
	struct ustar_iter it;
	struct ustar_entry e;

	last[0] = '\0';
	*count = 0;
	ustar_iter_init(&it, a, n);
	while (ustar_next(&it, &e) == STATUS_OK) {
		const uint8_t *d = e.data;
		size_t len = strlen(e.name);
		if (d < a + USTAR_BLOCK || d > a + n || e.size > (size_t)(a + n - d) || len == 0 ||
		    len >= USTAR_NAME_MAX)
			abort();
		if (is_regular(e.type))
			memcpy(last, e.name, len + 1);
	}
	if (it.status != STATUS_NOT_FOUND && it.status != STATUS_BAD_FORMAT)
		abort();
	ustar_iter_init(&it, a, n);
	while (ustar_next(&it, &e) == STATUS_OK)
		*count += is_regular(e.type) && strcmp(e.name, last) == 0;
	return it.status;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t n = size - 1;
	uint8_t *a = malloc(n ? n : 1);
	if (!a)
		abort();
	memcpy(a, data + 1, n);
	repair(a, n, data[0]);

	char last[USTAR_NAME_MAX];
	int count;
	const void *p;
	size_t len;
	status_t walked = walk(a, n, last, &count);
	status_t found = ustar_find(a, n, count ? last : "sbin/init", &p, &len);
	/* ustar_find() must agree with the walk: a broken archive yields
	 * nothing, and a name is found only if it is stored exactly once. */
	if (walked == STATUS_BAD_FORMAT && found != STATUS_BAD_FORMAT)
		abort();
	if (walked == STATUS_NOT_FOUND && count == 1 && found != STATUS_OK)
		abort();
	if (walked == STATUS_NOT_FOUND && count > 1 && found != STATUS_EXISTS)
		abort();
	const uint8_t *d = p;
	if (found == STATUS_OK && (d < a || len > (size_t)(a + n - d)))
		abort();
	free(a);
	return 0;
}
