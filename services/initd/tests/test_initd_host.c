/*
 * Host tests for initd under the real kernel: kernel/core runs in this
 * process (libsys/host/host_kernel.h), the test is the root task and
 * holds what the kernel gives initd on the machine, and initd's
 * unmodified sources run as a task started with host_spawn. initd boots
 * from a host bundle (struct host_bundle): echo, echo2 and broken are
 * echo's unmodified main.c with the manifests the machine's executables
 * embed (services/echo/manifest, manifest2, tests/initd/broken.manifest,
 * embedded at build time by libsys/host/embed.S), and the boot lists are
 * services/initd/boot.manifest and tests/initd/boot-refuse.manifest. The
 * test adds "mute" (below), "bare" (a program without a manifest),
 * services whose dependencies never come up, and boot lists of its own
 * for what the tree has no file for.
 *
 * Most checks are initd's own supervision scenarios (selftest.c,
 * initd.test=NAME), the ones tests/qemu/initd.sh runs under QEMU: initd
 * exits with their verdict, which reaches this root as the task's exit
 * message, and prints its findings on the console, which the test reads
 * as the QEMU test reads the serial log. The root adds what only it can
 * see: the witness log and virtual time.
 *
 * Each test boots its own kernel in a child process, as each QEMU
 * scenario boots its own machine: one kernel runs once per process
 * (host_kernel_main), the services an initd started never outlive its
 * test, and no program's statics carry over from an earlier boot (tasks
 * running the same program share its statics under the host port).
 *
 * The "hang" scenario cannot run here: echo's hang spins, and a spinning
 * thread is never preempted on the host. Hangs are shown with "mute"
 * instead, a service that stops beating while it waits.
 */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "abi/witness.h"
#include "host_kernel.h"
#include "keel/loop.h"
#include "keel/service.h"
#include "protocol.h"

#define MS 1000000ull
#define RUN_TIMEOUT (120000 * MS) /* virtual time an initd run may take */
#define SUP_SLOTS 16
#define SUP_BIT 0
#define INITD_BADGE 1
#define MUTE_HEARTBEAT_MS 50 /* the mute manifest below */
#define MUTE_BACKOFF_MS 10

int initd_main(const struct keel_start *start);
int echo_main(const struct keel_start *start);

/* Texts from the tree, embedded by the build (libsys/host/embed.S). */
extern const char echo_manifest[], echo2_manifest[], broken_manifest[];
/* The boot list starts the console too: compd and inputd drive hardware
 * the host port does not have, so echo's code stands in for them here,
 * with their names, provides and sends but no devices. */
static const char compd_manifest[] = "name compd\nprovides console\nheartbeat 500\n";
static const char inputd_manifest[] = "name inputd\nsends console\nheartbeat 500\n";
extern const char initd_boot_manifest[], initd_boot_refuse_manifest[];

static int mute_main(const struct keel_start *start);
static int slow_main(const struct keel_start *start);
static int nohello_main(const struct keel_start *start);

static const char mute_manifest[] = "name mute\n"
				    "restart on-failure\n"
				    "backoff 10 10\n"
				    "strikes 32 60\n"
				    "heartbeat 50\n"
				    "memory 64\n"
				    "objects 16\n"
				    "slots 32\n";

/* mute's code without a heartbeat: it ignores SERVICE_STOP, and only the
 * stop's grace period can end it (the stop scenario). */
static const char deaf_manifest[] = "name deaf\nmemory 64\nobjects 16\nslots 32\n";

/* Start-up: slow takes SLOW_START_MS before its hello, then beats every
 * 50 ms - inside its default start allowance, far past 3 beats; mute2 is
 * mute under a start allowance of its own and never says hello. */
#define SLOW_START_MS 2000
#define MUTE2_START_MS 500
static const char slow_manifest[] = "name slow\nheartbeat 50\nmemory 64\nobjects 16\nslots 32\n";
static const char mute2_manifest[] = "name mute2\nheartbeat 50\nstart 500\nrestart never\n"
				     "memory 64\nobjects 16\nslots 32\n";

