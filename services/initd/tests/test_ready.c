/* Host tests for start gating: ready_settle over small dependency tables. */
#include <stdint.h>

#include "check.h"
#include "ready.h"

enum { A, B, C, D };

static struct ready_graph g;
static enum ready_peer peer[READY_NODES_MAX];
static bool gated[READY_NODES_MAX];
static enum ready_verdict verdict[READY_NODES_MAX];
static uint32_t blocker[READY_NODES_MAX];

/* n nodes, none gated, all coming. */
static void table(uint32_t n)
{
	CHECK_EQ(ready_init(&g, n), STATUS_OK);
	for (uint32_t i = 0; i < READY_NODES_MAX; i++)
		peer[i] = READY_PEER_COMING, gated[i] = false;
}

static void settle(void)
{
	ready_settle(&g, peer, gated, verdict, blocker);
}

TEST(a_service_waits_until_the_service_it_sends_to_is_up)
{
	table(2);
	CHECK_EQ(ready_add(&g, B, A), STATUS_OK);
	gated[B] = true;
	settle();
	CHECK_EQ(verdict[B], READY_WAIT);
	CHECK_EQ(blocker[B], A);
	CHECK_EQ(verdict[A], READY_GO); /* not gated: nothing to decide */
	peer[A] = READY_PEER_UP;
	settle();
	CHECK_EQ(verdict[B], READY_GO);
	CHECK_EQ(blocker[B], READY_NOBODY);
}

TEST(every_dependency_must_be_up_not_just_one)
{
	table(3);
	CHECK_EQ(ready_add(&g, C, A), STATUS_OK);
	CHECK_EQ(ready_add(&g, C, B), STATUS_OK);
	gated[C] = true;
	peer[A] = READY_PEER_UP;
	settle();
	CHECK_EQ(verdict[C], READY_WAIT);
	CHECK_EQ(blocker[C], B);
	peer[B] = READY_PEER_UP;
	settle();
	CHECK_EQ(verdict[C], READY_GO);
}

TEST(a_chain_waits_link_by_link)
{
	/* C after B after A: only B may go once A is up; C waits for B. */
	table(3);
	CHECK_EQ(ready_add(&g, B, A), STATUS_OK);
	CHECK_EQ(ready_add(&g, C, B), STATUS_OK);
	gated[B] = gated[C] = true;
	settle();
	CHECK_EQ(verdict[B], READY_WAIT);
	CHECK_EQ(verdict[C], READY_WAIT);
	CHECK_EQ(blocker[C], B);
	peer[A] = READY_PEER_UP;
	settle();
	CHECK_EQ(verdict[B], READY_GO);
	CHECK_EQ(verdict[C], READY_WAIT);
}

TEST(a_gone_dependency_blocks_its_dependents_and_theirs)
{
	table(3);
	CHECK_EQ(ready_add(&g, B, A), STATUS_OK);
	CHECK_EQ(ready_add(&g, C, B), STATUS_OK);
	gated[B] = gated[C] = true;
	peer[A] = READY_PEER_GONE;
	settle();
	CHECK_EQ(verdict[B], READY_BLOCKED);
	CHECK_EQ(blocker[B], A);
	CHECK_EQ(verdict[C], READY_BLOCKED);
	CHECK_EQ(blocker[C], B);
}

TEST(a_dependency_nobody_provides_blocks)
{
	table(2);
	CHECK_EQ(ready_add(&g, B, A), STATUS_OK);
	CHECK_EQ(ready_add(&g, B, READY_NOBODY), STATUS_OK);
	gated[B] = true;
	peer[A] = READY_PEER_UP;
	settle();
	CHECK_EQ(verdict[B], READY_BLOCKED);
	CHECK_EQ(blocker[B], READY_NOBODY);
}

TEST(services_that_wait_for_each_other_are_blocked_not_left_waiting)
{
	/* A sends B, B sends A; C is behind them; D is independent. */
	table(4);
	CHECK_EQ(ready_add(&g, A, B), STATUS_OK);
	CHECK_EQ(ready_add(&g, B, A), STATUS_OK);
	CHECK_EQ(ready_add(&g, C, A), STATUS_OK);
	gated[A] = gated[B] = gated[C] = true;
	peer[D] = READY_PEER_UP;
	settle();
	CHECK_EQ(verdict[A], READY_BLOCKED);
	CHECK_EQ(blocker[A], B);
	CHECK_EQ(verdict[B], READY_BLOCKED);
	CHECK_EQ(blocker[B], A);
	CHECK_EQ(verdict[C], READY_BLOCKED);
	CHECK_EQ(verdict[D], READY_GO);
}

