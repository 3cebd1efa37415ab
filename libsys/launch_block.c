/*
 * launch_block.c - the launch protocol's argument block and the start
 * page of a launched program (keel/launch.h). No system calls: host tests,
 * initd and the C library's start-up share it.
 */
#include "keel/launch.h"

/* Appends the string s (with its NUL) at *len of out (n bytes, or none);
 * false when the block would pass LAUNCH_BLOCK_MAX. */
static bool put(char *out, size_t n, size_t *len, const char *s)
{
	size_t k = strlen(s) + 1;
	if (k > LAUNCH_BLOCK_MAX || *len + k > LAUNCH_BLOCK_MAX)
		return false;
	if (out && *len + k <= n)
		memcpy(out + *len, s, k);
	*len += k;
	return true;
}

size_t launch_block_build(void *buf, size_t n, char *const *argv, char *const *envp,
			  const char *cwd, const char *devices)
{
	struct launch_block_hdr h = { LAUNCH_BLOCK_MAGIC, 0, 0, 0 };
	size_t len = sizeof h;
	char *out = buf;
	cwd = cwd ? cwd : "/";
	for (int pass = 0; pass < 2; pass++) {
		char *const *v = pass ? envp : argv;
		for (uint32_t i = 0; v && v[i]; i++, pass ? h.envc++ : h.argc++)
			if (!put(out, n, &len, v[i]))
				return 0;
	}
	if (!put(out, n, &len, cwd) || !put(out, n, &len, devices ? devices : ""))
		return 0;
	h.bytes = (uint32_t)len;
	if (!out)
		return len;
	if (len > n)
		return 0;
	memcpy(out, &h, sizeof h);
	return len;
}

status_t launch_block_parse(const void *buf, size_t n, struct launch_args *out)
{
	struct launch_block_hdr h;
	if (n < sizeof h || n > LAUNCH_BLOCK_MAX)
		return STATUS_BAD_FORMAT;
	memcpy(&h, buf, sizeof h);
	if (h.magic != LAUNCH_BLOCK_MAGIC || h.bytes != n || h.argc > n || h.envc > n)
		return STATUS_BAD_FORMAT;
	const char *p = (const char *)buf + sizeof h, *end = (const char *)buf + n;
	const char *first = p, *cwd = p, *devices = p;
	for (uint64_t i = 0; i < (uint64_t)h.argc + h.envc + 2; i++) {
		const char *z = p < end ? memchr(p, 0, (size_t)(end - p)) : NULL;
		if (!z)
			return STATUS_BAD_FORMAT;
		cwd = devices;
		devices = p;
		p = z + 1;
	}
	if (p != end)
		return STATUS_BAD_FORMAT;
	*out = (struct launch_args){ h.argc, h.envc, first, cwd, devices };
	return STATUS_OK;
}

const char *launch_next(const char *s)
{
	return s + strlen(s) + 1;
}

bool launch_started(const struct keel_start *s)
{
	return (s->arg & LAUNCH_START_MASK) == LAUNCH_START_MAGIC;
}

cap_handle_t launch_cap(const struct keel_start *s, const char *name)
{
	size_t k = strlen(name);
	const char *p = s->cmdline, *end = s->cmdline + KEEL_CMDLINE_MAX;
	if (!launch_started(s) || k == 0)
		return CAP_HANDLE_NONE;
	for (unsigned i = 1; i < KEEL_START_CAPS && p < end && *p; i++) {
		const char *w = p;
		while (p < end && *p && *p != ' ')
			p++;
		if ((size_t)(p - w) == k && !memcmp(w, name, k))
			return s->caps[i];
		while (p < end && *p == ' ')
			p++;
	}
	return CAP_HANDLE_NONE;
}
