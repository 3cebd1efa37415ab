/*
 * test_inbox.c - host tests for inboxes: the ring protocol between the
 * kernel (inbox_post) and the owner (inbox_ring_pop), badge stamping,
 * capability transfer with messages, and an owner that writes garbage into
 * the shared indices.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "core/object/inbox.h"

#define CAP 8
#define GUARD 256

/* Ring memory with guard bytes on both sides to catch stray writes. */
static _Alignas(64) uint8_t mem[GUARD + INBOX_RING_HDR_SIZE + INBOX_MAX_CAPACITY * MSG_SIZE + GUARD];
static struct inbox ib;
static struct inbox_ring *ring;
static struct cslot oslots[64], sslots[64];
static struct cspace owner, sender;
static struct quota q;
static uint64_t signals;
static int destroyed;

static void inbox_destroy(struct kobj *o)
{
	CHECK(o == &ib.obj);
	destroyed++;
}

static const struct kobj_ops ops = { .destroy = inbox_destroy };

static void fill_guards(void)
{
	memset(mem, 0x5a, sizeof mem);
}

static void check_guards(uint32_t capacity)
{
	size_t end = GUARD + inbox_ring_bytes(capacity);

	for (size_t i = 0; i < GUARD; i++)
		CHECK_EQ(mem[i], 0x5a);
	for (size_t i = end; i < end + GUARD; i++)
		CHECK_EQ(mem[i], 0x5a);
}

/* An inbox of the given capacity owned by `owner`, raising bit 1 << 3. */
static void setup(uint32_t capacity)
{
	fill_guards();
	ring = (struct inbox_ring *)(mem + GUARD);
	quota_init(&q, 1000, 10, 1100);
	destroyed = 0;
	signals = 0;
	CHECK_EQ(inbox_init(&ib, ring, capacity, &ops, &q), STATUS_OK);
	CHECK_EQ(cspace_init(&owner, oslots, 64, &q), STATUS_OK);
	CHECK_EQ(cspace_init(&sender, sslots, 64, &q), STATUS_OK);
	inbox_set_owner(&ib, &owner, &signals, 1u << 3);
}

/* Drops every cap and the creator's reference; the inbox must be gone and
 * the account back to zero. */
static void teardown(void)
{
	cspace_clear(&owner);
	cspace_clear(&sender);
	kobj_put(&ib.obj);
	CHECK_EQ(destroyed, 1);
	CHECK_EQ(q.used[QUOTA_SLOTS], 0);
	CHECK_EQ(q.used[QUOTA_OBJECTS], 0);
	CHECK_EQ(q.used[QUOTA_PAGES], 0);
	CHECK_EQ(q.underflows, 0);
}

static status_t post_label(uint32_t label)
{
	return inbox_post(&ib, label, 0, &label, sizeof label, CAP_HANDLE_NONE, 0);
}

TEST(init_validates_and_writes_ring_header)
{
	fill_guards();
	ring = (struct inbox_ring *)(mem + GUARD);
	quota_init(&q, 0, 10, 1100);
	CHECK_EQ(inbox_init(&ib, ring, 0, &ops, &q), STATUS_INVALID);
	CHECK_EQ(inbox_init(&ib, ring, 6, &ops, &q), STATUS_INVALID);
	CHECK_EQ(inbox_init(&ib, ring, INBOX_MAX_CAPACITY * 2, &ops, &q), STATUS_INVALID);
	CHECK_EQ(inbox_init(&ib, (struct inbox_ring *)(mem + GUARD + 8), CAP, &ops, &q),
		 STATUS_INVALID);
	CHECK_EQ(inbox_init(&ib, NULL, CAP, &ops, &q), STATUS_INVALID);
	CHECK_EQ(q.used[QUOTA_OBJECTS], 0);
	CHECK_EQ(mem[GUARD], 0x5a);
	/* 128 + 64 * 64 bytes is two pages. */
	CHECK_EQ(inbox_init(&ib, ring, 64, &ops, &q), STATUS_OK);
	CHECK_EQ(ring->capacity, 64);
	CHECK_EQ(ring->tail, 0);
	CHECK_EQ(ring->head, 0);
	CHECK_EQ(q.used[QUOTA_OBJECTS], 1);
	CHECK_EQ(q.used[QUOTA_PAGES], 2);
	CHECK_EQ(inbox_room(&ib), 64);
	CHECK_EQ(inbox_pending(&ib), 0);
	destroyed = 0;
	kobj_put(&ib.obj);
	CHECK_EQ(destroyed, 1);
	CHECK_EQ(q.used[QUOTA_PAGES], 0);
	/* The full 65536-slot ring costs 1025 pages; the account has 1100. */
	quota_init(&q, 0, 10, 1024);
	CHECK_EQ(inbox_init(&ib, ring, INBOX_MAX_CAPACITY, &ops, &q), STATUS_QUOTA);
	CHECK_EQ(q.used[QUOTA_OBJECTS], 0);
	check_guards(64);
}

