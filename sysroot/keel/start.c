/*
 * start.c - from Keel's start page to musl's __libc_start_main.
 *
 * musl expects Linux's initial stack: argc, argv[], NULL, envp[], NULL,
 * then the auxiliary vector. This builds the same in static storage:
 *
 *   argv   A spawned task's argument string is its start page's cmdline
 *          (keel_spawn_args.cmdline), split at blanks: "prog -v file".
 *          The root task's cmdline is the kernel command line instead, so
 *          its argv[0] is the keel.init value (or "initd") and its other
 *          arguments are the keel.args value split at commas (a kernel
 *          command-line word cannot hold blanks): keel.init=prog
 *          keel.args=-v,file. The root task is the one holding the I/O
 *          port capability.
 *          A program started through the launch protocol (keel/launch.h,
 *          docs/launch.md) takes argv, its environment and its working
 *          directory from the argument block its launcher made, copied
 *          into memory of its own before it is read.
 *   envp   the launched program's environment; else empty.
 *   auxv   AT_PHDR/AT_PHENT/AT_PHNUM (the program headers, which
 *          sysroot/keel.ld loads with the text, so musl finds PT_TLS),
 *          AT_PAGESZ, AT_RANDOM (16 bytes from getrandom), AT_UID ==
 *          AT_EUID == AT_GID == AT_EGID == 0, AT_SECURE 0, AT_HWCAP 0.
 *
 * Descriptors 0, 1 and 2 are opened on the debug console first. A
 * launched program given a "tty" capability binds them to that terminal
 * (keel_console_attach), and one given "root" its file system and working
 * directory (keel_fs_attach).
 */
#include <elf.h>
#include <string.h>

#include "backend.h"
#include "dev.h"
#include "fdsys.h"
#include "fs.h"
#include "keel/launch.h"
#include "keel/map.h"
#include "keel/spawn.h"
#include "keel/term.h"
#include "pipe.h"
#include "vfsfile.h"

#define ARGS_MAX 64
#define AUX_PAIRS 14

struct start_block {
	char text[KEEL_CMDLINE_MAX]; /* the argument strings, NUL-separated */
	char *vec[ARGS_MAX + 2 + 2 * AUX_PAIRS + 2];
	unsigned char random[16];
};

static struct start_block sb;

extern const char __ehdr_start[]; /* the ELF header, loaded by keel.ld */

int __libc_start_main(int (*)(int, char **, char **), int, char **, void (*)(void), void (*)(void),
		      void (*)(void));
int main(int, char **, char **);
_Noreturn void __keel_start_c(const struct keel_start *s);

/* The value of key=... in the command line cmd, copied to out (n bytes);
 * out is "" if it is absent. The last occurrence wins. */
static void cmdline_value(const char *cmd, const char *key, char *out, size_t n)
{
	size_t k = strlen(key);
	out[0] = 0;
	for (const char *p = cmd; *p;) {
		while (*p == ' ')
			p++;
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - w) > k && !strncmp(w, key, k) && w[k] == '=') {
			size_t len = (size_t)(p - w) - k - 1;
			len = len < n - 1 ? len : n - 1;
			memcpy(out, w + k + 1, len);
			out[len] = 0;
		}
	}
}

/* Splits text in place at sep (and, for blanks, runs of them); stores
 * the words in argv from index i; returns the new count. */
static int split(char *text, char sep, char **argv, int i)
{
	char *p = text;
	while (*p && i < ARGS_MAX) {
		if (sep == ' ')
			while (*p == ' ')
				p++;
		if (!*p)
			break;
		argv[i++] = p;
		while (*p && *p != sep)
			p++;
		if (*p)
			*p++ = 0;
	}
	return i;
}

