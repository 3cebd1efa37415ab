/*
 * init.h - bringing up the arch-neutral kernel, in one order for every
 * architecture.
 */
#ifndef KEEL_CORE_INIT_H
#define KEEL_CORE_INIT_H

/*
 * Sets up the kernel's object pools, the witness log and the scheduler's
 * idle thread for the calling CPU, in dependency order: threads first
 * (the caller becomes CPU 0's idle thread), then tasks, memory objects,
 * inboxes, devices, the witness log. The architecture calls it once on the
 * boot CPU after kmem_init() and its own per-CPU set-up (run queue,
 * interrupt controllers, clock), and before it starts other CPUs or the
 * root task.
 */
void core_init(void);

#endif
