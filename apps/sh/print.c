/*
 * print.c - turns trees back into shell text: the command text shown by
 * `jobs`, here-document delimiters written with expansions, and the parser
 * tests' round trips.  Here-document bodies are not printed.
 */
#define _DEFAULT_SOURCE 1
#include <string.h>

#include "sh.h"

static void print_word_parts(struct strbuf *b, const struct wpart *p, bool in_dq);

static void print_quoted_lit(struct strbuf *b, const char *s, bool in_dq)
{
	if (in_dq) {
		for (; *s; s++) {
			if (strchr("$`\"\\", *s))
				sb_putc(b, '\\');
			sb_putc(b, *s);
		}
		return;
	}
	sb_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sb_puts(b, "'\\''");
		else
			sb_putc(b, *s);
	}
	sb_putc(b, '\'');
}

static void print_lit(struct strbuf *b, const struct wpart *p, bool in_dq)
{
	if (p->quoted) {
		print_quoted_lit(b, p->text, in_dq);
		return;
	}
	for (const char *s = p->text; *s; s++) {
		if (strchr(" \t\n;&|<>()$`\\\"'*?[#~{}", *s))
			sb_putc(b, '\\');
		sb_putc(b, *s);
	}
}

static void print_param(struct strbuf *b, const struct wpart *p)
{
	static const char *const ops[] = {
		[POP_NONE] = "",    [POP_LEN] = "",      [POP_DEFAULT] = "-", [POP_ASSIGN] = "=",
		[POP_ERROR] = "?",  [POP_ALT] = "+",     [POP_RSMALL] = "%",  [POP_RLARGE] = "%%",
		[POP_LSMALL] = "#", [POP_LLARGE] = "##", [POP_BAD] = "!",
	};

	sb_puts(b, "${");
	if (p->op == POP_LEN)
		sb_putc(b, '#');
	sb_puts(b, p->text);
	if (p->colon)
		sb_putc(b, ':');
	sb_puts(b, ops[p->op]);
	if (p->arg)
		print_word_parts(b, p->arg->parts, p->quoted);
	sb_putc(b, '}');
}

static void print_part(struct strbuf *b, const struct wpart *p, bool in_dq)
{
	switch (p->type) {
	case WP_LIT:
		print_lit(b, p, in_dq);
		break;
	case WP_PARAM:
		print_param(b, p);
		break;
	case WP_CMDSUB:
		sb_puts(b, "$(");
		if (p->cmd)
			node_print(b, p->cmd);
		sb_putc(b, ')');
		break;
	case WP_ARITH:
		sb_puts(b, "$((");
		if (p->arg)
			print_word_parts(b, p->arg->parts, true);
		sb_puts(b, "))");
		break;
	}
}

/* Prints parts, grouping runs of parts from inside "..." in quotes. */
static void print_word_parts(struct strbuf *b, const struct wpart *p, bool in_dq)
{
	while (p) {
		if (!p->quoted || in_dq || (p->type == WP_LIT)) {
			print_part(b, p, in_dq);
			p = p->next;
			continue;
		}
		sb_putc(b, '"');
		while (p && p->quoted) {
			print_part(b, p, true);
			p = p->next;
		}
		sb_putc(b, '"');
	}
}

void word_print(struct strbuf *b, const struct word *w)
{
	print_word_parts(b, w->parts, false);
}

static void print_words(struct strbuf *b, const struct word *w, const char *sep)
{
	for (; w; w = w->next) {
		word_print(b, w);
		if (w->next)
			sb_puts(b, sep);
	}
}

static void print_redirs(struct strbuf *b, const struct redir *r)
{
	static const char *const ops[] = {
		[R_IN] = "<",    [R_OUT] = ">",    [R_APPEND] = ">>", [R_CLOBBER] = ">|",
		[R_RDWR] = "<>", [R_DUPIN] = "<&", [R_DUPOUT] = ">&", [R_HEREDOC] = "<<",
	};

	for (; r; r = r->next) {
		bool def = r->fd == ((r->type == R_IN || r->type == R_RDWR || r->type == R_DUPIN ||
				      r->type == R_HEREDOC)
					     ? 0
					     : 1);

		sb_putc(b, ' ');
		if (!def)
			sb_printf(b, "%d", r->fd);
		sb_puts(b, ops[r->type]);
		if (r->type == R_HEREDOC)
			sb_puts(b, r->here_strip ? "-EOF" : "EOF");
		else if (r->target)
			word_print(b, r->target);
	}
}

