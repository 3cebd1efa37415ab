/*
 * var.c - shell variables, `local` frames, positional parameters and the
 * option table.
 *
 * Variables live in a small hash table of malloc'd entries.  A variable
 * may exist without a value (declared export or readonly but unset).
 * `local` saves the previous state on sh->locals; a function's return pops
 * back to the mark taken at its call.
 */
#define _DEFAULT_SOURCE 1
#include <stdlib.h>
#include <string.h>

#include "sh.h"

static const struct {
	char letter;
	const char *name;
} options[OPT_COUNT] = {
	[OPT_e] = { 'e', "errexit" },   [OPT_f] = { 'f', "noglob" },
	[OPT_I] = { 'I', "ignoreeof" }, [OPT_i] = { 'i', "interactive" },
	[OPT_m] = { 'm', "monitor" },   [OPT_n] = { 'n', "noexec" },
	[OPT_s] = { 's', "stdin" },     [OPT_x] = { 'x', "xtrace" },
	[OPT_v] = { 'v', "verbose" },   [OPT_V] = { 'V', "vi" },
	[OPT_E] = { 'E', "emacs" },     [OPT_C] = { 'C', "noclobber" },
	[OPT_a] = { 'a', "allexport" }, [OPT_b] = { 'b', "notify" },
	[OPT_u] = { 'u', "nounset" },   [OPT_p] = { 'p', "privileged" },
	[OPT_nolog] = { 0, "nolog" },   [OPT_debug] = { 0, "debug" },
};

char opt_letter(int i)
{
	return options[i].letter;
}

const char *opt_name(int i)
{
	return options[i].name;
}

int opt_by_letter(int c)
{
	for (int i = 0; i < OPT_COUNT; i++)
		if (options[i].letter == c && c)
			return i;
	return -1;
}

int opt_by_name(const char *name)
{
	for (int i = 0; i < OPT_COUNT; i++)
		if (strcmp(options[i].name, name) == 0)
			return i;
	return -1;
}

/* $-: the set option letters, last option first as dash prints them. */
char *opt_string(struct shell *sh, char *buf)
{
	char *p = buf;

	for (int i = OPT_COUNT - 1; i >= 0; i--)
		if (sh->opt[i] && options[i].letter)
			*p++ = options[i].letter;
	*p = '\0';
	return buf;
}

static unsigned hash(const char *s)
{
	unsigned h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % VAR_BUCKETS;
}

