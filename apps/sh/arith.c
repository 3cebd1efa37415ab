/*
 * arith.c - evaluation of $((...)): the POSIX operator set over intmax_t
 * with C precedence, variables read and assigned through callbacks, and
 * dash's error messages.  Overflow wraps (computed in unsigned), shifts
 * use the count modulo 64, and the untaken side of && || ?: is parsed
 * without effects or errors.
 */
#define _DEFAULT_SOURCE 1
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sh.h"

#define ARITH_DEPTH 200

struct actx {
	const char *expr;
	const char *p;
	const struct arith_ops *ops;
	int noeval;
	int depth;
	char *err;
	size_t errlen;
	bool failed;
};

static intmax_t a_assign(struct actx *a);

static void a_fail(struct actx *a, const char *msg)
{
	if (!a->failed)
		snprintf(a->err, a->errlen, "arithmetic expression: %s: \"%s\"", msg, a->expr);
	a->failed = true;
}

static void skip_ws(struct actx *a)
{
	while (*a->p == ' ' || *a->p == '\t' || *a->p == '\n')
		a->p++;
}

static bool name_start(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Parses an integer constant as strtoimax does with base 0: decimal,
 * 0 octal, 0x hex; saturates.  Returns the end. */
static const char *parse_number(const char *s, intmax_t *v)
{
	char *end;

	errno = 0;
	*v = strtoimax(s, &end, 0);
	return end;
}

/* A variable's numeric value; empty or unset is 0. */
static intmax_t var_value(struct actx *a, const char *name)
{
	const char *s = a->ops->get(a->ops->ctx, name);
	intmax_t v;

	if (!s || !*s)
		return 0;
	const char *e = parse_number(s, &v);

	while (*e == ' ' || *e == '\t' || *e == '\n')
		e++;
	if (e == s || *e) {
		if (!a->failed && !a->noeval)
			snprintf(a->err, a->errlen, "Illegal number: %s", s);
		if (!a->noeval)
			a->failed = true;
		return 0;
	}
	return v;
}

static intmax_t a_primary(struct actx *a)
{
	skip_ws(a);
	if (*a->p == '(') {
		a->p++;
		intmax_t v = a_assign(a);

		skip_ws(a);
		if (*a->p != ')')
			a_fail(a, "expecting ')'");
		else
			a->p++;
		return v;
	}
	if (*a->p >= '0' && *a->p <= '9') {
		intmax_t v;

		a->p = parse_number(a->p, &v);
		return v;
	}
	if (name_start(*a->p)) {
		char name[256];
		size_t n = 0;

		while (name_start(*a->p) || (*a->p >= '0' && *a->p <= '9')) {
			if (n < sizeof(name) - 1)
				name[n++] = *a->p;
			a->p++;
		}
		name[n] = '\0';
		return var_value(a, name);
	}
	a_fail(a, "expecting primary");
	return 0;
}

static intmax_t a_unary(struct actx *a)
{
	skip_ws(a);
	char c = *a->p;

	if (c == '+' || c == '-' || c == '~' || c == '!') {
		if (++a->depth > ARITH_DEPTH) {
			a_fail(a, "expression too deep");
			return 0;
		}
		a->p++;
		intmax_t v = a_unary(a);

		a->depth--;
		if (c == '-')
			return (intmax_t)(0 - (uintmax_t)v);
		if (c == '~')
			return ~v;
		if (c == '!')
			return !v;
		return v;
	}
	return a_primary(a);
}

struct binop {
	const char *text;
	int prec;
};

/* Binary operators by precedence (higher binds tighter), two-character
 * operators first so that the longest match wins. */
static const struct binop binops[] = {
	{ "||", 1 }, { "&&", 2 }, { "==", 6 }, { "!=", 6 }, { "<=", 7 }, { ">=", 7 },
	{ "<<", 8 }, { ">>", 8 }, { "|", 3 },  { "^", 4 },  { "&", 5 },  { "<", 7 },
	{ ">", 7 },  { "+", 9 },  { "-", 9 },  { "*", 10 }, { "/", 10 }, { "%", 10 },
};

/* The binary operator at p, or -1 (also for an assignment operator). */
static int peek_binop(const char *p)
{
	for (size_t i = 0; i < sizeof(binops) / sizeof(binops[0]); i++) {
		const char *t = binops[i].text;
		size_t n = strlen(t);

		if (strncmp(p, t, n) != 0)
			continue;
		bool compare = t[1] == '=';
		bool logical = n == 2 && t[0] == t[1] && (t[0] == '|' || t[0] == '&');

		if (!compare && !logical && p[n] == '=')
			return -1;
		return (int)i;
	}
	return -1;
}

/* Applies a non-short-circuit binary operator. */
static intmax_t apply(struct actx *a, const char *op, intmax_t l, intmax_t r)
{
	uintmax_t ul = (uintmax_t)l, ur = (uintmax_t)r;

	switch (op[0]) {
	case '|':
		return l | r;
	case '^':
		return l ^ r;
	case '&':
		return l & r;
	case '=':
		return l == r;
	case '!':
		return l != r;
	case '+':
		return (intmax_t)(ul + ur);
	case '-':
		return (intmax_t)(ul - ur);
	case '*':
		return (intmax_t)(ul * ur);
	case '<':
		if (op[1] == '<')
			return (intmax_t)(ul << (r & 63));
		return op[1] == '=' ? l <= r : l < r;
	case '>':
		if (op[1] == '>')
			return l >> (r & 63);
		return op[1] == '=' ? l >= r : l > r;
	default:
		break;
	}
	if (r == 0) {
		if (!a->noeval)
			a_fail(a, "division by zero");
		return 0;
	}
	if (l == INTMAX_MIN && r == -1)
		return op[0] == '/' ? INTMAX_MAX : 0;
	return op[0] == '/' ? l / r : l % r;
}

static intmax_t a_binary(struct actx *a, int minprec)
{
	intmax_t l = a_unary(a);

	for (;;) {
		skip_ws(a);
		int i = peek_binop(a->p);

		if (i < 0 || binops[i].prec < minprec || a->failed)
			return l;
		const char *op = binops[i].text;

		a->p += strlen(op);
		if (op[0] == '&' && op[1] == '&') {
			a->noeval += !l;
			intmax_t r = a_binary(a, binops[i].prec + 1);

			a->noeval -= !l;
			l = l && r;
		} else if (op[0] == '|' && op[1] == '|') {
			a->noeval += !!l;
			intmax_t r = a_binary(a, binops[i].prec + 1);

			a->noeval -= !!l;
			l = l || r;
		} else {
			intmax_t r = a_binary(a, binops[i].prec + 1);

			l = apply(a, op, l, r);
		}
	}
}

static intmax_t a_ternary(struct actx *a)
{
	intmax_t c = a_binary(a, 1);

	skip_ws(a);
	if (*a->p != '?' || a->failed)
		return c;
	a->p++;
	a->noeval += !c;
	intmax_t t = a_assign(a);

	a->noeval -= !c;
	skip_ws(a);
	if (*a->p != ':') {
		a_fail(a, "expecting ':'");
		return 0;
	}
	a->p++;
	a->noeval += !!c;
	intmax_t f = a_ternary(a);

	a->noeval -= !!c;
	return c ? t : f;
}

/* Recognises NAME op= at p: returns the operator length (1 for '='). */
static size_t assign_op(const char *p, char *opbuf)
{
	static const char *const ops[] = { "<<=", ">>=", "*=", "/=", "%=", "+=",
					   "-=",  "&=",  "^=", "|=", "=" };

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i]);

		if (strncmp(p, ops[i], n) == 0 && !(n == 1 && p[1] == '=')) {
			memcpy(opbuf, ops[i], n - 1);
			opbuf[n - 1] = '\0';
			return n;
		}
	}
	return 0;
}

