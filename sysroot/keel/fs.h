/* fs.h - the file-system view of the process (fs.c, docs/files.md). */
#ifndef KEEL_FS_H
#define KEEL_FS_H

#include "abi/rights.h"

/*
 * Gives the process its root directory capability (a vfsd directory
 * capability, or CAP_HANDLE_NONE) and its working directory, a POSIX path
 * below that root ("/" or "/home/ada"; resolved lexically, never above the
 * root). The launcher's start-up code calls it with the "root" capability
 * and the working directory a launched program was given. From then on
 * every path call goes to vfsd, except /bundle, through the process's own
 * duplicate of root (vfsfile.h), which is closed at exit or when
 * keel_fs_attach is called again (CAP_HANDLE_NONE detaches).
 */
void keel_fs_attach(cap_handle_t root, const char *cwd);

/* The root as the process was given it (at start, or anew by initd after
 * a vfsd restart), once checked: if it no longer works because vfsd has
 * restarted, a new one is asked for first. What posix_spawn passes on as
 * a child's "root", so that the child's works. */
cap_handle_t keel_fs_fresh_root(void);

#endif