static void print_simple(struct strbuf *b, const struct node *n)
{
	print_words(b, n->u.simple.assigns, " ");
	if (n->u.simple.assigns && n->u.simple.args)
		sb_putc(b, ' ');
	print_words(b, n->u.simple.args, " ");
}

static bool ends_bg(const struct node *n)
{
	return n && (n->type == N_BG || (n->type == N_SEQ && ends_bg(n->u.bin.right)));
}

/* Prints open, n, close; a close starting with ';' loses it after "&". */
static void print_body(struct strbuf *b, const char *open, const struct node *n, const char *close)
{
	sb_puts(b, open);
	if (n)
		node_print(b, n);
	if (close[0] == ';' && ends_bg(n))
		close++;
	sb_puts(b, close);
}

static void print_case(struct strbuf *b, const struct node *n)
{
	sb_puts(b, "case ");
	word_print(b, n->u.cas.subject);
	sb_puts(b, " in ");
	for (const struct case_item *ci = n->u.cas.items; ci; ci = ci->next) {
		sb_putc(b, '(');
		print_words(b, ci->patterns, " | ");
		sb_puts(b, ") ");
		print_body(b, "", ci->body, " ;; ");
	}
	sb_puts(b, "esac");
}

static void print_if(struct strbuf *b, const struct node *n)
{
	print_body(b, "if ", n->u.cond.cond, "; then ");
	print_body(b, "", n->u.cond.then, ";");
	while (n->u.cond.els && n->u.cond.els->type == N_IF && !n->u.cond.els->redirs) {
		n = n->u.cond.els;
		print_body(b, " elif ", n->u.cond.cond, "; then ");
		print_body(b, "", n->u.cond.then, ";");
	}
	if (n->u.cond.els)
		print_body(b, " else ", n->u.cond.els, ";");
	sb_puts(b, " fi");
}

static void print_compound(struct strbuf *b, const struct node *n)
{
	switch (n->type) {
	case N_SUBSHELL:
		print_body(b, "(", n->u.sub, ")");
		break;
	case N_GROUP:
		print_body(b, "{ ", n->u.sub, "; }");
		break;
	case N_IF:
		print_if(b, n);
		break;
	case N_WHILE:
	case N_UNTIL:
		print_body(b, n->type == N_WHILE ? "while " : "until ", n->u.cond.cond, "; do ");
		print_body(b, "", n->u.cond.then, "; done");
		break;
	case N_FOR:
		sb_printf(b, "for %s", n->u.loop.var);
		if (n->for_in) {
			sb_puts(b, " in");
			for (const struct word *w = n->u.loop.words; w; w = w->next) {
				sb_putc(b, ' ');
				word_print(b, w);
			}
		}
		print_body(b, "; do ", n->u.loop.body, "; done");
		break;
	case N_CASE:
		print_case(b, n);
		break;
	default:
		break;
	}
}

void node_print(struct strbuf *b, const struct node *n)
{
	if (!n)
		return;
	switch (n->type) {
	case N_SIMPLE:
		print_simple(b, n);
		break;
	case N_PIPE:
		for (int i = 0; i < n->u.pipe.n; i++) {
			if (i)
				sb_puts(b, " | ");
			node_print(b, n->u.pipe.cmds[i]);
		}
		break;
	case N_AND:
	case N_OR:
	case N_SEQ:
		print_body(b, "", n->u.bin.left,
			   n->type == N_AND  ? " && "
			   : n->type == N_OR ? " || "
					     : "; ");
		node_print(b, n->u.bin.right);
		break;
	case N_BG:
		node_print(b, n->u.sub);
		sb_puts(b, " &");
		break;
	case N_NOT:
		sb_puts(b, "! ");
		node_print(b, n->u.sub);
		break;
	case N_FUNCDEF:
		sb_printf(b, "%s() ", n->u.func.name);
		node_print(b, n->u.func.body);
		break;
	default:
		print_compound(b, n);
		break;
	}
	if (n->type != N_SIMPLE && n->type < N_SUBSHELL)
		return;
	print_redirs(b, n->redirs);
}