TEST(post_then_pop_delivers_every_field)
{
	struct keel_msg m;
	const char text[] = "hello, inbox";

	setup(CAP);
	/* Old bytes in the slot must not show through the payload's tail. */
	memset(ring->msgs, 0xee, CAP * MSG_SIZE);
	CHECK_EQ(inbox_post(&ib, 42, 0xb0b, text, sizeof text, CAP_HANDLE_NONE, 0), STATUS_OK);
	CHECK_EQ(signals, 1u << 3);
	CHECK_EQ(inbox_ring_pending(ring), 1);
	CHECK(inbox_ring_pop(ring, &m));
	CHECK_EQ(m.label, 42);
	CHECK_EQ(m.len, sizeof text);
	CHECK_EQ(m.flags, 0);
	CHECK_EQ(m.badge, 0xb0b);
	CHECK_EQ(m.cap, CAP_HANDLE_NONE);
	CHECK_EQ(m.reserved, 0);
	CHECK_STR((const char *)m.payload, text);
	for (size_t i = sizeof text; i < MSG_PAYLOAD_MAX; i++)
		CHECK_EQ(m.payload[i], 0);
	CHECK(!inbox_ring_pop(ring, &m));
	/* A full 40-byte payload fits; one more byte does not. */
	uint8_t big[MSG_PAYLOAD_MAX + 1];
	memset(big, 7, sizeof big);
	CHECK_EQ(inbox_post(&ib, 1, 0, big, MSG_PAYLOAD_MAX, CAP_HANDLE_NONE, 0), STATUS_OK);
	CHECK_EQ(inbox_post(&ib, 1, 0, big, sizeof big, CAP_HANDLE_NONE, 0), STATUS_INVALID);
	CHECK_EQ(inbox_post(&ib, 1, 0, big, 1, CAP_HANDLE_NONE, 0x80), STATUS_INVALID);
	CHECK(inbox_ring_pop(ring, &m));
	CHECK_EQ(m.len, MSG_PAYLOAD_MAX);
	CHECK_EQ(m.payload[MSG_PAYLOAD_MAX - 1], 7);
	CHECK(!inbox_ring_pop(ring, &m));
	check_guards(CAP);
	teardown();
}

/* msg_payload_trim keeps the first len bytes and clears the rest, for
 * every length; inbox_post_msg then delivers what inbox_post would. */
