/*
 * test_quota.c - host tests for quota accounts (object.c): slots and
 * objects charged to one account; pages a limit charged to the account
 * and every ancestor, each checked against its own limit; releases that
 * return pages up the chain, count underflows and call the drained hook.
 */
#include <stdint.h>

#include "check.h"
#include "core/object/object.h"

static int drained_calls;

static void on_drained(struct quota *q)
{
	(void)q;
	drained_calls++;
}

/* root <- mid <- leaf, with page limits 100, 60 and 80 (leaf declares
 * more than mid may hold: the smaller limit on the chain applies). */
static void chain(struct quota *root, struct quota *mid, struct quota *leaf)
{
	quota_init(root, 10, 10, 100);
	quota_init(mid, 10, 10, 60);
	quota_init(leaf, 10, 10, 80);
	mid->parent = root;
	leaf->parent = mid;
}

TEST(pages_reach_every_ancestor)
{
	struct quota root, mid, leaf;
	chain(&root, &mid, &leaf);
	CHECK_EQ(quota_charge(&leaf, QUOTA_PAGES, 20), STATUS_OK);
	CHECK_EQ(leaf.used[QUOTA_PAGES], 20);
	CHECK_EQ(mid.used[QUOTA_PAGES], 20);
	CHECK_EQ(root.used[QUOTA_PAGES], 20);
	quota_release(&leaf, QUOTA_PAGES, 20);
	CHECK_EQ(leaf.used[QUOTA_PAGES], 0);
	CHECK_EQ(mid.used[QUOTA_PAGES], 0);
	CHECK_EQ(root.used[QUOTA_PAGES], 0);
}

TEST(the_tightest_limit_on_the_chain_refuses)
{
	struct quota root, mid, leaf;
	chain(&root, &mid, &leaf);
	/* leaf allows 80, mid only 60: refused whole, nothing charged. */
	CHECK_EQ(quota_charge(&leaf, QUOTA_PAGES, 61), STATUS_QUOTA);
	CHECK_EQ(leaf.used[QUOTA_PAGES] + mid.used[QUOTA_PAGES] + root.used[QUOTA_PAGES], 0);
	CHECK_EQ(quota_charge(&leaf, QUOTA_PAGES, 60), STATUS_OK);
	/* The root's own use counts against what its children may take. */
	CHECK_EQ(quota_charge(&root, QUOTA_PAGES, 40), STATUS_OK);
	CHECK_EQ(quota_charge(&mid, QUOTA_PAGES, 1), STATUS_QUOTA);
	quota_release(&root, QUOTA_PAGES, 40);
	CHECK_EQ(mid.used[QUOTA_PAGES], 60);
	CHECK_EQ(root.used[QUOTA_PAGES], 60);
}

TEST(siblings_share_the_parent_limit)
{
	struct quota root, a, b;
	quota_init(&root, 10, 10, 100);
	quota_init(&a, 10, 10, 100);
	quota_init(&b, 10, 10, 100);
	a.parent = b.parent = &root;
	CHECK_EQ(quota_charge(&a, QUOTA_PAGES, 70), STATUS_OK);
	CHECK_EQ(quota_charge(&b, QUOTA_PAGES, 31), STATUS_QUOTA);
	CHECK_EQ(quota_charge(&b, QUOTA_PAGES, 30), STATUS_OK);
	quota_release(&a, QUOTA_PAGES, 70);
	CHECK_EQ(quota_charge(&b, QUOTA_PAGES, 70), STATUS_OK);
	CHECK_EQ(root.used[QUOTA_PAGES], 100);
	CHECK_EQ(a.used[QUOTA_PAGES], 0);
}

