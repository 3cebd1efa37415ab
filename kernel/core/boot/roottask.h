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

/* What the root task may hold: CSpace slots and kernel objects. Its page
 * quota is all free memory but an eighth, which the kernel keeps. Below
 * 16 MiB of managed memory it has half the slots (their CSpace array is
 * 88 bytes a slot, 352 KiB for 4,096): such a machine runs out of memory
 * long before its tasks need 2,048. */
#define ROOT_SLOTS 4096
#define ROOT_SLOTS_FULL_PAGES 4096 /* managed pages from which it has ROOT_SLOTS */
#define ROOT_OBJECTS 16384

/* Loads and starts the root task; returns an error (and starts nothing)
 * when there is no bundle or no such program, or the task cannot be given
 * everything it should hold. Takes the kernel lock. */
status_t roottask_start(const struct mb2_info *mi, unsigned cpu_count);

/* Creates the root task, empty, with the limits above (rootcaps.c, also
 * used by the host port). Lock held. */
struct task;
status_t roottask_create(struct task **out);

/* Called when a task is torn down; powers off when it is the root task. */
struct task;
void task_root_exited(struct task *t);

/* The capabilities every root task holds (rootcaps.c, also used by the
 * host port): its own task, the witness log and the device roots, their
 * handles and t's quota recorded in *s. Each grant goes to the witness
 * log. The root task must never start without one of them: the first
 * grant that fails is reported on the console and its status returned.
 * Lock held. */
struct keel_start;
struct kobj;
status_t roottask_grant_all(struct task *t, struct keel_start *s);

/* Puts a capability to o into t's CSpace as roottask_grant_all does and
 * stores its handle in *h; returns the status (reported on the console
 * when it fails). Lock held. */
status_t roottask_grant(struct task *t, struct kobj *o, uint32_t rights, cap_handle_t *h);

#endif