/* Services whose dependencies never come up: they must be reported
 * blocked, not started and not left waiting. */
#define SMALL "memory 64\nobjects 16\nslots 32\n"
static const char needy_manifest[] = "name needy\nsends broken\n" SMALL;
static const char lost_manifest[] = "name lost\nsends nowhere\n" SMALL;
static const char loopa_manifest[] = "name loopa\nsends loopb\n" SMALL;
static const char loopb_manifest[] = "name loopb\nsends loopa\n" SMALL;

static const struct host_program programs[] = {
	{ "echo", echo_main, echo_manifest },      { "echo2", echo_main, echo2_manifest },
	{ "broken", echo_main, broken_manifest },  { "compd", echo_main, compd_manifest },
	{ "inputd", echo_main, inputd_manifest },  { "mute", mute_main, mute_manifest },
	{ "deaf", mute_main, deaf_manifest },      { "slow", slow_main, slow_manifest },
	{ "mute2", nohello_main, mute2_manifest }, { "bare", echo_main, NULL },
	{ "needy", echo_main, needy_manifest },    { "lost", echo_main, lost_manifest },
	{ "loopa", echo_main, loopa_manifest },    { "loopb", echo_main, loopb_manifest },
};

static const struct host_file files[] = {
	{ "boot.manifest", initd_boot_manifest },
	{ "boot-refuse.manifest", initd_boot_refuse_manifest },
	{ "boot-mute.manifest", "echo\nmute after echo\n" },
	{ "boot-deaf.manifest", "deaf\n" },
	{ "boot-slow.manifest", "echo\nslow\nmute2\n" },
	{ "boot-slowup.manifest", "slow\n" },
	{ "boot-bare.manifest", "echo\nbare\n" },
	{ "boot-cycle.manifest", "echo after echo\n" },
	{ "boot-blocked.manifest", "needy\nlost\nloopa\nloopb\necho\nbroken\n" },
};

static const struct host_bundle bundle = {
	programs,
	sizeof programs / sizeof programs[0],
	files,
	sizeof files / sizeof files[0],
};

/* What the root task holds. */
static const struct keel_start *root;
static cap_handle_t sup_inbox, sup_send;
static struct inbox_ring *sup_ring;

/* A service that says hello and then waits for good without a heartbeat,
 * as a hung service does, but without spinning (see the top). */
static int mute_main(const struct keel_start *start)
{
	cap_handle_t inbox;
	struct inbox_ring *ring;
	uint64_t pending;
	if (loop_inbox_open(16, 0, &inbox, &ring) || service_hello(start, inbox))
		return 1;
	for (;;)
		sys_signal_wait(1ull << 63, TIMEOUT_FOREVER, &pending);
}

/* slow (see above): a long start-up, then hello and a beat every 50 ms. */
static int slow_main(const struct keel_start *start)
{
	cap_handle_t inbox;
	struct inbox_ring *ring;
	uint64_t pending;
	sys_signal_wait(1ull << 63, SLOW_START_MS * MS, &pending);
	if (loop_inbox_open(16, 0, &inbox, &ring) || service_hello(start, inbox))
		return 1;
	for (;;) {
		struct keel_msg beat = { .label = SERVICE_HEARTBEAT };
		sys_msg_send(start->supervisor, &beat, CAP_HANDLE_NONE, 0);
		sys_signal_wait(1ull << 63, 50 * MS, &pending);
	}
}

/* mute2 (see above): a start-up that never ends. */
static int nohello_main(const struct keel_start *start)
{
	uint64_t pending;
	(void)start;
	while (sys_signal_wait(1ull << 63, TIMEOUT_FOREVER, &pending) != STATUS_INVALID)
		;
	return 1;
}

/* Starts initd with cmdline, as the kernel starts it on the machine but
 * for the device roots, which no service of these boot lists declares. */
static status_t initd_start(const char *cmdline, struct keel_child *child)
{
	struct keel_spawn_args a = {
		.name = "initd",
		.cmdline = cmdline,
		.fault_inbox = sup_send,
		.witness = { root->witness, RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT, 0 },
		.quota_slots = 256,
		.quota_objects = 256,
		.quota_pages = 1024,
		.tier = THREAD_TIER_MATTER,
		.affinity = 1,
	};
	host_console_clear();
	return host_spawn(&a, initd_main, child);
}

