/*
 * launch_policy.h - the rules of what a launched app is given, as pure
 * functions with no system calls (host-tested in tests/test_launch.c).
 *
 * An app's manifest declares the named capabilities it may use (`uses
 * NAME`); its launcher passes named capabilities. The app gets the
 * intersection: a passed capability whose name the manifest declares.
 * A declared name nobody passed gives nothing, a passed name the manifest
 * does not declare is dropped, and the copy it gets has no more rights
 * than the launcher's own (the kernel never derives more). Descriptors
 * passed as "fdN-pr" / "fdN-pw" (pipe ends, N a number) are kept when the
 * manifest declares `uses fds`. An app never
 * gets devices or service inboxes: a manifest that declares ports, IRQs,
 * MMIO or `sends` cannot be launched.
 */
#ifndef KEEL_INITD_LAUNCH_POLICY_H
#define KEEL_INITD_LAUNCH_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "keel/launch.h"
#include "manifest.h"

/* A capability name as it travels in LAUNCH_CAP: NUL-terminated. */
typedef char launch_name_t[LAUNCH_CAP_NAME_MAX + 1];

/* STATUS_OK if m may be launched as an app, else INVALID (it declares
 * devices or `sends`). */
status_t launch_manifest_check(const struct manifest *m);

/* STATUS_OK if name is a well-formed capability name ([a-z][a-z0-9-]*,
 * 1..LAUNCH_CAP_NAME_MAX characters), else INVALID. */
status_t launch_name_check(const char *name);

/*
 * Decides, for each of the n passed names, whether the app keeps it
 * (keep[i]). Returns the number kept. Names are assumed checked and
 * distinct (launch_name_add makes them so).
 */
uint32_t launch_intersect(const struct manifest *m, const launch_name_t *names, uint32_t n,
			  bool keep[]);

/* Appends name to names[0..*n) (capacity LAUNCH_CAPS_MAX): INVALID for a
 * malformed name, EXISTS if it is there already, FULL if no room. */
status_t launch_name_add(launch_name_t *names, uint32_t *n, const char *name);

#endif
