/*
 * serial.c - the byte encoding of trees and of shell state.
 *
 * A child shell receives on a descriptor everything a forked subshell
 * would have inherited: options, $0 and the positional parameters, $? $$ $!,
 * every variable with its flags (values are length-prefixed, so any byte
 * but NUL survives), every function's tree, the ignored traps, and the tree
 * to run.  The same tree encoding copies function bodies out of a command
 * line's arena.  Decoding is one bounds-checked pass that validates every
 * field the executor relies on; it is fuzzed.
 *
 * Format: integers are LEB128 (signed ones zigzag); a string is its length
 * plus one (0 for NULL) followed by the bytes; a node is its type plus one
 * (0 for NULL) followed by its fields in the order written below.
 */
#define _DEFAULT_SOURCE 1
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

#define STATE_MAGIC "KSH\001"
#define STATE_END "END\001"
#define MAX_DEPTH 1000

/* --- encoding --- */

static void put_u(struct strbuf *b, uint64_t v)
{
	do {
		unsigned char c = v & 0x7f;

		v >>= 7;
		if (v)
			c |= 0x80;
		sb_putc(b, (char)c);
	} while (v);
}

static void put_i(struct strbuf *b, int64_t v)
{
	put_u(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void put_s(struct strbuf *b, const char *s)
{
	if (!s) {
		put_u(b, 0);
		return;
	}
	size_t n = strlen(s);

	put_u(b, n + 1);
	sb_put(b, s, n);
}

static void put_word(struct strbuf *b, const struct word *w);

static void put_part(struct strbuf *b, const struct wpart *p)
{
	put_u(b, p->type);
	put_u(b, (unsigned)p->quoted | (unsigned)p->colon << 1);
	put_u(b, p->op);
	put_s(b, p->text);
	put_word(b, p->arg);
	serial_node(b, p->cmd);
}

/* A word is 0 for NULL, else the part count plus one and the parts. */
static void put_word(struct strbuf *b, const struct word *w)
{
	size_t n = 0;

	if (!w) {
		put_u(b, 0);
		return;
	}
	for (const struct wpart *p = w->parts; p; p = p->next)
		n++;
	put_u(b, n + 1);
	for (const struct wpart *p = w->parts; p; p = p->next)
		put_part(b, p);
}

static void put_words(struct strbuf *b, const struct word *w)
{
	size_t n = 0;

	for (const struct word *x = w; x; x = x->next)
		n++;
	put_u(b, n);
	for (; w; w = w->next)
		put_word(b, w);
}

static void put_redirs(struct strbuf *b, const struct redir *r)
{
	size_t n = 0;

	for (const struct redir *x = r; x; x = x->next)
		n++;
	put_u(b, n);
	for (; r; r = r->next) {
		put_u(b, r->type);
		put_u(b, (unsigned)r->here_quoted | (unsigned)r->here_strip << 1);
		put_i(b, r->fd);
		put_word(b, r->target);
	}
}

static void put_body(struct strbuf *b, const struct node *n)
{
	switch (n->type) {
	case N_SIMPLE:
		put_words(b, n->u.simple.assigns);
		put_words(b, n->u.simple.args);
		break;
	case N_PIPE:
		put_u(b, (uint64_t)n->u.pipe.n);
		for (int i = 0; i < n->u.pipe.n; i++)
			serial_node(b, n->u.pipe.cmds[i]);
		break;
	case N_AND:
	case N_OR:
	case N_SEQ:
		serial_node(b, n->u.bin.left);
		serial_node(b, n->u.bin.right);
		break;
	case N_BG:
	case N_NOT:
	case N_SUBSHELL:
	case N_GROUP:
		serial_node(b, n->u.sub);
		break;
	case N_IF:
	case N_WHILE:
	case N_UNTIL:
		serial_node(b, n->u.cond.cond);
		serial_node(b, n->u.cond.then);
		serial_node(b, n->u.cond.els);
		break;
	case N_FOR:
		put_s(b, n->u.loop.var);
		put_words(b, n->u.loop.words);
		serial_node(b, n->u.loop.body);
		break;
	case N_CASE: {
		size_t c = 0;

		put_word(b, n->u.cas.subject);
		for (const struct case_item *ci = n->u.cas.items; ci; ci = ci->next)
			c++;
		put_u(b, c);
		for (const struct case_item *ci = n->u.cas.items; ci; ci = ci->next) {
			put_words(b, ci->patterns);
			serial_node(b, ci->body);
		}
		break;
	}
	case N_FUNCDEF:
		put_s(b, n->u.func.name);
		serial_node(b, n->u.func.body);
		break;
	}
}

void serial_node(struct strbuf *b, const struct node *n)
{
	if (!n) {
		put_u(b, 0);
		return;
	}
	put_u(b, (uint64_t)n->type + 1);
	put_i(b, n->lineno);
	put_u(b, n->for_in);
	put_redirs(b, n->redirs);
	put_body(b, n);
}

/* --- decoding --- */

struct dec {
	const unsigned char *p, *end;
	struct arena *a;
	int depth;
	bool bad;
};

static uint64_t get_u(struct dec *d)
{
	uint64_t v = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		if (d->p >= d->end) {
			d->bad = true;
			return 0;
		}
		unsigned char c = *d->p++;

		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	d->bad = true;
	return 0;
}

static int64_t get_i(struct dec *d)
{
	uint64_t u = get_u(d);

	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* An int field: must fit in int. */
static int get_int(struct dec *d)
{
	int64_t v = get_i(d);

	if (v < -2147483647 || v > 2147483647)
		d->bad = true;
	return d->bad ? 0 : (int)v;
}

static char *get_s(struct dec *d)
{
	uint64_t n = get_u(d);

	if (d->bad || n == 0)
		return NULL;
	n--;
	if (n > (uint64_t)(d->end - d->p)) {
		d->bad = true;
		return NULL;
	}
	char *s = arena_strndup(d->a, (const char *)d->p, (size_t)n);

	d->p += n;
	return s;
}

/* A count of following items, each at least one byte long. */
static size_t get_count(struct dec *d)
{
	uint64_t n = get_u(d);

	if (n > (uint64_t)(d->end - d->p))
		d->bad = true;
	return d->bad ? 0 : (size_t)n;
}

static struct node *get_node(struct dec *d);
static struct word *get_word(struct dec *d);

static bool part_valid(const struct wpart *p)
{
	if (p->type > WP_ARITH || p->op > POP_BAD)
		return false;
	if ((p->type == WP_LIT || p->type == WP_PARAM) && !p->text)
		return false;
	if (p->type == WP_PARAM && p->op >= POP_DEFAULT && p->op <= POP_LLARGE && !p->arg)
		return false;
	return true;
}

static struct wpart *get_part(struct dec *d)
{
	struct wpart *p = arena_zalloc(d->a, sizeof(*p));
	uint64_t type = get_u(d), flags = get_u(d), op = get_u(d);

	p->type = (unsigned char)(type > 255 ? 255 : type);
	p->quoted = flags & 1;
	p->colon = (flags >> 1) & 1;
	p->op = (unsigned char)(op > 255 ? 255 : op);
	p->text = get_s(d);
	p->arg = get_word(d);
	p->cmd = get_node(d);
	if (!d->bad && !part_valid(p))
		d->bad = true;
	return p;
}

static struct word *get_word(struct dec *d)
{
	uint64_t n = get_u(d);

	if (d->bad || n == 0)
		return NULL;
	if (n - 1 > (uint64_t)(d->end - d->p) || ++d->depth > MAX_DEPTH) {
		d->bad = true;
		return NULL;
	}
	struct word *w = arena_zalloc(d->a, sizeof(*w));
	struct wpart **tail = &w->parts;

	for (uint64_t i = 0; i + 1 < n && !d->bad; i++) {
		*tail = get_part(d);
		tail = &(*tail)->next;
	}
	d->depth--;
	return w;
}

static struct word *get_words(struct dec *d)
{
	size_t n = get_count(d);
	struct word *head = NULL, **tail = &head;

	for (size_t i = 0; i < n && !d->bad; i++) {
		struct word *w = get_word(d);

		if (!w) {
			d->bad = true;
			break;
		}
		*tail = w;
		tail = &w->next;
	}
	return head;
}

static struct redir *get_redirs(struct dec *d)
{
	size_t n = get_count(d);
	struct redir *head = NULL, **tail = &head;

	for (size_t i = 0; i < n && !d->bad; i++) {
		struct redir *r = arena_zalloc(d->a, sizeof(*r));
		uint64_t type = get_u(d), flags = get_u(d);

		r->type = (unsigned char)(type > R_HEREDOC ? 255 : type);
		r->here_quoted = flags & 1;
		r->here_strip = (flags >> 1) & 1;
		r->fd = get_int(d);
		r->target = get_word(d);
		if (type > R_HEREDOC || r->fd < 0 || !r->target ||
		    (r->here_quoted && (!r->target->parts || r->target->parts->type != WP_LIT)))
			d->bad = true;
		*tail = r;
		tail = &r->next;
	}
	return head;
}

static bool assign_valid(const struct word *w)
{
	const struct wpart *p = w->parts;

	if (!p || p->type != WP_LIT || p->quoted)
		return false;
	size_t n = var_name_len(p->text);

	return n > 0 && p->text[n] == '=';
}

static void get_simple(struct dec *d, struct node *n)
{
	n->u.simple.assigns = get_words(d);
	n->u.simple.args = get_words(d);
	for (struct word *w = n->u.simple.assigns; w && !d->bad; w = w->next)
		if (!assign_valid(w))
			d->bad = true;
}

static void get_pipe(struct dec *d, struct node *n)
{
	size_t c = get_count(d);

	if (c == 0 || d->bad) {
		d->bad = true;
		return;
	}
	n->u.pipe.n = (int)c;
	n->u.pipe.cmds = arena_alloc(d->a, sizeof(*n->u.pipe.cmds) * c);
	for (size_t i = 0; i < c; i++) {
		n->u.pipe.cmds[i] = d->bad ? NULL : get_node(d);
		if (!n->u.pipe.cmds[i])
			d->bad = true;
	}
}

static void get_case(struct dec *d, struct node *n)
{
	n->u.cas.subject = get_word(d);
	if (!n->u.cas.subject)
		d->bad = true;
	size_t c = get_count(d);
	struct case_item **tail = &n->u.cas.items;

	for (size_t i = 0; i < c && !d->bad; i++) {
		struct case_item *ci = arena_zalloc(d->a, sizeof(*ci));

		ci->patterns = get_words(d);
		ci->body = get_node(d);
		*tail = ci;
		tail = &ci->next;
	}
}

static void get_body(struct dec *d, struct node *n)
{
	switch (n->type) {
	case N_SIMPLE:
		get_simple(d, n);
		break;
	case N_PIPE:
		get_pipe(d, n);
		break;
	case N_AND:
	case N_OR:
	case N_SEQ:
		n->u.bin.left = get_node(d);
		n->u.bin.right = get_node(d);
		break;
	case N_BG:
	case N_NOT:
	case N_SUBSHELL:
	case N_GROUP:
		n->u.sub = get_node(d);
		if ((n->type == N_BG || n->type == N_NOT) && !n->u.sub)
			d->bad = true;
		break;
	case N_IF:
	case N_WHILE:
	case N_UNTIL:
		n->u.cond.cond = get_node(d);
		n->u.cond.then = get_node(d);
		n->u.cond.els = get_node(d);
		break;
	case N_FOR:
		n->u.loop.var = get_s(d);
		n->u.loop.words = get_words(d);
		n->u.loop.body = get_node(d);
		if (!n->u.loop.var || !var_valid_name(n->u.loop.var))
			d->bad = true;
		break;
	case N_CASE:
		get_case(d, n);
		break;
	case N_FUNCDEF:
		n->u.func.name = get_s(d);
		n->u.func.body = get_node(d);
		if (!n->u.func.name || !var_valid_name(n->u.func.name))
			d->bad = true;
		break;
	}
}

static struct node *get_node(struct dec *d)
{
	uint64_t t = get_u(d);

	if (d->bad || t == 0)
		return NULL;
	if (t > N_TYPE_COUNT - 1 + 1 || ++d->depth > MAX_DEPTH) {
		d->bad = true;
		return NULL;
	}
	struct node *n = arena_zalloc(d->a, sizeof(*n));

	n->type = (unsigned char)(t - 1);
	n->lineno = get_int(d);
	n->for_in = get_u(d) != 0;
	n->redirs = get_redirs(d);
	if (!d->bad)
		get_body(d, n);
	d->depth--;
	return n;
}

struct node *deserial_node(const char *buf, size_t len, struct arena *a, const char **err)
{
	struct dec d = { (const unsigned char *)buf, (const unsigned char *)buf + len, a, 0,
			 false };
	struct node *n = get_node(&d);

	if (!d.bad && d.p != d.end)
		d.bad = true;
	if (d.bad) {
		*err = "malformed tree";
		return NULL;
	}
	*err = NULL;
	return n;
}

struct node *node_copy(const struct node *n, struct arena *a)
{
	struct strbuf b;
	const char *err;

	sb_init(&b);
	serial_node(&b, n);
	struct node *copy = deserial_node(b.s, b.len, a, &err);

	sb_free(&b);
	return copy;
}

/* --- shell state --- */

void serial_state(struct shell *sh, struct node *n, struct strbuf *b)
{
	sb_put(b, STATE_MAGIC, 4);
	for (int i = 0; i < OPT_COUNT; i++)
		put_u(b, sh->opt[i]);
	put_s(b, sh->arg0);
	put_u(b, (uint64_t)sh->nparams);
	for (int i = 0; i < sh->nparams; i++)
		put_s(b, sh->params[i]);
	put_i(b, sh->status);
	put_i(b, sh->rootpid);
	put_i(b, sh->lastbg);
	put_i(b, sh->ppid);
	put_i(b, sh->lineno);
	put_i(b, sh->loopnest);
	put_i(b, sh->funcnest);
	size_t nv = 0;
	struct arena_mark m = arena_mark(&sh->scratch);
	struct var **vars = var_sorted(sh, &sh->scratch, &nv);

	put_u(b, nv);
	for (size_t i = 0; i < nv; i++) {
		put_s(b, vars[i]->name);
		put_s(b, vars[i]->value);
		put_u(b, vars[i]->flags);
	}
	arena_release(&sh->scratch, m);
	size_t nf = 0;

	for (struct func *f = sh->funcs; f; f = f->next)
		nf++;
	put_u(b, nf);
	for (struct func *f = sh->funcs; f; f = f->next) {
		put_s(b, f->name);
		serial_node(b, f->body);
	}
	for (int sig = 1; sig < 65; sig++)
		if (sh->traps[sig] && !sh->traps[sig][0])
			put_u(b, (uint64_t)sig);
	put_u(b, 0);
	serial_node(b, n);
	sb_put(b, STATE_END, 4);
}

bool serial_complete(const char *buf, size_t len)
{
	return len >= 8 && memcmp(buf + len - 4, STATE_END, 4) == 0;
}

static void restore_params(struct shell *sh, struct dec *d)
{
	size_t n = get_count(d);
	char **p = xmalloc(sizeof(*p) * (n + 1));

	for (size_t i = 0; i < n; i++) {
		char *s = get_s(d);

		p[i] = xstrdup(s ? s : "");
	}
	p[n] = NULL;
	params_free(sh->params);
	sh->params = p;
	sh->nparams = (int)n;
}

static void restore_vars(struct shell *sh, struct dec *d)
{
	size_t n = get_count(d);

	for (size_t i = 0; i < n && !d->bad; i++) {
		char *name = get_s(d), *value = get_s(d);
		unsigned flags = (unsigned)get_u(d) & (V_EXPORT | V_READONLY);

		if (d->bad || !name || !var_valid_name(name)) {
			d->bad = true;
			break;
		}
		struct var *v = var_lookup(sh, name);

		if (v)
			v->flags &= ~V_READONLY;
		if (value)
			var_set(sh, name, value, 0);
		else
			var_set(sh, name, NULL, 0);
		v = var_lookup(sh, name);
		if (!value && v) {
			free(v->value);
			v->value = NULL;
		}
		v->flags = flags;
	}
}

static void restore_funcs(struct shell *sh, struct dec *d)
{
	size_t n = get_count(d);

	for (size_t i = 0; i < n && !d->bad; i++) {
		char *name = get_s(d);
		struct node *body = get_node(d);

		if (d->bad || !name || !var_valid_name(name)) {
			d->bad = true;
			break;
		}
		func_define(sh, name, body);
	}
}

struct node *deserial_state(struct shell *sh, const char *buf, size_t len, struct arena *a,
			    const char **err)
{
	struct dec d = { (const unsigned char *)buf, (const unsigned char *)buf + len, a, 0,
			 false };

	*err = "malformed state";
	if (len < 8 || memcmp(buf, STATE_MAGIC, 4) != 0 || !serial_complete(buf, len))
		return NULL;
	d.p += 4;
	d.end -= 4;
	for (int i = 0; i < OPT_COUNT; i++)
		sh->opt[i] = get_u(&d) != 0;
	char *arg0 = get_s(&d);

	free(sh->arg0);
	sh->arg0 = xstrdup(arg0 ? arg0 : "sh");
	restore_params(sh, &d);
	sh->status = get_int(&d) & 0xff;
	sh->rootpid = get_int(&d);
	sh->lastbg = get_int(&d);
	sh->ppid = get_int(&d);
	sh->lineno = get_int(&d);
	sh->loopnest = get_int(&d);
	sh->funcnest = get_int(&d);
	restore_vars(sh, &d);
	restore_funcs(sh, &d);
	for (uint64_t sig; !d.bad && (sig = get_u(&d)) != 0;) {
		if (sig >= 65) {
			d.bad = true;
			break;
		}
		free(sh->traps[sig]);
		sh->traps[sig] = xstrdup("");
	}
	struct node *n = d.bad ? NULL : get_node(&d);

	if (d.bad || d.p != d.end)
		return NULL;
	*err = NULL;
	return n;
}
