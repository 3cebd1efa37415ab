/*
 * fuzz_requests.c - libFuzzer target: vfsd's protocol handlers (ops.c,
 * records.c, unmodified) against arbitrary sequences of requests.
 *
 * The volume is a FAT16 image built here in memory (restored after each
 * input); the kernel is a fake behind keel_host_syscall (derive hands out
 * numbered handles and remembers their badges; cap_info describes a
 * received capability as the input says), and keel_map gives the client
 * buffer, whose bytes come from the input too. An input is records of
 *
 *   u8 label index, u8 badge selector, u8 flags, u8 len, 40 payload bytes
 *
 * The selector picks the root (badge 0), a capability vfsd handed out
 * earlier, or a made-up badge; flags make the request a send instead of a
 * call, describe the capability a send carries (memory or not, rights),
 * or make the answer fail as if the caller had gone. Statuses are not judged; crashes,
 * sanitizer reports and hangs are, and at the end every record must be
 * freed by vfsd_shutdown and the volume must unmount.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imgdev.h"
#include "keel/map.h"
#include "keel/sys.h"
#include "server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SECTORS 16384u /* 8 MiB, 512-byte sectors, 1 per cluster: FAT16 */
#define FAT_SECTORS 64u
#define ROOT_ENTRIES 512u
#define HANDLES 4096u
#define SHM_BYTES (16u * 4096)
#define RECORD 44u

static struct imgdev base, img;
static uint64_t badge_of_handle[HANDLES];
static uint32_t next_handle = 100;
static uint8_t shm[SHM_BYTES] __attribute__((aligned(4096)));
static uint64_t cap_info_word;
static int reply_fails; /* the caller is gone: answers fail with DEAD */

/* The fake kernel: only what vfsd's handlers call. */
uint64_t keel_host_syscall(uint64_t nr, const uint64_t args[6], uint64_t ret[2])
{
	switch (nr) {
	case SYS_CAP_DERIVE:
		if (next_handle >= HANDLES)
			return STATUS_FULL;
		badge_of_handle[next_handle] = args[2];
		ret[0] = next_handle++;
		return STATUS_OK;
	case SYS_CAP_INFO:
		ret[0] = cap_info_word;
		ret[1] = 0;
		return STATUS_OK;
	case SYS_MSG_REPLY:
		return reply_fails ? STATUS_DEAD : STATUS_OK;
	case SYS_CAP_DELETE:
	case SYS_MEMORY_UNMAP:
		return STATUS_OK;
	default:
		return STATUS_NO_SYSCALL;
	}
}

status_t keel_map(cap_handle_t memory, uint64_t first, uint64_t pages, uint32_t prot, void **addr)
{
	(void)memory, (void)first, (void)prot;
	if (pages * 4096 > SHM_BYTES)
		return STATUS_RANGE; /* as the kernel would for a smaller object */
	*addr = shm;
	return STATUS_OK;
}

status_t keel_unmap(void *addr, uint64_t pages)
{
	(void)addr, (void)pages;
	return STATUS_OK;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
}

/* A FAT16 volume as mkfs.fat would make it: boot sector, two FATs, root. */
static void make_volume(struct imgdev *d)
{
	uint8_t *b = d->mem;
	memcpy(b, "\xeb\x3c\x90KEELFUZZ", 11);
	put16(b + 11, 512);
	b[13] = 1;        /* sectors per cluster */
	put16(b + 14, 1); /* reserved */
	b[16] = 2;        /* FATs */
	put16(b + 17, ROOT_ENTRIES);
	put16(b + 19, SECTORS);
	b[21] = 0xf8;
	put16(b + 22, FAT_SECTORS);
	put16(b + 24, 32);
	put16(b + 26, 64);
	b[38] = 0x29;
	memcpy(b + 43, "NO NAME    FAT16   ", 19);
	b[510] = 0x55, b[511] = 0xaa;
	for (unsigned f = 0; f < 2; f++) {
		uint8_t *fat = b + 512 * (1 + f * FAT_SECTORS);
		put16(fat, 0xfff8);
		put16(fat + 2, 0xffff);
	}
}

