/*
 * test_cspace.c - host tests for kernel objects, quotas and capability
 * spaces: lookups and their errors, handles, derivation, revocation,
 * transfer, grant-once, and a randomized comparison against a model.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "core/object/cspace.h"
#include "core/object/object.h"

/* A stand-in kernel object. It may hold a reference to another one, to
 * show that finishing a chain of objects is iterative. */
struct fake {
	struct kobj obj;
	int destroyed;
	struct fake *holds;
};

static int destroy_depth, destroy_max_depth;

static void fake_destroy(struct kobj *o)
{
	struct fake *f = (struct fake *)o;

	if (++destroy_depth > destroy_max_depth)
		destroy_max_depth = destroy_depth;
	f->destroyed++;
	if (f->holds)
		kobj_put(&f->holds->obj);
	destroy_depth--;
}

static const struct kobj_ops fake_ops = { .destroy = fake_destroy };

#define NS 4096
#define BIG (1u << 16)

static struct cslot slots_a[NS], slots_b[NS], slots_c[NS];
static struct cslot slots_big[BIG];
static struct cspace A, B, C, Big;
static struct quota qa, qb, qc, qobj;

static void fake_init(struct fake *f, enum obj_type type)
{
	memset(f, 0, sizeof *f);
	CHECK_EQ(kobj_init(&f->obj, type, &fake_ops, &qobj, 0), STATUS_OK);
}

/* Three CSpaces of n slots each with generous quotas. */
static void setup(uint32_t n)
{
	quota_init(&qa, 100000, 0, 0);
	quota_init(&qb, 100000, 0, 0);
	quota_init(&qc, 100000, 0, 0);
	quota_init(&qobj, 0, 100000, 1000);
	/* Slot memory comes uncleared from the kernel: nothing may depend
	 * on what a never-used slot holds. */
	memset(slots_a, 0xa5, sizeof slots_a);
	memset(slots_b, 0x5a, sizeof slots_b);
	memset(slots_c, 0xff, sizeof slots_c);
	CHECK_EQ(cspace_init(&A, slots_a, n, &qa), STATUS_OK);
	CHECK_EQ(cspace_init(&B, slots_b, n, &qb), STATUS_OK);
	CHECK_EQ(cspace_init(&C, slots_c, n, &qc), STATUS_OK);
}

static void check_all(void)
{
	CHECK(cspace_check(&A));
	CHECK(cspace_check(&B));
	CHECK(cspace_check(&C));
	CHECK_EQ(qa.used[QUOTA_SLOTS], A.used);
	CHECK_EQ(qb.used[QUOTA_SLOTS], B.used);
	CHECK_EQ(qc.used[QUOTA_SLOTS], C.used);
	CHECK_EQ(qa.underflows + qb.underflows + qc.underflows + qobj.underflows, 0);
}

/* Inserts a cap with all rights to f into cs and returns its handle. */
static cap_handle_t give(struct cspace *cs, struct fake *f)
{
	cap_handle_t h = CAP_HANDLE_NONE;

	CHECK_EQ(cspace_insert(cs, &f->obj, RIGHTS_ALL, 0, 0, &h), STATUS_OK);
	return h;
}

static status_t probe(struct cspace *cs, cap_handle_t h)
{
	struct cap c;

	return cspace_lookup(cs, h, OBJ_NONE, 0, &c);
}

TEST(insert_and_lookup_report_type_rights_and_badge)
{
	struct fake f;
	struct cap c;
	cap_handle_t h;

	setup(64);
	fake_init(&f, OBJ_INBOX);
	CHECK_EQ(cspace_insert(&A, &f.obj, RIGHT_SEND | RIGHT_GRANT, 77, 0, &h), STATUS_OK);
	CHECK(h != CAP_HANDLE_NONE);
	CHECK_EQ(cspace_lookup(&A, h, OBJ_INBOX, RIGHT_SEND, &c), STATUS_OK);
	CHECK(c.obj == &f.obj);
	CHECK_EQ(c.type, OBJ_INBOX);
	CHECK_EQ(c.rights, RIGHT_SEND | RIGHT_GRANT);
	CHECK_EQ(c.badge, 77);
	CHECK_EQ(c.flags, 0);
	CHECK_EQ(f.obj.refs, 2);
	CHECK_EQ(qa.used[QUOTA_SLOTS], 1);
	CHECK_EQ(qobj.used[QUOTA_OBJECTS], 1);
	CHECK_EQ(cspace_delete(&A, h), STATUS_OK);
	CHECK_EQ(f.obj.refs, 1);
	kobj_put(&f.obj);
	CHECK_EQ(f.destroyed, 1);
	CHECK_EQ(qa.used[QUOTA_SLOTS], 0);
	CHECK_EQ(qobj.used[QUOTA_OBJECTS], 0);
	check_all();
}

TEST(lookup_errors_in_documented_order)
{
	struct fake f;
	struct cap c;
	cap_handle_t h, empty;

	setup(64);
	fake_init(&f, OBJ_INBOX);
	CHECK_EQ(cspace_insert(&A, &f.obj, RIGHT_SEND, 0, 0, &h), STATUS_OK);
	/* Index 1 is empty at generation 1; index 64 is out of range. */
	empty = 1u | 1u << 6;
	CHECK_EQ(cspace_lookup(&A, CAP_HANDLE_NONE, OBJ_NONE, 0, &c), STATUS_BAD_CAP);
	CHECK_EQ(cspace_lookup(&A, empty, OBJ_NONE, 0, &c), STATUS_BAD_CAP);
	CHECK_EQ(cspace_lookup(&A, 0xffffffffu, OBJ_NONE, 0, &c), STATUS_BAD_CAP);
	CHECK_EQ(cspace_lookup(&A, h, OBJ_MEMORY, 0, &c), STATUS_BAD_CAP);
	CHECK_EQ(cspace_lookup(&A, h, OBJ_INBOX, RIGHT_RECEIVE, &c), STATUS_NO_RIGHTS);
	CHECK_EQ(cspace_lookup(&A, h, OBJ_INBOX, RIGHT_SEND | RIGHT_GRANT, &c), STATUS_NO_RIGHTS);
	kobj_kill(&f.obj);
	/* Stale is reported before missing rights, type mismatch before stale. */
	CHECK_EQ(cspace_lookup(&A, h, OBJ_INBOX, RIGHT_RECEIVE, &c), STATUS_STALE);
	CHECK_EQ(cspace_lookup(&A, h, OBJ_MEMORY, 0, &c), STATUS_BAD_CAP);
	CHECK_EQ(cspace_delete(&A, h), STATUS_OK);
	kobj_put(&f.obj);
	CHECK_EQ(f.destroyed, 1);
	check_all();
}

TEST(init_rejects_bad_sizes_and_insert_bad_arguments)
{
	struct fake f;
	cap_handle_t h;

	CHECK_EQ(cspace_init(&A, slots_a, 0, &qa), STATUS_INVALID);
	CHECK_EQ(cspace_init(&A, NULL, 4, &qa), STATUS_INVALID);
	CHECK_EQ(cspace_init(&Big, slots_big, BIG + 1, &qa), STATUS_INVALID);
	setup(8);
	fake_init(&f, OBJ_MEMORY);
	CHECK_EQ(cspace_insert(&A, &f.obj, 0x100, 0, 0, &h), STATUS_INVALID);
	CHECK_EQ(cspace_insert(&A, &f.obj, RIGHT_READ, 0, 0x80, &h), STATUS_INVALID);
	CHECK_EQ(A.used, 0);
	CHECK_EQ(f.obj.refs, 1);
	kobj_put(&f.obj);
	CHECK_EQ(kobj_init(&f.obj, OBJ_NONE, &fake_ops, &qobj, 0), STATUS_INVALID);
	CHECK_EQ(kobj_init(&f.obj, OBJ_TYPE_COUNT, &fake_ops, &qobj, 0), STATUS_INVALID);
	CHECK_EQ(qobj.used[QUOTA_OBJECTS], 0);
}

