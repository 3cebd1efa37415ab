/*
 * walk.c - a depth-first walk of a directory tree in name order, and path
 * helpers. Symbolic links below the root are never followed.
 */
#include "toolbox.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Returns "dir/name" in new memory (no doubled '/'), or NULL. */
char *tb_path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	bool slash = dl > 0 && dir[dl - 1] != '/';
	char *p = malloc(dl + slash + nl + 1);

	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	if (slash)
		p[dl] = '/';
	memcpy(p + dl + slash, name, nl + 1);
	return p;
}

/* The last component of path, ignoring trailing slashes' absence. */
const char *path_base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Reads the names in dir (without "." and "..") into a sorted array. */
static char **read_names(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;

	if (!d)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **nn = realloc(names, cap * sizeof(*names));
			if (!nn)
				break;
			names = nn;
		}
		names[n] = strdup(e->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), compare_names);
	*count = n;
	return names ? names : calloc(1, sizeof(*names));
}

static int walk_at(const char *path, walk_fn fn, void *ctx, bool follow, int depth);

/* Walks the contents of directory path, then reports it again (POST). */
static int walk_dir(const char *path, const struct stat *st, walk_fn fn, void *ctx, int depth)
{
	size_t n = 0;
	int r = 0;
	char **names = read_names(path, &n);

	if (!names)
		return fn(ctx, path, st, WALK_ERROR, depth) < 0 ? -1 : 0;
	for (size_t i = 0; i < n; i++) {
		char *child = tb_path_join(path, names[i]);
		if (r >= 0 && child)
			r = walk_at(child, fn, ctx, false, depth + 1);
		free(child);
		free(names[i]);
	}
	free(names);
	if (r < 0)
		return -1;
	return fn(ctx, path, st, WALK_DIR_POST, depth) < 0 ? -1 : 0;
}

static int walk_at(const char *path, walk_fn fn, void *ctx, bool follow, int depth)
{
	struct stat st;
	int r = follow ? stat(path, &st) : lstat(path, &st);

	if (r != 0)
		return fn(ctx, path, NULL, WALK_ERROR, depth) < 0 ? -1 : 0;
	if (!S_ISDIR(st.st_mode))
		return fn(ctx, path, &st, WALK_FILE, depth) < 0 ? -1 : 0;
	r = fn(ctx, path, &st, WALK_DIR_PRE, depth);
	if (r != 0)
		return r < 0 ? -1 : 0;
	return walk_dir(path, &st, fn, ctx, depth);
}

/* Walks root and everything below it, calling fn for each entry; errno is
 * set when fn sees WALK_ERROR. Returns -1 if fn stopped the walk. */
int walk_tree(const char *root, walk_fn fn, void *ctx, bool follow_root)
{
	errno = 0;
	return walk_at(root, fn, ctx, follow_root, 0);
}
