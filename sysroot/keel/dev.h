/* dev.h - /dev/null, /dev/zero and /dev/tty, kept by the C library (dev.c). */
#ifndef KEEL_DEV_H
#define KEEL_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "fd.h"
#include "keel/path.h"

/* True if p is /dev or below it. */
int keel_dev_owns(const struct path *p);

/* open for /dev or a path below it (dir: the text ended in '/'): a new
 * descriptor, or -errno (ENOENT for a name /dev lacks, EROFS to create
 * one, EEXIST for O_CREAT | O_EXCL). */
long keel_dev_open(const struct path *p, bool dir, int flags);

/* stat, and access with mode (W_OK on /dev itself is EROFS). */
long keel_dev_stat(const struct path *p, struct stat *st);
long keel_dev_access(const struct path *p, int mode);

/* getdents64 on a descriptor of /dev: its entries from the description's
 * offset on, as linux_dirent64 records; -ENOTDIR for any other. */
long keel_dev_list(struct keel_file *f, uint8_t *out, size_t room);

/* The device f is on ("null", "zero"), or NULL if it is not one. */
const char *keel_dev_name(const struct keel_file *f);

/* /dev/tty's open: a new descriptor on the console terminal, set by
 * terminal.c when the task's console attaches (keel_terminal_console);
 * NULL without one (ENXIO), and in programs and tests without terminals. */
extern long (*keel_dev_console)(int fd_flags);

/* Opens the descriptors a launched program's argument block names
 * ("N=null N=zero ..."), replacing whatever they were. */
void keel_dev_adopt(const char *list);

#endif
