/*
 * regex_guard.c - refuses regular expressions whose repetitions would make
 * regcomp build an enormous automaton ("(a{255}){255}", "a++++++++...").
 * C libraries expand bounded and stacked repetitions by copying the
 * repeated part, so the cost of a pattern is estimated as the number of
 * atoms after that copying; patterns above REGEX_GUARD_LIMIT are refused
 * before regcomp sees them. The scan is one bounded pass over the text.
 */
#include "toolbox.h"

#include <string.h>

enum { REGEX_GUARD_LIMIT = 20000, REGEX_GUARD_DEPTH = 64 };

struct rg_frame {
	unsigned long sum, last;
};

static unsigned long rg_mul(unsigned long a, unsigned long b)
{
	return a > REGEX_GUARD_LIMIT || b > REGEX_GUARD_LIMIT ? REGEX_GUARD_LIMIT + 1 : a * b;
}

/* Length of the bracket expression at s ('[' ... ']'), or 1 if unclosed. */
static size_t rg_bracket(const char *s)
{
	size_t i = 1;

	if (s[i] == '^')
		i++;
	if (s[i] == ']')
		i++;
	for (; s[i] && s[i] != ']'; i++) {
		if (s[i] == '[' && (s[i + 1] == ':' || s[i + 1] == '.' || s[i + 1] == '=')) {
			const char *end = strchr(s + i + 2, s[i + 1]);
			if (end && end[1] == ']')
				i = (size_t)(end - s) + 1;
		}
	}
	return s[i] == ']' ? i + 1 : 1;
}

/* The factor of an interval "{m[,[n]]}" at s (after the brace), its
 * length in *len; 0 when it is not a well-formed interval. */
static unsigned long rg_interval(const char *s, bool extended, size_t *len)
{
	unsigned long m = 0, n = 0;
	size_t i = 0;
	bool comma = false, digits = false;

	for (; s[i] >= '0' && s[i] <= '9'; i++, digits = true)
		m = m < 100000 ? m * 10 + (unsigned long)(s[i] - '0') : m;
	if (s[i] == ',') {
		comma = true;
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			n = n < 100000 ? n * 10 + (unsigned long)(s[i] - '0') : n;
	}
	if (!digits)
		return 0;
	if (extended ? s[i] != '}' : (s[i] != '\\' || s[i + 1] != '}'))
		return 0;
	*len = i + (extended ? 1 : 2);
	return (comma && n > m ? n : m) + 1;
}

/* True when the pattern's estimated size is acceptable. */
bool regex_guard(const char *re, bool extended)
{
	struct rg_frame f[REGEX_GUARD_DEPTH + 1] = { { 0, 0 } };
	int d = 0;
	size_t len;

	for (const char *s = re; *s;) {
		unsigned long factor = 0;
		bool esc = *s == '\\' && s[1];
		char c = esc ? s[1] : *s;
		size_t step = esc ? 2 : 1;
		bool open = extended ? !esc && c == '(' : esc && c == '(';
		bool close = (extended ? !esc && c == ')' : esc && c == ')') && d > 0;
		bool alt = extended ? !esc && c == '|' : esc && c == '|';
		if ((!esc && (c == '*' || (extended && (c == '+' || c == '?')))) ||
		    (esc && !extended && (c == '+' || c == '?')))
			factor = 2;
		else if (c == '{' && esc != extended &&
			 (factor = rg_interval(s + step, extended, &len)))
			step += len;
		if (factor) {
			f[d].last = rg_mul(f[d].last ? f[d].last : 1, factor);
		} else if (open) {
			if (d == REGEX_GUARD_DEPTH)
				return false;
			f[d].sum += f[d].last;
			f[d].last = 0;
			f[++d] = (struct rg_frame){ 0, 0 };
		} else if (close) {
			unsigned long cost = f[d].sum + f[d].last;
			d--;
			f[d].last = cost ? cost : 1;
		} else if (alt) {
			f[d].sum += f[d].last;
			f[d].last = 0;
		} else {
			f[d].sum += f[d].last;
			f[d].last = 1;
			if (!esc && c == '[')
				step = rg_bracket(s);
		}
		if (f[d].sum > REGEX_GUARD_LIMIT || f[d].last > REGEX_GUARD_LIMIT)
			return false;
		s += step;
	}
	unsigned long total = 0;
	for (int i = 0; i <= d; i++)
		total += f[i].sum + f[i].last;
	return total <= REGEX_GUARD_LIMIT;
}
