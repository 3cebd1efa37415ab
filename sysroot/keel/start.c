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
 *   envp   empty: Keel has no environment to inherit yet.
 *   auxv   AT_PHDR/AT_PHENT/AT_PHNUM (the program headers, which
 *          sysroot/keel.ld loads with the text, so musl finds PT_TLS),
 *          AT_PAGESZ, AT_RANDOM (16 bytes from getrandom), AT_UID ==
 *          AT_EUID == AT_GID == AT_EGID == 0, AT_SECURE 0, AT_HWCAP 0.
 *
 * Descriptors 0, 1 and 2 are opened on the debug console first.
 */
#include <elf.h>
#include <string.h>

#include "backend.h"
#include "fdsys.h"

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

_Noreturn void __keel_start_c(const struct keel_start *s)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)__ehdr_start;
	char **v = sb.vec;
	int argc = make_argv(s, v);
	v += argc;
	*v++ = NULL; /* end of argv */
	*v++ = NULL; /* end of the empty envp */
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
	__libc_start_main(main, argc, sb.vec, 0, 0, 0);
	keel_exit_task(127);
}
