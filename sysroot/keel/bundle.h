/* bundle.h - the boot bundle's files under /bundle, read-only (bundle.c). */
#ifndef KEEL_BUNDLE_H
#define KEEL_BUNDLE_H

#include <sys/stat.h>

#include "keel/path.h"

/* True if p is /bundle or below it. */
int keel_bundle_owns(const struct path *p);

/* open for a path below /bundle: a new descriptor, or -errno. */
long keel_bundle_open(const struct path *p, int flags);

/* stat for /bundle or a path below it. */
long keel_bundle_stat(const struct path *p, struct stat *st);

#endif