TEST(trimmed_message_posts_as_inbox_post_does)
{
	struct keel_msg in, a, b;

	setup(CAP);
	for (uint16_t len = 0; len <= MSG_PAYLOAD_MAX; len++) {
		memset(&in, 0xee, sizeof in);
		for (unsigned i = 0; i < MSG_PAYLOAD_MAX; i++)
			in.payload[i] = (uint8_t)(i + 1);
		in.label = 7u + len;
		in.len = len;
		msg_payload_trim(&in);
		for (unsigned i = 0; i < MSG_PAYLOAD_MAX; i++)
			CHECK_EQ(in.payload[i], i < len ? i + 1 : 0);
		CHECK_EQ(in.label, 7u + len); /* the header is left alone */
		memset(ring->msgs, 0xee, CAP * MSG_SIZE);
		CHECK_EQ(inbox_post(&ib, in.label, 0xb0b, in.payload, len, 5, MSG_FLAG_CAP_ONCE),
			 STATUS_OK);
		CHECK_EQ(inbox_post_msg(&ib, &in, 0xb0b, 5, MSG_FLAG_CAP_ONCE), STATUS_OK);
		CHECK(inbox_ring_pop(ring, &a));
		CHECK(inbox_ring_pop(ring, &b));
		CHECK(memcmp(&a, &b, sizeof a) == 0);
		CHECK_EQ(b.flags, MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE);
		CHECK_EQ(b.reserved, 0);
		/* Without a cap the message has no flags. */
		CHECK_EQ(inbox_post_msg(&ib, &in, 0, CAP_HANDLE_NONE, MSG_FLAG_CAP_ONCE),
			 STATUS_OK);
		CHECK(inbox_ring_pop(ring, &b));
		CHECK_EQ(b.flags, 0);
		CHECK_EQ(b.cap, CAP_HANDLE_NONE);
		/* From registers, untrimmed: the same message as inbox_post's. */
		uint64_t w[MSG_PAYLOAD_MAX / 8];
		memset(w, 0xee, sizeof w);
		memcpy(w, in.payload, len);
		CHECK_EQ(inbox_post(&ib, in.label, 0xb0b, in.payload, len, CAP_HANDLE_NONE, 0),
			 STATUS_OK);
		CHECK_EQ(inbox_post_words(&ib, in.label | (uint64_t)len << 32, w, 0xb0b,
					  CAP_HANDLE_NONE),
			 STATUS_OK);
		CHECK(inbox_ring_pop(ring, &a));
		CHECK(inbox_ring_pop(ring, &b));
		CHECK(memcmp(&a, &b, sizeof a) == 0);
		/* A call's, with its reply handle: as inbox_post_msg posts it. */
		CHECK_EQ(inbox_post_msg(&ib, &in, 0xb0b, 0x80000345u,
					MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE),
			 STATUS_OK);
		CHECK_EQ(inbox_post_words(&ib, in.label | (uint64_t)len << 32, w, 0xb0b,
					  0x80000345u),
			 STATUS_OK);
		CHECK(inbox_ring_pop(ring, &a));
		CHECK(inbox_ring_pop(ring, &b));
		CHECK(memcmp(&a, &b, sizeof a) == 0);
		CHECK_EQ(b.flags, MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE);
		CHECK_EQ(b.cap, 0x80000345u);
	}
	/* The same checks as inbox_post: length, flags, a full ring. */
	in.len = MSG_PAYLOAD_MAX + 1;
	CHECK_EQ(inbox_post_msg(&ib, &in, 0, CAP_HANDLE_NONE, 0), STATUS_INVALID);
	in.len = 0;
	CHECK_EQ(inbox_post_msg(&ib, &in, 0, CAP_HANDLE_NONE, 0x80), STATUS_INVALID);
	for (uint32_t i = 0; i < CAP; i++)
		CHECK_EQ(inbox_post_msg(&ib, &in, 0, CAP_HANDLE_NONE, 0), STATUS_OK);
	CHECK_EQ(inbox_post_msg(&ib, &in, 0, CAP_HANDLE_NONE, 0), STATUS_FULL);
	check_guards(CAP);
	teardown();
}

TEST(full_inbox_refuses_without_overwriting)
{
	struct keel_msg m;

	setup(4);
	for (uint32_t i = 0; i < 4; i++)
		CHECK_EQ(post_label(100 + i), STATUS_OK);
	CHECK_EQ(inbox_room(&ib), 0);
	signals = 0;
	CHECK_EQ(post_label(999), STATUS_FULL);
	CHECK_EQ(signals, 0);
	CHECK_EQ(inbox_pending(&ib), 4);
	CHECK(inbox_ring_pop(ring, &m));
	CHECK_EQ(m.label, 100);
	CHECK_EQ(inbox_room(&ib), 1);
	CHECK_EQ(post_label(104), STATUS_OK);
	CHECK_EQ(post_label(999), STATUS_FULL);
	for (uint32_t i = 1; i <= 4; i++) {
		CHECK(inbox_ring_pop(ring, &m));
		CHECK_EQ(m.label, 100 + i);
	}
	CHECK(!inbox_ring_pop(ring, &m));
	CHECK_EQ(inbox_room(&ib), 4);
	check_guards(4);
	teardown();
}

/* A post reads the owner's head only when the kernel's copy leaves no
 * room: a head the owner scribbled meanwhile is not even looked at, and
 * once the ring looks full an honest head gives the room back while a
 * bad one is refused (counted) and the ring stays full. */
