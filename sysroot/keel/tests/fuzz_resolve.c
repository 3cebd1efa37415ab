/* fuzz_resolve.c - libFuzzer target for keel_resolve: any bytes as POSIX
 * path text, from one of a few working directories. A result is a valid
 * typed path below the root (no "." or ".." component, within the
 * limits); a failure is one of the documented errnos with the empty path. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../resolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *cwds[] = { "", "a", "a/b/c", "x/y" };
	char text[KEEL_POSIX_PATH_MAX + 2];
	struct path cwd, out;
	if (size == 0)
		return 0;
	path_parse(cwds[data[0] % 4], strlen(cwds[data[0] % 4]), &cwd);
	size_t n = size - 1 < sizeof text - 1 ? size - 1 : sizeof text - 1;
	memcpy(text, data + 1, n);
	text[n] = 0;
	bool dir;
	int r = keel_resolve(&cwd, text, &out, &dir);
	if (r) {
		if (r != -ENOENT && r != -ENAMETOOLONG && r != -EINVAL)
			abort();
		if (path_count(&out) != 0)
			abort();
		return 0;
	}
	if (path_count(&out) > PATH_MAX_COMPONENTS || path_length(&out) > PATH_MAX_BYTES)
		abort();
	for (size_t i = 0; i < path_count(&out); i++) {
		const char *s;
		size_t len;
		if (path_component(&out, i, &s, &len) || path_check_component(s, len))
			abort();
	}
	return 0;
}