static intmax_t a_assign(struct actx *a)
{
	skip_ws(a);
	const char *save = a->p;

	if (++a->depth > ARITH_DEPTH) {
		a_fail(a, "expression too deep");
		return 0;
	}
	if (name_start(*a->p)) {
		char name[256], op[4];
		size_t n = 0;

		while (name_start(*a->p) || (*a->p >= '0' && *a->p <= '9')) {
			if (n < sizeof(name) - 1)
				name[n++] = *a->p;
			a->p++;
		}
		name[n] = '\0';
		skip_ws(a);
		size_t len = assign_op(a->p, op);

		if (len) {
			a->p += len;
			intmax_t r = a_assign(a);

			if (op[0])
				r = apply(a, op, var_value(a, name), r);
			if (!a->noeval && !a->failed) {
				char buf[32];

				snprintf(buf, sizeof(buf), "%jd", r);
				if (!a->ops->set(a->ops->ctx, name, buf))
					a->failed = true;
			}
			a->depth--;
			return r;
		}
		a->p = save;
	}
	intmax_t v = a_ternary(a);

	a->depth--;
	return v;
}

int arith_eval(const char *expr, const struct arith_ops *ops, intmax_t *result, char *err,
	       size_t errlen)
{
	struct actx a;

	memset(&a, 0, sizeof(a));
	a.expr = expr;
	a.p = expr;
	a.ops = ops;
	a.err = err;
	a.errlen = errlen;
	err[0] = '\0';
	*result = a_assign(&a);
	skip_ws(&a);
	if (!a.failed && *a.p)
		a_fail(&a, "expecting EOF");
	return a.failed ? -1 : 0;
}
