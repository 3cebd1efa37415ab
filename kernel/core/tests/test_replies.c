/*
 * test_replies.c - host tests for a task's table of unanswered calls
 * (object/replies.c): handles that never look like slot handles, a
 * generation per entry that outlives a used handle, retirement instead of
 * wrapping, the bound (FULL) and the slot quota (QUOTA), forged handles.
 */
#include <stdint.h>

#include "check.h"
#include "core/object/replies.h"

static struct reply_entry entries[REPLIES_MAX];
static struct replies R;
static struct quota q;

/* A caller, as the table sees it: only its address. */
static struct thread *const caller = (struct thread *)&q;

static void setup(uint32_t n, uint64_t slots)
{
	quota_init(&q, slots, 0, 0);
	replies_init(&R, entries, n, &q);
}

TEST(handles_are_in_their_own_namespace)
{
	cap_handle_t h;
	setup(4, 16);
	CHECK_EQ(replies_take(&R, caller, &h), STATUS_OK);
	CHECK(reply_handle(h));
	CHECK(h & REPLY_HANDLE_BIT);
	CHECK_EQ(h, REPLY_HANDLE_BIT | 1u << REPLY_INDEX_BITS | 0);
	CHECK(replies_find(&R, h) == &entries[0]);
	CHECK(entries[0].caller == caller);
	CHECK_EQ(q.used[QUOTA_SLOTS], 1);
	CHECK_EQ(R.held, 1);
	/* The same bits without the namespace bit name nothing here. */
	CHECK(!replies_find(&R, h & ~REPLY_HANDLE_BIT));
	replies_free(&R, &entries[0]);
	CHECK_EQ(q.used[QUOTA_SLOTS], 0);
	CHECK(replies_check(&R));
}

TEST(a_used_handle_never_names_the_next_call)
{
	cap_handle_t h, next;
	setup(1, 16);
	CHECK_EQ(replies_take(&R, caller, &h), STATUS_OK);
	replies_free(&R, replies_find(&R, h));
	CHECK(!replies_find(&R, h));
	CHECK_EQ(replies_take(&R, caller, &next), STATUS_OK);
	CHECK(next != h);
	CHECK_EQ(next & (REPLIES_MAX - 1), h & (REPLIES_MAX - 1)); /* the same entry */
	CHECK(!replies_find(&R, h));
	CHECK(replies_find(&R, next) == &entries[0]);
	replies_free(&R, &entries[0]);
	CHECK(replies_check(&R));
}

TEST(free_entries_are_reused_oldest_first)
{
	cap_handle_t a, b, c;
	setup(3, 16);
	CHECK_EQ(replies_take(&R, caller, &a), STATUS_OK);
	CHECK_EQ(replies_take(&R, caller, &b), STATUS_OK);
	replies_free(&R, replies_find(&R, a));
	/* Entry 2 was free before entry 0 was. */
	CHECK_EQ(replies_take(&R, caller, &c), STATUS_OK);
	CHECK_EQ(c & (REPLIES_MAX - 1), 2);
	CHECK(replies_check(&R));
}

TEST(an_entry_with_spent_generations_is_retired)
{
	cap_handle_t h, first;
	setup(2, 16);
	entries[0].gen = REPLY_GEN_MAX - 1;
	CHECK_EQ(replies_take(&R, caller, &first), STATUS_OK);
	replies_free(&R, replies_find(&R, first));         /* now at REPLY_GEN_MAX */
	CHECK_EQ(replies_take(&R, caller, &h), STATUS_OK); /* entry 1 */
	replies_free(&R, replies_find(&R, h));
	CHECK_EQ(replies_take(&R, caller, &h), STATUS_OK); /* entry 0, last gen */
	CHECK_EQ(h & (REPLIES_MAX - 1), 0);
	CHECK_EQ(h, REPLY_HANDLE_BIT | REPLY_GEN_MAX << REPLY_INDEX_BITS);
	replies_free(&R, replies_find(&R, h));
	CHECK_EQ(entries[0].next, REPLY_RETIRED);
	/* Only entry 1 is left, whatever is taken. */
	for (int i = 0; i < 5; i++) {
		CHECK_EQ(replies_take(&R, caller, &h), STATUS_OK);
		CHECK_EQ(h & (REPLIES_MAX - 1), 1);
		CHECK_EQ(replies_take(&R, caller, &first), STATUS_FULL);
		replies_free(&R, replies_find(&R, h));
	}
	CHECK(replies_check(&R));
}

TEST(the_table_and_the_slot_quota_bound_unanswered_calls)
{
	cap_handle_t h[4], x;
	setup(4, 16);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(replies_take(&R, caller, &h[i]), STATUS_OK);
	CHECK_EQ(replies_take(&R, caller, &x), STATUS_FULL);
	CHECK_EQ(q.used[QUOTA_SLOTS], 4);
	for (int i = 0; i < 4; i++)
		replies_free(&R, replies_find(&R, h[i]));
	/* A quota of 2 slots, of which the CSpace took 1: one call. */
	setup(4, 2);
	CHECK_EQ(quota_charge(&q, QUOTA_SLOTS, 1), STATUS_OK);
	CHECK_EQ(replies_take(&R, caller, &h[0]), STATUS_OK);
	CHECK_EQ(replies_take(&R, caller, &x), STATUS_QUOTA);
	CHECK_EQ(R.held, 1);
	replies_free(&R, replies_find(&R, h[0]));
	CHECK_EQ(q.used[QUOTA_SLOTS], 1);
	/* A table of no entries holds nothing. */
	setup(0, 16);
	CHECK_EQ(replies_take(&R, caller, &x), STATUS_FULL);
	CHECK(!replies_find(&R, REPLY_HANDLE_BIT | 1u << REPLY_INDEX_BITS));
	CHECK(replies_check(&R));
}

TEST(forged_handles_name_nothing)
{
	cap_handle_t h;
	setup(4, 16);
	CHECK_EQ(replies_take(&R, caller, &h), STATUS_OK);
	CHECK(!replies_find(&R, 0));
	CHECK(!replies_find(&R, REPLY_HANDLE_BIT));                              /* generation 0 */
	CHECK(!replies_find(&R, h + 1));                                         /* a free entry */
	CHECK(!replies_find(&R, REPLY_HANDLE_BIT | 1u << REPLY_INDEX_BITS | 7)); /* out of range */
	CHECK(!replies_find(&R, h + (1u << REPLY_INDEX_BITS))); /* a later generation */
	CHECK(!replies_find(&R, h | 1ull << 32));               /* above 32 bits */
	CHECK(!replies_find(&R, 0xffffffffu));
	CHECK(replies_find(&R, h) == &entries[0]);
	replies_free(&R, &entries[0]);
	CHECK(replies_check(&R));
}

int main(void)
{
	RUN(handles_are_in_their_own_namespace);
	RUN(a_used_handle_never_names_the_next_call);
	RUN(free_entries_are_reused_oldest_first);
	RUN(an_entry_with_spent_generations_is_retired);
	RUN(the_table_and_the_slot_quota_bound_unanswered_calls);
	RUN(forged_handles_name_nothing);
	return check_summary();
}