/* Waits for initd's exit message; its exit code goes to *code. Returns
 * STATUS_BAD_FORMAT for any other message (initd faulted, say). */
static status_t initd_wait(uint64_t *code)
{
	struct keel_msg m;
	struct task_exit_msg e;
	status_t st = host_ring_next(sup_ring, 1ull << SUP_BIT, RUN_TIMEOUT, &m);
	if (st)
		return st;
	if (m.label != MSG_LABEL_TASK_EXIT || m.badge != INITD_BADGE)
		return STATUS_BAD_FORMAT;
	memcpy(&e, m.payload, sizeof e);
	*code = e.code;
	return STATUS_OK;
}

/* Runs initd with cmdline to its end; returns its exit code, or -1 if it
 * could not start or did not exit. */
static int initd_run(const char *cmdline)
{
	struct keel_child child;
	uint64_t code;
	if (initd_start(cmdline, &child) || initd_wait(&code))
		return -1;
	return (int)code;
}

static bool console_has(const char *text)
{
	return strstr(host_console_text(), text) != NULL;
}

/* The next witness sequence number: records from here on are new. */
static uint64_t witness_mark(void)
{
	struct witness_record rec;
	uint64_t seq = 0, next = 0;
	size_t bytes;
	while (sys_witness_read(root->witness, seq, &rec, sizeof rec, &bytes, &next) == STATUS_OK &&
	       bytes)
		seq = next;
	return seq;
}

/* Records of action about subject from seq on: how many, and the time of
 * the first in *first (if any). */
static unsigned witness_count(uint64_t seq, uint32_t action, uint64_t subject, uint64_t *first)
{
	struct witness_record rec[8];
	unsigned n = 0;
	size_t bytes;
	while (sys_witness_read(root->witness, seq, rec, sizeof rec, &bytes, &seq) == STATUS_OK &&
	       bytes)
		for (size_t i = 0; i < bytes / sizeof rec[0]; i++)
			if (rec[i].action == action && rec[i].subject == subject && n++ == 0 &&
			    first)
				*first = rec[i].time;
	return n;
}

/* One of initd's scenarios: exit code 0, a summary line without failures. */
static void check_scenario_on(const char *boot, const char *name)
{
	char cmdline[96] = "", verdict[64] = "initd: ";
	if (boot)
		strcat(strcat(strcat(cmdline, "initd.boot="), boot), " ");
	strcat(strcat(cmdline, "initd.test="), name);
	strcat(strcat(verdict, name), ": ");
	CHECK_EQ(initd_run(cmdline), 0);
	CHECK(console_has(verdict));
	CHECK(console_has(" passed, 0 failed"));
	CHECK(!console_has("initd: FAIL"));
}

static void check_scenario(const char *name)
{
	check_scenario_on(NULL, name);
}

/* Where text first appears on the console, or -1. */
static long console_at(const char *text)
{
	const char *all = host_console_text(), *at = strstr(all, text);
	return at ? at - all : -1;
}

TEST(initd_boots_the_boot_list_and_its_status_protocol_reports_every_service_up)
{
	check_scenario("up");
	CHECK(console_has("initd: all services up (4)\n"));
	/* echo2 sends echo: it waits for echo's hello, then starts once. */
	CHECK(console_at("initd: echo2 waits for echo\n") >= 0);
	CHECK(console_at("initd: echo2 waits for echo\n") <
	      console_at("initd: echo2 starts: what it waited for is up\n"));
	CHECK(!console_has("cannot start"));
	CHECK(console_has("initd: PASS the status protocol reports every service up"));
	CHECK(console_has("initd: PASS a slot past the last is an error reply"));
	CHECK(console_has("initd: PASS the status protocol reports a service's footprint"));
	CHECK(console_has("initd: PASS INITD_TASKS lists initd and every running service"));
}

