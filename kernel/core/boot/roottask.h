/*
 * roottask.h - starting the first user task from the boot bundle.
 *
 * The boot bundle is a ustar archive GRUB loads as the module named
 * "bundle". The kernel loads one program from it - keel.init=NAME on the
 * command line, initd by default - as the root task, holding every root
 * capability: its own task and thread, the witness log, the bundle itself
 * (read-only memory), all I/O ports, all physical address space as MMIO
 * and all interrupt lines, with a quota of all free memory. Everything else
 * is started by the root task.
 */
#ifndef KEEL_CORE_ROOTTASK_H
#define KEEL_CORE_ROOTTASK_H

#include <stdint.h>

#include "abi/status.h"
#include "core/boot/mb2.h"

/* Loads and starts the root task; returns an error (and starts nothing)
 * when there is no bundle or no such program. Takes the kernel lock. */
status_t roottask_start(const struct mb2_info *mi, unsigned cpu_count);

/* Called when a task is torn down; powers off when it is the root task. */
struct task;
void task_root_exited(struct task *t);

/* The capabilities every root task holds (rootcaps.c, also used by the
 * host port): its own task, the witness log and the device roots, their
 * handles and t's quota recorded in *s. Each grant goes to the witness
 * log; one that fails is reported on the console and left
 * CAP_HANDLE_NONE. Lock held. */
struct keel_start;
struct kobj;
void roottask_grant_all(struct task *t, struct keel_start *s);

/* Puts a capability to o into t's CSpace as roottask_grant_all does;
 * returns its handle or CAP_HANDLE_NONE. Lock held. */
cap_handle_t roottask_grant(struct task *t, struct kobj *o, uint32_t rights);

#endif
