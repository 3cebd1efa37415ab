/*
 * Task lifetimes under the real kernel in this process
 * (libsys/host/host_kernel.h): a task's limits are charged to the task
 * that made it, and a child may outlive that parent. The parent's record
 * - whose quota the child's end pays back - must stay until the child is
 * gone, and then everything returns to where it was. (A freed record
 * written to would go unnoticed here - pools do not poison - so this pins
 * the lifetimes and the baseline; task.h states the rule.)
 */
#include <string.h>

#include "check.h"
#include "host_kernel.h"
#include "keel/loop.h"

#define MS 1000000ull
#define GRANDCHILD_LIFE (50 * MS)

static const struct keel_start *root;
static cap_handle_t sup_send;
static struct inbox_ring *sup_ring;

static int grandchild(const struct keel_start *s)
{
	uint64_t pending;
	(void)s;
	/* Outlives its parent by waiting on a bit nothing raises. */
	return sys_signal_wait(1ull << 40, GRANDCHILD_LIFE, &pending) == STATUS_TIMEOUT ? 0 : 1;
}

/* Starts grandchild, paid for from its own quota, and ends at once. */
static int parent(const struct keel_start *s)
{
	struct keel_spawn_args a = {
		.name = "grandchild",
		.fault_inbox = s->supervisor,
		.quota_slots = 8,
		.quota_objects = 8,
		.quota_pages = 16,
		.tier = THREAD_TIER_MATTER,
		.affinity = 1,
	};
	struct keel_child c;
	return host_spawn(&a, grandchild, &c) == STATUS_OK ? 0 : 1;
}

/* The next exit message on the root's inbox: its code, or -1. */
static int64_t next_exit(void)
{
	struct keel_msg m;
	struct task_exit_msg e;
	if (host_ring_next(sup_ring, 1, 1000 * MS, &m) || m.label != MSG_LABEL_TASK_EXIT)
		return -1;
	memcpy(&e, m.payload, sizeof e);
	return (int64_t)e.code;
}

/* Starts main as a task supervised by the root, keeping no capability
 * to it: its end is the next exit message. */
static void start_child(const char *name, host_main_fn *main)
{
	struct keel_spawn_args a = {
		.name = name,
		.fault_inbox = sup_send,
		.supervisor = { sup_send, RIGHT_SEND | RIGHT_GRANT, 0 },
		.quota_slots = 32,
		.quota_objects = 32,
		.quota_pages = 64,
		.tier = THREAD_TIER_MATTER,
		.affinity = 1,
	};
	struct keel_child c;
	CHECK_EQ(host_spawn(&a, main, &c), STATUS_OK);
	CHECK_EQ(sys_cap_delete(c.task), STATUS_OK);
	CHECK_EQ(sys_cap_delete(c.thread), STATUS_OK);
}

TEST(a_child_outlives_the_parent_that_paid_for_it)
{
	struct kernel_stats base, between, after;
	CHECK_EQ(sys_kernel_stats(root->witness, &base, sizeof base), STATUS_OK);
	start_child("parent", parent);
	CHECK_EQ(next_exit(), 0); /* the parent */
	CHECK_EQ(sys_kernel_stats(root->witness, &between, sizeof between), STATUS_OK);
	CHECK_EQ(between.tasks, base.tasks + 1); /* the grandchild runs on */
	CHECK_EQ(next_exit(), 0);                /* the grandchild, after its wait */
	CHECK_EQ(sys_kernel_stats(root->witness, &after, sizeof after), STATUS_OK);
	CHECK_EQ(after.tasks, base.tasks);
	CHECK_EQ(after.threads, base.threads);
	CHECK_EQ(after.objects, base.objects);
}

/* Makes two tasks it never starts, gives each a capability to itself and
 * to the other - a cycle no capability from outside holds - and ends. */
static int unstarted_cycle(const struct keel_start *s)
{
	const uint32_t rights = RIGHT_GRANT | RIGHT_CONTROL;
	cap_handle_t t1, t2, g;
	(void)s;
	if (sys_task_create(8, 4, 16, CAP_HANDLE_NONE, &t1) ||
	    sys_task_create(8, 4, 16, CAP_HANDLE_NONE, &t2))
		return 1;
	if (sys_task_grant(t1, t1, rights, 0, &g) || sys_task_grant(t1, t2, rights, 0, &g) ||
	    sys_task_grant(t2, t2, rights, 0, &g) || sys_task_grant(t2, t1, rights, 0, &g))
		return 2;
	if (sys_cap_delete(t1) || sys_cap_delete(t2))
		return 3;
	return 0;
}

/* Tasks that never started go with the task that made them, even when
 * they hold capabilities to themselves (the fuzzer's leak: a task and
 * its CSpace kept for ever). */
TEST(unstarted_tasks_go_with_their_parent)
{
	struct kernel_stats base, after;
	CHECK_EQ(sys_kernel_stats(root->witness, &base, sizeof base), STATUS_OK);
	start_child("unstarted", unstarted_cycle);
	CHECK_EQ(next_exit(), 0);
	CHECK_EQ(sys_kernel_stats(root->witness, &after, sizeof after), STATUS_OK);
	CHECK_EQ(after.tasks, base.tasks);
	CHECK_EQ(after.threads, base.threads);
	CHECK_EQ(after.objects, base.objects);
}

static int tests(const struct keel_start *start)
{
	cap_handle_t ib;
	root = start;
	if (loop_inbox_open(16, 0, &ib, &sup_ring) ||
	    sys_cap_derive(ib, RIGHT_SEND | RIGHT_GRANT, 0, &sup_send)) {
		printf("cannot make the root's inbox\n");
		return 1;
	}
	RUN(a_child_outlives_the_parent_that_paid_for_it);
	RUN(unstarted_tasks_go_with_their_parent);
	return check_summary();
}

int main(void)
{
	return host_test_main(tests);
}
