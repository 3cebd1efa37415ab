/*
 * harness.h - vfsd under the host port, for the tests of one test program
 * (check.h's state is per translation unit, so this header holds the
 * definitions): the test plays initd (spawns vfsd with its manifest's
 * footprint, takes its hello, stops or kills it) and a client (cl, with
 * its buffer attached to root). The device is disk, an image file loaded
 * in memory (img_path, in scratch), served by the back-end below.
 */
#ifndef VFSD_TESTS_HARNESS_H
#define VFSD_TESTS_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "check.h"
#include "host_kernel.h"
#include "imgdev.h"
#include "keel/loop.h"
#include "keel/service.h"
#include "keel/vfs.h"
#include "testutil.h"

#define MS 1000000ull
#define WAIT_TIMEOUT (20000 * MS)

#define SUP_SLOTS 64
#define SUP_BIT 0
#define SUP_BADGE 9

int vfsd_main(const struct keel_start *start);

/* The device vfsd's back-end serves: the test's image in memory. */
static struct imgdev disk;
static const char *scratch;
static char img_path[512];

status_t vfsd_backend_open(const struct keel_start *start, struct arena *arena, struct bdev *dev)
{
	(void)start;
	(void)arena;
	if (!disk.mem)
		return STATUS_NOT_FOUND;
	*dev = disk.dev;
	return STATUS_OK;
}

void vfsd_backend_close(struct bdev *dev)
{
	(void)dev;
}

static cap_handle_t sup_inbox, sup_send, witness;
static struct inbox_ring *sup_ring;
static struct keel_child child;
static cap_handle_t root; /* vfsd's hello: the unbadged root capability */
static struct vfs_client cl;

__attribute__((unused)) static status_t sup_next_event(struct keel_msg *m)
{
	status_t st;
	while ((st = host_ring_next(sup_ring, 1ull << SUP_BIT, WAIT_TIMEOUT, m)) == STATUS_OK &&
	       m->label == SERVICE_HEARTBEAT)
		;
	return st;
}

/* Kills what a previous test left running. */
__attribute__((unused)) static void vfsd_kill(void)
{
	if (child.task != CAP_HANDLE_NONE) {
		sys_task_kill(child.task, 0);
		sys_cap_delete(child.task);
		sys_cap_delete(child.thread);
	}
	if (root != CAP_HANDLE_NONE)
		sys_cap_delete(root);
	child = (struct keel_child){ CAP_HANDLE_NONE, CAP_HANDLE_NONE };
	root = CAP_HANDLE_NONE;
	struct keel_msg m;
	while (inbox_ring_pop(sup_ring, &m))
		if (m.flags & MSG_FLAG_CAP)
			sys_cap_delete(m.cap);
}

/* Starts vfsd with its manifest's footprint over disk; waits for hello. */
__attribute__((unused)) static void vfsd_start(void)
{
	struct keel_msg m;
	struct keel_spawn_args a = {
		.name = "vfsd",
		.arg = 200,
		.fault_inbox = sup_send,
		.supervisor = { sup_send, RIGHT_SEND, SUP_BADGE },
		.witness = { witness, RIGHT_WRITE, 0 },
		.quota_slots = 512,
		.quota_objects = 64,
		.quota_pages = 1024,
		.tier = THREAD_TIER_MATTER,
		.affinity = 1,
	};
	vfsd_kill();
	CHECK_EQ(host_spawn(&a, vfsd_main, &child), STATUS_OK);
	CHECK_EQ(sup_next_event(&m), STATUS_OK);
	CHECK_EQ(m.label, SERVICE_HELLO);
	CHECK(m.flags & MSG_FLAG_CAP);
	root = m.cap;
	CHECK_EQ(vfs_attach(&cl, root), STATUS_OK);
}

/* Stops vfsd the orderly way and waits for it to exit. */
__attribute__((unused)) static void vfsd_stop(void)
{
	struct keel_msg m = { .label = VFS_STOP };
	CHECK_EQ(sys_msg_call(root, &m, WAIT_TIMEOUT), STATUS_OK);
	CHECK_EQ(m.label, VFS_REPLY);
	host_clock_advance(10 * MS);
	vfsd_kill();
}

/* Loads a fresh FAT32 image with a few files put there by mtools. */
__attribute__((unused)) static void fresh_image(void)
{
	int status;
	imgdev_free(&disk);
	snprintf(img_path, sizeof img_path, "%s/vol.img", scratch);
	CHECK_EQ(make_image(img_path, "-F 32 -s 1 -S 512", 40 * 1024), 0);
	free(sh(&status,
		"cd '%s' && printf 'hello from mtools\\n' > hello.txt && mmd -i vol.img ::/docs && "
		"mcopy -i vol.img hello.txt '::/docs/Read Me.txt'",
		scratch));
	CHECK_EQ(status, 0);
	CHECK_EQ(imgdev_load(&disk, img_path, 512), 0);
}

/* Saves the image and checks it with fsck.fat -n. */
__attribute__((unused)) static void image_clean(void)
{
	char *out = NULL;
	CHECK_EQ(imgdev_save(&disk, img_path), 0);
	int clean = fsck_clean(img_path, &out);
	if (!clean)
		printf("fsck.fat: %s\n", out);
	free(out);
	CHECK(clean);
}

/* Writes the whole of data to path below dir, creating it. */
__attribute__((unused)) static void put_file(cap_handle_t dir, const char *path, const void *data,
					     size_t len)
{
	cap_handle_t f;
	size_t done;
	CHECK_EQ(vfs_open(&cl, dir, path, VFS_O_CREATE | VFS_O_TRUNC, VFS_R_READ | VFS_R_WRITE, &f,
			  NULL),
		 STATUS_OK);
	CHECK_EQ(vfs_write(&cl, f, 0, data, len, &done), STATUS_OK);
	CHECK_EQ(done, len);
	CHECK_EQ(vfs_close(&cl, f), STATUS_OK);
}

/* Reads path below dir into buf (cap bytes); returns its length. */
__attribute__((unused)) static size_t get_file(cap_handle_t dir, const char *path, void *buf,
					       size_t cap)
{
	cap_handle_t f;
	size_t done = 0;
	struct vfs_stat st;
	CHECK_EQ(vfs_open(&cl, dir, path, VFS_O_FILE, VFS_R_READ, &f, &st), STATUS_OK);
	CHECK_EQ(vfs_read(&cl, f, 0, buf, cap, &done), STATUS_OK);
	CHECK_EQ(done, st.size < cap ? st.size : cap);
	vfs_close(&cl, f);
	return done;
}

/* Sets up the supervisor inbox and the client; 0 on success. */
__attribute__((unused)) static int harness_init(const struct keel_start *start)
{
	witness = start->witness;
	if (loop_inbox_open(SUP_SLOTS, SUP_BIT, &sup_inbox, &sup_ring) ||
	    sys_cap_derive(sup_inbox, RIGHT_SEND | RIGHT_GRANT, 0, &sup_send) ||
	    vfs_client_init(&cl, 16))
		return -1;
	return 0;
}

#endif
