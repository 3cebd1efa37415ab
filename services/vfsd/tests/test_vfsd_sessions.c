/*
 * test_vfsd_sessions.c - how vfsd frees the records of clients that are
 * gone (sessions.c, docs/files.md "Sessions"), with vfsd's unmodified
 * code under the host port: a client task opens many objects through its
 * session and is killed without closing any; ending the session brings
 * vfsd's counts (VFS_STATS) back to where they were. A thousand sessions
 * in a row leak nothing (the table holds 256 records). Nested sessions end
 * with their parent; records outside the session are untouched; every
 * holder of a freed record gets STATUS_STALE; and the requests are
 * checked for who may do what.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "keel/loop.h"
#include "keel/vfs.h"
#include "testutil.h"

#define CLIENT_DONE 0x5e550001u
#define CLIENT_BADGE 77
#define CLIENT_FILES 40

static struct vfs_stats stats(void)
{
	struct vfs_stats s = { 0 };
	CHECK_EQ(vfs_stats(&cl, root, &s), STATUS_OK);
	return s;
}

/* The client: as the C library does, its own duplicate of the root it was
 * given with its own buffer; then files and a directory, left open; it
 * reports and waits to be killed. caps[0]: the session, caps[1]: where to
 * report. */
static int client_main(const struct keel_start *s)
{
	struct vfs_client c;
	cap_handle_t mine, d, f;
	char name[32];
	size_t done;
	struct keel_msg m = { .label = CLIENT_DONE };
	if (vfs_client_init(&c, 4) || vfs_dup(&c, s->caps[0], VFS_R_ALL, &mine, NULL) ||
	    vfs_attach(&c, mine) || vfs_mkdir(&c, mine, "client"))
		return 1;
	if (vfs_open(&c, mine, "client", VFS_O_DIR, VFS_R_ALL, &d, NULL))
		return 2;
	for (int i = 0; i < CLIENT_FILES; i++) {
		snprintf(name, sizeof name, "file %d.txt", i);
		if (vfs_open(&c, d, name, VFS_O_CREATE, VFS_R_READ | VFS_R_WRITE, &f, NULL) ||
		    vfs_write(&c, f, 0, name, strlen(name), &done))
			return 3;
	}
	sys_msg_send(s->caps[1], &m, CAP_HANDLE_NONE, 0);
	for (;;)
		host_clock_advance(1000 * MS);
}

/* Starts client_main with session; returns once it has opened its files. */
static void client_run(cap_handle_t session, struct keel_child *out)
{
	struct keel_msg m;
	struct keel_spawn_args a = {
		.name = "client",
		.caps = { { session, RIGHT_SEND, 0 }, { sup_send, RIGHT_SEND, CLIENT_BADGE } },
		.cap_count = 2,
		.quota_slots = 256,
		.quota_objects = 32,
		.quota_pages = 256,
		.tier = THREAD_TIER_MATTER,
		.affinity = 1,
	};
	CHECK_EQ(host_spawn(&a, client_main, out), STATUS_OK);
	CHECK_EQ(sup_next_event(&m), STATUS_OK);
	CHECK_EQ(m.label, CLIENT_DONE);
	CHECK_EQ(m.badge, CLIENT_BADGE);
}

TEST(a_killed_clients_records_are_freed_when_its_session_ends)
{
	struct keel_child c;
	cap_handle_t session, outside;
	struct vfs_stat st;
	fresh_image();
	vfsd_start();
	CHECK_EQ(vfs_open(&cl, root, "docs", VFS_O_DIR, VFS_R_READ, &outside, NULL), STATUS_OK);
	struct vfs_stats base = stats();
	CHECK_EQ(base.records, 1);
	CHECK_EQ(base.sessions, 0);
	CHECK_EQ(base.records_max, 256);
	/* initd's part: a session from the root for the app. */
	CHECK_EQ(vfs_session(&cl, root, 0, &session, &st), STATUS_OK);
	CHECK_EQ(st.type, VFS_TYPE_DIR);
	CHECK_EQ(st.rights, VFS_R_ALL);
	client_run(session, &c);
	struct vfs_stats during = stats();
	CHECK_EQ(during.records,
		 base.records + 1 + 1 + 1 + CLIENT_FILES); /* head, dup, dir, files */
	CHECK_EQ(during.sessions, 1);
	CHECK_EQ(during.buffers, base.buffers + 1);
	/* The client dies without closing anything; initd ends its session. */
	CHECK_EQ(sys_task_kill(c.task, 0), STATUS_OK);
	sys_cap_delete(c.task);
	sys_cap_delete(c.thread);
	CHECK_EQ(stats().records, during.records); /* vfsd is not told of deaths */
	CHECK_EQ(vfs_close_send(session), STATUS_OK);
	struct vfs_stats after = stats();
	CHECK_EQ(after.records, base.records);
	CHECK_EQ(after.sessions, 0);
	CHECK_EQ(after.buffers, base.buffers);
	CHECK_EQ(after.ended, during.records - base.records - 1);
	CHECK_EQ(after.bad_requests, base.bad_requests);
	/* What it wrote is there; the record outside its session still works. */
	char buf[32] = { 0 };
	CHECK_EQ(get_file(root, "client/file 39.txt", buf, sizeof buf), 11);
	CHECK_STR(buf, "file 39.txt");
	CHECK_EQ(vfs_stat(&cl, outside, &st), STATUS_OK);
	vfs_close(&cl, outside);
	vfsd_stop();
	image_clean();
}

