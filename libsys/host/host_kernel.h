/*
 * host_kernel.h - running Keel's real kernel inside a host test process.
 *
 * host_kernel_main() boots kernel/core (its scheduler, capabilities,
 * inboxes, memory objects, witness log) on the host architecture layer
 * kernel/arch/host/ and runs a C function as the root task. That function
 * is the test: it calls the ordinary sys_* functions of keel/sys.h (built
 * with KEEL_HOST_SYSCALL, they enter the kernel's real dispatcher), and
 * starts services with host_spawn(): a service's unmodified keel_main runs
 * as a task with exactly the capabilities the test grants it.
 *
 * Every task is a set of pthreads in this process and only one runs at a
 * time, as the kernel's scheduler says; time is virtual and moves only
 * when every thread waits, so a run is deterministic and fast.
 * docs/host-port.md describes the design and its limits.
 */
#ifndef KEEL_HOST_KERNEL_H
#define KEEL_HOST_KERNEL_H

#include <stdint.h>
#include <stdio.h>

#include "keel/spawn.h"
#include "keel/sys.h"

/* host_kernel_main's result when the root task did not return. */
#define HOST_EXIT_FAULT 70 /* the root task faulted, or the kernel panicked */
#define HOST_EXIT_HUNG 71  /* virtual time passed the limit */

/* A task's entry: keel_main's type. */
typedef int host_main_fn(const struct keel_start *start);

/*
 * The host's boot bundle: what build/bundle.tar holds on the machine, as
 * a table of the test process. A program is what an executable is there -
 * a name, an entry and the manifest text embedded in it (a test embeds the
 * service folder's `manifest` file at build time, libsys/host/embed.S); a
 * file is a plain text such as a boot list. Under the host port
 * keel_spawner_file finds the files, keel_spawner_manifest the programs'
 * manifests, and keel_spawn starts a program with host_spawn
 * (libsys/host/host_bundle.c), so initd's unmodified source boots from it.
 */
struct host_program {
	const char *name;
	host_main_fn *main;
	const char *manifest; /* NUL-terminated; NULL: the program carries none */
};

struct host_file {
	const char *name;
	const char *text; /* NUL-terminated */
};

struct host_bundle {
	const struct host_program *programs;
	uint32_t program_count;
	const struct host_file *files;
	uint32_t file_count;
};

struct host_kernel_config {
	uint64_t memory_bytes;            /* physical memory; 0 for 64 MiB */
	uint64_t time_limit_ns;           /* virtual time at which a run that is still going
				 * is stopped as hung; 0 for 10 minutes */
	unsigned watchdog_s;              /* wall-clock seconds before the process is killed
				 * (a thread spinning without system calls is never
				 * preempted on the host); 0 for 60 */
	const struct host_bundle *bundle; /* the boot bundle, kept by pointer;
					   * NULL for none */
};

/*
 * Boots the kernel (once per process: it keeps its state in globals, as
 * on the machine) and runs root as the root task, holding what initd
 * holds on the machine: itself and its thread, the witness log, the
 * device roots and quotas over nearly all memory; cfg->bundle stands for
 * the boot bundle (host_boot_bundle). Returns
 * when the root task has ended: its exit code, HOST_EXIT_FAULT if it
 * faulted, HOST_EXIT_HUNG if virtual time ran past the limit. A kernel
 * panic ends the process with code 70 after printing the reason.
 */
int host_kernel_main(const struct host_kernel_config *cfg, host_main_fn *root);

/*
 * Starts main as a new task, as keel_spawn() starts a program from the
 * boot bundle: same arguments (args->name only names it in messages),
 * same capabilities and start page fields, same undoing on failure, and
 * the child's first thread may run before it returns. The start page is
 * mapped at the first free page from HOST_START_AREA (tasks share one
 * address space here). Called from a Keel thread (the root task or any
 * task it started). Returns STATUS_INVALID or RANGE for bad args, or the
 * status of the system call that failed.
 */
#define HOST_START_AREA 0x0000300000000000ull
status_t host_spawn(const struct keel_spawn_args *args, host_main_fn *main, struct keel_child *out);

/* The boot bundle host_kernel_main was given (NULL if none). Every task
 * may read it: unlike the machine's, it is no memory object behind a
 * capability. */
const struct host_bundle *host_boot_bundle(void);

/* The kernel console's output since the last host_console_clear(), as one
 * NUL-terminated text, so that a test can look for what a service printed
 * as the QEMU tests look at the serial log. At most HOST_CONSOLE_KEEP
 * bytes are kept: older text is dropped first. Every write also goes to
 * stderr. Valid until the next console write. */
#define HOST_CONSOLE_KEEP 65536
const char *host_console_text(void);
void host_console_clear(void);

/* Blocks the calling Keel thread for ns of virtual time; everything that
 * falls due meanwhile (timeouts, timers, heartbeats) runs. */
void host_clock_advance(uint64_t ns);

/* Fires interrupt line gsi, as a device would: the thread bound to it
 * (sys_irq_bind) gets its signal bit; while the line awaits sys_irq_ack
 * the interrupt is held and delivered at the ack. STATUS_RANGE past the
 * host's 24 lines. Called from a Keel thread. */
status_t host_irq_raise(uint32_t gsi);

/* Pops the next message of ring into *m, waiting (timeout each time) for
 * the signal bits in mask while it is empty; the wait's error otherwise. */
static inline status_t host_ring_next(struct inbox_ring *ring, uint64_t mask, uint64_t timeout,
				      struct keel_msg *m)
{
	uint64_t pending;
	while (!inbox_ring_pop(ring, m)) {
		status_t st = sys_signal_wait(mask, timeout, &pending);
		if (st)
			return st;
	}
	return STATUS_OK;
}

/* main() of a test built on tests/lib/check.h whose tests run as the root
 * task: a root that did not finish still ends with a summary line. */
static inline int host_test_main(host_main_fn *tests)
{
	int code = host_kernel_main(NULL, tests);
	if (code == HOST_EXIT_FAULT || code == HOST_EXIT_HUNG)
		printf("0 passed, 1 failed (the root task did not finish: %d)\n", code);
	return code;
}

#endif
