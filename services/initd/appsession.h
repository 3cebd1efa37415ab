/*
 * appsession.h - a vfsd session for each launched app (docs/files.md
 * "Sessions"), so that what an app leaves open when it exits or is killed
 * is freed.
 *
 * When an app is started with a capability named "root" (its launcher's
 * directory, or the console program's root), initd asks the file service
 * - through its own unbadged capability, naming the directory by its
 * badge - for a new session made from it, gives the app the session's
 * head in its place, and keeps a copy. When the app has ended, initd
 * closes the head (a send: initd never waits on it), and vfsd frees every
 * record the app opened, sessions of the apps it launched included. A
 * "root" vfsd does not know (not one of its directories, or from before a
 * restart) is passed on unchanged, without a session.
 */
#ifndef KEEL_INITD_APPSESSION_H
#define KEEL_INITD_APPSESSION_H

#include "launch.h"

/* Replaces a->caps[i] (named "root") by the head of a new session, kept
 * in a->session too; leaves it as it is where vfsd makes none. Returns
 * vfsd's answer to the session request (STALE: the root's record went
 * with an earlier vfsd instance), STATUS_OK when it had nothing to ask. */
status_t appsession_open(struct launcher *l, struct app *a, uint32_t i);

/* Ends a's session, if it has one. */
void appsession_end(struct app *a);

/*
 * LAUNCH_ROOT (keel/launch.h): once a's session has ended with the vfsd
 * that made it (a restart), a new root of the running vfsd - the volume's
 * root with the rights a's root had - in a new session, kept as above;
 * *root is the app's copy, to move to it. Only an app whose root was the
 * volume's root (VFS_STAT_ROOT when its session was made) gets one: a
 * launcher that confined its program to a directory keeps it confined.
 * NOT_FOUND (no such root), BUSY (the old session still answers), DEAD
 * (no file service is up), or vfsd's error.
 */
status_t appsession_renew(struct launcher *l, struct app *a, cap_handle_t *root);

#endif