TEST(a_crashed_service_is_restarted_and_the_restart_is_witnessed)
{
	uint64_t seq = witness_mark();
	check_scenario("crash");
	CHECK(console_has("initd: PASS the service was restarted once"));
	CHECK(console_has("initd: PASS the new instance answers"));
	/* echo is slot 0 of the boot list; initd records its one restart. */
	CHECK_EQ(witness_count(seq, WITNESS_RESTART, 0, NULL), 1);
	CHECK_EQ(witness_count(seq, WITNESS_RESTART, 1, NULL), 0);
}

/* echo2 sends echo; echo crashes and restarts with a new inbox; initd
 * gives echo2 a capability to it (SERVICE_PEER, applied by keel/peers.h in
 * echo2's loop) and echo2 forwards to the new echo without a restart. */
TEST(a_sender_gets_a_capability_to_its_restarted_peer_and_reaches_it)
{
	uint64_t seq = witness_mark();
	check_scenario("peer");
	CHECK(console_has("initd: PASS echo2 reaches echo through the capability it started with"));
	CHECK(console_has("initd: PASS initd gave echo2 a capability to the new inbox"));
	CHECK(console_has("initd: PASS echo2 reaches the restarted echo"));
	CHECK(console_has("initd: PASS echo2 itself was never restarted"));
	CHECK(console_has("initd: echo2: new capability to echo (restarted)\n"));
	CHECK_EQ(witness_count(seq, WITNESS_RESTART, 0, NULL), 1);
	CHECK_EQ(witness_count(seq, WITNESS_RESTART, 1, NULL), 0);
}

/* Dependencies that never come up - a refused service, a name nobody
 * provides, two services that send to each other - block their
 * dependents with the reason; the rest boots, and the status protocol
 * reports them blocked. */
TEST(a_service_whose_dependency_will_never_come_up_is_blocked_with_the_reason)
{
	CHECK_EQ(initd_run("initd.boot=boot-blocked.manifest initd.test=up"), 0);
	CHECK(console_has("initd: needy blocked: broken was refused\n"));
	CHECK(console_has(
		"initd: lost: sends nowhere, which no service in the boot list provides\n"));
	CHECK(console_has("initd: lost blocked: no service provides nowhere\n"));
	CHECK(console_has(
		"initd: loopa blocked: it and loopb wait for each other (after/sends cycle)\n"));
	CHECK(console_has(
		"initd: loopb blocked: it and loopa wait for each other (after/sends cycle)\n"));
	CHECK(console_has("initd: all services up (1; 1 refused, 4 blocked)\n"));
	CHECK(console_has("initd: PASS the status protocol reports every service up"));
	CHECK(!console_has("cannot start"));
	CHECK(!console_has("initd: FAIL"));
}

TEST(a_port_outside_the_footprint_is_a_fault_and_a_restart)
{
	uint64_t seq = witness_mark();
	check_scenario("port");
	CHECK(console_has("initd: PASS with the right detail"));
	CHECK_EQ(witness_count(seq, WITNESS_RESTART, 0, NULL), 1);
}

TEST(memory_returns_to_baseline_after_a_hundred_crash_restart_cycles)
{
	check_scenario("cycles");
	CHECK(console_has("initd: PASS every crash/restart cycle restarted the service"));
	CHECK(console_has("initd: PASS the other service kept serving, never restarted"));
	CHECK(console_has("initd: PASS kernel counters are back at their baseline"));
}

TEST(a_malformed_manifest_is_refused_with_its_line_and_the_rest_boots)
{
	CHECK_EQ(initd_run("initd.boot=boot-refuse.manifest initd.test=up"), 0);
	CHECK(console_has("initd: broken: manifest line 3: "));
	CHECK(console_has("initd: broken refused: it will not be started"));
	CHECK(console_has("initd: all services up (1; 1 refused)"));
	CHECK(console_has("initd: up: "));
	CHECK(!console_has("initd: FAIL"));
}

TEST(a_program_without_a_manifest_is_refused)
{
	CHECK_EQ(initd_run("initd.boot=boot-bare.manifest initd.test=up"), 0);
	CHECK(console_has("initd: bare: no executable with a manifest in the bundle (NOT_FOUND)"));
	CHECK(console_has("initd: all services up (1; 1 refused)"));
}

