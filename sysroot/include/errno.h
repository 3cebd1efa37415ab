/*
 * errno.h - the error indicator for C code ported to Keel.
 *
 * Keel's own interfaces return status values (STYLE.md habit 3); errno
 * exists only because the standard functions in this sysroot (strtol,
 * vsnprintf, ...) are specified to report through it. Keel has no
 * thread-local storage for user programs yet, so errno is one static int
 * per program: a multi-threaded program must not rely on it. The numbers
 * are Linux's, so tables in ported code keep working.
 */
#ifndef KEEL_SYSROOT_ERRNO_H
#define KEEL_SYSROOT_ERRNO_H

#define EINVAL 22
#define ERANGE 34
#define EOVERFLOW 75

/* Returns the address of the program's one errno object. */
int *__keel_errno(void);

#define errno (*__keel_errno())

#endif