TEST(a_dependency_in_backoff_makes_a_restart_wait_not_block)
{
	/* B restarts while A, which it sends to, waits out its backoff. */
	table(2);
	CHECK_EQ(ready_add(&g, B, A), STATUS_OK);
	gated[B] = true;
	peer[A] = READY_PEER_COMING;
	settle();
	CHECK_EQ(verdict[B], READY_WAIT);
	CHECK_EQ(blocker[B], A);
}

TEST(a_blocked_service_is_unblocked_when_its_dependency_comes_back)
{
	table(2);
	CHECK_EQ(ready_add(&g, B, A), STATUS_OK);
	gated[B] = true;
	peer[A] = READY_PEER_GONE;
	settle();
	CHECK_EQ(verdict[B], READY_BLOCKED);
	peer[A] = READY_PEER_COMING; /* released from quarantine */
	settle();
	CHECK_EQ(verdict[B], READY_WAIT);
	peer[A] = READY_PEER_UP;
	settle();
	CHECK_EQ(verdict[B], READY_GO);
}

TEST(a_gated_dependency_is_never_up_whatever_its_peer_state_says)
{
	/* A is gated itself (a restart waiting for C): B must wait too. */
	table(3);
	CHECK_EQ(ready_add(&g, A, C), STATUS_OK);
	CHECK_EQ(ready_add(&g, B, A), STATUS_OK);
	gated[A] = gated[B] = true;
	peer[A] = READY_PEER_UP;
	settle();
	CHECK_EQ(verdict[A], READY_WAIT);
	CHECK_EQ(verdict[B], READY_WAIT);
	CHECK_EQ(blocker[B], A);
}

TEST(add_keeps_a_dependency_once_and_rejects_bad_ones)
{
	table(3);
	CHECK_EQ(ready_add(&g, B, A), STATUS_OK);
	CHECK_EQ(ready_add(&g, B, A), STATUS_OK);
	CHECK_EQ(g.ndeps[B], 1);
	CHECK_EQ(ready_add(&g, B, B), STATUS_INVALID);
	CHECK_EQ(ready_add(&g, B, 3), STATUS_RANGE);
	CHECK_EQ(ready_add(&g, 3, A), STATUS_RANGE);
	CHECK_EQ(ready_add(&g, B, READY_NOBODY), STATUS_OK);
	CHECK_EQ(ready_add(&g, B, READY_NOBODY), STATUS_OK);
	CHECK_EQ(g.ndeps[B], 2);
	CHECK_EQ(ready_init(&g, READY_NODES_MAX + 1), STATUS_RANGE);
}

TEST(add_is_full_past_the_most_dependencies_a_service_can_declare)
{
	CHECK_EQ(ready_init(&g, READY_NODES_MAX), STATUS_OK);
	for (uint32_t d = 1; d <= READY_DEPS_MAX; d++)
		CHECK_EQ(ready_add(&g, 0, d), STATUS_OK);
	CHECK_EQ(ready_add(&g, 0, READY_DEPS_MAX + 1), STATUS_FULL);
	CHECK_EQ(g.ndeps[0], READY_DEPS_MAX);
}

TEST(verdict_names)
{
	CHECK_STR(ready_verdict_name(READY_GO), "go");
	CHECK_STR(ready_verdict_name(READY_WAIT), "waiting");
	CHECK_STR(ready_verdict_name(READY_BLOCKED), "blocked");
}

int main(void)
{
	RUN(a_service_waits_until_the_service_it_sends_to_is_up);
	RUN(every_dependency_must_be_up_not_just_one);
	RUN(a_chain_waits_link_by_link);
	RUN(a_gone_dependency_blocks_its_dependents_and_theirs);
	RUN(a_dependency_nobody_provides_blocks);
	RUN(services_that_wait_for_each_other_are_blocked_not_left_waiting);
	RUN(a_dependency_in_backoff_makes_a_restart_wait_not_block);
	RUN(a_blocked_service_is_unblocked_when_its_dependency_comes_back);
	RUN(a_gated_dependency_is_never_up_whatever_its_peer_state_says);
	RUN(add_keeps_a_dependency_once_and_rejects_bad_ones);
	RUN(add_is_full_past_the_most_dependencies_a_service_can_declare);
	RUN(verdict_names);
	return check_summary();
}