TEST(handle_is_index_or_generation_shifted_by_index_bits)
{
	struct fake f;
	cap_handle_t h;

	setup(64);
	fake_init(&f, OBJ_MEMORY);
	h = give(&A, &f);
	CHECK_EQ(h, 0u | 1u << 6);
	CHECK_EQ(cspace_delete(&A, h), STATUS_OK);
	/* Free slots are reused oldest first: index 1, and so on. */
	h = give(&A, &f);
	CHECK_EQ(h, 1u | 1u << 6);
	CHECK_EQ(cspace_delete(&A, h), STATUS_OK);
	for (uint32_t i = 2; i < 64; i++) {
		h = give(&A, &f);
		CHECK_EQ(h, i | 1u << 6);
		CHECK_EQ(cspace_delete(&A, h), STATUS_OK);
	}
	/* Back at index 0, now at generation 2. */
	h = give(&A, &f);
	CHECK_EQ(h, 0u | 2u << 6);
	CHECK_EQ(cspace_delete(&A, h), STATUS_OK);
	/* A one-slot CSpace uses 31 bits for the generation (bit 31: replies). */
	CHECK_EQ(cspace_init(&B, slots_b, 1, &qb), STATUS_OK);
	CHECK_EQ(B.index_bits, 0);
	CHECK_EQ(B.gen_max, 0x7fffffffu);
	h = give(&B, &f);
	CHECK_EQ(h, 1);
	CHECK_EQ(cspace_delete(&B, h), STATUS_OK);
	kobj_put(&f.obj);
	check_all();
}

TEST(handle_to_deleted_cap_fails_after_slot_reuse)
{
	struct fake f, g;
	struct cap c;
	cap_handle_t old, fresh;

	setup(1);
	fake_init(&f, OBJ_MEMORY);
	fake_init(&g, OBJ_INBOX);
	old = give(&A, &f);
	CHECK_EQ(cspace_delete(&A, old), STATUS_OK);
	CHECK_EQ(probe(&A, old), STATUS_BAD_CAP);
	/* The only slot is reused for g; the old handle must not reach it. */
	fresh = give(&A, &g);
	CHECK(fresh != old);
	CHECK_EQ(cspace_lookup(&A, old, OBJ_NONE, 0, &c), STATUS_BAD_CAP);
	CHECK_EQ(cspace_delete(&A, old), STATUS_BAD_CAP);
	CHECK_EQ(cspace_revoke(&A, old), STATUS_BAD_CAP);
	CHECK_EQ(cspace_lookup(&A, fresh, OBJ_INBOX, 0, &c), STATUS_OK);
	CHECK(c.obj == &g.obj);
	CHECK_EQ(g.obj.refs, 2);
	CHECK_EQ(f.obj.refs, 1);
	CHECK_EQ(cspace_delete(&A, fresh), STATUS_OK);
	kobj_put(&f.obj);
	kobj_put(&g.obj);
	check_all();
}

TEST(slot_with_spent_generations_is_retired_not_reused)
{
	struct fake f;
	cap_handle_t h, first = 0;

	quota_init(&qa, BIG, 0, 0);
	quota_init(&qobj, 0, 10, 0);
	CHECK_EQ(cspace_init(&Big, slots_big, BIG, &qa), STATUS_OK);
	CHECK_EQ(Big.gen_max, 0x7fffu);
	fake_init(&f, OBJ_MEMORY);
	for (uint32_t i = 0; i < BIG - 1; i++)
		give(&Big, &f);
	/* Cycle the last free slot through every generation. */
	for (uint32_t g = 1; g <= 0x7fffu; g++) {
		h = give(&Big, &f);
		CHECK_EQ(h, (BIG - 1) | g << 16);
		if (g == 1)
			first = h;
		CHECK_EQ(cspace_delete(&Big, h), STATUS_OK);
	}
	CHECK_EQ(Big.retired, 1);
	CHECK_EQ(cspace_free_slots(&Big), 0);
	CHECK_EQ(cspace_insert(&Big, &f.obj, RIGHT_READ, 0, 0, &h), STATUS_FULL);
	CHECK_EQ(probe(&Big, first), STATUS_BAD_CAP);
	CHECK(cspace_check(&Big));
	cspace_clear(&Big);
	CHECK_EQ(qa.used[QUOTA_SLOTS], 0);
	CHECK_EQ(f.obj.refs, 1);
	CHECK_EQ(cspace_free_slots(&Big), BIG - 1);
	kobj_put(&f.obj);
}

TEST(slot_exhaustion_is_full_and_recovers)
{
	struct fake f;
	cap_handle_t h[8], x;

	setup(8);
	fake_init(&f, OBJ_MEMORY);
	for (int i = 0; i < 8; i++)
		h[i] = give(&A, &f);
	CHECK_EQ(cspace_free_slots(&A), 0);
	CHECK_EQ(cspace_insert(&A, &f.obj, RIGHT_READ, 0, 0, &x), STATUS_FULL);
	CHECK_EQ(cspace_derive(&A, h[0], &A, RIGHT_READ, 0, &x), STATUS_FULL);
	CHECK_EQ(cspace_transfer(&B, give(&B, &f), &A, CAP_COPY, RIGHTS_ALL, &x), STATUS_FULL);
	CHECK_EQ(f.obj.refs, 10);
	CHECK_EQ(qa.used[QUOTA_SLOTS], 8);
	CHECK_EQ(cspace_delete(&A, h[3]), STATUS_OK);
	CHECK_EQ(cspace_derive(&A, h[0], &A, RIGHT_READ, 0, &x), STATUS_OK);
	CHECK_EQ(x & 7, 3);
	cspace_clear(&A);
	cspace_clear(&B);
	CHECK_EQ(f.obj.refs, 1);
	kobj_put(&f.obj);
	check_all();
}