TEST(slots_and_objects_stay_in_one_account)
{
	struct quota root, mid, leaf;
	chain(&root, &mid, &leaf);
	CHECK_EQ(quota_charge(&leaf, QUOTA_OBJECTS, 10), STATUS_OK);
	CHECK_EQ(quota_charge(&leaf, QUOTA_SLOTS, 10), STATUS_OK);
	CHECK_EQ(mid.used[QUOTA_OBJECTS] + mid.used[QUOTA_SLOTS], 0);
	CHECK_EQ(quota_charge(&leaf, QUOTA_OBJECTS, 1), STATUS_QUOTA);
	CHECK_EQ(quota_charge(NULL, QUOTA_PAGES, UINT64_MAX), STATUS_OK);
	CHECK_EQ(quota_charge(&leaf, QUOTA_KINDS, 1), STATUS_INVALID);
	CHECK_EQ(quota_charge(&leaf, QUOTA_PAGES, UINT64_MAX), STATUS_QUOTA);
}

TEST(underflow_is_counted_at_each_level)
{
	struct quota root, mid, leaf;
	chain(&root, &mid, &leaf);
	CHECK_EQ(quota_charge(&mid, QUOTA_PAGES, 5), STATUS_OK);
	CHECK_EQ(quota_charge(&leaf, QUOTA_PAGES, 3), STATUS_OK);
	quota_release(&leaf, QUOTA_PAGES, 4); /* a kernel bug: one too many */
	CHECK_EQ(leaf.underflows, 1);
	CHECK_EQ(leaf.used[QUOTA_PAGES], 0);
	CHECK_EQ(mid.used[QUOTA_PAGES], 4);
	CHECK_EQ(root.used[QUOTA_PAGES], 4);
	CHECK_EQ(mid.underflows + root.underflows, 0);
}

TEST(drained_hook_after_the_last_object)
{
	struct quota root, leaf;
	quota_init(&root, 10, 10, 100);
	quota_init(&leaf, 10, 10, 100);
	leaf.parent = &root;
	CHECK_EQ(quota_charge(&leaf, QUOTA_OBJECTS, 1), STATUS_OK);
	CHECK_EQ(quota_charge(&leaf, QUOTA_PAGES, 8), STATUS_OK);
	leaf.drained = on_drained;
	quota_release(&leaf, QUOTA_PAGES, 8);
	CHECK_EQ(drained_calls, 0);
	CHECK_EQ(root.used[QUOTA_PAGES], 0);
	quota_release(&leaf, QUOTA_OBJECTS, 1);
	CHECK_EQ(drained_calls, 1);
	CHECK(leaf.drained == NULL);
}

/* The inline slot charge and release give what quota_charge and
 * quota_release give: the limit, no account, an underflow, the hook. */
TEST(slot_shortcuts_match_the_general_calls)
{
	struct quota a, b;
	quota_init(&a, 2, 10, 10);
	quota_init(&b, 2, 10, 10);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(quota_charge_slot(&a), quota_charge(&b, QUOTA_SLOTS, 1));
	CHECK_EQ(a.used[QUOTA_SLOTS], 2);
	CHECK_EQ(b.used[QUOTA_SLOTS], 2);
	CHECK_EQ(quota_charge_slot(NULL), STATUS_OK);
	quota_release_slot(NULL);
	for (int i = 0; i < 3; i++) {
		quota_release_slot(&a);
		quota_release(&b, QUOTA_SLOTS, 1);
	}
	CHECK_EQ(a.used[QUOTA_SLOTS], 0);
	CHECK_EQ(a.underflows, 1);
	CHECK_EQ(b.underflows, 1);
	/* An account whose owner has gone: its hook runs as before. */
	drained_calls = 0;
	CHECK_EQ(quota_charge_slot(&a), STATUS_OK);
	a.drained = on_drained;
	quota_release_slot(&a);
	CHECK_EQ(a.used[QUOTA_SLOTS], 0);
	CHECK_EQ(drained_calls, 1);
	CHECK(a.drained == NULL);
}

int main(void)
{
	RUN(pages_reach_every_ancestor);
	RUN(the_tightest_limit_on_the_chain_refuses);
	RUN(siblings_share_the_parent_limit);
	RUN(slots_and_objects_stay_in_one_account);
	RUN(underflow_is_counted_at_each_level);
	RUN(drained_hook_after_the_last_object);
	RUN(slot_shortcuts_match_the_general_calls);
	return check_summary();
}
