/*
 * launch_script.c - "#!" scripts in /apps (diskapps.h): the launch is
 * turned into one of the interpreter, with the script's path inserted
 * as its first argument, as execve does on Unix. Only one level: an
 * interpreter that is itself a script is refused (BAD_FORMAT).
 */
#include <string.h>

#include "keel/map.h"
#include "launch.h"

#define SCRIPT_ARGS_MAX 512u /* arguments of a script's launch */

/* Copies a's argument block (if any) into l's scratch and decodes it. */
static status_t block_read(struct launcher *l, struct app *a, struct launch_args *args)
{
	uint64_t pages = (a->block_bytes + KEEL_PAGE_SIZE - 1) / KEEL_PAGE_SIZE;
	void *at;
	status_t st = keel_map(a->block, 0, pages, RIGHT_READ, &at);
	if (st)
		return st;
	memcpy(l->script_copy, at, a->block_bytes); /* read once: the launcher may change it */
	keel_unmap(at, pages);                      /* keel_map places the next one here again */
	return launch_block_parse(l->script_copy, a->block_bytes, args);
}

void launch_comm(struct app *a)
{
	/* Only the block's head is read, into a copy of initd's own (the
	 * launcher may change the block meanwhile): the arguments come first. */
	char head[sizeof(struct launch_block_hdr) + 128];
	struct launch_block_hdr h;
	const char *name = a->program;
	void *at;
	size_t n = a->block_bytes < sizeof head ? a->block_bytes : sizeof head;
	memset(a->args, 0, sizeof a->args);
	if (a->block != CAP_HANDLE_NONE && n > sizeof h &&
	    keel_map(a->block, 0, 1, RIGHT_READ, &at) == STATUS_OK) {
		memcpy(head, at, n);
		keel_unmap(at, 1); /* keel_map places the next one here again */
		memcpy(&h, head, sizeof h);
		const char *p = head + sizeof h, *end = head + n;
		const char *z = memchr(p, 0, (size_t)(end - p));
		if (h.magic == LAUNCH_BLOCK_MAGIC && h.argc && z && z > p) {
			const char *slash = strrchr(p, '/');
			name = slash && slash[1] ? slash + 1 : p;
			/* The arguments that fit, joined by blanks. */
			size_t k = 0;
			for (uint32_t i = 0; i < h.argc && z && k < sizeof a->args - 1; i++) {
				if (i)
					a->args[k++] = ' ';
				size_t len = (size_t)(z - p);
				size_t room = sizeof a->args - 1 - k;
				memcpy(a->args + k, p, len < room ? len : room);
				k += len < room ? len : room;
				p = z + 1;
				z = p < end ? memchr(p, 0, (size_t)(end - p)) : NULL;
			}
			a->args[k < sizeof a->args ? k : sizeof a->args - 1] = 0;
		}
	}
	size_t len = strlen(name);
	memset(a->comm, 0, sizeof a->comm);
	memcpy(a->comm, name, len < sizeof a->comm ? len : sizeof a->comm - 1);
	if (!a->args[0])
		memcpy(a->args, a->comm, sizeof a->comm);
}

/* Makes a block of argv, envp, cwd and devices in a new memory object for a. */
static status_t block_write(struct app *a, char *const *argv, char *const *envp, const char *cwd,
			    const char *devices)
{
	cap_handle_t mem;
	size_t len;
	status_t st = launch_block_memory(argv, envp, cwd, devices, &mem, &len);
	if (st)
		return st;
	if (a->block != CAP_HANDLE_NONE)
		sys_cap_delete(a->block);
	a->block = mem;
	a->block_bytes = (uint32_t)len;
	return STATUS_OK;
}

status_t launch_script(struct launcher *l, struct app *a, const char *interp, const char *path)
{
	static char *const none[] = { NULL };
	char *argv[SCRIPT_ARGS_MAX + 3], *envp[SCRIPT_ARGS_MAX + 1];
	struct launch_args args = { 0 };
	const char *cwd = "/", *s;
	status_t st = a->block != CAP_HANDLE_NONE ? block_read(l, a, &args) : STATUS_OK;
	if (st)
		return st;
	if (args.argc > SCRIPT_ARGS_MAX || args.envc > SCRIPT_ARGS_MAX)
		return STATUS_RANGE;
	argv[0] = (char *)interp;
	argv[1] = (char *)path;
	s = args.strings;
	for (uint32_t i = 0; i < args.argc; i++, s = launch_next(s))
		if (i) /* the script's own argv[0] gives way to its path */
			argv[i + 1] = (char *)s;
	argv[args.argc ? args.argc + 1 : 2] = NULL;
	for (uint32_t i = 0; i < args.envc; i++, s = launch_next(s))
		envp[i] = (char *)s;
	envp[args.envc] = NULL;
	if (a->block != CAP_HANDLE_NONE)
		cwd = args.cwd;
	st = block_write(a, argv, args.envc ? envp : none, cwd, args.devices);
	if (st == STATUS_OK)
		memcpy(a->program, interp, strlen(interp) + 1);
	return st;
}
