/*
 * start.h - what a Keel task finds when its first thread starts.
 *
 * A task's first thread starts at the ELF entry point with rdi holding the
 * address of a read-only struct keel_start (one page at KEEL_START_ADDR)
 * and rsp at the top of its stack, 16-byte aligned. The kernel fills it
 * for the root task; a parent that spawns a task (libsys) fills it the
 * same way, with the handles it granted the child. A handle that the task
 * was not given is CAP_HANDLE_NONE.
 */
#ifndef KEEL_ABI_START_H
#define KEEL_ABI_START_H

#include <stdint.h>

#include "abi/rights.h"

#define KEEL_START_MAGIC 0x5452545320454b4bull /* "KKE STRT" little-endian */
#define KEEL_START_VERSION 1

/* Fixed user addresses of the start page and the first thread's stack. */
#define KEEL_START_ADDR 0x00007fffffff0000ull
#define KEEL_STACK_TOP 0x00007fffffe00000ull
#define KEEL_STACK_SIZE 0x10000ull
#define KEEL_CMDLINE_MAX 512
#define KEEL_START_CAPS 12 /* capabilities a spawner may hand over in caps[] */

struct keel_start {
	uint64_t magic;                     /* KEEL_START_MAGIC */
	uint32_t version;                   /* KEEL_START_VERSION */
	uint32_t size;                      /* sizeof(struct keel_start) */
	cap_handle_t self_task;             /* this task, every right */
	cap_handle_t self_thread;           /* this thread, every right */
	cap_handle_t supervisor;            /* send-only inbox of the supervisor, or none */
	cap_handle_t witness;               /* witness log and debug console */
	cap_handle_t bundle;                /* memory: the boot bundle (ustar), read-only */
	cap_handle_t ioports;               /* all I/O ports (root task only) */
	cap_handle_t mmio;                  /* all of physical address space (root task only) */
	cap_handle_t irq;                   /* all interrupt lines (root task only) */
	uint64_t bundle_bytes;              /* bytes of the bundle archive */
	uint64_t cpu_count;                 /* CPUs online */
	uint64_t quota_pages;               /* pages this task may hold */
	uint64_t quota_objects;             /* kernel objects it may own */
	uint64_t quota_slots;               /* CSpace slots */
	cap_handle_t caps[KEEL_START_CAPS]; /* granted by the spawner, in the order
						 * it asked (libsys keel_start_cap) */
	uint64_t arg;                       /* the spawner's argument word (keel_start_arg) */
	uint64_t reserved;                  /* zero */
	char cmdline[KEEL_CMDLINE_MAX]; /* NUL-terminated: the kernel command line for the root task */
	/* Wall-clock ns since 1970 UTC minus the monotonic clock (sys_clock_read),
	 * as the spawner knew it; 0: unknown. Readers check that size covers it
	 * (keel/time.h, keel_start_wall_offset). */
	int64_t wall_offset_ns;
	/* Pages of RAM the kernel manages (the machine's memory), as the
	 * spawner knew it; 0: unknown. Services size caches from it. Readers
	 * check that size covers it (keel/spawn.h, keel_start_machine_pages). */
	uint64_t machine_pages;
};

#endif
