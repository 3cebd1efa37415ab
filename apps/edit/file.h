/*
 * file.h - loading a file into a buffer and saving it atomically.
 *
 * Every system call goes through a struct file_ops so that tests can inject
 * a failure (or a crash) at each step. Saving writes the whole text to a
 * temporary file in the target's directory, fsyncs it, renames it over the
 * target and fsyncs the directory (skipped where the platform cannot), so
 * that the target always holds either the old or the new text in full.
 */
#ifndef EDIT_FILE_H
#define EDIT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

/* The system calls the file layer uses; each returns -1 and sets errno on
 * failure like its POSIX namesake. */
struct file_ops {
	int (*open)(void *ctx, const char *path, int flags, unsigned mode);
	ssize_t (*read)(void *ctx, int fd, void *p, size_t n);
	ssize_t (*write)(void *ctx, int fd, const void *p, size_t n);
	int (*fsync)(void *ctx, int fd);
	int (*close)(void *ctx, int fd);
	int (*fchmod)(void *ctx, int fd, unsigned mode);
	int (*rename)(void *ctx, const char *from, const char *to);
	int (*unlink)(void *ctx, const char *path);
	/* Stores the permission bits of path in *mode. */
	int (*mode_of)(void *ctx, const char *path, unsigned *mode);
	void *ctx;
	/* Optional (NULL: none): stores the size of the open file fd in *size,
	 * so that loading reads into one block of the right size. */
	int (*size_of)(void *ctx, int fd, size_t *size);
};

/* The ops that call the real POSIX functions. */
extern const struct file_ops file_posix_ops;

/* Why a file operation failed: a status and the errno behind it (0 if
 * none), for the message shown to the user. */
struct file_error {
	status_t st;
	int err;
};

/*
 * Reads path into b. A missing file gives an empty buffer and *is_new set.
 * On failure b is unchanged and *e says why.
 */
status_t file_load(const struct file_ops *ops, const char *path, struct buf *b, bool *is_new,
		   struct file_error *e);

/* Saves the text of b to path atomically (see above), keeping the old
 * file's permission bits. On failure the old file is untouched and no
 * temporary file is left behind. */
status_t file_save(const struct file_ops *ops, const char *path, const struct buf *b,
		   struct file_error *e);

#endif
