/* dirs.c - parsing `dir PATH RIGHTS` manifest lines (dirs.h). */
#include <string.h>

#include "dirs.h"
#include "keel/path.h"
#include "keel/vfs.h"

status_t dirs_parse_path(const char *s, size_t n, char out[MANIFEST_DIR_PATH_MAX + 1])
{
	struct path p;
	if (n == 0 || s[0] != '/')
		return STATUS_BAD_FORMAT;
	s++, n--;
	if (n > MANIFEST_DIR_PATH_MAX)
		return STATUS_RANGE;
	status_t st = path_parse(s, n, &p);
	if (st)
		return st;
	memcpy(out, s, n);
	out[n] = 0;
	return STATUS_OK;
}

static const struct {
	const char *word;
	uint32_t rights;
} words[] = {
	{ "read", VFS_R_READ },
	{ "write", VFS_R_WRITE },
	{ "create", VFS_R_CREATE },
	{ "delete", VFS_R_DELETE },
};

/* The right one word names, or 0. */
static uint32_t right_of(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i].word) == n && !memcmp(words[i].word, s, n))
			return words[i].rights;
	return 0;
}

status_t dirs_parse_rights(const char *s, size_t n, uint32_t *rights)
{
	if (n == 5 && !memcmp(s, "write", 5)) {
		*rights = VFS_R_ALL;
		return STATUS_OK;
	}
	*rights = 0;
	for (size_t i = 0; i <= n;) {
		size_t j = i;
		while (j < n && s[j] != ',')
			j++;
		uint32_t r = right_of(s + i, j - i);
		if (!r || (*rights & r))
			return STATUS_BAD_FORMAT;
		*rights |= r;
		i = j + 1;
	}
	return STATUS_OK;
}

void dirs_rights_text(uint32_t rights, char *out, size_t n)
{
	size_t len = 0;
	if (n)
		out[0] = 0;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t w = strlen(words[i].word);
		if (!(rights & words[i].rights) || len + w + 2 > n)
			continue;
		if (len)
			out[len++] = ',';
		memcpy(out + len, words[i].word, w + 1);
		len += w;
	}
}
