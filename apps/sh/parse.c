/*
 * parse.c - the lexer and recursive-descent parser for the POSIX shell
 * grammar, producing the tree of ast.h in an arena.
 *
 * Keywords are recognised by the parser (only a plain unquoted word in
 * command position is a keyword), so the lexer needs no modes.  Here-document
 * bodies are read when the newline after their command is consumed.  A
 * syntax error longjmps to parse_command, which reports it with the line
 * it was found on, as dash does: "Syntax error: "fi" unexpected".
 */
#define _DEFAULT_SOURCE 1
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "sh.h"

#define MAX_DEPTH 400

enum tok {
	T_EOF,
	T_NL,
	T_WORD,
	T_SEMI,
	T_DSEMI,
	T_AMP,
	T_AND,
	T_PIPE,
	T_OR,
	T_LPAREN,
	T_RPAREN,
	T_LESS,
	T_GREAT,
	T_DGREAT,
	T_CLOBBER,
	T_LESSGREAT,
	T_LESSAND,
	T_GREATAND,
	T_DLESS,
	T_DLESSDASH,
};

static const char *const tok_text[] = {
	"end of file", "newline", "word",   "\";\"", "\";;\"", "\"&\"",
	"\"&&\"",      "\"|\"",   "\"||\"", "\"(\"", "\")\"",
};

static const char *const keywords[] = {
	"!",  "case", "do",   "done",  "elif",  "else", "esac", "fi", "for",
	"if", "in",   "then", "until", "while", "{",    "}",    NULL,
};

struct parser {
	struct input *in;
	struct arena *a;
	int pb[16];
	int npb;
	jmp_buf *jb;
	struct parse_error *err;
	int tok;
	bool pushed;
	struct word *tword;
	char *ttext;        /* plain unquoted text of a word token */
	int tfd;            /* io number of a redirection token, or -1 */
	struct redir *here; /* pending here-documents */
	int depth;
	bool raw_on; /* collect the characters read in rawbuf */
	struct strbuf rawbuf;
};

/* A word being built: parts plus the literal run not yet flushed. */
struct wbuild {
	struct wpart *head, **tail;
	char *lit;
	size_t len, cap;
	bool litq;
};

enum scan_mode {
	SW_NORMAL,  /* ends at an unquoted metacharacter */
	SW_PARAM,   /* ends at an unquoted } (the ${...} argument) */
	SW_HEREDOC, /* ends at end of input; only $ ` \ are special */
};

static struct word *scan_word(struct parser *p, enum scan_mode mode, bool dq, bool pat);
static struct node *parse_list(struct parser *p, bool top);
static struct node *parse_and_or(struct parser *p);
static struct node *parse_command_node(struct parser *p);
static struct node *sub_parse(struct parser *p, const char *s, size_t len, int line);

