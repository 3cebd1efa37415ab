/*
 * fuzz_sed.c - libFuzzer target for sed's script parser: any bytes as a
 * script (with and without -E) must parse or fail cleanly, and free.
 */
#include "../sed.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *script = malloc(size + 1);
	char err[256];

	if (!script)
		return 0;
	memcpy(script, data, size);
	script[size] = '\0';
	for (int extended = 0; extended < 2; extended++) {
		struct sed_prog p = { 0 };
		p.extended = extended;
		sed_parse(&p, script, err, sizeof(err));
		sed_prog_free(&p);
	}
	free(script);
	return 0;
}