static int init(void)
{
	if (imgdev_zero(&base, (uint64_t)SECTORS * 512, 512))
		return -1;
	make_volume(&base);
	return imgdev_copy(&img, &base);
}

/* Nonces that differ; unpredictability is not what is fuzzed here. */
static uint64_t counter_nonce(void *ctx)
{
	static uint64_t n;
	(void)ctx;
	return ++n * 0x9e3779b97f4a7c15ull;
}

/* The badge a selector names: root, an earlier capability, or made up. */
static uint64_t pick_badge(uint8_t sel, const uint8_t *payload)
{
	if (sel == 0)
		return 0;
	if (sel >= 0xf0) {
		uint64_t b;
		memcpy(&b, payload + 32, 8);
		return b;
	}
	uint32_t h = 100 + sel - 1u;
	return h < next_handle ? badge_of_handle[h] : 0;
}

static const uint32_t labels[] = {
	VFS_ATTACH,  VFS_OPEN, VFS_MKDIR, VFS_UNLINK,   VFS_RMDIR,  VFS_RENAME,  VFS_STAT,
	VFS_READDIR, VFS_READ, VFS_WRITE, VFS_TRUNCATE, VFS_FSYNC,  VFS_SYNC,    VFS_CLOSE,
	VFS_DUP,     VFS_STOP, VFS_SEEK,  VFS_SETTIMES, VFS_STATFS, VFS_SETMODE, 0x12345678u,
};

/* Runs one request through the handler registered for its label. */
static void one_request(struct loop *loop, const uint8_t *r)
{
	struct keel_msg m = { .label = labels[r[0] % (sizeof labels / sizeof labels[0])] };
	m.len = r[3] % (MSG_PAYLOAD_MAX + 1);
	memcpy(m.payload, r + 4, m.len);
	m.badge = pick_badge(r[1], r + 4);
	if (!(r[2] & 1) || m.label == VFS_ATTACH) {
		m.flags = MSG_FLAG_CAP | (m.label == VFS_ATTACH ? 0 : MSG_FLAG_CAP_ONCE);
		m.cap = 7;
	}
	reply_fails = (r[2] & 8) != 0;
	cap_info_word = (uint64_t)(r[2] & 2 ? OBJ_INBOX : OBJ_MEMORY) |
			(uint64_t)(r[2] & 4 ? RIGHT_READ : RIGHT_READ | RIGHT_WRITE | RIGHT_MAP)
				<< 32;
	for (unsigned i = 0; i < loop->nhandlers; i++) {
		if (loop->handlers[i].label != m.label)
			continue;
		struct loop_reply reply;
		memset(&reply, 0, sizeof reply);
		loop->handlers[i].fn(loop, &m, &reply, loop->handlers[i].ctx);
		return;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	static struct vfsd v;
	static struct loop loop;
	static uint8_t arena_mem[1 << 20];
	static struct inbox_ring ring_mem[2];
	if (!ready && init() == 0)
		ready = 1;
	if (ready != 1 || size < 16)
		return 0;
	imgdev_revert(&img, &base);
	next_handle = 100;
	memcpy(shm, data, size < SHM_BYTES ? size : SHM_BYTES); /* the client buffer's bytes */
	struct arena a;
	arena_init(&a, arena_mem, sizeof arena_mem);
	struct fat_mount_params p = {
		.dev = &img.dev, .arena = &a, .max_nodes = 64, .cache_bytes = 256 * 1024
	};
	ring_mem[0].capacity = 1;
	if (fat_mount(&v.vol, &p, NULL) || loop_init(&loop, &sysops_kernel, ring_mem, 0) ||
	    vfsd_init(&v, 1, counter_nonce, NULL) || vfsd_register(&v, &loop))
		abort(); /* the volume made here always mounts */
	for (size_t off = 0; off + RECORD <= size && !v.stopped; off += RECORD)
		one_request(&loop, data + off);
	vfsd_shutdown(&v);
	for (size_t i = 0; i < VFSD_RECS; i++)
		if (v.recs[i].used)
			abort();
	for (size_t i = 0; i < VFSD_POSS; i++)
		if (v.poss[i].refs)
			abort(); /* a shared position outlived its records */
	return 0;
}