/* Fills sb.text and the argument vector; returns argc. */
static int make_argv(const struct keel_start *s, char **argv)
{
	char cmd[KEEL_CMDLINE_MAX];
	memcpy(cmd, s->cmdline, KEEL_CMDLINE_MAX);
	cmd[KEEL_CMDLINE_MAX - 1] = 0;
	if (s->ioports == CAP_HANDLE_NONE) {
		memcpy(sb.text, cmd, KEEL_CMDLINE_MAX);
		return split(sb.text, ' ', argv, 0);
	}
	size_t half = KEEL_CMDLINE_MAX / 2;
	cmdline_value(cmd, "keel.init", sb.text, half);
	if (!sb.text[0])
		strcpy(sb.text, "initd");
	argv[0] = sb.text;
	cmdline_value(cmd, "keel.args", sb.text + half, half);
	return split(sb.text + half, ',', argv, 1);
}

static char **aux(char **v, unsigned long key, unsigned long val)
{
	v[0] = (char *)key;
	v[1] = (char *)val;
	return v + 2;
}

/*
 * A launched program's vector: copies the argument block (caps[0]) into
 * a memory object of its own, then lays out argv, NULL, envp, NULL there
 * with room for the auxiliary vector after it. Returns the vector and
 * sets *argc, *cwd and *devices, or returns NULL (then the cmdline is used) if
 * there is no block or it is malformed.
 */
static char **launched_vector(const struct keel_start *s, int *argc, const char **cwd,
			      const char **devices)
{
	uint64_t info, badge;
	void *shared, *own;
	struct launch_args la;
	cap_handle_t block = s->caps[0], mem;
	if (block == CAP_HANDLE_NONE || sys_cap_info(block, &info, &badge))
		return NULL;
	uint64_t pages = LAUNCH_BLOCK_MAX / KEEL_PAGE_SIZE, bytes;
	while (pages && keel_map(block, 0, pages, RIGHT_READ, &shared))
		pages /= 2; /* the block is smaller than the most it may be */
	if (!pages)
		return NULL;
	memcpy(&bytes, (char *)shared + 4, 4);
	bytes &= 0xffffffffu;
	if (bytes > pages * KEEL_PAGE_SIZE)
		bytes = 0;
	uint64_t slots = bytes + 2 * AUX_PAIRS + 4, own_pages = (bytes + slots * 8) / 4096 + 1;
	if (!bytes || sys_memory_create(own_pages, 0, &mem) ||
	    keel_map(mem, 0, own_pages, RIGHT_READ | RIGHT_WRITE, &own)) {
		sys_memory_unmap(CAP_HANDLE_NONE, (uint64_t)(uintptr_t)shared, pages);
		return NULL;
	}
	memcpy(own, shared, bytes);
	sys_memory_unmap(CAP_HANDLE_NONE, (uint64_t)(uintptr_t)shared, pages);
	sys_cap_delete(block);
	if (launch_block_parse(own, bytes, &la))
		return NULL;
	char **v = (char **)((char *)own + ((bytes + 7) & ~7ull)), **w = v;
	const char *p = la.strings;
	for (uint32_t i = 0; i < la.argc + la.envc; i++, p = launch_next(p)) {
		if (i == la.argc)
			*w++ = NULL;
		*w++ = (char *)p;
	}
	if (la.envc == 0)
		*w++ = NULL;
	*w = NULL;
	*argc = (int)la.argc;
	*cwd = la.cwd;
	*devices = la.devices;
	return v;
}

/* Takes over a vfsd file named "fdN-fM" (w points at "fM") as descriptor
 * fd. */
static void adopt_file(int fd, const char *w, cap_handle_t cap)
{
	int status = keel_vfsfile_mode_status(w[1]);
	if (status >= 0 && !w[2])
		keel_vfsfile_adopt(fd, cap, status);
	else
		sys_cap_delete(cap);
}

/* Takes over the pipe ends named "fdN-pr" / "fdN-pw" and the files named
 * "fdN-f..." (spawn.c) as descriptors N. The names are caps[1..] of the
 * start page's cmdline. */