TEST(quota_exhaustion_and_return_to_baseline)
{
	struct fake f[4];
	cap_handle_t h[3], x;

	memset(f, 0, sizeof f);
	setup(64);
	quota_init(&qa, 3, 0, 0);
	quota_init(&qobj, 0, 3, 10);
	for (int i = 0; i < 3; i++)
		fake_init(&f[i], OBJ_MEMORY);
	CHECK_EQ(kobj_init(&f[3].obj, OBJ_MEMORY, &fake_ops, &qobj, 0), STATUS_QUOTA);
	CHECK_EQ(qobj.used[QUOTA_OBJECTS], 3);
	for (int i = 0; i < 3; i++)
		h[i] = give(&A, &f[i]);
	CHECK_EQ(cspace_insert(&A, &f[0].obj, RIGHT_READ, 0, 0, &x), STATUS_QUOTA);
	CHECK_EQ(cspace_derive(&A, h[0], &A, RIGHT_READ, 0, &x), STATUS_QUOTA);
	/* A move needs headroom in the destination account too. */
	CHECK_EQ(cspace_transfer(&A, h[0], &A, CAP_MOVE, RIGHTS_ALL, &x), STATUS_QUOTA);
	CHECK_EQ(probe(&A, h[0]), STATUS_OK);
	CHECK_EQ(A.used, 3);
	CHECK_EQ(f[0].obj.refs, 2);
	/* Pages are charged with the object and refused past the limit. */
	kobj_put(&f[2].obj);
	CHECK_EQ(cspace_delete(&A, h[2]), STATUS_OK);
	CHECK_EQ(f[2].destroyed, 1);
	CHECK_EQ(kobj_init(&f[3].obj, OBJ_MEMORY, &fake_ops, &qobj, 11), STATUS_QUOTA);
	CHECK_EQ(qobj.used[QUOTA_OBJECTS], 2);
	CHECK_EQ(qobj.used[QUOTA_PAGES], 0);
	CHECK_EQ(kobj_init(&f[3].obj, OBJ_MEMORY, &fake_ops, &qobj, 10), STATUS_OK);
	CHECK_EQ(qobj.used[QUOTA_PAGES], 10);
	cspace_clear(&A);
	for (int i = 0; i < 4; i++)
		if (i != 2)
			kobj_put(&f[i].obj);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(f[i].destroyed, 1);
	CHECK_EQ(qa.used[QUOTA_SLOTS], 0);
	CHECK_EQ(qobj.used[QUOTA_OBJECTS], 0);
	CHECK_EQ(qobj.used[QUOTA_PAGES], 0);
	CHECK_EQ(quota_charge(&qa, QUOTA_KINDS, 1), STATUS_INVALID);
	check_all();
}

TEST(derive_never_adds_rights)
{
	struct fake f;
	struct cap c;
	cap_handle_t h, d, x;

	setup(64);
	fake_init(&f, OBJ_MEMORY);
	CHECK_EQ(cspace_insert(&A, &f.obj, RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT, 0, 0, &h),
		 STATUS_OK);
	CHECK_EQ(cspace_derive(&A, h, &B, RIGHT_READ | RIGHT_EXEC, 0, &x), STATUS_NO_RIGHTS);
	CHECK_EQ(cspace_derive(&A, h, &B, RIGHTS_ALL, 0, &x), STATUS_NO_RIGHTS);
	CHECK_EQ(cspace_derive(&A, h, &B, 0x100, 0, &x), STATUS_INVALID);
	CHECK_EQ(B.used, 0);
	CHECK_EQ(cspace_derive(&A, h, &B, RIGHT_READ, 0, &d), STATUS_OK);
	CHECK_EQ(cspace_lookup(&B, d, OBJ_MEMORY, RIGHT_READ, &c), STATUS_OK);
	CHECK_EQ(c.rights, RIGHT_READ);
	CHECK_EQ(cspace_lookup(&B, d, OBJ_MEMORY, RIGHT_WRITE, &c), STATUS_NO_RIGHTS);
	/* Without RIGHT_GRANT the derived cap cannot be passed on. */
	CHECK_EQ(cspace_derive(&B, d, &C, RIGHT_READ, 0, &x), STATUS_NO_RIGHTS);
	CHECK_EQ(cspace_transfer(&B, d, &C, CAP_MOVE, RIGHTS_ALL, &x), STATUS_NO_RIGHTS);
	CHECK_EQ(cspace_transfer(&B, d, &C, CAP_COPY, RIGHTS_ALL, &x), STATUS_NO_RIGHTS);
	CHECK_EQ(C.used, 0);
	cspace_clear(&A);
	CHECK_EQ(probe(&B, d), STATUS_OK);
	cspace_clear(&B);
	kobj_put(&f.obj);
	check_all();
}

TEST(badge_set_once_on_unbadged_and_kept_after)
{
	struct fake f;
	struct cap c;
	cap_handle_t h, b1, b2, x;

	setup(64);
	fake_init(&f, OBJ_INBOX);
	h = give(&A, &f);
	CHECK_EQ(cspace_derive(&A, h, &B, RIGHT_SEND | RIGHT_GRANT, 0xbeef, &b1), STATUS_OK);
	CHECK_EQ(cspace_lookup(&B, b1, OBJ_INBOX, RIGHT_SEND, &c), STATUS_OK);
	CHECK_EQ(c.badge, 0xbeef);
	/* Re-badging a badged cap is refused, even to the same value. */
	CHECK_EQ(cspace_derive(&B, b1, &C, RIGHT_SEND, 0x1234, &x), STATUS_NO_RIGHTS);
	CHECK_EQ(cspace_derive(&B, b1, &C, RIGHT_SEND, 0xbeef, &x), STATUS_NO_RIGHTS);
	CHECK_EQ(cspace_derive(&B, b1, &C, RIGHT_SEND, 0, &b2), STATUS_OK);
	CHECK_EQ(cspace_lookup(&C, b2, OBJ_INBOX, RIGHT_SEND, &c), STATUS_OK);
	CHECK_EQ(c.badge, 0xbeef);
	/* Transfers keep the badge too. */
	CHECK_EQ(cspace_transfer(&B, b1, &C, CAP_MOVE, RIGHTS_ALL, &x), STATUS_OK);
	CHECK_EQ(cspace_lookup(&C, x, OBJ_INBOX, 0, &c), STATUS_OK);
	CHECK_EQ(c.badge, 0xbeef);
	cspace_clear(&A);
	cspace_clear(&B);
	cspace_clear(&C);
	kobj_put(&f.obj);
	CHECK_EQ(f.destroyed, 1);
	check_all();
}

TEST(revoke_removes_derived_caps_in_three_cspaces_and_keeps_root)
{
	struct fake f;
	cap_handle_t root, b[4], c[4], a2;

	setup(64);
	fake_init(&f, OBJ_INBOX);
	root = give(&A, &f);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(cspace_derive(&A, root, &B, RIGHTS_ALL, 0, &b[i]), STATUS_OK);
		CHECK_EQ(cspace_derive(&B, b[i], &C, RIGHTS_ALL, 0, &c[i]), STATUS_OK);
	}
	CHECK_EQ(cspace_derive(&C, c[2], &A, RIGHTS_ALL, 0, &a2), STATUS_OK);
	CHECK_EQ(f.obj.refs, 11);
	check_all();
	CHECK_EQ(cspace_revoke(&B, b[2]), STATUS_OK);
	CHECK_EQ(probe(&C, c[2]), STATUS_BAD_CAP);
	CHECK_EQ(probe(&A, a2), STATUS_BAD_CAP);
	CHECK_EQ(probe(&B, b[2]), STATUS_OK);
	CHECK_EQ(probe(&C, c[1]), STATUS_OK);
	CHECK_EQ(cspace_revoke(&A, root), STATUS_OK);
	CHECK_EQ(probe(&A, root), STATUS_OK);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(probe(&B, b[i]), STATUS_BAD_CAP);
		CHECK_EQ(probe(&C, c[i]), STATUS_BAD_CAP);
	}
	CHECK_EQ(f.obj.refs, 2);
	CHECK_EQ(A.used, 1);
	CHECK_EQ(B.used + C.used, 0);
	/* Revoking a leaf removes nothing. */
	CHECK_EQ(cspace_revoke(&A, root), STATUS_OK);
	CHECK_EQ(f.obj.refs, 2);
	cspace_clear(&A);
	kobj_put(&f.obj);
	check_all();
}

