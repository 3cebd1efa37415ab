/*
 * keel/spawn.h - starting a program from the boot bundle as a new task.
 *
 * The kernel starts only the root task. Every other task is built in user
 * space from the outside: keel_spawn() finds the executable in the bundle
 * (a ustar archive), checks it with elf_parse(), creates the task, fills
 * one memory object with its segments, its stack and its start page, maps
 * them into the task with the segments' own protections (never W+X),
 * grants it the capabilities asked for and starts its first thread.
 *
 * What a spawned task finds in its struct keel_start (abi/start.h):
 *   self_task     a capability to itself, every right
 *   self_thread   CAP_HANDLE_NONE: the thread's handle cannot be put in the
 *                 start page before the thread runs (see keel_spawn)
 *   supervisor, witness
 *                 the grants args->supervisor and args->witness
 *   bundle, ioports, mmio, irq
 *                 CAP_HANDLE_NONE; pass them as args->caps[] if needed
 *   cpu_count     copied from the spawner's own start page
 *   quota_*       the quotas it was created with
 *   caps[]        the handles of args->caps[], in order: keel_start_cap()
 *   arg           args->arg: keel_start_arg()
 *   cmdline       args->cmdline, or empty
 *   wall_offset_ns
 *                 args->wall_offset_ns; keel_spawn puts the spawner's there
 *   machine_pages the spawner's own (keel_start_machine_pages)
 * The kernel leaves caps[] and arg zero for the root task, which is what
 * these accessors return there (CAP_HANDLE_NONE and 0).
 *
 * The spawner is also how a program reads the bundle's other contents:
 * plain files (keel_spawner_file, initd's boot list) and the manifest
 * each executable carries (keel_spawner_manifest). Two implementations
 * stand behind these declarations: libsys/bundle.c on the machine, and
 * libsys/host/host_bundle.c under the host port, where the bundle is a
 * table of programs of the test process (libsys/host/host_kernel.h) and
 * keel_spawn starts them with host_spawn. keel_spawn_check,
 * keel_spawn_start_fill and keel_spawn_grant (libsys/spawn.c) are shared
 * by both. Where the spawner's windows lie in a task's address space:
 * keel/map.h.
 */
#ifndef KEEL_SPAWN_H
#define KEEL_SPAWN_H

#include <stddef.h>
#include <stdint.h>

#include "keel/sys.h"

#define KEEL_SPAWN_CAPS_MAX KEEL_START_CAPS

/* Segments must end below the stack, which ends below the start page. */
#define KEEL_IMAGE_LIMIT (KEEL_STACK_TOP - KEEL_STACK_SIZE)

/* Default places in the spawner's own address space (keel_spawner_init;
 * the whole address map is in keel/map.h). */
#define KEEL_SPAWN_BUNDLE_ADDR 0x0000100000000000ull
#define KEEL_SPAWN_SCRATCH_ADDR 0x0000180000000000ull

/* The handle of the i-th capability of args->caps[] in a spawned task. */
static inline cap_handle_t keel_start_cap(const struct keel_start *s, unsigned i)
{
	return i < KEEL_START_CAPS ? s->caps[i] : CAP_HANDLE_NONE;
}

/* The argument word its spawner passed (args->arg). */
static inline uint64_t keel_start_arg(const struct keel_start *s)
{
	return s->arg;
}

/* Regular files the spawner's index of the bundle holds (bundle.c); a
 * bigger bundle is searched member by member instead. */
#define KEEL_BUNDLE_INDEX_MAX 128

/* What the spawner knows of its bundle (index_state). */
enum {
	KEEL_BUNDLE_UNCHECKED = 0, /* nothing yet: the first look-up checks it */
	KEEL_BUNDLE_INDEXED,       /* checked; index[] holds its regular files */
	KEEL_BUNDLE_SEARCH,        /* checked; too many files or two names with
				    * one hash: each look-up walks the archive */
	KEEL_BUNDLE_BAD,           /* malformed: every look-up fails so */
};

/* One regular file of the bundle: its name's hash, where its header is
 * and its size (its data follows the header). */
struct keel_bundle_file {
	uint64_t hash;   /* FNV-1a of the full stored name */
	uint64_t offset; /* of its header block in the archive */
	uint64_t size;   /* data bytes */
};

/*
 * The spawner's state, owned by the caller: the bundle, mapped read-only
 * at bundle_addr on first use and left mapped, and a scratch window of the
 * caller's address space where each new task's pages are filled. Both
 * ranges must be left free for libsys. Not safe for concurrent use.
 * The first look-up checks the whole archive once and indexes its regular
 * files by name (the bundle is read-only, so the check stays true).
 */
struct keel_spawner {
	cap_handle_t bundle;    /* memory object holding the archive; read and map */
	uint64_t bundle_bytes;  /* archive length in bytes */
	uint64_t bundle_addr;   /* where the archive is mapped */
	const void *archive;    /* bundle_addr once mapped, NULL before */
	uint32_t bundle_rights; /* RIGHT_* of the bundle capability once mapped (0: unknown);
				 * with RIGHT_EXEC, programs' code is mapped from it */
	uint64_t scratch_addr; /* start of the fill window (as many pages as the biggest task needs) */
	uint64_t cpu_count;    /* copied into every child's start page */
	int64_t wall_offset_ns; /* likewise (keel/time.h); 0: unknown */
	uint64_t machine_pages; /* likewise: pages the kernel manages; 0: unknown */
	uint32_t index_state;   /* KEEL_BUNDLE_* below */
	status_t index_status;  /* KEEL_BUNDLE_BAD: the archive's defect */
	uint32_t index_count;
	struct keel_bundle_file index[KEEL_BUNDLE_INDEX_MAX];
};

