/*
 * main.c - vfsd: serves the FAT volume of its block device as file and
 * directory capabilities (keel/vfs.h, docs/files.md).
 *
 * Set-up: one memory object holds the service state and the engine's
 * arena, half of the manifest's memory quota but at most 1/16 of the
 * machine's memory (at least 64 pages): an eighth of it for the
 * directory index (docs/fat.md), the rest the sector cache; the block device comes from the back-end (backend.h); mounting marks
 * the volume dirty. Then the canonical loop. The supervisor's VFS_STOP or
 * SERVICE_STOP (or the loop failing) ends it: everything is written back
 * and the volume marked clean before the service exits.
 */
#include <sys/random.h>
#include <time.h>

#include "backend.h"
#include "keel/map.h"
#include "keel/service.h"
#include "keel/spawn.h"
#include "keel/sys.h"
#include "server.h"

#define INBOX_BIT 0
#define INBOX_SLOTS 128
#define MAX_NODES 256     /* open objects in the engine */
#define RESERVE_PAGES 128 /* of the quota: rings, buffers, page tables, stacks */
#define MIN_ARENA_PAGES 64
#define MACHINE_SHARE 16 /* the arena takes at most 1/16 of the managed memory */

struct vfsd_main {
	struct loop loop;
	struct vfsd v;
	struct bdev dev;
	struct arena arena;
};

/* 48 random bits for a badge (getrandom: RDRAND on Keel). */
static uint64_t nonce_random(void *ctx)
{
	(void)ctx;
	uint64_t n = 0;
	while (getrandom(&n, sizeof n, 0) != (ssize_t)sizeof n)
		;
	return n;
}

static int64_t wall_seconds(void *ctx)
{
	(void)ctx;
	return (int64_t)time(NULL);
}

/* The arena's pages: half the quota, at most 1/16 of the machine's
 * memory (a machine of 32 MiB or more gives the whole half of the boot
 * manifest's 4 MiB), at least 64 pages. */
static uint64_t arena_pages(const struct keel_start *s)
{
	uint64_t pages = s->quota_pages > 2 * RESERVE_PAGES ? s->quota_pages / 2 : MIN_ARENA_PAGES;
	uint64_t machine = keel_start_machine_pages(s); /* 0: unknown, no limit */

	if (machine && pages > machine / MACHINE_SHARE)
		pages = machine / MACHINE_SHARE;
	return pages < MIN_ARENA_PAGES ? MIN_ARENA_PAGES : pages;
}

/* Maps the state and the arena (arena_pages). */
static status_t state_alloc(const struct keel_start *s, struct vfsd_main **out)
{
	uint64_t pages = arena_pages(s);
	size_t head = (sizeof(struct vfsd_main) + KEEL_PAGE_SIZE - 1) &
		      ~(size_t)(KEEL_PAGE_SIZE - 1);
	cap_handle_t mem;
	void *addr;
	status_t st = sys_memory_create(pages, 0, &mem);
	if (st)
		return st;
	st = keel_map(mem, 0, pages, RIGHT_READ | RIGHT_WRITE, &addr);
	sys_cap_delete(mem); /* the mapping keeps the pages */
	if (st)
		return st;
	*out = addr;
	arena_init(&(*out)->arena, (uint8_t *)addr + head, pages * KEEL_PAGE_SIZE - head);
	return STATUS_OK;
}

/* Opens the device and mounts the volume, reporting what it found. */
static status_t mount_volume(const struct keel_start *s, struct vfsd_main *m)
{
	status_t st = vfsd_backend_open(s, &m->arena, &m->dev);
	if (st)
		return st;
	if (arena_remaining(&m->arena) < fat_mount_overhead(MAX_NODES) + 64 + 64 * 1024)
		return STATUS_NO_MEMORY; /* a manifest too small for the node table and a cache */
	size_t index = arena_remaining(&m->arena) / 8;
	struct fat_mount_params p = {
		.dev = &m->dev,
		.arena = &m->arena,
		.max_nodes = MAX_NODES,
		.index_bytes = index,
		.cache_bytes = arena_remaining(&m->arena) - fat_mount_overhead(MAX_NODES) - 64 -
			       index,
		.clock = wall_seconds,
		.flags = FAT_MOUNT_TRUST_FSINFO, /* no full FAT scan at boot */
	};
	st = fat_mount(&m->v.vol, &p, &m->v.info);
	if (st)
		return st;
	keel_print(s->witness, "vfsd: mounted FAT%u, %u of %u clusters free, cache %u sectors%s\n",
		   (unsigned)m->v.info.kind, m->v.info.free_clusters, m->v.info.clusters,
		   m->v.info.cache_sectors,
		   m->v.info.was_dirty ? "; it was not cleanly unmounted" : "");
	return STATUS_OK;
}

int keel_main(const struct keel_start *s)
{
	struct vfsd_main *m;
	struct inbox_ring *ring;
	cap_handle_t inbox;
	status_t st = state_alloc(s, &m);
	if (st == STATUS_OK)
		st = mount_volume(s, m);
	if (st) {
		keel_print(s->witness, "vfsd: cannot mount: %s\n", status_message(st));
		return 3;
	}
	if (loop_inbox_open(INBOX_SLOTS, INBOX_BIT, &inbox, &ring) ||
	    loop_init(&m->loop, &sysops_kernel, ring, INBOX_BIT) ||
	    vfsd_init(&m->v, inbox, nonce_random, NULL) || vfsd_register(&m->v, &m->loop) ||
	    service_hello(s, inbox) || service_heartbeat_start(&m->loop, s))
		return 1;
	st = loop_run(&m->loop);
	status_t down = vfsd_shutdown(&m->v);
	vfsd_backend_close(&m->dev);
	if (down)
		keel_print(s->witness, "vfsd: unmount failed: %s\n", status_message(down));
	return st == STATUS_OK && down == STATUS_OK ? 0 : 2;
}