TEST(a_thousand_sessions_leak_nothing)
{
	cap_handle_t session, d, f;
	fresh_image();
	vfsd_start();
	struct vfs_stats base = stats();
	for (int i = 0; i < 1000; i++) {
		CHECK_EQ(vfs_session(&cl, root, 0, &session, NULL), STATUS_OK);
		CHECK_EQ(vfs_open(&cl, session, "docs", VFS_O_DIR, VFS_R_READ, &d, NULL),
			 STATUS_OK);
		for (int k = 0; k < 4; k++) {
			CHECK_EQ(vfs_open(&cl, d, "Read Me.txt", 0, VFS_R_READ, &f, NULL),
				 STATUS_OK);
			sys_cap_delete(f); /* "dies" holding it */
		}
		sys_cap_delete(d);
		if (i % 2)
			CHECK_EQ(vfs_close_send(session), STATUS_OK);
		else
			CHECK_EQ(vfs_close(&cl, session), STATUS_OK);
	}
	struct vfs_stats after = stats();
	CHECK_EQ(after.records, base.records);
	CHECK_EQ(after.sessions, 0);
	CHECK_EQ(after.ended, 5000);
	vfsd_stop();
	image_clean();
}

TEST(nested_sessions_end_with_their_parent_and_holders_see_stale)
{
	cap_handle_t a, b, c, fa, fb, fb2, docs, keep, copy = CAP_HANDLE_NONE;
	char buf[8];
	size_t done;
	fresh_image();
	vfsd_start();
	struct vfs_stats base = stats();
	CHECK_EQ(vfs_open(&cl, root, "docs/Read Me.txt", 0, VFS_R_READ, &keep, NULL), STATUS_OK);
	CHECK_EQ(vfs_session(&cl, root, 0, &a, NULL), STATUS_OK);
	CHECK_EQ(vfs_open(&cl, a, "docs/Read Me.txt", 0, VFS_R_READ, &fa, NULL), STATUS_OK);
	CHECK_EQ(vfs_session(&cl, a, 0, &b, NULL), STATUS_OK); /* nested in a */
	CHECK_EQ(vfs_open(&cl, b, "docs", VFS_O_DIR, VFS_R_READ, &docs, NULL), STATUS_OK);
	CHECK_EQ(vfs_open(&cl, docs, "Read Me.txt", 0, VFS_R_READ, &fb, NULL), STATUS_OK);
	CHECK_EQ(vfs_dup(&cl, fb, VFS_R_READ, &fb2, NULL), STATUS_OK);
	/* The supervisor's way: a session from a record named by its badge. */
	uint64_t info = 0, docs_badge = 0;
	CHECK_EQ(sys_cap_info(docs, &info, &docs_badge), STATUS_OK);
	CHECK_EQ(vfs_session(&cl, root, docs_badge, &c, NULL), STATUS_OK); /* nested in b */
	CHECK_EQ(sys_cap_derive(fb, RIGHT_SEND, 0, &copy), STATUS_OK);     /* another holder */
	CHECK_EQ(stats().sessions, 3);
	/* Closing a member ends nothing. */
	CHECK_EQ(vfs_close(&cl, fb2), STATUS_OK);
	CHECK_EQ(vfs_read(&cl, fb, 0, buf, 5, &done), STATUS_OK);
	/* Ending b ends c with it, not a. */
	CHECK_EQ(vfs_close(&cl, b), STATUS_OK);
	CHECK_EQ(vfs_read(&cl, fb, 0, buf, 5, &done), STATUS_STALE);
	CHECK_EQ(vfs_read(&cl, copy, 0, buf, 5, &done), STATUS_STALE);
	CHECK_EQ(vfs_stat(&cl, c, &(struct vfs_stat){ 0 }), STATUS_STALE);
	CHECK_EQ(vfs_stat(&cl, docs, &(struct vfs_stat){ 0 }), STATUS_STALE);
	CHECK_EQ(vfs_read(&cl, fa, 0, buf, 5, &done), STATUS_OK);
	CHECK_EQ(stats().sessions, 1);
	/* Ending a again: its head's badge is stale, as is everything in it. */
	CHECK_EQ(sys_cap_derive(a, RIGHT_SEND, 0, &copy), STATUS_OK);
	CHECK_EQ(vfs_close(&cl, a), STATUS_OK);
	CHECK_EQ(vfs_close(&cl, copy), STATUS_STALE);
	CHECK_EQ(vfs_read(&cl, fa, 0, buf, 5, &done), STATUS_STALE);
	/* Outside every session: untouched. */
	CHECK_EQ(vfs_read(&cl, keep, 0, buf, 5, &done), STATUS_OK);
	CHECK_EQ(memcmp(buf, "hello", 5), 0);
	vfs_close(&cl, keep);
	sys_cap_delete(fb), sys_cap_delete(fa), sys_cap_delete(docs), sys_cap_delete(c);
	CHECK_EQ(stats().records, base.records);
	vfsd_stop();
	image_clean();
}