size_t var_name_len(const char *s)
{
	size_t n = 0;

	if (!(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	while (s[n] == '_' || (s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
	       (s[n] >= '0' && s[n] <= '9'))
		n++;
	return n;
}

bool var_valid_name(const char *s)
{
	size_t n = var_name_len(s);

	return n > 0 && s[n] == '\0';
}

struct var *var_lookup(struct shell *sh, const char *name)
{
	for (struct var *v = sh->vars[hash(name)]; v; v = v->next)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

const char *var_get(struct shell *sh, const char *name)
{
	struct var *v = var_lookup(sh, name);

	return v ? v->value : NULL;
}

static struct var *var_create(struct shell *sh, const char *name)
{
	struct var *v = xmalloc(sizeof(*v));
	unsigned h = hash(name);

	v->name = xstrdup(name);
	v->value = NULL;
	v->flags = 0;
	v->next = sh->vars[h];
	sh->vars[h] = v;
	return v;
}

/* Sets name to value (NULL keeps the value) and adds flags. */
bool var_set(struct shell *sh, const char *name, const char *value, unsigned flags)
{
	struct var *v = var_lookup(sh, name);

	if (v && (v->flags & V_READONLY) && value) {
		sh_warn(sh, "%s: is read only", name);
		return false;
	}
	if (value && sh->max_value && strlen(value) > sh->max_value)
		sh_error(sh, "%s: value too long", name); /* unwinds: a loop ends too */
	if (!v)
		v = var_create(sh, name);
	if (value) {
		char *copy = xstrdup(value);

		free(v->value);
		v->value = copy;
		if (sh->opt[OPT_a])
			flags |= V_EXPORT;
	}
	v->flags |= flags;
	var_changed(sh, name);
	return true;
}

/* As var_set, but a read-only variable is an error that unwinds. */
void var_set_or_raise(struct shell *sh, const char *name, const char *value, unsigned flags)
{
	struct var *v = var_lookup(sh, name);

	if (v && (v->flags & V_READONLY) && value)
		sh_error(sh, "%s: is read only", name);
	var_set(sh, name, value, flags);
}

/* Removes a variable; false when it is read-only. */
bool var_unset(struct shell *sh, const char *name)
{
	struct var **pp = &sh->vars[hash(name)];

	for (; *pp; pp = &(*pp)->next) {
		struct var *v = *pp;

		if (strcmp(v->name, name) != 0)
			continue;
		if (v->flags & V_READONLY)
			return false;
		*pp = v->next;
		free(v->name);
		free(v->value);
		free(v);
		var_changed(sh, name);
		return true;
	}
	return true;
}

void var_each(struct shell *sh, void (*fn)(struct shell *, struct var *, void *), void *ctx)
{
	for (int i = 0; i < VAR_BUCKETS; i++)
		for (struct var *v = sh->vars[i]; v; v = v->next)
			fn(sh, v, ctx);
}

static int cmp_var(const void *a, const void *b)
{
	return strcmp((*(struct var *const *)a)->name, (*(struct var *const *)b)->name);
}

/* All variables sorted by name, in arena a. */
struct var **var_sorted(struct shell *sh, struct arena *a, size_t *n)
{
	size_t count = 0, i = 0;

	for (int b = 0; b < VAR_BUCKETS; b++)
		for (struct var *v = sh->vars[b]; v; v = v->next)
			count++;
	struct var **list = arena_alloc(a, sizeof(*list) * (count + 1));

	for (int b = 0; b < VAR_BUCKETS; b++)
		for (struct var *v = sh->vars[b]; v; v = v->next)
			list[i++] = v;
	qsort(list, count, sizeof(*list), cmp_var);
	*n = count;
	return list;
}

/* The environment for a spawned program: exported variables with values. */
char **var_environ(struct shell *sh, struct arena *a)
{
	size_t n = 0, i = 0;
	struct var **all = var_sorted(sh, a, &n);
	char **env = arena_alloc(a, sizeof(*env) * (n + 1));

	for (size_t k = 0; k < n; k++) {
		struct var *v = all[k];

		if (!(v->flags & V_EXPORT) || !v->value)
			continue;
		size_t ln = strlen(v->name), lv = strlen(v->value);
		char *s = arena_alloc(a, ln + lv + 2);

		memcpy(s, v->name, ln);
		s[ln] = '=';
		memcpy(s + ln + 1, v->value, lv + 1);
		env[i++] = s;
	}
	env[i] = NULL;
	return env;
}

void var_init(struct shell *sh, char **environ)
{
	for (char **e = environ; e && *e; e++) {
		char *eq = strchr(*e, '=');

		if (!eq || eq == *e)
			continue;
		char *name = xmalloc((size_t)(eq - *e) + 1);

		memcpy(name, *e, (size_t)(eq - *e));
		name[eq - *e] = '\0';
		if (var_valid_name(name))
			var_set(sh, name, eq + 1, V_EXPORT);
		free(name);
	}
}

/* Pushes a record of name's current state onto *list. */
void var_save_to(struct shell *sh, const char *name, struct local_save **list)
{
	struct local_save *l = xmalloc(sizeof(*l));
	struct var *v = var_lookup(sh, name);

	memset(l, 0, sizeof(*l));
	l->name = xstrdup(name);
	l->existed = v != NULL;
	l->value = v && v->value ? xstrdup(v->value) : NULL;
	l->flags = v ? v->flags : 0;
	l->next = *list;
	*list = l;
}

/* `local name`: remembers the variable's state for the function return. */
void var_make_local(struct shell *sh, const char *name)
{
	for (struct local_save *l = sh->locals; l && l != sh->local_mark; l = l->next)
		if (l->name && strcmp(l->name, name) == 0)
			return;
	var_save_to(sh, name, &sh->locals);
}

/* `local -`: the options are restored when the function returns. */
void var_save_options_local(struct shell *sh)
{
	struct local_save *l = xmalloc(sizeof(*l));
	char *saved = xmalloc(OPT_COUNT);

	memset(l, 0, sizeof(*l));
	for (int i = 0; i < OPT_COUNT; i++)
		saved[i] = sh->opt[i];
	l->value = saved;
	l->is_opts = true;
	l->next = sh->locals;
	sh->locals = l;
}

static void restore_local(struct shell *sh, struct local_save *l)
{
	if (l->is_opts) {
		for (int i = 0; i < OPT_COUNT; i++)
			if (i != OPT_i)
				sh->opt[i] = l->value[i];
		return;
	}
	struct var *v = var_lookup(sh, l->name);

	if (!l->existed) {
		if (v)
			v->flags &= ~V_READONLY;
		var_unset(sh, l->name);
		return;
	}
	if (!v)
		v = var_create(sh, l->name);
	free(v->value);
	v->value = l->value;
	l->value = NULL;
	v->flags = l->flags;
	var_changed(sh, l->name);
}

/* Restores and frees the records on *list down to until. */
void var_restore_list(struct shell *sh, struct local_save **list, struct local_save *until)
{
	while (*list && *list != until) {
		struct local_save *l = *list;

		*list = l->next;
		restore_local(sh, l);
		free(l->name);
		free(l->value);
		free(l);
	}
}

/* Undoes `local` saves made after until (a previous sh->locals value). */
void var_pop_locals(struct shell *sh, struct local_save *until)
{
	var_restore_list(sh, &sh->locals, until);
}

void params_free(char **params)
{
	if (!params)
		return;
	for (char **p = params; *p; p++)
		free(*p);
	free(params);
}

/* Replaces the positional parameters with copies of argv[0..n-1]. */
void params_set(struct shell *sh, char **argv, int n)
{
	char **np = xmalloc(sizeof(*np) * ((size_t)n + 1));

	for (int i = 0; i < n; i++)
		np[i] = xstrdup(argv[i]);
	np[n] = NULL;
	params_free(sh->params);
	sh->params = np;
	sh->nparams = n;
}