TEST(revoke_deep_chain_of_1000_across_three_cspaces)
{
	struct cspace *cs[3] = { &A, &B, &C };
	static cap_handle_t h[1001];
	struct fake f;

	setup(NS);
	fake_init(&f, OBJ_MEMORY);
	h[0] = give(&A, &f);
	for (int i = 1; i <= 1000; i++)
		CHECK_EQ(cspace_derive(cs[(i - 1) % 3], h[i - 1], cs[i % 3], RIGHTS_ALL, 0, &h[i]),
			 STATUS_OK);
	CHECK_EQ(f.obj.refs, 1002);
	check_all();
	CHECK_EQ(cspace_revoke(cs[500 % 3], h[500]), STATUS_OK);
	CHECK_EQ(f.obj.refs, 502);
	CHECK_EQ(probe(cs[500 % 3], h[500]), STATUS_OK);
	CHECK_EQ(probe(cs[501 % 3], h[501]), STATUS_BAD_CAP);
	check_all();
	CHECK_EQ(cspace_revoke(&A, h[0]), STATUS_OK);
	for (int i = 1; i <= 1000; i++)
		CHECK_EQ(probe(cs[i % 3], h[i]), STATUS_BAD_CAP);
	CHECK_EQ(f.obj.refs, 2);
	CHECK_EQ(qa.used[QUOTA_SLOTS] + qb.used[QUOTA_SLOTS] + qc.used[QUOTA_SLOTS], 1);
	cspace_clear(&A);
	kobj_put(&f.obj);
	CHECK_EQ(f.destroyed, 1);
	check_all();
}

/* Builds a chain of n derivations in Big and revokes it, on a thread with a
 * 128 KiB stack: a recursive walk of that depth would overflow it. */
struct chain_job {
	struct fake f;
	uint32_t n;
	status_t st;
	uint32_t refs_before, refs_after, used_after;
};

static void *chain_worker(void *arg)
{
	struct chain_job *j = arg;
	cap_handle_t h = 0, prev, root = 0;

	j->st = cspace_insert(&Big, &j->f.obj, RIGHTS_ALL, 0, 0, &root);
	prev = root;
	for (uint32_t i = 0; i < j->n && !j->st; i++, prev = h)
		j->st = cspace_derive(&Big, prev, &Big, RIGHTS_ALL, 0, &h);
	j->refs_before = j->f.obj.refs;
	/* Deleting the root re-parents one child: the chain becomes rooted
	 * at its second link. Then revoke from there. */
	if (!j->st)
		j->st = cspace_delete(&Big, root);
	if (!j->st)
		j->st = cspace_revoke(&Big, (1u | 1u << 16));
	j->refs_after = j->f.obj.refs;
	j->used_after = Big.used;
	return NULL;
}

