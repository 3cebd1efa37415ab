/*
 * Host tests for keel/peers.h: registering peers and applying the peer
 * updates a supervisor sends. The only kernel call peers make is deleting
 * capabilities; the fake here records which.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "keel/peers.h"

#define DELETED_MAX 8

static cap_handle_t deleted[DELETED_MAX];
static unsigned ndeleted;

static status_t fake_delete(void *ctx, cap_handle_t cap)
{
	(void)ctx;
	if (ndeleted < DELETED_MAX)
		deleted[ndeleted] = cap;
	ndeleted++;
	return STATUS_OK;
}

static const struct sysops ops = { .cap_delete = fake_delete };
static struct peers p;

static void setup(void)
{
	ndeleted = 0;
	peers_init(&p, &ops);
	CHECK_EQ(peers_add(&p, "echo", 5), STATUS_OK);
}

/* A peer update for name, as the supervisor sends it (badge 0). */
static struct keel_msg update(const char *name, cap_handle_t handle)
{
	struct peer_update u = { .handle = handle };
	struct keel_msg m = { .len = sizeof u };
	memcpy(u.name, name, strlen(name));
	memcpy(m.payload, &u, sizeof u);
	return m;
}

TEST(an_update_replaces_the_capability_and_deletes_the_old_one)
{
	setup();
	CHECK_EQ(peers_cap(&p, "echo"), 5);
	struct keel_msg m = update("echo", 9);
	CHECK_EQ(peers_update(&p, &m), STATUS_OK);
	CHECK_EQ(peers_cap(&p, "echo"), 9);
	CHECK_EQ(peers_find(&p, "echo")->updates, 1);
	CHECK_EQ(ndeleted, 1);
	CHECK_EQ(deleted[0], 5);
}

TEST(an_update_from_anyone_but_the_supervisor_is_refused)
{
	setup();
	struct keel_msg m = update("echo", 9);
	m.badge = 3; /* a client's badged capability */
	CHECK_EQ(peers_update(&p, &m), STATUS_NO_RIGHTS);
	CHECK_EQ(peers_cap(&p, "echo"), 5);
	CHECK_EQ(ndeleted, 0);
}

TEST(an_update_for_an_unregistered_peer_deletes_the_new_capability)
{
	setup();
	struct keel_msg m = update("vfs", 9);
	CHECK_EQ(peers_update(&p, &m), STATUS_NOT_FOUND);
	CHECK_EQ(ndeleted, 1);
	CHECK_EQ(deleted[0], 9);
	CHECK_EQ(peers_cap(&p, "echo"), 5);
}

TEST(malformed_updates_are_refused_and_change_nothing)
{
	setup();
	struct keel_msg m = update("echo", 9);
	m.len = 39;
	CHECK_EQ(peers_update(&p, &m), STATUS_BAD_FORMAT);
	m = update("echo", 9);
	m.payload[6] = 'x'; /* a byte after the padding started */
	CHECK_EQ(peers_update(&p, &m), STATUS_BAD_FORMAT);
	m = update("", 9);
	CHECK_EQ(peers_update(&p, &m), STATUS_BAD_FORMAT);
	m = update("echo", CAP_HANDLE_NONE);
	CHECK_EQ(peers_update(&p, &m), STATUS_BAD_FORMAT);
	m = update("echo", 9);
	m.payload[36] = 1; /* reserved */
	CHECK_EQ(peers_update(&p, &m), STATUS_BAD_FORMAT);
	CHECK_EQ(peers_cap(&p, "echo"), 5);
	CHECK_EQ(ndeleted, 0);
}

TEST(a_name_of_the_full_32_characters_fills_the_payload_without_a_nul)
{
	const char *name = "abcdefghijklmnopqrstuvwxyz012345";
	setup();
	CHECK_EQ(peers_add(&p, name, 6), STATUS_OK);
	struct keel_msg m = update(name, 10);
	CHECK_EQ(peers_update(&p, &m), STATUS_OK);
	CHECK_EQ(peers_cap(&p, name), 10);
}

TEST(a_capability_sent_along_with_an_update_is_deleted)
{
	setup();
	struct keel_msg m = update("echo", 9);
	m.flags = MSG_FLAG_CAP;
	m.cap = 7;
	CHECK_EQ(peers_update(&p, &m), STATUS_OK);
	CHECK_EQ(ndeleted, 2);
	CHECK_EQ(deleted[0], 7);
}

TEST(add_rejects_bad_names_duplicates_and_too_many)
{
	setup();
	CHECK_EQ(peers_add(&p, "echo", 6), STATUS_EXISTS);
	CHECK_EQ(peers_add(&p, "", 6), STATUS_INVALID);
	CHECK_EQ(peers_add(&p, "abcdefghijklmnopqrstuvwxyz0123456", 6), STATUS_INVALID);
	char name[3] = "p0";
	for (unsigned i = 1; i < PEERS_MAX; i++) {
		name[1] = (char)('a' + i);
		CHECK_EQ(peers_add(&p, name, i), STATUS_OK);
	}
	CHECK_EQ(peers_add(&p, "last", 6), STATUS_FULL);
	CHECK_EQ(peers_cap(&p, "nobody"), CAP_HANDLE_NONE);
	CHECK(peers_find(&p, "nobody") == NULL);
}

int main(void)
{
	RUN(an_update_replaces_the_capability_and_deletes_the_old_one);
	RUN(an_update_from_anyone_but_the_supervisor_is_refused);
	RUN(an_update_for_an_unregistered_peer_deletes_the_new_capability);
	RUN(malformed_updates_are_refused_and_change_nothing);
	RUN(a_name_of_the_full_32_characters_fills_the_payload_without_a_nul);
	RUN(a_capability_sent_along_with_an_update_is_deleted);
	RUN(add_rejects_bad_names_duplicates_and_too_many);
	return check_summary();
}
