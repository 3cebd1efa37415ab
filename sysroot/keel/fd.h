/*
 * fd.h - the per-process file-descriptor table.
 *
 * A file descriptor names an open file description, struct keel_file, as
 * in POSIX: dup'ed descriptors share one description (its offset and
 * status flags), and the description's last close releases it. A
 * description is typed: its kind says what stands behind it, its caps[]
 * hold the capabilities that reach it, and its ops table implements the
 * calls for that kind. Today there are two kinds: the debug console
 * (console.c) and, until vfsd exists, files of the boot bundle (bundle.c);
 * a vfsd file (a file capability and its channel), a terminal of the
 * console service and a pipe channel are further kinds with their own
 * ops, without changes here.
 *
 * The table functions take the table explicitly, use no system call and
 * hold the table's lock only for the bookkeeping itself: callers take a
 * reference with fdt_get, call the ops without the lock, and drop it with
 * fdt_put. Every function returns a value >= 0 or -errno.
 */
#ifndef KEEL_FD_H
#define KEEL_FD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "abi/rights.h"

#define KEEL_FD_MAX 256
#define KEEL_FILE_CAPS 2

enum keel_fd_kind {
	KEEL_FD_NONE,
	KEEL_FD_CONSOLE,  /* the debug console: sys_debug_write on the witness */
	KEEL_FD_FILE,     /* reserved: a vfsd file */
	KEEL_FD_TERMINAL, /* reserved: a terminal of the console service */
	KEEL_FD_PIPE,     /* reserved: one end of a pipe channel */
	KEEL_FD_BUNDLE,   /* a file of the boot bundle, read-only (bundle.c) */
	KEEL_FD_DEVICE,   /* /dev, /dev/null or /dev/zero (dev.c) */
};

struct keel_file;

/* What a kind implements; a NULL entry answers the errno noted. off < 0
 * means "at the description's offset" for read and write. */
struct keel_file_ops {
	long (*read)(struct keel_file *f, void *buf, size_t n, int64_t off);        /* EBADF */
	long (*write)(struct keel_file *f, const void *buf, size_t n, int64_t off); /* EBADF */
	long (*seek)(struct keel_file *f, int64_t off, int whence);                 /* ESPIPE */
	long (*ioctl)(struct keel_file *f, unsigned long req, void *arg);           /* ENOTTY */
	long (*stat)(struct keel_file *f, struct stat *st);                         /* EIO */
	long (*poll)(struct keel_file *f, short events); /* revents; default none */
	void (*release)(struct keel_file *f);            /* the last descriptor is closed */
};

struct keel_file {
	uint32_t refs; /* descriptors and fdt_get references; 0: free */
	uint8_t kind;  /* enum keel_fd_kind */
	int status;    /* O_ACCMODE, O_APPEND, O_NONBLOCK bits */
	cap_handle_t caps[KEEL_FILE_CAPS];
	int64_t offset;
	uint64_t kind_data[2]; /* the kind's own words (bundle: address, size) */
	const struct keel_file_ops *ops;
};

struct keel_fd_slot {
	struct keel_file *file; /* NULL: the descriptor is closed */
	int flags;              /* FD_CLOEXEC */
};

struct keel_fd_table {
	volatile int lock;
	struct keel_fd_slot fd[KEEL_FD_MAX];
	struct keel_file files[KEEL_FD_MAX];
};

/* Opens a new description - kind, ops, caps, the kind's two data words
 * (data may be NULL), status flags - and gives it the lowest free
 * descriptor >= min: the descriptor, -EMFILE if none is free, -ENFILE if
 * no description is, -EINVAL for a bad min. */
int fdt_open(struct keel_fd_table *t, int min, int kind, const struct keel_file_ops *ops,
	     const cap_handle_t caps[KEEL_FILE_CAPS], const uint64_t data[2], int status,
	     int fd_flags);

/* The description behind fd with a reference taken, or NULL (EBADF). */
struct keel_file *fdt_get(struct keel_fd_table *t, int fd);

/* Drops a reference; the last one releases the description. */
void fdt_put(struct keel_fd_table *t, struct keel_file *f);

/* close(fd). */
int fdt_close(struct keel_fd_table *t, int fd);

/* fcntl(F_DUPFD / F_DUPFD_CLOEXEC): the lowest free descriptor >= min. */
int fdt_dup_min(struct keel_fd_table *t, int fd, int min, int fd_flags);

/* dup3(fd, newfd, fd_flags): newfd is closed first if open; fd == newfd
 * is -EINVAL (dup2's fd == newfd case is the caller's). */
int fdt_dup_to(struct keel_fd_table *t, int fd, int newfd, int fd_flags);

/* Puts a new reference to f, a description held elsewhere, at the lowest
 * free descriptor >= min: the descriptor or -errno. */
int fdt_install(struct keel_fd_table *t, struct keel_file *f, int min, int fd_flags);

/* F_GETFD and F_SETFD. */
int fdt_get_flags(struct keel_fd_table *t, int fd);
int fdt_set_flags(struct keel_fd_table *t, int fd, int fd_flags);

/* Open descriptors (for tests and diagnostics). */
int fdt_count(struct keel_fd_table *t);

#endif
