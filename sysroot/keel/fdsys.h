/* fdsys.h - the process's descriptor table (fdsys.c). */
#ifndef KEEL_FDSYS_H
#define KEEL_FDSYS_H

#include "abi/start.h"
#include "fd.h"

/* The process's table. */
struct keel_fd_table *keel_fdt(void);

/* Opens descriptors 0, 1 and 2 on the debug console if the task holds a
 * witness capability; without one they stay closed (EBADF). */
void keel_fd_init(const struct keel_start *s);

#endif
