/*
 * fuzz_launch_block.c - libFuzzer target for the launch protocol's
 * argument block (libsys/launch_block.c), which a launched program reads
 * from memory its launcher filled.
 *
 * Input: the block itself, as an exact-size heap copy so that ASan flags
 * any read past its end. An accepted block must hold exactly the strings
 * its counts say and the devices string after them, all inside it, and building a block from what was read
 * must give the same bytes back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keel/launch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Rebuilds the block from a and compares it with the input. */
static void check_round_trip(const struct launch_args *a, const uint8_t *data, size_t size)
{
	char **v = calloc((size_t)a->argc + a->envc + 2, sizeof *v);
	const char *p = a->strings;
	if (!v)
		abort();
	for (uint32_t i = 0; i < a->argc + a->envc; i++, p = launch_next(p))
		v[i + (i >= a->argc)] = (char *)p;
	if (p != a->cwd || launch_next(a->cwd) != a->devices)
		abort();
	char *out = malloc(size);
	if (!out || launch_block_build(out, size, v, v + a->argc + 1, a->cwd, a->devices) != size ||
	    memcmp(out, data, size))
		abort();
	free(out);
	free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	struct launch_args a;
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (launch_block_parse(copy, size, &a) == STATUS_OK) {
		const char *end = (const char *)copy + size;
		if (a.cwd < a.strings || a.cwd >= end || a.devices <= a.cwd || a.devices >= end ||
		    a.devices + strlen(a.devices) + 1 != end)
			abort();
		check_round_trip(&a, copy, size);
	}
	free(copy);
	return 0;
}
