/*
 * fuzz_printf.c - libFuzzer target for printf's format parser: the input
 * is the format and up to 15 arguments, separated by NUL bytes; the
 * output goes to /dev/null.
 */
#include "../toolbox.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	char *buf = malloc(size + 1), *args[16];
	int n = 0;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (!buf || !sink) {
		free(buf);
		return 0;
	}
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (char *p = buf; p < buf + size && n < 16;) {
		args[n++] = p;
		p += strlen(p) + 1;
	}
	if (n == 0)
		args[n++] = buf;
	printf_format("printf", sink, args[0], args + 1, n - 1);
	free(buf);
	return 0;
}