TEST(owner_head_is_read_only_when_the_ring_looks_full)
{
	struct keel_msg m;

	setup(4);
	CHECK_EQ(post_label(1), STATUS_OK);
	CHECK(inbox_ring_pop(ring, &m));
	ring->head = 0xdead; /* not a head an honest owner can write */
	CHECK_EQ(post_label(2), STATUS_OK);
	CHECK_EQ(post_label(3), STATUS_OK);
	CHECK_EQ(post_label(4), STATUS_OK);
	CHECK_EQ(ib.bad_heads, 0);
	CHECK_EQ(ib.head, 0);
	/* Four posted since the kernel last read the head: it looks full. */
	CHECK_EQ(post_label(5), STATUS_FULL);
	CHECK_EQ(ib.bad_heads, 1);
	CHECK_EQ(ib.tail, 4);
	ring->head = 1; /* honest again: one message taken */
	CHECK_EQ(post_label(5), STATUS_OK);
	CHECK_EQ(ib.head, 1);
	for (uint32_t i = 2; i <= 5; i++) {
		CHECK(inbox_ring_pop(ring, &m));
		CHECK_EQ(m.label, i);
	}
	check_guards(4);
	teardown();
}

/* Runs messages through a small ring in uneven batches, starting just
 * below 2^32 so that the free-running indices wrap on the way. */
TEST(wrap_around_over_many_cycles)
{
	uint64_t rng = 12345;
	uint32_t next_post, next_pop, base = 0xfffff000u;
	struct keel_msg m;

	setup(CAP);
	ib.tail = ib.head = ring->tail = ring->head = base;
	next_post = next_pop = base;
	for (int round = 0; round < 100000; round++) {
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		unsigned puts = (unsigned)(rng >> 33) % (CAP + 2);
		unsigned gets = (unsigned)(rng >> 45) % (CAP + 2);

		for (unsigned i = 0; i < puts; i++) {
			status_t st = post_label(next_post);
			CHECK_EQ(st, next_post - next_pop < CAP ? STATUS_OK : STATUS_FULL);
			if (st == STATUS_OK)
				next_post++;
		}
		for (unsigned i = 0; i < gets && inbox_ring_pop(ring, &m); i++)
			CHECK_EQ(m.label, next_pop++);
		CHECK_EQ(inbox_pending(&ib), next_post - next_pop);
	}
	CHECK(next_post < base); /* the indices did wrap */
	CHECK_EQ(ib.bad_heads, 0);
	check_guards(CAP);
	teardown();
}

TEST(send_stamps_the_badge_of_the_cap_not_the_payload)
{
	cap_handle_t root, alice, bob, anon;
	struct keel_msg m;
	/* The payload claims to come from badge 1, and so does the label. */
	uint64_t forged = 1;
	struct inbox_msg msg = { .label = 1, .payload = &forged, .len = 8 };

	setup(CAP);
	CHECK_EQ(cspace_insert(&owner, &ib.obj, RIGHTS_ALL, 0, 0, &root), STATUS_OK);
	CHECK_EQ(cspace_derive(&owner, root, &sender, RIGHT_SEND, 0xa11ce, &alice), STATUS_OK);
	CHECK_EQ(cspace_derive(&owner, root, &sender, RIGHT_SEND, 0xb0b, &bob), STATUS_OK);
	CHECK_EQ(cspace_derive(&owner, root, &sender, RIGHT_SEND, 0, &anon), STATUS_OK);
	CHECK_EQ(inbox_send(&sender, alice, &msg), STATUS_OK);
	CHECK_EQ(inbox_send(&sender, bob, &msg), STATUS_OK);
	CHECK_EQ(inbox_send(&sender, anon, &msg), STATUS_OK);
	CHECK(inbox_ring_pop(ring, &m));
	CHECK_EQ(m.badge, 0xa11ce);
	CHECK(inbox_ring_pop(ring, &m));
	CHECK_EQ(m.badge, 0xb0b);
	CHECK(inbox_ring_pop(ring, &m));
	CHECK_EQ(m.badge, 0);
	CHECK_EQ(m.label, 1);
	CHECK_EQ(m.len, 8);
	memcpy(&forged, m.payload, 8);
	CHECK_EQ(forged, 1);
	/* A badged sender cannot mint a cap with another badge to forge it. */
	cap_handle_t x;
	CHECK_EQ(cspace_derive(&sender, alice, &sender, RIGHT_SEND, 0xb0b, &x), STATUS_NO_RIGHTS);
	teardown();
}

