/*
 * func.c - the function table.  Each function owns an arena holding a copy
 * of its body, and a reference count so that a function redefined or unset
 * while it runs lives until it returns.
 */
#define _DEFAULT_SOURCE 1
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct func *func_lookup(struct shell *sh, const char *name)
{
	for (struct func *f = sh->funcs; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

void func_release(struct func *f)
{
	if (--f->refs > 0)
		return;
	arena_free(&f->arena);
	free(f->name);
	free(f);
}

bool func_unset(struct shell *sh, const char *name)
{
	for (struct func **pp = &sh->funcs; *pp; pp = &(*pp)->next) {
		struct func *f = *pp;

		if (strcmp(f->name, name) == 0) {
			*pp = f->next;
			func_release(f);
			return true;
		}
	}
	return false;
}

void func_define(struct shell *sh, const char *name, struct node *body)
{
	struct func *f = xmalloc(sizeof(*f));

	arena_init(&f->arena);
	f->name = xstrdup(name);
	f->body = node_copy(body, &f->arena);
	f->refs = 1;
	func_unset(sh, name);
	f->next = sh->funcs;
	sh->funcs = f;
}
