/*
 * fuzz_exec.c - grammar-built scripts through the parser, expander and
 * executor.  The input bytes choose productions of a small shell grammar
 * (commands, lists, compound commands, functions, expansions, quoting,
 * here-documents); the script runs in a fresh shell with a command budget
 * and os_null.c as the OS layer, so nothing is ever spawned.  Builtins that
 * touch the process (cd, exec, read, umask, ., wait) are not generated.
 * Run it with -close_fd_mask=3 to silence the shell's own output.
 */
#define _DEFAULT_SOURCE 1
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../exec.h"
#include "../input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct gen {
	const uint8_t *d;
	size_t n, i;
	struct strbuf out;
	int depth;
};

static unsigned pick(struct gen *g, unsigned k)
{
	unsigned v = g->i < g->n ? g->d[g->i++] : 0;

	return k ? v % k : 0;
}

static void put(struct gen *g, const char *s)
{
	sb_puts(&g->out, s);
}

static const char *const names[] = { "x", "y", "IFS", "1", "@", "*", "#", "?", "-", "z" };
static const char *const lits[] = {
	"a", "b c", "*", "?", "[a-c]", "", "-n", "\\", "'", "\"", "0", "7", "x=1", ":", "\t",
};
static const char *const ops[] = { "-", ":-", "=", ":=", "+", ":+", "#", "##", "%", "%%", "?" };
static const char *const ariths[] = {
	"1+2*3", "x=5", "x+=1", "y<<2", "1/0", "(1", "x?1:2", "!x||y&&1", "-x%3", "~0",
};

static void gen_word(struct gen *g);

static void gen_part(struct gen *g)
{
	switch (pick(g, 9)) {
	case 0:
		put(g, lits[pick(g, 15)]);
		break;
	case 1:
		put(g, "'");
		put(g, lits[pick(g, 6)]);
		put(g, "'");
		break;
	case 2:
		put(g, "\"");
		put(g, lits[pick(g, 6)]);
		put(g, "$x\"");
		break;
	case 3:
		put(g, "$");
		put(g, names[pick(g, 10)]);
		break;
	case 4:
		put(g, "${");
		put(g, names[pick(g, 10)]);
		put(g, ops[pick(g, 11)]);
		if (g->depth < 4) {
			g->depth++;
			gen_word(g);
			g->depth--;
		}
		put(g, "}");
		break;
	case 5:
		put(g, "$((");
		put(g, ariths[pick(g, 10)]);
		put(g, "))");
		break;
	case 6:
		put(g, "~");
		break;
	case 7:
		put(g, "\"$@\"");
		break;
	default:
		put(g, "${#");
		put(g, names[pick(g, 3)]);
		put(g, "}");
		break;
	}
}

static void gen_word(struct gen *g)
{
	unsigned k = 1 + pick(g, 3);

	for (unsigned i = 0; i < k; i++)
		gen_part(g);
	if (!g->out.len || g->out.s[g->out.len - 1] == ' ')
		put(g, "w");
}

static const char *const cmds[] = {
	"echo",      "printf %s\\\\n", "test",          "[",       "true",  "false",
	":",         "set --",         "shift",         "export",  "unset", "local",
	"return",    "break",          "continue",      "eval",    "f",     "g",
	"x=",        "readonly r=",    "getopts ab: o", "command", "type",  "trap",
	"printf %d",
};

static void gen_list(struct gen *g);

static void gen_simple(struct gen *g)
{
	unsigned c = pick(g, 25);

	put(g, cmds[c]);
	if (c == 3) {
		put(g, " ");
		gen_word(g);
		put(g, " = ");
		gen_word(g);
		put(g, " ]");
		return;
	}
	unsigned k = pick(g, 4);

	for (unsigned i = 0; i < k; i++) {
		put(g, c == 18 || c == 19 ? "" : " ");
		gen_word(g);
	}
	switch (pick(g, 8)) {
	case 0:
		put(g, " >/dev/null");
		break;
	case 1:
		put(g, " 2>&1");
		break;
	case 2:
		put(g, " <<E\nline $x\nE\n");
		return;
	case 3:
		put(g, " 2>/dev/null");
		break;
	default:
		break;
	}
}

static void gen_compound(struct gen *g)
{
	g->depth++;
	switch (pick(g, 8)) {
	case 0:
		put(g, "if ");
		gen_list(g);
		put(g, "; then ");
		gen_list(g);
		put(g, "; else ");
		gen_list(g);
		put(g, "; fi");
		break;
	case 1:
		put(g, "while ");
		gen_list(g);
		put(g, "; do ");
		gen_list(g);
		put(g, "; done");
		break;
	case 2:
		put(g, "for i in ");
		gen_word(g);
		put(g, "; do ");
		gen_list(g);
		put(g, "; done");
		break;
	case 3:
		put(g, "case ");
		gen_word(g);
		put(g, " in ");
		gen_word(g);
		put(g, ") ");
		gen_list(g);
		put(g, ";; *) ");
		gen_list(g);
		put(g, ";; esac");
		break;
	case 4:
		put(g, "{ ");
		gen_list(g);
		put(g, "; }");
		break;
	case 5:
		put(g, "f() { ");
		gen_list(g);
		put(g, "; }");
		break;
	case 6:
		put(g, "g() { local x=");
		gen_word(g);
		put(g, "; ");
		gen_list(g);
		put(g, "; }");
		break;
	default:
		put(g, "! ");
		gen_simple(g);
		break;
	}
	g->depth--;
}

static void gen_list(struct gen *g)
{
	unsigned k = 1 + pick(g, 3);

	for (unsigned i = 0; i < k; i++) {
		if (i)
			put(g, pick(g, 3) == 0 ? " && " : pick(g, 2) ? "; " : " || ");
		if (g->depth < 5 && pick(g, 3) == 0)
			gen_compound(g);
		else
			gen_simple(g);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool quiet;
	static char *env[] = { "HOME=/nonexistent", NULL };
	char *argv[] = { "sh", NULL };
	struct gen g;

	memset(&g, 0, sizeof(g));
	g.d = data;
	g.n = size;
	sb_init(&g.out);
	if (!quiet) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		close(null);
		quiet = true;
	}
	while (g.i < g.n) {
		gen_list(&g);
		put(&g, "\n");
	}
	struct shell *sh = xmalloc(sizeof(*sh));

	shell_init(sh, 1, argv, env);
	sh->opt[OPT_f] = true;
	sh->fuel = 5000;
	sh->max_funcnest = 40;
	/* What grows exponentially would only exhaust memory and time:
	 * x="$x$x$x" in a loop, f() { f $* $*; }, f() { f "$@""$@"; } (one
	 * field doubling). A value stays short enough that a pattern trim,
	 * which tries every position (as dash's does), stays quick. */
	sh->max_value = 1 << 12;
	sh->max_words = 1 << 12;
	sh->interactive = true; /* errors return to the command loop */
	struct input *in = input_from_string(g.out.s ? g.out.s : "", g.out.len, 1);
	struct catch_point cp;

	catch_push(sh, &cp);
	if (setjmp(cp.jb) == 0) {
		exec_input(sh, in, true);
		catch_pop(sh, &cp);
	} else {
		catch_unwind(sh, &cp);
	}
	input_free(in);
	sb_free(&g.out);
	shell_free(sh);
	return 0;
}
