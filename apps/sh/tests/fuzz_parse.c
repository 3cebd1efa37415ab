/*
 * fuzz_parse.c - random bytes as shell text: every complete command is
 * parsed, printed, encoded and decoded (the decoded tree must print the
 * same), and its words are expanded (with globbing off; command
 * substitutions fail to spawn).  The bytes are also fed to the tree and
 * state decoders directly.  Built with os_null.c; run it with
 * -close_fd_mask=3 to silence the shell's own output.
 */
#define _DEFAULT_SOURCE 1
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../exec.h"
#include "../input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct shell *fresh_shell(void)
{
	static char *env[] = { "HOME=/nonexistent", "IFS= \t\n", NULL };
	char *argv[] = { "sh", NULL };
	struct shell *sh = xmalloc(sizeof(*sh));

	shell_init(sh, 1, argv, env);
	sh->opt[OPT_f] = true;
	sh->fuel = 2000;
	sh->max_funcnest = 50;
	return sh;
}

static void print_tree(const struct node *n, struct strbuf *b)
{
	b->len = 0;
	node_print(b, n);
	sb_cstr(b);
}

/* Encodes, decodes and compares the printed forms. */
static void check_copy(const struct node *n)
{
	struct arena a;
	struct strbuf p1, p2;

	arena_init(&a);
	sb_init(&p1);
	sb_init(&p2);
	struct node *c = node_copy(n, &a);

	print_tree(n, &p1);
	print_tree(c, &p2);
	if (strcmp(p1.s, p2.s) != 0) {
		fprintf(stderr, "copy differs:\n[%s]\n[%s]\n", p1.s, p2.s);
		abort();
	}
	sb_free(&p1);
	sb_free(&p2);
	arena_free(&a);
}

static void expand_simple(struct shell *sh, struct node *n)
{
	struct catch_point cp;
	int argc;

	if (!n || n->type != N_SIMPLE)
		return;
	catch_push(sh, &cp);
	if (setjmp(cp.jb) == 0) {
		expand_words(sh, n->u.simple.args, &argc);
		catch_pop(sh, &cp);
	} else {
		catch_unwind(sh, &cp);
	}
}

static void walk(struct shell *sh, struct node *n, int depth)
{
	if (!n || depth > 50)
		return;
	switch (n->type) {
	case N_SIMPLE:
		expand_simple(sh, n);
		break;
	case N_AND:
	case N_OR:
	case N_SEQ:
		walk(sh, n->u.bin.left, depth + 1);
		walk(sh, n->u.bin.right, depth + 1);
		break;
	case N_BG:
	case N_NOT:
	case N_SUBSHELL:
	case N_GROUP:
		walk(sh, n->u.sub, depth + 1);
		break;
	case N_PIPE:
		for (int i = 0; i < n->u.pipe.n; i++)
			walk(sh, n->u.pipe.cmds[i], depth + 1);
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shell *sh = fresh_shell();
	struct input *in = input_from_string((const char *)data, size, 1);
	struct parse_error err;
	struct node *n;

	for (int i = 0; i < 100; i++) {
		struct arena a;

		arena_init(&a);
		enum parse_result r = parse_command(in, &a, &n, &err);

		if (r == PARSE_OK && n) {
			check_copy(n);
			walk(sh, n, 0);
		}
		arena_free(&a);
		if (r == PARSE_EOF || (r == PARSE_ERROR && input_eof(in)))
			break;
	}
	input_free(in);
	struct arena a;
	const char *derr;

	arena_init(&a);
	deserial_node((const char *)data, size, &a, &derr);
	deserial_state(sh, (const char *)data, size, &a, &derr);
	arena_free(&a);
	shell_free(sh);
	return 0;
}