/* One capability handed to the new task: a copy derived with sys_task_grant. */
struct keel_grant {
	cap_handle_t cap; /* the spawner's capability; CAP_HANDLE_NONE gives nothing */
	uint32_t rights;  /* rights of the child's copy, a subset of cap's */
	uint64_t badge;   /* badge of the child's copy; 0 keeps cap's */
};

struct keel_spawn_args {
	const char *name;  /* the executable's name in the bundle */
	const void *image; /* or, if not NULL, the executable itself: an ELF
				       * the caller read elsewhere (initd: /apps on the
				       * disk), image_bytes long; name only names the task */
	size_t image_bytes;
	const char *cmdline;          /* copied to the child's start page; NULL for "" */
	uint64_t arg;                 /* the child's keel_start_arg() */
	cap_handle_t fault_inbox;     /* inbox (RIGHT_SEND) for the task's fault and
					 * exit messages, with the badge that names the
					 * child there; CAP_HANDLE_NONE for none */
	struct keel_grant supervisor; /* becomes start->supervisor */
	struct keel_grant witness;    /* becomes start->witness */
	struct keel_grant caps[KEEL_SPAWN_CAPS_MAX]; /* become keel_start_cap(s, i) */
	uint32_t cap_count;                          /* entries of caps[] in use */
	uint64_t quota_slots; /* sys_task_create quotas, charged to the caller */
	uint64_t quota_objects;
	uint64_t quota_pages; /* the child's page tables and its own allocations;
					 * its image, stack and start page are charged to
					 * the caller, who creates them */
	uint32_t tier;        /* THREAD_TIER_* of the first thread */
	uint64_t affinity;    /* CPUs it may run on; not 0 */
	/* The child's start page's (abi/start.h); keel_spawn takes the spawner's. */
	int64_t wall_offset_ns;
	uint64_t machine_pages;
};

/* The pages of RAM the kernel manages, from start page s (the root task's
 * from the kernel, every other from its spawner); 0 when unknown or the
 * start page is older than the field. */
static inline uint64_t keel_start_machine_pages(const struct keel_start *s)
{
	size_t end = offsetof(struct keel_start, machine_pages) + sizeof s->machine_pages;
	return s->size >= end ? s->machine_pages : 0;
}

/* The new task and its first thread, as capabilities of the caller. */
struct keel_child {
	cap_handle_t task;   /* every right */
	cap_handle_t thread; /* every right */
};

/*
 * Prepares sp from the caller's start page (bundle, bundle_bytes,
 * cpu_count) with the default addresses; nothing is mapped yet. Callers
 * may change the addresses before the first keel_spawn().
 */
void keel_spawner_init(struct keel_spawner *sp, const struct keel_start *self);

/* Unmaps the bundle if the spawner mapped it. Returns the unmap status. */
status_t keel_spawner_fini(struct keel_spawner *sp);

/*
 * Finds the regular file name in the bundle (a plain file such as a boot
 * list, or an executable) and points *data and *size at its bytes, which
 * stay valid until keel_spawner_fini. Maps the bundle on first use.
 * Returns STATUS_OK, NOT_FOUND when there is no such file or the spawner
 * has no bundle, ustar_find's EXISTS or BAD_FORMAT, or the status of
 * mapping the bundle.
 */
status_t keel_spawner_file(struct keel_spawner *sp, const char *name, const void **data,
			   size_t *size);

/*
 * Finds the manifest text embedded in the executable name (its
 * .keel.manifest section, libsys/manifest.S) and points *text and *size
 * at it, unparsed and not NUL-terminated. Returns keel_spawner_file's
 * statuses for name, elf_find_section's NOT_FOUND when the executable
 * carries no manifest or BAD_FORMAT when its section table is malformed.
 */
status_t keel_spawner_manifest(struct keel_spawner *sp, const char *name, const void **text,
			       size_t *size);

/*
 * Starts the bundle member args->name (or the ELF at args->image) as a
 * new task; on success fills
 * *out. Returns STATUS_OK, or on failure (with every capability and
 * mapping it made undone and *out untouched):
 *   ustar_find's NOT_FOUND, EXISTS or BAD_FORMAT for the name;
 *   elf_parse's BAD_FORMAT, RANGE, NO_RIGHTS or FULL for the image;
 *   INVALID for too many caps or a NULL name, RANGE for a cmdline longer
 *   than the start page holds;
 *   any status of the system calls it makes (QUOTA, NO_MEMORY, ...).
 * The child's first thread may run before keel_spawn returns.
 */
status_t keel_spawn(struct keel_spawner *sp, const struct keel_spawn_args *args,
		    struct keel_child *out);

/*
 * The steps of keel_spawn that do not depend on where the program comes
 * from, for loaders that place it themselves (the host port's host_spawn):
 *   keel_spawn_check: INVALID or RANGE for args as keel_spawn reports them;
 *   keel_spawn_start_fill: the start page's fields but the granted handles;
 *   keel_spawn_grant: grants task itself and args' capabilities into task,
 *     recording the handles in *start; the status of the first grant that
 *     failed (the caller undoes by killing the task).
 */
status_t keel_spawn_check(const struct keel_spawn_args *args);
void keel_spawn_start_fill(const struct keel_spawn_args *args, uint32_t cpu_count,
			   struct keel_start *start);
status_t keel_spawn_grant(cap_handle_t task, const struct keel_spawn_args *args,
			  struct keel_start *start);

#endif