TEST(a_missing_or_malformed_boot_list_stops_initd_with_the_reason)
{
	CHECK_EQ(initd_run("initd.boot=nothing.manifest"), 1);
	CHECK(console_has("initd: no boot list \"nothing.manifest\" in the bundle (NOT_FOUND)"));
	CHECK(console_has("initd: cannot start: "));
	CHECK_EQ(initd_run("initd.boot=boot-cycle.manifest"), 1);
	CHECK(console_has("initd: boot-cycle.manifest line 1: "));
}

/* mute says hello and never beats: heartbeats are timed in virtual time,
 * so initd must call it hung after 3 missed intervals - no sooner, no
 * later than its next 10 ms supervision tick - and restart it after its
 * backoff, while echo, beating every 50 ms, runs on untouched. */
TEST(a_service_that_stops_beating_is_restarted_on_virtual_time)
{
	struct keel_child child;
	uint64_t seq = witness_mark(), t0 = 0, t1 = 0, first = 0, code;
	sys_clock_read(&t0);
	CHECK_EQ(initd_start("initd.boot=boot-mute.manifest", &child), STATUS_OK);
	host_clock_advance(1000 * MS);
	sys_clock_read(&t1);
	CHECK_EQ(t1 - t0, 1000 * MS);
	unsigned restarts = witness_count(seq, WITNESS_RESTART, 1, &first);
	uint64_t due = t0 + (3 * MUTE_HEARTBEAT_MS + MUTE_BACKOFF_MS) * MS;
	CHECK(restarts >= 4 && restarts <= 6); /* one per 160-170 ms */
	CHECK(first >= due && first <= due + 20 * MS);
	CHECK_EQ(witness_count(seq, WITNESS_RESTART, 0, NULL), 0);
	CHECK(console_has("initd: all services up (2)"));
	CHECK_EQ(sys_task_kill(child.task, 0), STATUS_OK);
	CHECK_EQ(initd_wait(&code), STATUS_OK); /* a killed task's end is reported too */
}

/* A service is not hung for a start-up longer than three beats: slow,
 * 2 s to its hello with a 50 ms heartbeat, is never restarted and comes
 * up; mute2, which never says hello, is killed when its own allowance of
 * 500 ms ends - not before, and no later than the next tick. */
TEST(a_slow_start_up_is_given_its_start_allowance)
{
	struct keel_child child;
	uint64_t seq = witness_mark(), code;
	CHECK_EQ(initd_start("initd.boot=boot-slow.manifest", &child), STATUS_OK);
	host_clock_advance(5000 * MS);
	CHECK_EQ(witness_count(seq, WITNESS_RESTART, 1, NULL), 0);
	CHECK(!console_has("initd: slow: no"));
	CHECK(console_has("initd: mute2: no hello 5"));
	CHECK(console_has(" ms after its start: killed as hung\n"));
	CHECK_EQ(witness_count(seq, WITNESS_RESTART, 2, NULL), 0); /* restart never */
	CHECK_EQ(sys_task_kill(child.task, 0), STATUS_OK);
	CHECK_EQ(initd_wait(&code), STATUS_OK);
}

/* INITD_CONTROL from a second initd thread (selftest_control.c): stop,
 * start and restart by the operator capability, and its refusals. */
TEST(an_operator_stops_starts_and_restarts_services_by_name)
{
	check_scenario("control");
	CHECK(console_has("initd: PASS a capability that is not the operator's is refused"));
	CHECK(console_has("initd: PASS restart echo: up, restarts + 1"));
	CHECK(console_has(
		"initd: PASS the killed instance's late exit is not taken for the new one's"));
	CHECK(console_has("initd: echo2 stopped by the operator\n"));
	CHECK(console_has("initd: echo restarted by the operator\n"));
	CHECK(!console_has("did not stop in time"));
}

/* An operator's restart of slow (2 s to its hello; it ignores
 * SERVICE_STOP, so the grace period ends its old instance) is answered
 * once the new instance has said hello, up; until then the status
 * protocol says starting. */