static _Noreturn void perror_at(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static _Noreturn void perror_at(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	p->err->line = p->in->lineno;
	longjmp(*p->jb, 1);
}

bool parse_is_keyword(const char *s)
{
	for (int i = 0; keywords[i]; i++)
		if (strcmp(s, keywords[i]) == 0)
			return true;
	return false;
}

/* --- characters --- */

static int pgetc(struct parser *p)
{
	int c;

	if (p->npb)
		c = p->pb[--p->npb];
	else
		c = input_getc(p->in);
	if (c == '\n')
		p->in->lineno++;
	if (p->raw_on && c >= 0)
		sb_putc(&p->rawbuf, (char)c);
	return c;
}

static void pungetc(struct parser *p, int c)
{
	if (c < 0)
		return;
	if (c == '\n')
		p->in->lineno--;
	if (p->raw_on && p->rawbuf.len)
		p->rawbuf.len--;
	if (p->npb < (int)(sizeof(p->pb) / sizeof(p->pb[0])))
		p->pb[p->npb++] = c;
}

/* Next character with backslash-newline pairs removed. */
static int pgetc2(struct parser *p)
{
	for (;;) {
		int c = pgetc(p);

		if (c != '\\')
			return c;
		int d = pgetc(p);

		if (d != '\n') {
			pungetc(p, d);
			return c;
		}
	}
}

/* --- word building --- */

static void wb_init(struct wbuild *wb)
{
	wb->head = NULL;
	wb->tail = &wb->head;
	wb->lit = NULL;
	wb->len = wb->cap = 0;
	wb->litq = false;
}

static void wb_flush(struct parser *p, struct wbuild *wb)
{
	if (!wb->len)
		return;
	struct wpart *w = arena_zalloc(p->a, sizeof(*w));

	w->type = WP_LIT;
	w->quoted = wb->litq;
	w->text = arena_strndup(p->a, wb->lit, wb->len);
	*wb->tail = w;
	wb->tail = &w->next;
	wb->len = 0;
}

static void wb_char(struct parser *p, struct wbuild *wb, int c, bool quoted)
{
	if (wb->len && wb->litq != quoted)
		wb_flush(p, wb);
	wb->litq = quoted;
	if (wb->len + 1 >= wb->cap) {
		size_t cap = wb->cap ? wb->cap * 2 : 32;
		char *n = arena_alloc(p->a, cap);

		if (wb->len)
			memcpy(n, wb->lit, wb->len);
		wb->lit = n;
		wb->cap = cap;
	}
	wb->lit[wb->len++] = (char)c;
}

/* An empty quoted literal keeps "" from vanishing. */
static void wb_empty_quoted(struct parser *p, struct wbuild *wb)
{
	wb_flush(p, wb);
	struct wpart *w = arena_zalloc(p->a, sizeof(*w));

	w->type = WP_LIT;
	w->quoted = true;
	w->text = arena_strdup(p->a, "");
	*wb->tail = w;
	wb->tail = &w->next;
}

static struct wpart *wb_part(struct parser *p, struct wbuild *wb, int type, bool quoted)
{
	wb_flush(p, wb);
	struct wpart *w = arena_zalloc(p->a, sizeof(*w));

	w->type = (unsigned char)type;
	w->quoted = quoted;
	*wb->tail = w;
	wb->tail = &w->next;
	return w;
}

static struct word *wb_word(struct parser *p, struct wbuild *wb)
{
	wb_flush(p, wb);
	struct word *w = arena_zalloc(p->a, sizeof(*w));

	w->parts = wb->head;
	return w;
}

/* --- expansions inside words --- */

static bool is_name_start(int c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_name_char(int c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static bool is_special_param(int c)
{
	return c && strchr("@*#?-$!", c) != NULL;
}

/* Reads a parameter name after $ or ${ starting with c. */
static char *scan_param_name(struct parser *p, int c, bool braced)
{
	char buf[256];
	size_t n = 0;

	if (is_special_param(c) || (!braced && c >= '0' && c <= '9')) {
		buf[0] = (char)c;
		return arena_strndup(p->a, buf, 1);
	}
	bool digits = c >= '0' && c <= '9';

	while (digits ? (c >= '0' && c <= '9') : is_name_char(c)) {
		if (n < sizeof(buf))
			buf[n++] = (char)c;
		c = pgetc2(p);
	}
	pungetc(p, c);
	return arena_strndup(p->a, buf, n);
}

/* Skips to the } closing a bad ${...}, honouring nested braces. */
static void skip_bad_param(struct parser *p)
{
	int depth = 0;

	for (;;) {
		int c = pgetc2(p);

		if (c < 0)
			perror_at(p, "Syntax error: Missing '}'");
		if (c == '{')
			depth++;
		if (c == '}' && depth-- == 0)
			return;
	}
}

/* Parses the operator of ${name...}; returns false if it is not one. */
static bool scan_param_op(struct parser *p, struct wpart *w)
{
	int c = pgetc2(p);

	if (c == '}') {
		w->op = POP_NONE;
		return true;
	}
	if (c == ':') {
		w->colon = true;
		c = pgetc2(p);
		if (!strchr("-=?+", c) || c == 0) {
			pungetc(p, c);
			return false;
		}
	}
	switch (c) {
	case '-':
		w->op = POP_DEFAULT;
		break;
	case '=':
		w->op = POP_ASSIGN;
		break;
	case '?':
		w->op = POP_ERROR;
		break;
	case '+':
		w->op = POP_ALT;
		break;
	case '%':
	case '#': {
		int d = pgetc2(p);

		if (d == c)
			w->op = c == '%' ? POP_RLARGE : POP_LLARGE;
		else {
			pungetc(p, d);
			w->op = c == '%' ? POP_RSMALL : POP_LSMALL;
		}
		break;
	}
	default:
		pungetc(p, c);
		return false;
	}
	return true;
}

/* ${#...}: the length form, or $# itself with an operator. */
static bool scan_hash_param(struct parser *p, struct wpart *w)
{
	int d = pgetc2(p);

	if (d == '}') {
		w->text = arena_strdup(p->a, "#");
		return true;
	}
	if (d == '-' || d == '=' || d == '?' || d == '+' || d == ':' || d == '%' || d == '#') {
		int e = pgetc2(p);

		pungetc(p, e);
		if (e != '}' || d == ':' || d == '%' || d == '=' || d == '+') {
			pungetc(p, d);
			w->text = arena_strdup(p->a, "#");
			return false;
		}
	}
	if (!(is_name_char(d) || is_special_param(d))) {
		pungetc(p, d);
		w->text = arena_strdup(p->a, "#");
		w->op = POP_BAD;
		return true;
	}
	w->text = scan_param_name(p, d, true);
	w->op = POP_LEN;
	if (pgetc2(p) != '}')
		w->op = POP_BAD;
	return true;
}

static void scan_brace_param(struct parser *p, struct wbuild *wb, bool dq)
{
	struct wpart *w = wb_part(p, wb, WP_PARAM, dq);
	int c = pgetc2(p);

	if (++p->depth > MAX_DEPTH)
		perror_at(p, "Syntax error: nesting too deep");
	if (c == '#' && scan_hash_param(p, w)) {
		if (w->op == POP_BAD)
			skip_bad_param(p);
		p->depth--;
		return;
	}
	if (!w->text) {
		if (!(is_name_char(c) || is_special_param(c))) {
			pungetc(p, c);
			w->text = arena_strdup(p->a, "");
			w->op = POP_BAD;
			skip_bad_param(p);
			p->depth--;
			return;
		}
		w->text = scan_param_name(p, c, true);
	}
	int c2 = pgetc2(p);

	pungetc(p, c2);
	if (c2 == '\n' || c2 < 0)
		perror_at(p, "Syntax error: Missing '}'");
	if (!scan_param_op(p, w)) {
		w->op = POP_BAD;
		skip_bad_param(p);
	} else if (w->op != POP_NONE) {
		bool pat = w->op >= POP_RSMALL;

		w->arg = scan_word(p, SW_PARAM, dq, pat);
		if (pgetc2(p) != '}')
			perror_at(p, "Syntax error: Missing '}'");
	}
	p->depth--;
}

/* $( ... ): the command list is parsed in place from the same input. */
static void scan_cmdsub(struct parser *p, struct wbuild *wb, bool dq)
{
	struct wpart *w = wb_part(p, wb, WP_CMDSUB, dq);
	struct redir *here = p->here;

	p->here = NULL;
	if (++p->depth > MAX_DEPTH)
		perror_at(p, "Syntax error: nesting too deep");
	w->cmd = parse_list(p, false);
	int t = p->pushed ? p->tok : -1;

	if (!p->pushed)
		perror_at(p, "Syntax error: Missing ')'");
	p->pushed = false;
	if (t != T_RPAREN) {
		if (t == T_EOF)
			perror_at(p, "Syntax error: end of file unexpected (expecting \")\")");
		perror_at(p, "Syntax error: %s unexpected (expecting \")\")",
			  t == T_WORD                                       ? "word"
			  : t < (int)(sizeof(tok_text) / sizeof(*tok_text)) ? tok_text[t]
									    : "redirection");
	}
	/* here-documents begun inside are read after the enclosing line */
	struct redir **tail = &here;

	while (*tail)
		tail = &(*tail)->here_next;
	*tail = p->here;
	p->here = here;
	p->depth--;
}

/* Collects text until the )) closing an arithmetic expansion. */
static void scan_arith(struct parser *p, struct wbuild *wb, bool dq)
{
	struct wpart *w = wb_part(p, wb, WP_ARITH, dq);
	struct strbuf b;
	int depth = 0;
	int line = p->in->lineno;

	sb_init(&b);
	for (;;) {
		int c = pgetc2(p);

		if (c < 0) {
			sb_free(&b);
			perror_at(p, "Syntax error: Missing '))'");
		}
		if (c == '(')
			depth++;
		if (c == ')' && depth == 0) {
			int d = pgetc2(p);

			if (d == ')')
				break;
			sb_free(&b);
			perror_at(p, "Syntax error: Missing '))'");
		}
		if (c == ')')
			depth--;
		sb_putc(&b, (char)c);
	}
	char *text = arena_strndup(p->a, b.s ? b.s : "", b.len);

	sb_free(&b);
	w->arg = (struct word *)sub_parse(p, text, strlen(text), -line);
}

/* `...`: the text is unescaped and parsed as a separate input. */
static void scan_backquote(struct parser *p, struct wbuild *wb, bool dq)
{
	struct wpart *w = wb_part(p, wb, WP_CMDSUB, dq);
	struct strbuf b;
	int line = p->in->lineno;

	sb_init(&b);
	for (;;) {
		int c = pgetc(p);

		if (c < 0) {
			sb_free(&b);
			perror_at(p, "Syntax error: EOF in backquote substitution");
		}
		if (c == '`')
			break;
		if (c == '\\') {
			int d = pgetc(p);

			if (d < 0) {
				sb_free(&b);
				perror_at(p, "Syntax error: EOF in backquote substitution");
			}
			if (!(d == '$' || d == '`' || d == '\\' || (dq && d == '"')))
				sb_putc(&b, '\\');
			c = d;
		}
		sb_putc(&b, (char)c);
	}
	char *text = arena_strndup(p->a, b.s ? b.s : "", b.len);

	sb_free(&b);
	w->cmd = sub_parse(p, text, strlen(text), line);
}

static void scan_dollar(struct parser *p, struct wbuild *wb, bool dq)
{
	int c = pgetc2(p);

	if (c == '{') {
		scan_brace_param(p, wb, dq);
	} else if (c == '(') {
		int d = pgetc2(p);

		if (d == '(') {
			scan_arith(p, wb, dq);
		} else {
			pungetc(p, d);
			scan_cmdsub(p, wb, dq);
		}
	} else if (is_name_start(c) || is_special_param(c) || (c >= '0' && c <= '9')) {
		struct wpart *w = wb_part(p, wb, WP_PARAM, dq);

		w->text = scan_param_name(p, c, false);
	} else {
		pungetc(p, c);
		wb_char(p, wb, '$', dq);
	}
}

/* Inside "...": appends quoted parts up to the closing quote. */
static void scan_dquote(struct parser *p, struct wbuild *wb, enum scan_mode mode)
{
	bool any = false;
	struct wpart **before = wb->tail;
	size_t len0 = wb->len;

	for (;;) {
		int c = pgetc2(p);

		if (c < 0)
			perror_at(p, "Syntax error: Unterminated quoted string");
		if (c == '"')
			break;
		any = true;
		if (c == '$') {
			scan_dollar(p, wb, true);
		} else if (c == '`') {
			scan_backquote(p, wb, true);
		} else if (c == '\\') {
			int d = pgetc(p);

			if (d == '$' || d == '`' || d == '"' || d == '\\' ||
			    (mode == SW_PARAM && d == '}')) {
				wb_char(p, wb, d, true);
			} else {
				wb_char(p, wb, '\\', true);
				pungetc(p, d);
			}
		} else {
			wb_char(p, wb, c, true);
		}
	}
	if (!any && before == wb->tail && wb->len == len0)
		wb_empty_quoted(p, wb);
}

static void scan_squote(struct parser *p, struct wbuild *wb)
{
	bool any = false;

	for (;;) {
		int c = pgetc(p);

		if (c < 0)
			perror_at(p, "Syntax error: Unterminated quoted string");
		if (c == '\'')
			break;
		wb_char(p, wb, c, true);
		any = true;
	}
	if (!any)
		wb_empty_quoted(p, wb);
}

static bool is_meta(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' ||
	       c == '>' || c == '(' || c == ')';
}

/* One character of a here-document body (or arithmetic text). */
static void scan_heredoc_char(struct parser *p, struct wbuild *wb, int c)
{
	if (c == '$') {
		scan_dollar(p, wb, true);
	} else if (c == '`') {
		scan_backquote(p, wb, false);
	} else if (c == '\\') {
		int d = pgetc(p);

		if (d == '$' || d == '`' || d == '\\') {
			wb_char(p, wb, d, true);
		} else {
			wb_char(p, wb, '\\', true);
			pungetc(p, d);
		}
	} else {
		wb_char(p, wb, c, true);
	}
}

/* Scans a word.  In SW_PARAM mode, dq says the ${...} was inside double
 * quotes (single quotes are then literal unless pat, as in dash). */
static struct word *scan_word(struct parser *p, enum scan_mode mode, bool dq, bool pat)
{
	struct wbuild wb;
	int depth = 0;

	wb_init(&wb);
	for (;;) {
		int c = pgetc2(p);

		if (c < 0)
			break;
		if (mode == SW_HEREDOC) {
			scan_heredoc_char(p, &wb, c);
			continue;
		}
		if (mode == SW_NORMAL && is_meta(c)) {
			pungetc(p, c);
			break;
		}
		if (mode == SW_PARAM && c == '}' && depth == 0) {
			pungetc(p, c);
			break;
		}
		if (mode == SW_PARAM && c == '{')
			depth++;
		if (mode == SW_PARAM && c == '}')
			depth--;
		switch (c) {
		case '\'':
			if (dq && !pat)
				wb_char(p, &wb, c, true);
			else
				scan_squote(p, &wb);
			break;
		case '"':
			scan_dquote(p, &wb, mode);
			break;
		case '\\': {
			int d = pgetc(p);

			if (d < 0) {
				wb_char(p, &wb, '\\', dq);
				break;
			}
			if (dq && !pat &&
			    !(d == '$' || d == '`' || d == '"' || d == '\\' || d == '}'))
				wb_char(p, &wb, '\\', true);
			wb_char(p, &wb, d, true);
			break;
		}
		case '$':
			scan_dollar(p, &wb, dq);
			break;
		case '`':
			scan_backquote(p, &wb, dq);
			break;
		default:
			wb_char(p, &wb, c, dq && !pat);
			break;
		}
	}
	return wb_word(p, &wb);
}

/* --- here-documents --- */

/* Reads one raw line; returns false at end of input with nothing read. */
static bool read_line(struct parser *p, struct strbuf *b)
{
	int c;
	bool any = false;

	while ((c = pgetc(p)) >= 0) {
		any = true;
		if (c == '\n')
			return true;
		sb_putc(b, (char)c);
	}
	return any;
}

static bool ends_in_continuation(const struct strbuf *b)
{
	size_t n = 0;

	while (n < b->len && b->s[b->len - 1 - n] == '\\')
		n++;
	return n % 2 == 1;
}

static void read_heredoc(struct parser *p, struct redir *r)
{
	struct strbuf body, line;

	sb_init(&body);
	sb_init(&line);
	for (;;) {
		line.len = 0;
		bool got = read_line(p, &line);

		while (got && !r->here_quoted && ends_in_continuation(&line)) {
			line.len--;
			got = read_line(p, &line) || true;
			if (input_eof(p->in) && !p->npb)
				break;
		}
		size_t skip = 0;

		if (r->here_strip)
			while (skip < line.len && line.s[skip] == '\t')
				skip++;
		if (!got)
			break;
		if (line.len - skip == strlen(r->here_delim) &&
		    memcmp(line.s + skip, r->here_delim, line.len - skip) == 0)
			break;
		sb_put(&body, line.s + skip, line.len - skip);
		sb_putc(&body, '\n');
	}
	char *text = arena_strndup(p->a, body.s ? body.s : "", body.len);
	size_t len = body.len;

	sb_free(&body);
	sb_free(&line);
	if (r->here_quoted) {
		struct wbuild wb;

		wb_init(&wb);
		struct wpart *w = wb_part(p, &wb, WP_LIT, true);

		w->text = text;
		r->target = wb_word(p, &wb);
	} else {
		r->target = (struct word *)sub_parse(p, text, len, 0);
	}
}

static void read_pending_heredocs(struct parser *p)
{
	struct redir *r = p->here;

	p->here = NULL;
	while (r) {
		struct redir *next = r->here_next;

		read_heredoc(p, r);
		r->here_next = NULL;
		r = next;
	}
}

/* --- tokens --- */

static int redir_token(struct parser *p, int c)
{
	int d = pgetc2(p);

	if (c == '<') {
		if (d == '<') {
			int e = pgetc2(p);

			if (e == '-')
				return T_DLESSDASH;
			pungetc(p, e);
			return T_DLESS;
		}
		if (d == '&')
			return T_LESSAND;
		if (d == '>')
			return T_LESSGREAT;
		pungetc(p, d);
		return T_LESS;
	}
	if (d == '>')
		return T_DGREAT;
	if (d == '&')
		return T_GREATAND;
	if (d == '|')
		return T_CLOBBER;
	pungetc(p, d);
	return T_GREAT;
}

/* The plain text of a word that is one unquoted literal, else NULL. */
static char *plain_text(struct word *w)
{
	if (w->parts && !w->parts->next && w->parts->type == WP_LIT && !w->parts->quoted)
		return w->parts->text;
	return NULL;
}

static int word_token(struct parser *p)
{
	p->tword = scan_word(p, SW_NORMAL, false, false);
	p->ttext = plain_text(p->tword);
	if (p->ttext && p->ttext[0] && strspn(p->ttext, "0123456789") == strlen(p->ttext)) {
		int c = pgetc2(p);

		if (c == '<' || c == '>') {
			long fd = strlen(p->ttext) > 4 ? 99999 : atol(p->ttext);

			p->tfd = (int)fd;
			return redir_token(p, c);
		}
		pungetc(p, c);
	}
	return T_WORD;
}

static int next_token(struct parser *p)
{
	int c;

	if (p->pushed) {
		p->pushed = false;
		return p->tok;
	}
	p->tfd = -1;
	p->tword = NULL;
	p->ttext = NULL;
	do
		c = pgetc2(p);
	while (c == ' ' || c == '\t');
	if (c == '#')
		while (c != '\n' && c >= 0)
			c = pgetc(p);
	switch (c) {
	case -1:
		if (p->here)
			read_pending_heredocs(p);
		return p->tok = T_EOF;
	case '\n':
		if (p->here)
			read_pending_heredocs(p);
		return p->tok = T_NL;
	case ';':
		c = pgetc2(p);
		if (c == ';')
			return p->tok = T_DSEMI;
		pungetc(p, c);
		return p->tok = T_SEMI;
	case '&':
	case '|': {
		int d = pgetc2(p);

		if (d == c)
			return p->tok = c == '&' ? T_AND : T_OR;
		pungetc(p, d);
		return p->tok = c == '&' ? T_AMP : T_PIPE;
	}
	case '(':
		return p->tok = T_LPAREN;
	case ')':
		return p->tok = T_RPAREN;
	case '<':
	case '>':
		return p->tok = redir_token(p, c);
	default:
		pungetc(p, c);
		return p->tok = word_token(p);
	}
}

static void push_token(struct parser *p)
{
	p->pushed = true;
}

static int peek_token(struct parser *p)
{
	int t = next_token(p);

	push_token(p);
	return t;
}

/* The keyword the current word token spells, or NULL. */
static const char *tok_keyword(struct parser *p, int t)
{
	if (t != T_WORD || !p->ttext)
		return NULL;
	for (int i = 0; keywords[i]; i++)
		if (strcmp(p->ttext, keywords[i]) == 0)
			return keywords[i];
	return NULL;
}

static bool is_kw(struct parser *p, int t, const char *kw)
{
	const char *k = tok_keyword(p, t);

	return k && strcmp(k, kw) == 0;
}

static const char *tok_desc(struct parser *p, int t, char *buf, size_t n)
{
	const char *kw = tok_keyword(p, t);

	if (kw) {
		snprintf(buf, n, "\"%s\"", kw);
		return buf;
	}
	if (t >= T_LESS)
		return "redirection";
	return tok_text[t];
}

static _Noreturn void unexpected(struct parser *p, int t, const char *expect)
{
	char buf[32];
	const char *d = tok_desc(p, t, buf, sizeof(buf));

	if (expect)
		perror_at(p, "Syntax error: %s unexpected (expecting \"%s\")", d, expect);
	perror_at(p, "Syntax error: %s unexpected", d);
}

static void expect_kw(struct parser *p, const char *kw)
{
	int t = next_token(p);

	if (!is_kw(p, t, kw))
		unexpected(p, t, kw);
}

static void skip_newlines(struct parser *p)
{
	int t;

	while ((t = next_token(p)) == T_NL)
		;
	push_token(p);
}

/* --- grammar --- */

static struct node *new_node(struct parser *p, int type)
{
	struct node *n = arena_zalloc(p->a, sizeof(*n));

	n->type = (unsigned char)type;
	n->lineno = p->in->lineno;
	return n;
}

static struct node *new_bin(struct parser *p, int type, struct node *l, struct node *r)
{
	struct node *n = new_node(p, type);

	n->u.bin.left = l;
	n->u.bin.right = r;
	return n;
}

/* Whether t ends a compound list. */
static bool list_end(struct parser *p, int t)
{
	static const char *const ends[] = {
		"then", "else", "elif", "fi", "do", "done", "esac", "}", NULL,
	};

	if (t == T_EOF || t == T_RPAREN || t == T_DSEMI)
		return true;
	for (int i = 0; ends[i]; i++)
		if (is_kw(p, t, ends[i]))
			return true;
	return false;
}

/* A list of and-or lists.  top: ends at a newline (one complete command);
 * otherwise a compound list that may span lines, ending before a
 * terminator token, which is left pushed back.  Returns NULL if empty. */
static struct node *parse_list(struct parser *p, bool top)
{
	struct node *list = NULL;

	for (;;) {
		if (!top)
			skip_newlines(p);
		int t = peek_token(p);

		if (list_end(p, t) || (top && t == T_NL))
			break;
		struct node *n = parse_and_or(p);

		t = next_token(p);
		if (t == T_AMP) {
			struct node *bg = new_node(p, N_BG);

			bg->u.sub = n;
			n = bg;
		}
		list = list ? new_bin(p, N_SEQ, list, n) : n;
		if (t == T_SEMI || t == T_AMP) {
			if (top && peek_token(p) == T_NL)
				break;
			continue;
		}
		if (t == T_NL && !top)
			continue;
		push_token(p);
		if (top && t != T_NL && t != T_EOF)
			unexpected(p, next_token(p), NULL);
		break;
	}
	return list;
}

/* A compound list that must not be empty; kw is the terminator dash
 * names when the input ends instead. */
static struct node *parse_body(struct parser *p, const char *kw)
{
	struct node *n = parse_list(p, false);

	if (!n) {
		int t = next_token(p);

		unexpected(p, t, t == T_EOF ? kw : NULL);
	}
	return n;
}

static struct node *parse_pipeline(struct parser *p)
{
	int t = next_token(p);
	bool neg = is_kw(p, t, "!");

	if (!neg)
		push_token(p);
	struct node *first = parse_command_node(p);
	struct node **cmds = NULL;
	int n = 1, cap = 0;

	while ((t = next_token(p)) == T_PIPE) {
		if (n >= cap) {
			cap = cap ? cap * 2 : 4;
			struct node **nc = arena_alloc(p->a, sizeof(*nc) * (size_t)cap);

			if (cmds)
				memcpy(nc, cmds, sizeof(*nc) * (size_t)n);
			else
				nc[0] = first;
			cmds = nc;
		}
		skip_newlines(p);
		cmds[n++] = parse_command_node(p);
	}
	push_token(p);
	struct node *res = first;

	if (cmds) {
		res = new_node(p, N_PIPE);
		res->lineno = first->lineno;
		res->u.pipe.cmds = cmds;
		res->u.pipe.n = n;
	}
	if (neg) {
		struct node *not = new_node(p, N_NOT);

		not ->u.sub = res;
		res = not ;
	}
	return res;
}

static struct node *parse_and_or(struct parser *p)
{
	struct node *n = parse_pipeline(p);

	for (;;) {
		int t = next_token(p);

		if (t != T_AND && t != T_OR) {
			push_token(p);
			return n;
		}
		skip_newlines(p);
		n = new_bin(p, t == T_AND ? N_AND : N_OR, n, parse_pipeline(p));
	}
}

/* The delimiter of a here-document: the word's source text with quotes
 * removed (and no expansion); *quoted is set when it had any quoting. */
static char *heredoc_delim(struct parser *p, struct strbuf *raw, bool *quoted)
{
	const char *s = sb_cstr(raw);
	struct strbuf d;
	char q = 0;

	sb_init(&d);
	while (*s == ' ' || *s == '\t')
		s++;
	for (; *s; s++) {
		if (q != '\'' && s[0] == '\\' && s[1] == '\n') {
			s++; /* a line continuation, not quoting */
		} else if (q == '\'' && *s != '\'') {
			sb_putc(&d, *s);
		} else if (*s == '\'' || (*s == '"' && q != '\'')) {
			q = q == *s ? 0 : q ? q : *s;
			*quoted = true;
			if (q && q != *s)
				sb_putc(&d, *s);
		} else if (*s == '\\' && s[1]) {
			*quoted = true;
			if (q == '"' && !strchr("$`\"\\\n", s[1]))
				sb_putc(&d, *s);
			sb_putc(&d, *++s);
		} else {
			sb_putc(&d, *s);
		}
	}
	char *r = arena_strdup(p->a, d.s ? sb_cstr(&d) : "");

	sb_free(&d);
	return r;
}

/* Parses the target of redirection token t and returns the redirection. */
static struct redir *parse_redir(struct parser *p, int t)
{
	struct redir *r = arena_zalloc(p->a, sizeof(*r));
	static const unsigned char types[] = {
		[T_LESS] = R_IN,         [T_GREAT] = R_OUT,      [T_DGREAT] = R_APPEND,
		[T_CLOBBER] = R_CLOBBER, [T_LESSGREAT] = R_RDWR, [T_LESSAND] = R_DUPIN,
		[T_GREATAND] = R_DUPOUT, [T_DLESS] = R_HEREDOC,  [T_DLESSDASH] = R_HEREDOC,
	};

	r->type = types[t];
	r->fd = p->tfd;
	if (r->fd < 0)
		r->fd = (t == T_LESS || t == T_LESSGREAT || t == T_LESSAND || t == T_DLESS ||
			 t == T_DLESSDASH)
				? 0
				: 1;
	p->rawbuf.len = 0;
	p->raw_on = r->type == R_HEREDOC;
	int w = next_token(p);

	p->raw_on = false;
	if (w != T_WORD)
		unexpected(p, w, NULL);
	r->target = p->tword;
	if (r->type == R_HEREDOC) {
		r->here_delim = heredoc_delim(p, &p->rawbuf, &r->here_quoted);
		r->here_strip = t == T_DLESSDASH;
		r->target = NULL;
		struct redir **tail = &p->here;

		while (*tail)
			tail = &(*tail)->here_next;
		*tail = r;
	}
	return r;
}

static void add_redirs(struct parser *p, struct redir ***tail)
{
	for (;;) {
		int t = next_token(p);

		if (t < T_LESS) {
			push_token(p);
			return;
		}
		**tail = parse_redir(p, t);
		*tail = &(**tail)->next;
	}
}

static bool is_assignment(struct word *w)
{
	if (!w->parts || w->parts->type != WP_LIT || w->parts->quoted)
		return false;
	const char *s = w->parts->text;
	size_t n = var_name_len(s);

	return n > 0 && s[n] == '=';
}

static struct node *parse_funcdef(struct parser *p, struct word *name)
{
	char *text = plain_text(name);

	if (next_token(p) != T_RPAREN)
		unexpected(p, p->tok, ")");
	const struct builtin *b = text ? builtin_lookup(text) : NULL;

	if (!text || !var_valid_name(text) || (b && b->special))
		perror_at(p, "Syntax error: Bad function name");
	struct node *n = new_node(p, N_FUNCDEF);

	n->u.func.name = text;
	skip_newlines(p);
	n->u.func.body = parse_command_node(p);
	return n;
}

static struct node *parse_simple(struct parser *p)
{
	struct node *n = new_node(p, N_SIMPLE);
	struct word **at = &n->u.simple.assigns, **ar = &n->u.simple.args;
	struct redir **rt = &n->redirs;
	bool any = false;

	for (;;) {
		int t = next_token(p);

		if (t >= T_LESS) {
			*rt = parse_redir(p, t);
			rt = &(*rt)->next;
		} else if (t == T_WORD) {
			if (!n->u.simple.args && is_assignment(p->tword)) {
				*at = p->tword;
				at = &(*at)->next;
			} else {
				bool first = !n->u.simple.args && !n->u.simple.assigns &&
					     !n->redirs;
				struct word *w = p->tword;

				if (first && peek_token(p) == T_LPAREN) {
					next_token(p);
					return parse_funcdef(p, w);
				}
				*ar = w;
				ar = &(*ar)->next;
			}
		} else {
			if (!any)
				unexpected(p, t, NULL);
			push_token(p);
			break;
		}
		any = true;
	}
	return n;
}

static struct node *parse_if(struct parser *p)
{
	struct node *n = new_node(p, N_IF);

	n->u.cond.cond = parse_body(p, "then");
	expect_kw(p, "then");
	n->u.cond.then = parse_body(p, "fi");
	int t = next_token(p);

	if (is_kw(p, t, "elif")) {
		n->u.cond.els = parse_if(p);
		return n;
	}
	if (is_kw(p, t, "else")) {
		n->u.cond.els = parse_body(p, "fi");
		t = next_token(p);
	}
	if (!is_kw(p, t, "fi"))
		unexpected(p, t, "fi");
	return n;
}

static struct node *parse_while(struct parser *p, int type)
{
	struct node *n = new_node(p, type);

	n->u.cond.cond = parse_body(p, "do");
	expect_kw(p, "do");
	n->u.cond.then = parse_body(p, "done");
	expect_kw(p, "done");
	return n;
}

static struct node *parse_for(struct parser *p)
{
	struct node *n = new_node(p, N_FOR);
	int t = next_token(p);

	if (t != T_WORD || !p->ttext || !var_valid_name(p->ttext))
		perror_at(p, "Syntax error: Bad for loop variable");
	n->u.loop.var = p->ttext;
	skip_newlines(p);
	t = next_token(p);
	if (is_kw(p, t, "in")) {
		struct word **tail = &n->u.loop.words;

		n->for_in = true;
		while ((t = next_token(p)) == T_WORD) {
			*tail = p->tword;
			tail = &(*tail)->next;
		}
		if (t != T_SEMI && t != T_NL)
			unexpected(p, t, "do");
		skip_newlines(p);
	} else if (t == T_SEMI) {
		skip_newlines(p);
	} else {
		push_token(p);
	}
	expect_kw(p, "do");
	n->u.loop.body = parse_body(p, "done");
	expect_kw(p, "done");
	return n;
}

static struct case_item *parse_case_item(struct parser *p, int t)
{
	struct case_item *ci = arena_zalloc(p->a, sizeof(*ci));
	struct word **tail = &ci->patterns;

	if (t == T_LPAREN)
		t = next_token(p);
	for (;;) {
		if (t != T_WORD)
			unexpected(p, t, t == T_EOF ? ")" : NULL);
		*tail = p->tword;
		tail = &(*tail)->next;
		t = next_token(p);
		if (t == T_RPAREN)
			break;
		if (t != T_PIPE)
			unexpected(p, t, ")");
		t = next_token(p);
	}
	ci->body = parse_list(p, false);
	return ci;
}

static struct node *parse_case(struct parser *p)
{
	struct node *n = new_node(p, N_CASE);
	int t = next_token(p);

	if (t != T_WORD)
		unexpected(p, t, NULL);
	n->u.cas.subject = p->tword;
	skip_newlines(p);
	expect_kw(p, "in");
	struct case_item **tail = &n->u.cas.items;

	for (;;) {
		skip_newlines(p);
		t = next_token(p);
		if (is_kw(p, t, "esac"))
			break;
		*tail = parse_case_item(p, t);
		tail = &(*tail)->next;
		t = next_token(p);
		if (is_kw(p, t, "esac"))
			break;
		if (t != T_DSEMI)
			unexpected(p, t, "esac");
	}
	return n;
}

static struct node *parse_compound(struct parser *p, int t, const char *kw)
{
	struct node *n;

	if (t == T_LPAREN) {
		n = new_node(p, N_SUBSHELL);
		n->u.sub = parse_body(p, ")");
		t = next_token(p);
		if (t != T_RPAREN)
			unexpected(p, t, ")");
	} else if (strcmp(kw, "{") == 0) {
		n = new_node(p, N_GROUP);
		n->u.sub = parse_body(p, "}");
		expect_kw(p, "}");
	} else if (strcmp(kw, "if") == 0) {
		n = parse_if(p);
	} else if (strcmp(kw, "while") == 0) {
		n = parse_while(p, N_WHILE);
	} else if (strcmp(kw, "until") == 0) {
		n = parse_while(p, N_UNTIL);
	} else if (strcmp(kw, "for") == 0) {
		n = parse_for(p);
	} else {
		n = parse_case(p);
	}
	struct redir **rt = &n->redirs;

	add_redirs(p, &rt);
	return n;
}

static struct node *parse_command_node(struct parser *p)
{
	int t = next_token(p);
	const char *kw = tok_keyword(p, t);
	struct node *n;

	if (++p->depth > MAX_DEPTH)
		perror_at(p, "Syntax error: nesting too deep");
	if (t == T_LPAREN || (kw && (strcmp(kw, "{") == 0 || strcmp(kw, "if") == 0 ||
				     strcmp(kw, "while") == 0 || strcmp(kw, "until") == 0 ||
				     strcmp(kw, "for") == 0 || strcmp(kw, "case") == 0))) {
		n = parse_compound(p, t, kw);
	} else {
		if (kw || (t != T_WORD && t < T_LESS))
			unexpected(p, t, NULL);
		push_token(p);
		n = parse_simple(p);
	}
	p->depth--;
	return n;
}

/* Parses s as a separate input sharing p's arena and error handling:
 * a command list for `...` (line > 0), a here-document body (line 0), or
 * arithmetic text (line < 0; the result is a word cast to a node). */
static struct node *sub_parse(struct parser *p, const char *s, size_t len, int line)
{
	struct parser sub = *p;
	struct input *in = input_from_string(s, len, line > 0 ? line : p->in->lineno);
	struct node *n = NULL;
	jmp_buf jb;

	sub.in = in;
	sub.npb = 0;
	sub.pushed = false;
	sub.here = NULL;
	sub.jb = &jb;
	sub.raw_on = false;
	sb_init(&sub.rawbuf);
	if (setjmp(jb)) {
		input_free(in);
		sb_free(&sub.rawbuf);
		longjmp(*p->jb, 1);
	}
	if (line <= 0) {
		n = (struct node *)scan_word(&sub, SW_HEREDOC, true, false);
		if (sub.here)
			read_pending_heredocs(&sub);
	} else {
		n = parse_list(&sub, false);
		int t = next_token(&sub);

		if (t != T_EOF)
			unexpected(&sub, t, NULL);
	}
	input_free(in);
	sb_free(&sub.rawbuf);
	return n;
}

static void parser_init(struct parser *p, struct input *in, struct arena *a, jmp_buf *jb,
			struct parse_error *err)
{
	memset(p, 0, sizeof(*p));
	p->in = in;
	p->a = a;
	p->jb = jb;
	p->err = err;
	p->tfd = -1;
}

/* Skips the rest of the current line after a syntax error. */
static void discard_line(struct parser *p)
{
	int c;

	p->npb = 0;
	if (p->in->reader) {
		p->in->pos = p->in->len;
		return;
	}
	while ((c = pgetc(p)) >= 0 && c != '\n')
		;
}

enum parse_result parse_command(struct input *in, struct arena *a, struct node **out,
				struct parse_error *err)
{
	struct parser p;
	jmp_buf jb;

	parser_init(&p, in, a, &jb, err);
	*out = NULL;
	input_new_command(in);
	if (setjmp(jb)) {
		p.raw_on = false;
		sb_free(&p.rawbuf);
		if (p.tok != T_NL)
			discard_line(&p);
		return PARSE_ERROR;
	}
	int t = next_token(&p);

	if (t == T_EOF)
		return PARSE_EOF;
	if (t == T_NL)
		return PARSE_OK;
	push_token(&p);
	*out = parse_list(&p, true);
	t = next_token(&p);
	if (t != T_NL && t != T_EOF)
		unexpected(&p, t, NULL);
	if (p.here)
		read_pending_heredocs(&p);
	sb_free(&p.rawbuf);
	return PARSE_OK;
}

enum parse_result parse_string(const char *s, int lineno, struct arena *a, struct node **out,
			       struct parse_error *err)
{
	struct input *in = input_from_string(s, strlen(s), lineno);
	struct parser p;
	jmp_buf jb;

	parser_init(&p, in, a, &jb, err);
	*out = NULL;
	if (setjmp(jb)) {
		input_free(in);
		sb_free(&p.rawbuf);
		return PARSE_ERROR;
	}
	*out = parse_list(&p, false);
	int t = next_token(&p);

	if (t != T_EOF)
		unexpected(&p, t, NULL);
	input_free(in);
	sb_free(&p.rawbuf);
	return PARSE_OK;
}

struct word *parse_word_text(const char *s, struct arena *a, struct parse_error *err)
{
	struct input *in = input_from_string(s, strlen(s), 1);
	struct parser p;
	jmp_buf jb;

	parser_init(&p, in, a, &jb, err);
	if (setjmp(jb)) {
		input_free(in);
		return NULL;
	}
	struct word *w = scan_word(&p, SW_HEREDOC, true, false);

	if (p.here)
		read_pending_heredocs(&p);
	input_free(in);
	sb_free(&p.rawbuf);
	return w;
}