static void adopt_fds(const struct keel_start *s)
{
	char names[KEEL_CMDLINE_MAX];
	memcpy(names, s->cmdline, sizeof names);
	names[sizeof names - 1] = 0;
	char *p = names;
	for (unsigned i = 1; i < KEEL_START_CAPS && *p; i++) {
		char *w = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = 0;
		int fd = 0, k = 2;
		if (strncmp(w, "fd", 2))
			continue;
		while (w[k] >= '0' && w[k] <= '9' && fd < KEEL_FD_MAX)
			fd = fd * 10 + (w[k++] - '0');
		if (k > 2 && fd < KEEL_FD_MAX && w[k] == '-' && w[k + 1] == 'p' &&
		    (w[k + 2] == 'r' || w[k + 2] == 'w') && !w[k + 3])
			keel_pipe_adopt(fd, s->caps[i], w[k + 2] == 'w');
		else if (k > 2 && fd < KEEL_FD_MAX && w[k] == '-' && w[k + 1] == 'f')
			adopt_file(fd, w + k + 1, s->caps[i]);
	}
}

/* Binds the launched program's descriptors and files to the terminal and
 * root directory it was given, and those on devices to them. */
static void attach(const struct keel_start *s, const char *cwd, const char *devices)
{
	cap_handle_t tty = launch_cap(s, "tty"), root = launch_cap(s, "root");
	if (tty != CAP_HANDLE_NONE)
		keel_console_attach(tty);
	if (root != CAP_HANDLE_NONE)
		keel_fs_attach(root, cwd ? cwd : "/");
	adopt_fds(s);
	keel_dev_adopt(devices);
}

/* What attach needs once the C library is initialised (malloc works). */
static const struct keel_start *launched;
static const char *launched_cwd, *launched_devices;

/* main, after the launched program's descriptors and files are bound. */
static int start_main(int argc, char **argv, char **envp)
{
	if (launched)
		attach(launched, launched_cwd, launched_devices);
	return main(argc, argv, envp);
}

uint64_t __keel_machine_pages;

_Noreturn void __keel_start_c(const struct keel_start *s)
{
	__keel_machine_pages = keel_start_machine_pages(s);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)__ehdr_start;
	const char *cwd = NULL, *devices = NULL;
	int argc = 0;
	char **vec = launch_started(s) ? launched_vector(s, &argc, &cwd, &devices) : NULL, **v;
	if (vec) {
		v = vec + argc + 1;
		while (*v)
			v++; /* past the environment */
		v++;
	} else {
		vec = v = sb.vec;
		argc = launch_started(s) ? 0 : make_argv(s, v);
		v += argc;
		*v++ = NULL; /* end of argv */
		*v++ = NULL; /* end of the empty envp */
	}
	keel_random_bytes(sb.random, sizeof sb.random);
	v = aux(v, AT_PHDR, (unsigned long)(__ehdr_start + eh->e_phoff));
	v = aux(v, AT_PHENT, eh->e_phentsize);
	v = aux(v, AT_PHNUM, eh->e_phnum);
	v = aux(v, AT_PAGESZ, 4096);
	v = aux(v, AT_RANDOM, (unsigned long)sb.random);
	v = aux(v, AT_UID, 0);
	v = aux(v, AT_EUID, 0);
	v = aux(v, AT_GID, 0);
	v = aux(v, AT_EGID, 0);
	v = aux(v, AT_SECURE, 0);
	v = aux(v, AT_HWCAP, 0);
	v = aux(v, AT_ENTRY, eh->e_entry);
	v = aux(v, AT_NULL, 0);
	keel_fd_init(s);
	keel_time_init(s);
	if (launch_started(s))
		launched = s, launched_cwd = cwd, launched_devices = devices;
	__libc_start_main(start_main, argc, vec, 0, 0, 0);
	keel_exit_task(127);
}