TEST(an_operators_restart_is_answered_once_the_service_is_up)
{
	check_scenario_on("boot-slowup.manifest", "slowup");
	CHECK(console_has(
		"initd: PASS restart slow: answered once the new instance has said hello"));
	CHECK(console_has("initd: PASS restart slow: the status protocol said starting until its "
			  "hello"));
}

/* A service that ignores SERVICE_STOP, with no heartbeat and nothing else
 * due: initd kills it when the stop's grace period ends. */
TEST(a_service_that_ignores_a_stop_is_killed_when_its_grace_period_ends)
{
	check_scenario_on("boot-deaf.manifest", "stop");
	CHECK(console_has("initd: PASS stop deaf: killed when the grace period ends"));
	CHECK(console_at("initd: deaf did not stop in time: killed\n") >= 0);
	CHECK(console_at("initd: deaf did not stop in time: killed\n") <
	      console_at("initd: deaf stopped by the operator\n"));
}

struct boot_test {
	const char *name;
	void (*fn)(void);
};

#define BOOT_TEST(fn)                                                                              \
	{                                                                                          \
#fn, fn                                                                            \
	}

static const struct boot_test boot_tests[] = {
	BOOT_TEST(initd_boots_the_boot_list_and_its_status_protocol_reports_every_service_up),
	BOOT_TEST(a_crashed_service_is_restarted_and_the_restart_is_witnessed),
	BOOT_TEST(a_sender_gets_a_capability_to_its_restarted_peer_and_reaches_it),
	BOOT_TEST(a_service_whose_dependency_will_never_come_up_is_blocked_with_the_reason),
	BOOT_TEST(a_port_outside_the_footprint_is_a_fault_and_a_restart),
	BOOT_TEST(memory_returns_to_baseline_after_a_hundred_crash_restart_cycles),
	BOOT_TEST(a_malformed_manifest_is_refused_with_its_line_and_the_rest_boots),
	BOOT_TEST(a_program_without_a_manifest_is_refused),
	BOOT_TEST(a_missing_or_malformed_boot_list_stops_initd_with_the_reason),
	BOOT_TEST(a_service_that_stops_beating_is_restarted_on_virtual_time),
	BOOT_TEST(a_slow_start_up_is_given_its_start_allowance),
	BOOT_TEST(an_operator_stops_starts_and_restarts_services_by_name),
	BOOT_TEST(a_service_that_ignores_a_stop_is_killed_when_its_grace_period_ends),
	BOOT_TEST(an_operators_restart_is_answered_once_the_service_is_up),
};

static const struct boot_test *current;

/* The root task of one boot: the supervisor inbox, then the current test.
 * Its exit code is 0 if the test passed. */
static int boot_root(const struct keel_start *start)
{
	root = start;
	if (loop_inbox_open(SUP_SLOTS, SUP_BIT, &sup_inbox, &sup_ring) ||
	    sys_cap_derive(sup_inbox, RIGHT_SEND | RIGHT_GRANT, INITD_BADGE, &sup_send)) {
		printf("FAIL cannot make the supervisor inbox\n");
		return 1;
	}
	if (setjmp(check_abort) == 0) {
		current->fn();
		return 0;
	}
	return 1; /* the failed CHECK printed why */
}

/* Boots a kernel in a child process for test t; true if it passed. */
static bool boot_and_run(const struct boot_test *t)
{
	static const struct host_kernel_config cfg = { .bundle = &bundle };
	int status;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		current = t;
		int code = host_kernel_main(&cfg, boot_root);
		if (code == HOST_EXIT_FAULT || code == HOST_EXIT_HUNG)
			printf("FAIL %s: the root task did not finish (%d)\n", t->name, code);
		fflush(stdout);
		_exit(code);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

int main(void)
{
	for (size_t i = 0; i < sizeof boot_tests / sizeof boot_tests[0]; i++) {
		bool ok = boot_and_run(&boot_tests[i]);
		ok ? check_passed++ : check_failed++;
		printf("%s %s\n", ok ? "PASS" : "FAIL", boot_tests[i].name);
	}
	return check_summary();
}