TEST(revoke_of_60000_deep_chain_runs_on_a_small_stack)
{
	static struct chain_job j;
	pthread_attr_t attr;
	pthread_t t;

	quota_init(&qa, BIG, 0, 0);
	quota_init(&qobj, 0, 10, 0);
	CHECK_EQ(cspace_init(&Big, slots_big, BIG, &qa), STATUS_OK);
	fake_init(&j.f, OBJ_MEMORY);
	j.n = 60000;
	CHECK_EQ(pthread_attr_init(&attr), 0);
	CHECK_EQ(pthread_attr_setstacksize(&attr, 128 * 1024), 0);
	CHECK_EQ(pthread_create(&t, &attr, chain_worker, &j), 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(j.st, STATUS_OK);
	CHECK_EQ(j.refs_before, 60002);
	CHECK_EQ(j.refs_after, 2);
	CHECK_EQ(j.used_after, 1);
	CHECK(cspace_check(&Big));
	cspace_clear(&Big);
	kobj_put(&j.f.obj);
	CHECK_EQ(j.f.destroyed, 1);
	CHECK_EQ(qa.used[QUOTA_SLOTS], 0);
}

TEST(delete_of_intermediate_cap_reparents_children)
{
	struct fake f;
	cap_handle_t a, b, c1, c2;

	setup(64);
	fake_init(&f, OBJ_MEMORY);
	a = give(&A, &f);
	CHECK_EQ(cspace_derive(&A, a, &B, RIGHTS_ALL, 0, &b), STATUS_OK);
	CHECK_EQ(cspace_derive(&B, b, &C, RIGHTS_ALL, 0, &c1), STATUS_OK);
	CHECK_EQ(cspace_derive(&B, b, &C, RIGHT_READ, 0, &c2), STATUS_OK);
	CHECK_EQ(cspace_delete(&B, b), STATUS_OK);
	CHECK_EQ(probe(&C, c1), STATUS_OK);
	CHECK_EQ(probe(&C, c2), STATUS_OK);
	CHECK(slots_c[c1 & 63].parent == &slots_a[a & 63]);
	CHECK(slots_c[c2 & 63].parent == &slots_a[a & 63]);
	check_all();
	/* The grandparent still holds the power to revoke them. */
	CHECK_EQ(cspace_revoke(&A, a), STATUS_OK);
	CHECK_EQ(probe(&C, c1), STATUS_BAD_CAP);
	CHECK_EQ(probe(&C, c2), STATUS_BAD_CAP);
	/* Deleting a root makes its children roots. */
	CHECK_EQ(cspace_derive(&A, a, &B, RIGHTS_ALL, 0, &b), STATUS_OK);
	CHECK_EQ(cspace_delete(&A, a), STATUS_OK);
	CHECK_EQ(probe(&B, b), STATUS_OK);
	CHECK(slots_b[b & 63].parent == NULL);
	CHECK_EQ(f.obj.refs, 2);
	cspace_clear(&B);
	kobj_put(&f.obj);
	CHECK_EQ(f.destroyed, 1);
	check_all();
}

TEST(revoke_all_makes_every_other_cap_stale)
{
	struct fake f;
	struct cap c;
	cap_handle_t ctl, weak, b, cc, x;

	setup(64);
	fake_init(&f, OBJ_INBOX);
	ctl = give(&A, &f);
	weak = give(&A, &f);
	CHECK_EQ(cspace_derive(&A, ctl, &B, RIGHT_SEND | RIGHT_GRANT, 0, &b), STATUS_OK);
	CHECK_EQ(cspace_transfer(&B, b, &C, CAP_COPY, RIGHTS_ALL, &cc), STATUS_OK);
	CHECK_EQ(cspace_revoke_all(&B, b), STATUS_NO_RIGHTS);
	CHECK_EQ(cspace_revoke_all(&A, ctl), STATUS_OK);
	CHECK_EQ(cspace_lookup(&A, ctl, OBJ_INBOX, RIGHT_CONTROL, &c), STATUS_OK);
	CHECK_EQ(probe(&A, weak), STATUS_STALE);
	CHECK_EQ(probe(&B, b), STATUS_STALE);
	CHECK_EQ(probe(&C, cc), STATUS_STALE);
	/* Stale caps cannot be passed on or used to revoke all again. */
	CHECK_EQ(cspace_derive(&B, b, &C, RIGHT_SEND, 0, &x), STATUS_STALE);
	CHECK_EQ(cspace_transfer(&B, b, &C, CAP_MOVE, RIGHTS_ALL, &x), STATUS_STALE);
	CHECK_EQ(cspace_revoke_all(&A, weak), STATUS_STALE);
	/* New caps derived from the survivor are valid. */
	CHECK_EQ(cspace_derive(&A, ctl, &B, RIGHT_SEND, 0, &x), STATUS_OK);
	CHECK_EQ(probe(&B, x), STATUS_OK);
	/* Stale caps still hold references until deleted. */
	CHECK_EQ(f.obj.refs, 6);
	CHECK_EQ(cspace_delete(&C, cc), STATUS_OK);
	CHECK_EQ(cspace_delete(&B, b), STATUS_OK);
	CHECK_EQ(f.obj.refs, 4);
	cspace_clear(&A);
	cspace_clear(&B);
	kobj_put(&f.obj);
	CHECK_EQ(f.destroyed, 1);
	check_all();
}

TEST(killed_object_is_stale_and_freed_with_its_last_cap)
{
	struct fake f;
	cap_handle_t a, b, x;

	setup(64);
	fake_init(&f, OBJ_TASK);
	a = give(&A, &f);
	CHECK_EQ(cspace_derive(&A, a, &B, RIGHT_READ, 0, &b), STATUS_OK);
	kobj_put(&f.obj);
	kobj_kill(&f.obj);
	kobj_kill(&f.obj);
	CHECK_EQ(probe(&A, a), STATUS_STALE);
	CHECK_EQ(probe(&B, b), STATUS_STALE);
	CHECK_EQ(kobj_revoke_all(&f.obj), STATUS_STALE);
	CHECK_EQ(cspace_insert(&C, &f.obj, RIGHT_READ, 0, 0, &x), STATUS_STALE);
	CHECK_EQ(f.destroyed, 0);
	CHECK_EQ(qobj.used[QUOTA_OBJECTS], 1);
	CHECK_EQ(cspace_delete(&A, a), STATUS_OK);
	CHECK_EQ(f.destroyed, 0);
	CHECK_EQ(cspace_delete(&B, b), STATUS_OK);
	CHECK_EQ(f.destroyed, 1);
	CHECK_EQ(qobj.used[QUOTA_OBJECTS], 0);
	check_all();
}

TEST(copy_keeps_source_and_derives_masked_child)
{
	struct fake f;
	struct cap c;
	cap_handle_t a, x;

	setup(64);
	fake_init(&f, OBJ_MEMORY);
	a = give(&A, &f);
	CHECK_EQ(cspace_transfer(&A, a, &B, CAP_COPY, RIGHT_READ | RIGHT_MAP, &x), STATUS_OK);
	CHECK_EQ(probe(&A, a), STATUS_OK);
	CHECK_EQ(cspace_lookup(&B, x, OBJ_MEMORY, 0, &c), STATUS_OK);
	CHECK_EQ(c.rights, RIGHT_READ | RIGHT_MAP);
	CHECK_EQ(c.flags, 0);
	CHECK(slots_b[x & 63].parent == &slots_a[a & 63]);
	CHECK_EQ(cspace_transfer(&A, a, &B, (enum cap_mode)7, RIGHTS_ALL, &x), STATUS_INVALID);
	CHECK_EQ(B.used, 1);
	CHECK_EQ(cspace_revoke(&A, a), STATUS_OK);
	CHECK_EQ(B.used, 0);
	cspace_clear(&A);
	kobj_put(&f.obj);
	check_all();
}

TEST(move_empties_source_and_keeps_tree_position)
{
	struct fake f;
	struct cap c;
	cap_handle_t a, b, kid, m;

	setup(64);
	fake_init(&f, OBJ_MEMORY);
	a = give(&A, &f);
	CHECK_EQ(cspace_derive(&A, a, &B, RIGHTS_ALL, 0x55, &b), STATUS_OK);
	CHECK_EQ(cspace_derive(&B, b, &B, RIGHT_READ, 0, &kid), STATUS_OK);
	CHECK_EQ(cspace_transfer(&B, b, &C, CAP_MOVE, ~(uint32_t)RIGHT_EXEC, &m), STATUS_OK);
	CHECK_EQ(probe(&B, b), STATUS_BAD_CAP);
	CHECK_EQ(cspace_lookup(&C, m, OBJ_MEMORY, 0, &c), STATUS_OK);
	CHECK_EQ(c.rights, RIGHTS_ALL & ~RIGHT_EXEC);
	CHECK_EQ(c.badge, 0x55);
	CHECK_EQ(f.obj.refs, 4);
	CHECK_EQ(B.used, 1);
	CHECK_EQ(C.used, 1);
	CHECK(slots_c[m & 63].parent == &slots_a[a & 63]);
	CHECK(slots_b[kid & 63].parent == &slots_c[m & 63]);
	check_all();
	/* Moving within one CSpace renames the cap. */
	CHECK_EQ(cspace_transfer(&C, m, &C, CAP_MOVE, RIGHTS_ALL, &b), STATUS_OK);
	CHECK_EQ(probe(&C, m), STATUS_BAD_CAP);
	CHECK(slots_b[kid & 63].parent == &slots_c[b & 63]);
	check_all();
	CHECK_EQ(cspace_revoke(&A, a), STATUS_OK);
	CHECK_EQ(probe(&C, b), STATUS_BAD_CAP);
	CHECK_EQ(probe(&B, kid), STATUS_BAD_CAP);
	CHECK_EQ(f.obj.refs, 2);
	cspace_clear(&A);
	kobj_put(&f.obj);
	check_all();
}

TEST(grant_once_is_consumed_by_first_use_only)
{
	struct fake f;
	struct cap c;
	cap_handle_t a, once, moved, x;

	setup(64);
	fake_init(&f, OBJ_INBOX);
	a = give(&A, &f);
	CHECK_EQ(cspace_transfer(&A, a, &B, CAP_GRANT_ONCE, RIGHTS_ALL, &once), STATUS_OK);
	CHECK_EQ(probe(&A, a), STATUS_OK);
	CHECK_EQ(cspace_lookup(&B, once, OBJ_INBOX, RIGHT_SEND, &c), STATUS_OK);
	CHECK_EQ(c.flags, CAP_FLAG_ONCE);
	/* It cannot be multiplied: no derive, copy or nested grant. */
	CHECK_EQ(cspace_derive(&B, once, &C, RIGHT_SEND, 0, &x), STATUS_NO_RIGHTS);
	CHECK_EQ(cspace_transfer(&B, once, &C, CAP_COPY, RIGHTS_ALL, &x), STATUS_NO_RIGHTS);
	CHECK_EQ(cspace_transfer(&B, once, &C, CAP_GRANT_ONCE, RIGHTS_ALL, &x), STATUS_NO_RIGHTS);
	/* It can be moved, and stays grant-once. */
	CHECK_EQ(cspace_transfer(&B, once, &C, CAP_MOVE, RIGHTS_ALL, &moved), STATUS_OK);
	CHECK_EQ(cspace_lookup(&C, moved, OBJ_INBOX, RIGHT_SEND, &c), STATUS_OK);
	CHECK_EQ(c.flags, CAP_FLAG_ONCE);
	/* First use consumes it; a second use finds nothing. */
	CHECK_EQ(cspace_consume_once(&C, moved), STATUS_OK);
	CHECK_EQ(cspace_lookup(&C, moved, OBJ_INBOX, RIGHT_SEND, &c), STATUS_BAD_CAP);
	CHECK_EQ(cspace_consume_once(&C, moved), STATUS_BAD_CAP);
	CHECK_EQ(C.used, 0);
	/* Consuming an ordinary cap leaves it in place. */
	CHECK_EQ(cspace_consume_once(&A, a), STATUS_OK);
	CHECK_EQ(probe(&A, a), STATUS_OK);
	CHECK_EQ(f.obj.refs, 2);
	cspace_clear(&A);
	kobj_put(&f.obj);
	check_all();
}

TEST(reply_caps_are_always_grant_once)
{
	struct fake r;
	struct cap c;
	cap_handle_t h, x;

	setup(64);
	fake_init(&r, OBJ_REPLY);
	CHECK_EQ(cspace_insert(&A, &r.obj, RIGHT_SEND | RIGHT_GRANT, 9, 0, &h), STATUS_OK);
	CHECK_EQ(cspace_lookup(&A, h, OBJ_REPLY, RIGHT_SEND, &c), STATUS_OK);
	CHECK_EQ(c.flags, CAP_FLAG_ONCE);
	CHECK_EQ(cspace_derive(&A, h, &B, RIGHT_SEND, 0, &x), STATUS_NO_RIGHTS);
	CHECK_EQ(cspace_transfer(&A, h, &B, CAP_COPY, RIGHTS_ALL, &x), STATUS_NO_RIGHTS);
	CHECK_EQ(cspace_transfer(&A, h, &B, CAP_MOVE, RIGHTS_ALL, &x), STATUS_OK);
	CHECK_EQ(cspace_lookup(&B, x, OBJ_REPLY, RIGHT_SEND, &c), STATUS_OK);
	CHECK_EQ(c.badge, 9);
	CHECK_EQ(cspace_consume_once(&B, x), STATUS_OK);
	CHECK_EQ(probe(&B, x), STATUS_BAD_CAP);
	kobj_put(&r.obj);
	CHECK_EQ(r.destroyed, 1);
	check_all();
}

TEST(failed_transfer_changes_nothing)
{
	struct fake f;
	cap_handle_t a, x;

	setup(64);
	CHECK_EQ(cspace_init(&C, slots_c, 1, &qc), STATUS_OK);
	fake_init(&f, OBJ_MEMORY);
	a = give(&A, &f);
	give(&C, &f);
	for (int mode = 0; mode < CAP_MODE_COUNT; mode++)
		CHECK_EQ(cspace_transfer(&A, a, &C, (enum cap_mode)mode, RIGHTS_ALL, &x),
			 STATUS_FULL);
	CHECK_EQ(probe(&A, a), STATUS_OK);
	CHECK_EQ(f.obj.refs, 3);
	CHECK_EQ(A.used, 1);
	CHECK(slots_a[a & 63].first_child == NULL);
	cspace_clear(&A);
	cspace_clear(&C);
	kobj_put(&f.obj);
	check_all();
}

TEST(finishing_a_chain_of_objects_never_recurses)
{
	static struct fake f[10000];

	setup(8);
	destroy_max_depth = 0;
	for (int i = 0; i < 10000; i++)
		fake_init(&f[i], OBJ_TASK);
	/* Each object's only reference is held by the one before it. */
	for (int i = 0; i + 1 < 10000; i++)
		f[i].holds = &f[i + 1];
	CHECK_EQ(qobj.used[QUOTA_OBJECTS], 10000);
	give(&A, &f[0]);
	kobj_put(&f[0].obj);
	CHECK_EQ(f[0].destroyed, 0);
	cspace_clear(&A);
	for (int i = 0; i < 10000; i++)
		CHECK_EQ(f[i].destroyed, 1);
	CHECK_EQ(destroy_max_depth, 1);
	CHECK_EQ(qobj.used[QUOTA_OBJECTS], 0);
	check_all();
}

/* ------------------------------------------------------------------------
 * Randomized comparison with a model. The model keeps, per slot, what the
 * capability should be and its parent, and predicts the status of every
 * operation from first principles; the real CSpaces must agree, and after
 * every step refcounts must equal live caps and quotas live slots.
 */

#define M_CS 3
#define M_SLOTS 48
#define M_OBJS 6
#define M_HIST 256

struct mslot {
	bool live;
	int obj;
	int parent; /* global slot id, or -1 */
	uint8_t rights;
	bool once;
	uint64_t badge;
	uint64_t obj_gen;
	uint32_t gen;
};

struct mobj {
	uint64_t gen;
	bool dead;
	bool kref; /* the test holds a reference */
	bool finished;
	enum obj_type type;
};

static struct mslot ms[M_CS * M_SLOTS];
static struct mobj mo[M_OBJS];
static struct fake mf[M_OBJS];
static struct cspace *mcs[M_CS] = { &A, &B, &C };
static struct quota *mq[M_CS] = { &qa, &qb, &qc };
/* B fills up (STATUS_FULL) before its quota; A and C hit their quotas. */
static const uint32_t m_nslots[M_CS] = { 48, 12, 40 };
static const uint32_t m_bits[M_CS] = { 6, 4, 6 };
static const uint64_t m_limit[M_CS] = { 14, 1000, 24 };
static cap_handle_t hist[M_HIST];
static int hist_cs[M_HIST];
static unsigned nhist;
static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned rnd_below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static int m_obj_of(const struct kobj *o)
{
	return (int)((const struct fake *)o - mf);
}

static int m_slot_id(const struct cslot *s)
{
	for (int c = 0; c < M_CS; c++)
		if (s->cs == mcs[c])
			return c * M_SLOTS + (int)(s - mcs[c]->slots);
	return -2;
}

/* The model's version of decode + check_cap; *id is the slot. */
static status_t m_check(int c, cap_handle_t h, enum obj_type type, uint32_t rights, int *id)
{
	uint32_t idx = h & ((1u << m_bits[c]) - 1);
	struct mslot *s;

	*id = c * M_SLOTS + (int)idx;
	if (idx >= m_nslots[c])
		return STATUS_BAD_CAP;
	s = &ms[*id];
	if (!s->live || s->gen != h >> m_bits[c])
		return STATUS_BAD_CAP;
	if (type != OBJ_NONE && mo[s->obj].type != type)
		return STATUS_BAD_CAP;
	if (mo[s->obj].dead || s->obj_gen != mo[s->obj].gen)
		return STATUS_STALE;
	if (rights & ~(uint32_t)s->rights)
		return STATUS_NO_RIGHTS;
	return STATUS_OK;
}

static int m_live_in(int c)
{
	int n = 0;

	for (int i = 0; i < M_SLOTS; i++)
		n += ms[c * M_SLOTS + i].live;
	return n;
}

static int m_caps_of(int o)
{
	int n = 0;

	for (int i = 0; i < M_CS * M_SLOTS; i++)
		n += ms[i].live && ms[i].obj == o;
	return n;
}

/* Predicts whether a new slot in c can be had. */
static status_t m_alloc_status(int c)
{
	int live = m_live_in(c);

	if ((uint32_t)live == m_nslots[c])
		return STATUS_FULL;
	if ((uint64_t)live >= m_limit[c])
		return STATUS_QUOTA;
	return STATUS_OK;
}

static void m_remember(int c, cap_handle_t h)
{
	hist[nhist % M_HIST] = h;
	hist_cs[nhist % M_HIST] = c;
	nhist++;
}

/* Records a new cap at handle h of c, checking it took a free slot. */
static void m_fill(int c, cap_handle_t h, int obj, uint8_t rights, bool once, uint64_t badge,
		   uint64_t obj_gen, int parent)
{
	uint32_t idx = h & ((1u << m_bits[c]) - 1);
	struct mslot *s = &ms[c * M_SLOTS + (int)idx];

	CHECK(idx < m_nslots[c]);
	CHECK(!s->live);
	CHECK_EQ(h >> m_bits[c], s->gen);
	s->live = true;
	s->obj = obj;
	s->rights = rights;
	s->once = once || mo[obj].type == OBJ_REPLY;
	s->badge = badge;
	s->obj_gen = obj_gen;
	s->parent = parent;
	m_remember(c, h);
}

static void m_drop(int id)
{
	int o = ms[id].obj;

	ms[id].live = false;
	ms[id].gen++;
	if (!mo[o].kref && m_caps_of(o) == 0) {
		mo[o].finished = true;
		mo[o].dead = true;
	}
}

static void m_delete(int id)
{
	for (int i = 0; i < M_CS * M_SLOTS; i++)
		if (ms[i].live && ms[i].parent == id)
			ms[i].parent = ms[id].parent;
	m_drop(id);
}

static bool m_descends(int id, int root)
{
	for (int p = ms[id].parent; p >= 0; p = ms[p].parent)
		if (p == root)
			return true;
	return false;
}

static void m_revoke(int root)
{
	bool again = true;

	while (again) {
		again = false;
		for (int i = 0; i < M_CS * M_SLOTS; i++) {
			if (ms[i].live && m_descends(i, root)) {
				m_delete(i);
				again = true;
			}
		}
	}
}

/* Picks a handle: usually a live cap, sometimes an old one. */
static cap_handle_t m_pick(int *c)
{
	int live[M_CS * M_SLOTS], n = 0, id;

	for (int i = 0; i < M_CS * M_SLOTS; i++)
		if (ms[i].live)
			live[n++] = i;
	if ((n == 0 || rnd_below(10) < 2) && nhist) {
		unsigned k = rnd_below(nhist < M_HIST ? nhist : M_HIST);
		*c = hist_cs[k];
		return hist[k];
	}
	if (n == 0) {
		*c = 0;
		return 1;
	}
	id = live[rnd_below((unsigned)n)];
	*c = id / M_SLOTS;
	return (uint32_t)(id % M_SLOTS) | ms[id].gen << m_bits[*c];
}

static uint32_t m_rights(void)
{
	uint32_t r = (uint32_t)rnd() & RIGHTS_ALL;

	if (rnd_below(4))
		r |= RIGHT_GRANT;
	if (rnd_below(50) == 0)
		r |= 0x100;
	return r;
}

static void m_op_insert(void)
{
	int c = (int)rnd_below(M_CS), o = (int)rnd_below(M_OBJS);
	uint32_t rights = m_rights();
	uint64_t badge = rnd_below(2) ? rnd() : 0;
	status_t want = STATUS_OK;
	cap_handle_t h;

	if (!mo[o].kref)
		return;
	if (rights & ~RIGHTS_ALL)
		want = STATUS_INVALID;
	else if (mo[o].dead)
		want = STATUS_STALE;
	else
		want = m_alloc_status(c);
	CHECK_EQ(cspace_insert(mcs[c], &mf[o].obj, rights, badge, 0, &h), want);
	if (want == STATUS_OK)
		m_fill(c, h, o, (uint8_t)rights, false, badge, mo[o].gen, -1);
}

/* Predicts a derive from src (already checked for GRANT) into dst. */
static status_t m_derive_status(int src, int dst, uint32_t rights, uint64_t badge)
{
	if (rights & ~RIGHTS_ALL)
		return STATUS_INVALID;
	if (ms[src].once || (rights & ~(uint32_t)ms[src].rights))
		return STATUS_NO_RIGHTS;
	if (badge && ms[src].badge)
		return STATUS_NO_RIGHTS;
	return m_alloc_status(dst);
}

static void m_op_derive(void)
{
	int c, id, d = (int)rnd_below(M_CS);
	cap_handle_t h = m_pick(&c), out;
	uint32_t rights = m_rights();
	uint64_t badge = rnd_below(3) == 0 ? rnd() | 1 : 0;
	status_t want = m_check(c, h, OBJ_NONE, RIGHT_GRANT, &id);

	if (want == STATUS_OK) {
		if (rnd_below(2))
			rights &= ms[id].rights;
		want = m_derive_status(id, d, rights, badge);
	}
	CHECK_EQ(cspace_derive(mcs[c], h, mcs[d], rights, badge, &out), want);
	if (want == STATUS_OK)
		m_fill(d, out, ms[id].obj, (uint8_t)rights, false, badge ? badge : ms[id].badge,
		       ms[id].obj_gen, id);
}

static void m_op_transfer(void)
{
	int c, id, d = (int)rnd_below(M_CS), nid;
	cap_handle_t h = m_pick(&c), out;
	enum cap_mode mode = (enum cap_mode)rnd_below(CAP_MODE_COUNT);
	uint32_t mask = (uint32_t)rnd() | (rnd_below(2) ? RIGHTS_ALL : 0);
	status_t want = m_check(c, h, OBJ_NONE, RIGHT_GRANT, &id);
	uint8_t rights;

	if (want == STATUS_OK && mode == CAP_MOVE)
		want = m_alloc_status(d);
	else if (want == STATUS_OK)
		want = m_derive_status(id, d, ms[id].rights & mask, 0);
	CHECK_EQ(cspace_transfer(mcs[c], h, mcs[d], mode, mask, &out), want);
	if (want)
		return;
	rights = (uint8_t)(ms[id].rights & mask);
	if (mode != CAP_MOVE) {
		m_fill(d, out, ms[id].obj, rights, mode == CAP_GRANT_ONCE, ms[id].badge,
		       ms[id].obj_gen, id);
		return;
	}
	m_fill(d, out, ms[id].obj, rights, ms[id].once, ms[id].badge, ms[id].obj_gen,
	       ms[id].parent);
	nid = d * M_SLOTS + (int)(out & ((1u << m_bits[d]) - 1));
	for (int i = 0; i < M_CS * M_SLOTS; i++)
		if (ms[i].live && ms[i].parent == id)
			ms[i].parent = nid;
	ms[id].live = false;
	ms[id].gen++;
}

/* Deletes, revokes, revokes all or consumes a picked handle. */
static void m_op_remove(unsigned kind)
{
	int c, id;
	cap_handle_t h = m_pick(&c);
	status_t want = m_check(c, h, OBJ_NONE, 0, &id);

	if (want == STATUS_STALE || want == STATUS_NO_RIGHTS)
		want = STATUS_OK; /* only revoke_all needs a live cap */
	if (kind == 0) {
		CHECK_EQ(cspace_delete(mcs[c], h), want);
		if (!want)
			m_delete(id);
	} else if (kind == 1) {
		CHECK_EQ(cspace_revoke(mcs[c], h), want);
		if (!want)
			m_revoke(id);
	} else if (kind == 2) {
		want = m_check(c, h, OBJ_NONE, RIGHT_CONTROL, &id);
		CHECK_EQ(cspace_revoke_all(mcs[c], h), want);
		if (!want)
			ms[id].obj_gen = ++mo[ms[id].obj].gen;
	} else {
		CHECK_EQ(cspace_consume_once(mcs[c], h), want);
		if (!want && ms[id].once)
			m_delete(id);
	}
}

static void m_op_lookup(void)
{
	static const enum obj_type types[] = { OBJ_NONE, OBJ_INBOX, OBJ_MEMORY, OBJ_REPLY };
	int c, id;
	cap_handle_t h = m_pick(&c);
	enum obj_type t = types[rnd_below(4)];
	uint32_t rights = (uint32_t)rnd() & (uint32_t)rnd() & RIGHTS_ALL;
	status_t want = m_check(c, h, t, rights, &id);
	struct cap cap = { 0 };

	CHECK_EQ(cspace_lookup(mcs[c], h, t, rights, &cap), want);
	if (want)
		return;
	CHECK_EQ(m_obj_of(cap.obj), ms[id].obj);
	CHECK_EQ(cap.rights, ms[id].rights);
	CHECK_EQ(cap.badge, ms[id].badge);
	CHECK_EQ(cap.flags, ms[id].once ? CAP_FLAG_ONCE : 0);
}

/* Kills an object, drops the test's reference to it, or makes a new
 * object in the memory of a finished one, so the population keeps
 * changing. */
static void m_op_object(void)
{
	int o = (int)rnd_below(M_OBJS);

	if (mo[o].finished) {
		fake_init(&mf[o], mo[o].type);
		mo[o] = (struct mobj){ .gen = 1, .kref = true, .type = mo[o].type };
	} else if (mo[o].kref && (mo[o].dead || rnd_below(2))) {
		mo[o].kref = false;
		if (m_caps_of(o) == 0)
			mo[o].finished = mo[o].dead = true;
		kobj_put(&mf[o].obj);
	} else if (!mo[o].dead) {
		kobj_kill(&mf[o].obj);
		mo[o].dead = true;
		mo[o].gen++;
	}
}

/* Compares every slot, refcount and quota with the model. */
static void m_compare(void)
{
	int unfinished = 0;

	for (int c = 0; c < M_CS; c++) {
		CHECK(cspace_check(mcs[c]));
		CHECK_EQ(mq[c]->used[QUOTA_SLOTS], m_live_in(c));
	}
	for (int id = 0; id < M_CS * M_SLOTS; id++) {
		const struct cslot *s = &mcs[id / M_SLOTS]->slots[id % M_SLOTS];
		const struct mslot *m = &ms[id];

		if ((uint32_t)(id % M_SLOTS) >= m_nslots[id / M_SLOTS])
			continue;
		/* A slot never handed out is not read (its memory is whatever
		 * it was); the model has it empty, at the generation 1 it gets
		 * when it first is. */
		if ((uint32_t)(id % M_SLOTS) >= mcs[id / M_SLOTS]->fresh) {
			CHECK(!m->live);
			CHECK_EQ(m->gen, 1);
			continue;
		}
		CHECK_EQ(s->obj != NULL, m->live);
		CHECK_EQ(s->gen, m->gen);
		if (!m->live)
			continue;
		CHECK_EQ(m_obj_of(s->obj), m->obj);
		CHECK_EQ(s->rights, m->rights);
		CHECK_EQ(s->badge, m->badge);
		CHECK_EQ(s->obj_gen, m->obj_gen);
		CHECK_EQ((s->flags & CAP_FLAG_ONCE) != 0, m->once);
		CHECK_EQ(s->parent ? m_slot_id(s->parent) : -1, m->parent);
	}
	for (int o = 0; o < M_OBJS; o++) {
		CHECK_EQ(mf[o].destroyed, mo[o].finished);
		if (mo[o].finished)
			continue;
		unfinished++;
		CHECK_EQ(mf[o].obj.refs, m_caps_of(o) + mo[o].kref);
		CHECK_EQ(mf[o].obj.gen, mo[o].gen);
	}
	CHECK_EQ(qobj.used[QUOTA_OBJECTS], unfinished);
}

static void m_setup(uint64_t seed)
{
	static const enum obj_type types[M_OBJS] = {
		OBJ_INBOX, OBJ_MEMORY, OBJ_REPLY, OBJ_INBOX, OBJ_MEMORY, OBJ_INBOX,
	};
	cap_handle_t h;

	rng = seed;
	nhist = 0;
	memset(ms, 0, sizeof ms);
	setup(M_SLOTS);
	for (int c = 0; c < M_CS; c++) {
		quota_init(mq[c], m_limit[c], 0, 0);
		CHECK_EQ(cspace_init(mcs[c], mcs[c]->slots, m_nslots[c], mq[c]), STATUS_OK);
		CHECK_EQ(mcs[c]->index_bits, m_bits[c]);
	}
	for (int i = 0; i < M_CS * M_SLOTS; i++)
		ms[i].gen = 1;
	for (int o = 0; o < M_OBJS; o++) {
		fake_init(&mf[o], types[o]);
		mo[o] = (struct mobj){ .gen = 1, .kref = true, .type = types[o] };
		CHECK_EQ(cspace_insert(&A, &mf[o].obj, RIGHTS_ALL, 0, 0, &h), STATUS_OK);
		m_fill(0, h, o, RIGHTS_ALL, false, 0, 1, -1);
	}
	/* Half the objects live only through their caps from now on. */
	for (int o = M_OBJS / 2; o < M_OBJS; o++) {
		kobj_put(&mf[o].obj);
		mo[o].kref = false;
	}
}

static void m_step(void)
{
	unsigned op = rnd_below(100);

	if (op < 12)
		m_op_insert();
	else if (op < 35)
		m_op_derive();
	else if (op < 55)
		m_op_transfer();
	else if (op < 66)
		m_op_remove(0);
	else if (op < 71)
		m_op_remove(1);
	else if (op < 74)
		m_op_remove(2);
	else if (op < 80)
		m_op_remove(3);
	else if (op < 82)
		m_op_object();
	else
		m_op_lookup();
}

TEST(random_operations_match_model)
{
	static const uint64_t seeds[] = { 0x9e3779b97f4a7c15ull, 1, 0xdeadbeef,
					  0x1234567887654321ull };

	for (unsigned k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
		m_setup(seeds[k]);
		for (int step = 0; step < 40000; step++) {
			m_step();
			m_compare();
		}
		for (int c = 0; c < M_CS; c++)
			cspace_clear(mcs[c]);
		for (int o = 0; o < M_OBJS; o++)
			if (mo[o].kref)
				kobj_put(&mf[o].obj);
		for (int o = 0; o < M_OBJS; o++)
			CHECK_EQ(mf[o].destroyed, 1);
		CHECK_EQ(qobj.used[QUOTA_OBJECTS], 0);
		CHECK_EQ(qa.used[QUOTA_SLOTS] + qb.used[QUOTA_SLOTS] + qc.used[QUOTA_SLOTS], 0);
		check_all();
	}
}

int main(void)
{
	RUN(insert_and_lookup_report_type_rights_and_badge);
	RUN(lookup_errors_in_documented_order);
	RUN(init_rejects_bad_sizes_and_insert_bad_arguments);
	RUN(handle_is_index_or_generation_shifted_by_index_bits);
	RUN(handle_to_deleted_cap_fails_after_slot_reuse);
	RUN(slot_with_spent_generations_is_retired_not_reused);
	RUN(slot_exhaustion_is_full_and_recovers);
	RUN(quota_exhaustion_and_return_to_baseline);
	RUN(derive_never_adds_rights);
	RUN(badge_set_once_on_unbadged_and_kept_after);
	RUN(revoke_removes_derived_caps_in_three_cspaces_and_keeps_root);
	RUN(revoke_deep_chain_of_1000_across_three_cspaces);
	RUN(revoke_of_60000_deep_chain_runs_on_a_small_stack);
	RUN(delete_of_intermediate_cap_reparents_children);
	RUN(revoke_all_makes_every_other_cap_stale);
	RUN(killed_object_is_stale_and_freed_with_its_last_cap);
	RUN(copy_keeps_source_and_derives_masked_child);
	RUN(move_empties_source_and_keeps_tree_position);
	RUN(grant_once_is_consumed_by_first_use_only);
	RUN(reply_caps_are_always_grant_once);
	RUN(failed_transfer_changes_nothing);
	RUN(finishing_a_chain_of_objects_never_recurses);
	RUN(random_operations_match_model);
	return check_summary();
}