TEST(send_checks_type_rights_length_and_liveness)
{
	cap_handle_t root, recv_only, mem_cap, ok;
	struct inbox_msg msg = { .label = 5 };
	struct kobj other;

	setup(CAP);
	CHECK_EQ(kobj_init(&other, OBJ_MEMORY, NULL, &q, 0), STATUS_OK);
	CHECK_EQ(cspace_insert(&sender, &other, RIGHTS_ALL, 0, 0, &mem_cap), STATUS_OK);
	CHECK_EQ(cspace_insert(&owner, &ib.obj, RIGHTS_ALL, 0, 0, &root), STATUS_OK);
	CHECK_EQ(cspace_derive(&owner, root, &sender, RIGHT_RECEIVE, 0, &recv_only), STATUS_OK);
	CHECK_EQ(cspace_derive(&owner, root, &sender, RIGHT_SEND, 0, &ok), STATUS_OK);
	CHECK_EQ(inbox_send(&sender, recv_only, &msg), STATUS_NO_RIGHTS);
	CHECK_EQ(inbox_send(&sender, mem_cap, &msg), STATUS_BAD_CAP);
	CHECK_EQ(inbox_send(&sender, CAP_HANDLE_NONE, &msg), STATUS_BAD_CAP);
	msg.len = MSG_PAYLOAD_MAX + 1;
	CHECK_EQ(inbox_send(&sender, ok, &msg), STATUS_INVALID);
	msg.len = 0;
	msg.cap_mode = CAP_MODE_COUNT;
	msg.cap = mem_cap;
	CHECK_EQ(inbox_send(&sender, ok, &msg), STATUS_INVALID);
	CHECK_EQ(inbox_pending(&ib), 0);
	/* Without a cap the mode is ignored. */
	msg.cap = CAP_HANDLE_NONE;
	CHECK_EQ(inbox_send(&sender, ok, &msg), STATUS_OK);
	CHECK_EQ(inbox_pending(&ib), 1);
	/* The owner dies: its inbox goes stale for senders, dead for posts. */
	signals = 0;
	inbox_kill(&ib);
	CHECK_EQ(inbox_send(&sender, ok, &msg), STATUS_STALE);
	CHECK_EQ(post_label(1), STATUS_DEAD);
	CHECK_EQ(signals, 0);
	cspace_clear(&sender);
	kobj_put(&other);
	teardown();
}

TEST(send_carries_a_cap_by_copy_move_or_grant_once)
{
	cap_handle_t root, s, mine, moved;
	struct keel_msg m;
	struct cap c;
	struct kobj page;
	struct inbox_msg msg = { .label = 7 };

	setup(CAP);
	CHECK_EQ(kobj_init(&page, OBJ_MEMORY, NULL, &q, 0), STATUS_OK);
	CHECK_EQ(cspace_insert(&sender, &page, RIGHTS_ALL, 0, 0, &mine), STATUS_OK);
	CHECK_EQ(cspace_insert(&owner, &ib.obj, RIGHTS_ALL, 0, 0, &root), STATUS_OK);
	CHECK_EQ(cspace_derive(&owner, root, &sender, RIGHT_SEND, 0, &s), STATUS_OK);

	msg.cap = mine;
	msg.cap_mode = CAP_COPY;
	msg.cap_rights = RIGHT_READ;
	CHECK_EQ(inbox_send(&sender, s, &msg), STATUS_OK);
	CHECK(inbox_ring_pop(ring, &m));
	CHECK_EQ(m.flags, MSG_FLAG_CAP);
	CHECK_EQ(cspace_lookup(&owner, m.cap, OBJ_MEMORY, RIGHT_READ, &c), STATUS_OK);
	CHECK(c.obj == &page);
	CHECK_EQ(c.rights, RIGHT_READ);
	CHECK_EQ(cspace_lookup(&sender, mine, OBJ_MEMORY, RIGHTS_ALL, &c), STATUS_OK);

	msg.cap_mode = CAP_GRANT_ONCE;
	msg.cap_rights = RIGHTS_ALL;
	CHECK_EQ(inbox_send(&sender, s, &msg), STATUS_OK);
	CHECK(inbox_ring_pop(ring, &m));
	CHECK_EQ(m.flags, MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE);
	CHECK_EQ(cspace_lookup(&owner, m.cap, OBJ_MEMORY, RIGHT_WRITE, &c), STATUS_OK);
	CHECK_EQ(c.flags, CAP_FLAG_ONCE);

	msg.cap_mode = CAP_MOVE;
	CHECK_EQ(inbox_send(&sender, s, &msg), STATUS_OK);
	CHECK(inbox_ring_pop(ring, &m));
	moved = m.cap;
	CHECK_EQ(m.flags, MSG_FLAG_CAP);
	CHECK_EQ(cspace_lookup(&sender, mine, OBJ_NONE, 0, &c), STATUS_BAD_CAP);
	CHECK_EQ(cspace_lookup(&owner, moved, OBJ_MEMORY, RIGHTS_ALL, &c), STATUS_OK);
	/* Page caps: copy (child of the moved one), grant-once, moved. */
	CHECK_EQ(page.refs, 4);
	cspace_clear(&owner);
	CHECK_EQ(page.refs, 1);
	kobj_put(&page);
	teardown();
}