TEST(session_and_close_requests_are_checked)
{
	cap_handle_t d, f, s, x = CAP_HANDLE_NONE;
	struct keel_msg m;
	fresh_image();
	vfsd_start();
	CHECK_EQ(vfs_open(&cl, root, "docs", VFS_O_DIR, VFS_R_READ, &d, NULL), STATUS_OK);
	CHECK_EQ(vfs_open(&cl, d, "Read Me.txt", 0, VFS_R_READ, &f, NULL), STATUS_OK);
	uint64_t info = 0, fbadge = 0, dbadge = 0;
	CHECK_EQ(sys_cap_info(f, &info, &fbadge), STATUS_OK);
	CHECK_EQ(sys_cap_info(d, &info, &dbadge), STATUS_OK);
	/* Only the supervisor names another record; a file has no session. */
	CHECK_EQ(vfs_session(&cl, d, fbadge, &x, NULL), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_session(&cl, d, dbadge, &x, NULL), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_session(&cl, f, 0, &x, NULL), STATUS_INVALID);
	CHECK_EQ(vfs_session(&cl, root, fbadge, &x, NULL), STATUS_INVALID);
	CHECK_EQ(vfs_session(&cl, root, (fbadge ^ 0x10000) | 1, &x, NULL), STATUS_STALE);
	/* A session from a read-only directory is read-only. */
	struct vfs_stat st;
	CHECK_EQ(vfs_session(&cl, root, dbadge, &s, &st), STATUS_OK);
	CHECK_EQ(st.rights, VFS_R_READ);
	CHECK_EQ(vfs_open(&cl, s, "new.txt", VFS_O_CREATE, VFS_R_READ, &x, NULL), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_dup(&cl, s, VFS_R_ALL, &x, NULL), STATUS_NO_RIGHTS);
	/* A session sent, not called, makes nothing; the capability it carried goes. */
	struct vfs_stats before = stats();
	m = (struct keel_msg){ .label = VFS_SESSION };
	CHECK_EQ(sys_cap_derive(d, RIGHT_SEND | RIGHT_GRANT, 0, &x), STATUS_OK);
	CHECK_EQ(sys_msg_send(d, &m, x, CAP_MOVE), STATUS_OK);
	/* Closing by a send: made-up and root badges refused, counted. */
	m = (struct keel_msg){ .label = VFS_CLOSE };
	CHECK_EQ(sys_cap_derive(root, RIGHT_SEND, 0x1234560001ull, &x), STATUS_OK);
	CHECK_EQ(vfs_close_send(x), STATUS_OK);
	CHECK_EQ(sys_msg_send(root, &m, CAP_HANDLE_NONE, 0), STATUS_OK);
	struct vfs_stats after = stats();
	CHECK_EQ(after.records, before.records);
	CHECK_EQ(after.bad_requests, before.bad_requests + 3);
	CHECK_EQ(vfs_stat(&cl, root, &st), STATUS_OK); /* the root is not closed */
	/* Statistics need a live record. */
	CHECK_EQ(vfs_close(&cl, f), STATUS_OK);
	CHECK_EQ(sys_cap_derive(d, RIGHT_SEND, 0, &x), STATUS_OK);
	CHECK_EQ(vfs_close(&cl, d), STATUS_OK);
	struct vfs_stats dummy;
	CHECK_EQ(vfs_stats(&cl, x, &dummy), STATUS_STALE);
	sys_cap_delete(x);
	vfs_close(&cl, s);
	vfsd_stop();
	image_clean();
}

static int tests(const struct keel_start *start)
{
	if (harness_init(start)) {
		printf("0 passed, 1 failed (set-up)\n");
		return 1;
	}
	RUN(a_killed_clients_records_are_freed_when_its_session_ends);
	RUN(a_thousand_sessions_leak_nothing);
	RUN(nested_sessions_end_with_their_parent_and_holders_see_stale);
	RUN(session_and_close_requests_are_checked);
	vfsd_kill();
	imgdev_free(&disk);
	return check_summary();
}

int main(void)
{
	scratch = test_setup();
	return host_test_main(tests);
}