TEST(failed_send_changes_nothing)
{
	cap_handle_t root, s, mine, x;
	struct inbox_msg msg = { .label = 9 };
	struct kobj page;
	struct cap c;

	setup(2);
	CHECK_EQ(kobj_init(&page, OBJ_MEMORY, NULL, &q, 0), STATUS_OK);
	CHECK_EQ(cspace_insert(&sender, &page, RIGHTS_ALL, 0, 0, &mine), STATUS_OK);
	CHECK_EQ(cspace_insert(&owner, &ib.obj, RIGHTS_ALL, 0, 0, &root), STATUS_OK);
	CHECK_EQ(cspace_derive(&owner, root, &sender, RIGHT_SEND, 0, &s), STATUS_OK);
	CHECK_EQ(inbox_send(&sender, s, &msg), STATUS_OK);
	CHECK_EQ(inbox_send(&sender, s, &msg), STATUS_OK);
	/* Inbox full: the cap must stay with the sender. */
	msg.cap = mine;
	msg.cap_mode = CAP_MOVE;
	msg.cap_rights = RIGHTS_ALL;
	CHECK_EQ(inbox_send(&sender, s, &msg), STATUS_FULL);
	CHECK_EQ(cspace_lookup(&sender, mine, OBJ_MEMORY, 0, &c), STATUS_OK);
	CHECK_EQ(owner.used, 1);
	CHECK_EQ(page.refs, 2);
	/* Room again, but the cap cannot travel: nothing is posted. */
	ring->head = 2;
	CHECK_EQ(inbox_room(&ib), 2);
	CHECK_EQ(cspace_derive(&sender, mine, &sender, RIGHT_READ, 0, &x), STATUS_OK);
	msg.cap = x; /* no RIGHT_GRANT */
	CHECK_EQ(inbox_send(&sender, s, &msg), STATUS_NO_RIGHTS);
	msg.cap = 0x7fff;
	CHECK_EQ(inbox_send(&sender, s, &msg), STATUS_BAD_CAP);
	CHECK_EQ(inbox_pending(&ib), 0);
	/* A receiver out of slot quota is FULL to the sender. */
	q.limit[QUOTA_SLOTS] = q.used[QUOTA_SLOTS];
	msg.cap = mine;
	CHECK_EQ(inbox_send(&sender, s, &msg), STATUS_FULL);
	CHECK_EQ(cspace_lookup(&sender, mine, OBJ_MEMORY, 0, &c), STATUS_OK);
	CHECK_EQ(inbox_pending(&ib), 0);
	q.limit[QUOTA_SLOTS] = 1000;
	/* An inbox without an owner cannot receive caps. */
	inbox_set_owner(&ib, NULL, &signals, 1);
	msg.cap = mine;
	CHECK_EQ(inbox_send(&sender, s, &msg), STATUS_INVALID);
	CHECK_EQ(cspace_lookup(&sender, mine, OBJ_MEMORY, 0, &c), STATUS_OK);
	CHECK_EQ(inbox_pending(&ib), 0);
	cspace_clear(&sender);
	kobj_put(&page);
	teardown();
}

TEST(grant_once_send_cap_allows_exactly_one_send)
{
	cap_handle_t root, once;
	struct inbox_msg msg = { .label = 3 };
	struct keel_msg m;

	setup(CAP);
	CHECK_EQ(cspace_insert(&owner, &ib.obj, RIGHTS_ALL, 0x77, 0, &root), STATUS_OK);
	CHECK_EQ(cspace_transfer(&owner, root, &sender, CAP_GRANT_ONCE, RIGHT_SEND, &once),
		 STATUS_OK);
	CHECK_EQ(inbox_send(&sender, once, &msg), STATUS_OK);
	CHECK_EQ(inbox_send(&sender, once, &msg), STATUS_BAD_CAP);
	CHECK_EQ(sender.used, 0);
	CHECK(inbox_ring_pop(ring, &m));
	CHECK_EQ(m.badge, 0x77);
	CHECK(!inbox_ring_pop(ring, &m));
	teardown();
}

/* The owner alternates honest draining with writing random values into
 * the shared head, tail and capacity; the kernel side must stay intact:
 * no write outside the ring, no unreleased message overwritten, its own
 * indices consistent, and after the owner resynchronises, delivery is
 * exact again. */
TEST(owner_scribbling_shared_indices_cannot_corrupt_kernel)
{
	uint64_t rng = 0x5eed;
	uint32_t label = 0xfffffff0u, oh = label;
	bool honest = true;
	struct keel_msg m;

	setup(CAP);
	ib.tail = ib.head = ring->tail = ring->head = label;
	for (int step = 0; step < 200000; step++) {
		uint32_t t0 = ib.tail, h0 = ib.head;
		unsigned op;

		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		op = (unsigned)(rng % 100);
		if (op < 45) {
			status_t st = post_label(label);
			CHECK(st == STATUS_OK || st == STATUS_FULL);
			if (st == STATUS_OK) {
				CHECK_EQ(ib.tail, t0 + 1);
				label++;
			} else {
				CHECK_EQ(ib.tail - ib.head, CAP);
			}
			CHECK_EQ(ring->tail, ib.tail);
			if (honest) {
				/* The kernel's head is the owner's or behind it
				 * (it reads the owner's only when the ring looks
				 * full), and FULL is full by the owner's head. */
				CHECK(oh - ib.head <= ib.tail - ib.head);
				if (st == STATUS_FULL)
					CHECK_EQ(ib.head, oh);
			}
		} else if (op < 85 && honest) {
			if (inbox_ring_pop(ring, &m))
				CHECK_EQ(m.label, oh++);
			CHECK_EQ(ring->head, oh);
		} else if (op < 95) {
			uint32_t v = (uint32_t)(rng >> 32);
			int which = (int)(rng >> 20) % 4;

			if (which == 0)
				ring->head = v;
			else if (which == 1)
				ring->head = ib.head + (v % 24) - 12;
			else if (which == 2)
				ring->tail = v;
			else
				ring->capacity = v;
			honest = false;
		} else {
			/* Resynchronise as a real owner can: after the next
			 * post has republished tail, drop everything up to it. */
			ring->capacity = CAP;
			if (post_label(label) == STATUS_OK)
				label++;
			CHECK_EQ(ring->tail, ib.tail);
			oh = ring->head = ring->tail;
			honest = true;
		}
		/* The kernel's view: indices only move forward within the
		 * window, and every unreleased message is intact. */
		CHECK(ib.head - h0 <= ib.tail - h0);
		CHECK(ib.tail - ib.head <= CAP);
		for (uint32_t i = ib.head; i != ib.tail; i++)
			CHECK_EQ(ring->msgs[i & (CAP - 1)].label, i);
	}
	CHECK(ib.bad_heads > 0);
	check_guards(CAP);
	teardown();
}

int main(void)
{
	RUN(init_validates_and_writes_ring_header);
	RUN(post_then_pop_delivers_every_field);
	RUN(trimmed_message_posts_as_inbox_post_does);
	RUN(full_inbox_refuses_without_overwriting);
	RUN(owner_head_is_read_only_when_the_ring_looks_full);
	RUN(wrap_around_over_many_cycles);
	RUN(send_stamps_the_badge_of_the_cap_not_the_payload);
	RUN(send_checks_type_rights_length_and_liveness);
	RUN(send_carries_a_cap_by_copy_move_or_grant_once);
	RUN(failed_send_changes_nothing);
	RUN(grant_once_send_cap_allows_exactly_one_send);
	RUN(owner_scribbling_shared_indices_cannot_corrupt_kernel);
	return check_summary();
}
