/*
 * test_keeltools.c - host tests of the pure parts of witness, top and
 * svc (keel/keeltools.h): records in words, the chain check over a log
 * made here with the kernel's own hashing (lib/witness_chain.c) and then
 * tampered with, top's summary and svc's rows.
 */
#include "check.h"

#include "../keeltools.h"
#include "abi/rights.h"
#include "lib/witness_chain.h"

#define LOG_LEN 8

/* A chained log of n records from sequence first, as the kernel makes it. */
static void make_log(struct witness_record *r, size_t n, uint64_t first)
{
	uint8_t prev[WITNESS_HASH_SIZE] = { 0 };
	for (size_t i = 0; i < n; i++) {
		r[i] = (struct witness_record){ .seq = first + i,
						.time = 1000000000ull * i + 500000,
						.action = (uint32_t)(i % 10 + 1),
						.actor = (uint32_t)i,
						.subject = i + 3,
						.object = OBJ_MEMORY,
						.arg = RIGHT_READ | RIGHT_MAP };
		memcpy(r[i].prev_hash, prev, WITNESS_HASH_SIZE);
		witness_record_hash(&r[i], r[i].hash);
		memcpy(prev, r[i].hash, WITNESS_HASH_SIZE);
	}
}

TEST(action_names)
{
	CHECK_STR(witness_action_name(WITNESS_SPAWN), "spawn");
	CHECK_STR(witness_action_name(WITNESS_DEVICE_GRANT), "device-grant");
	CHECK_STR(witness_action_name(WITNESS_QUARANTINE), "quarantine");
	CHECK(witness_action_name(0) == NULL);
	CHECK(witness_action_name(WITNESS_ACTION_COUNT) == NULL);
	CHECK(witness_action_name(0xffffffffu) == NULL);
	for (uint32_t a = 1; a < WITNESS_ACTION_COUNT; a++)
		CHECK(witness_action_name(a) != NULL);
}

TEST(records_in_words)
{
	char line[256];
	struct witness_record r = { .seq = 7,
				    .time = 2500000000ull,
				    .action = WITNESS_GRANT,
				    .actor = 1,
				    .subject = 4,
				    .object = OBJ_INBOX,
				    .arg = RIGHT_SEND | RIGHT_GRANT };
	witness_format(&r, line, sizeof line);
	CHECK_STR(line, "     7      2.500000  grant        task 1 gave task 4 an inbox capability "
			"(send grant)");
	r = (struct witness_record){ .seq = 0, .action = WITNESS_SPAWN, .subject = 1 };
	witness_format(&r, line, sizeof line);
	CHECK_STR(line, "     0      0.000000  spawn        the kernel started task 1");
	r = (struct witness_record){ .seq = 9, .action = WITNESS_KILL, .subject = 12, .arg = 3 };
	witness_format(&r, line, sizeof line);
	CHECK(strstr(line, "task 12 ended: exit code 3"));
	r.actor = 2;
	witness_format(&r, line, sizeof line);
	CHECK(strstr(line, "task 2 killed task 12"));
	r = (struct witness_record){ .action = WITNESS_FAULT, .subject = 5, .arg = 14 };
	witness_format(&r, line, sizeof line);
	CHECK(strstr(line, "task 5 faulted: CPU exception 14"));
	r = (struct witness_record){ .action = WITNESS_RESTART, .actor = 1, .subject = 3, .arg = 2 };
	witness_format(&r, line, sizeof line);
	CHECK(strstr(line, "task 1 restarted service slot 3 (restart 2)"));
	r = (struct witness_record){ .action = WITNESS_DERIVE, .actor = 6, .object = 99, .arg = 0 };
	witness_format(&r, line, sizeof line);
	CHECK(strstr(line, "task 6 derived a capability to an object of type 99 (no rights)"));
	r = (struct witness_record){ .action = 77, .actor = 1, .subject = 2, .object = 3, .arg = 4 };
	witness_format(&r, line, sizeof line);
	CHECK(strstr(line, "action-77    actor 1, subject 2, object 3, arg 4"));
}

TEST(format_never_overflows)
{
	char small[12];
	struct witness_record r = { .seq = ~0ull,
				    .time = ~0ull,
				    .action = WITNESS_DEVICE_GRANT,
				    .actor = ~0u,
				    .subject = ~0ull,
				    .object = ~0ull,
				    .arg = ~0ull };
	memset(small, 'x', sizeof small);
	witness_format(&r, small, sizeof small);
	CHECK_EQ(strlen(small), sizeof small - 1);
	char line[256];
	witness_format(&r, line, sizeof line);
	CHECK(strstr(line, "read write exec send receive map grant control 0xffffffffffffff00"));
}

TEST(chain_verifies)
{
	struct witness_record r[LOG_LEN];
	struct wchain c = { 0 };
	make_log(r, LOG_LEN, 0);
	CHECK(wchain_feed(&c, r, 3));
	CHECK(wchain_feed(&c, r + 3, LOG_LEN - 3)); /* batches join up */
	CHECK_EQ(c.count, LOG_LEN);
	CHECK_EQ(c.first_seq, 0);
	CHECK_EQ(c.next_seq, LOG_LEN);
	CHECK(witness_verify(r, LOG_LEN, NULL, NULL) == STATUS_OK); /* the kernel's view agrees */
}

TEST(chain_first_record_on_trust)
{
	struct witness_record r[LOG_LEN];
	struct wchain c = { 0 };
	make_log(r, LOG_LEN, 100);
	CHECK(wchain_feed(&c, r + 2, LOG_LEN - 2)); /* the oldest were overwritten */
	CHECK_EQ(c.count, LOG_LEN - 2);
	CHECK_EQ(c.first_seq, 102);
}

/* Feeds log r with record `bad` changed by change(); expects a break there. */
static void expect_break(size_t bad, void (*change)(struct witness_record *), const char *why)
{
	struct witness_record r[LOG_LEN];
	struct wchain c = { 0 };
	make_log(r, LOG_LEN, 0);
	change(&r[bad]);
	CHECK(!wchain_feed(&c, r, LOG_LEN));
	CHECK(c.broken);
	CHECK_EQ(c.bad_seq, r[bad].seq);
	CHECK_EQ(c.count, bad);
	CHECK_STR(c.why, why);
	CHECK(!wchain_feed(&c, r, 1)); /* stays broken */
	CHECK_EQ(c.count, bad);
}

static void flip_arg(struct witness_record *r)
{
	r->arg ^= 1;
}
static void flip_hash(struct witness_record *r)
{
	r->hash[5] ^= 0x40;
}
static void relink(struct witness_record *r)
{
	r->prev_hash[0] ^= 1; /* and rehash, as a forger would */
	witness_record_hash(r, r->hash);
}
static void renumber(struct witness_record *r)
{
	r->seq += 1;
	witness_record_hash(r, r->hash);
}

TEST(chain_breaks)
{
	expect_break(4, flip_arg, "hash does not match its fields");
	expect_break(0, flip_arg, "hash does not match its fields");
	expect_break(LOG_LEN - 1, flip_hash, "hash does not match its fields");
	expect_break(3, relink, "does not link to the record before it");
	expect_break(2, renumber, "sequence number out of order");
}

TEST(chain_removed_record)
{
	struct witness_record r[LOG_LEN];
	struct wchain c = { 0 };
	make_log(r, LOG_LEN, 0);
	CHECK(wchain_feed(&c, r, 3));
	CHECK(!wchain_feed(&c, r + 4, LOG_LEN - 4)); /* record 3 dropped */
	CHECK_EQ(c.bad_seq, 4);
	CHECK_EQ(c.count, 3);
}

TEST(chain_resumes_after_a_gap)
{
	struct witness_record r[LOG_LEN];
	struct wchain c = { 0 };
	make_log(r, LOG_LEN, 0);
	CHECK(wchain_feed(&c, r, 3));
	wchain_resume(&c); /* the reader lost records 3 and 4 */
	CHECK(wchain_feed(&c, r + 5, LOG_LEN - 5));
	CHECK_EQ(c.count, LOG_LEN - 2);
	CHECK_EQ(c.first_seq, 0);
	CHECK_EQ(c.next_seq, LOG_LEN);
}

TEST(top_first_reading)
{
	char buf[1024];
	struct top_sample s = { .cpus = 2, .uptime_ns = 3723000000000ull };
	s.now = (struct kernel_stats){ .free_pages = 1024,
				       .total_pages = 4096,
				       .threads = 31,
				       .tasks = 14,
				       .objects = 500,
				       .syscalls = 12345,
				       .witness_records = 300,
				       .lock_acquired = 1000,
				       .lock_contended = 25 };
	size_t len = top_format(&s, buf, sizeof buf);
	CHECK_EQ(len, strlen(buf));
	CHECK(strstr(buf, "up 1:02:03, 2 CPUs\n"));
	CHECK(strstr(buf, "Tasks: 14   Threads: 31   Objects: 500\n"));
	CHECK(strstr(buf, "Memory: 16384 KiB total, 4096 KiB free, 12288 KiB used (75.0%)\n"));
	CHECK(strstr(buf, "Syscalls: 12345 since boot"));
	CHECK(strstr(buf, "1000 acquisitions, 2.5% contended"));
}

TEST(top_rates)
{
	char buf[1024];
	struct top_sample s = { .cpus = 1, .interval_ns = 2000000000ull };
	s.before = (struct kernel_stats){ .total_pages = 100,
					  .syscalls = 1000,
					  .lock_acquired = 10 };
	s.now = (struct kernel_stats){ .total_pages = 100,
				       .free_pages = 200,
				       .syscalls = 1501,
				       .lock_acquired = 410,
				       .lock_contended = 4,
				       .witness_records = 3 };
	top_format(&s, buf, sizeof buf);
	CHECK(strstr(buf, ", 1 CPU\n"));
	CHECK(strstr(buf, "400 KiB free, 0 KiB used (0.0%)")); /* free > total is clamped */
	CHECK(strstr(buf, "Syscalls: 250.5/s   Witness records: 3 new"));
	CHECK(strstr(buf, "200 acquisitions/s, 1.0% contended"));
	char small[10];
	size_t need = top_format(&s, small, sizeof small);
	CHECK(need > sizeof small);
	CHECK_EQ(strlen(small), sizeof small - 1);
}

TEST(top_cpu_lines)
{
	char buf[2048];
	static struct top_sample s; /* big: not on the stack */
	memset(&s, 0, sizeof s);
	s.cpus = 2;
	s.interval_ns = 1000000000ull;
	s.cpu_before[0] = (struct kernel_cpu_stats){
		.flags = KERNEL_CPU_ONLINE, .busy = 100, .idle = 900, .syscalls = 10
	};
	s.cpu_now[0] = (struct kernel_cpu_stats){
		.flags = KERNEL_CPU_ONLINE, .busy = 350, .idle = 1650, .syscalls = 60, .switches = 7
	};
	s.cpu_before[1] = (struct kernel_cpu_stats){ .cpu = 1, .flags = KERNEL_CPU_ONLINE };
	s.cpu_now[1] = (struct kernel_cpu_stats){ .cpu = 1,
						  .flags = KERNEL_CPU_ONLINE | KERNEL_CPU_IDLE,
						  .idle = 1000 };
	top_format(&s, buf, sizeof buf);
	CHECK(strstr(buf, "CPU0    25.0% busy   50.0 syscalls/s   7 switches/s\n"));
	CHECK(strstr(buf, "CPU1     0.0% busy   0.0 syscalls/s   0 switches/s\n"));
	s.interval_ns = 0;
	s.cpus = 1;
	top_format(&s, buf, sizeof buf);
	CHECK(strstr(buf, "CPU0    17.5% busy since boot   60 syscalls\n"));
	CHECK(!strstr(buf, "CPU1"));
	s.cpus = 2;
	s.cpu_now[1].flags = 0; /* a kernel without per-CPU records */
	top_format(&s, buf, sizeof buf);
	CHECK(!strstr(buf, "CPU1"));
}

TEST(svc_words)
{
	char buf[160];
	CHECK_STR(initd_state_name(INITD_STATE_UP), "up");
	CHECK_STR(initd_state_name(INITD_STATE_QUARANTINED), "quarantined");
	CHECK_STR(initd_state_name(INITD_STATE_BLOCKED), "blocked");
	CHECK_STR(initd_state_name(0x99), "?");
	CHECK_STR(initd_cause_name(INITD_CAUSE_STOP), "stop");
	CHECK_EQ(svc_verb("stop"), INITD_VERB_STOP);
	CHECK_EQ(svc_verb("start"), INITD_VERB_START);
	CHECK_EQ(svc_verb("restart"), INITD_VERB_RESTART);
	CHECK_EQ(svc_verb("reload"), 0);
	CHECK_EQ(svc_verb(""), 0);
	CHECK_STR(svc_control_error("echo", INITD_VERB_STOP, STATUS_NOT_FOUND), "no such service");
	CHECK(strstr(svc_control_error("initd", INITD_VERB_STOP, STATUS_INVALID), "cannot be"));
	CHECK(strstr(svc_control_error("topod", INITD_VERB_RESTART, STATUS_INVALID),
		     "device roots"));
	CHECK(strstr(svc_control_error("echo", INITD_VERB_START, STATUS_BUSY), "already"));
	CHECK(strstr(svc_control_error("echo", INITD_VERB_STOP, STATUS_NO_RIGHTS), "operator"));
	CHECK(strstr(svc_control_error("vfsd", INITD_VERB_RESTART, STATUS_TIMEOUT), "not up yet"));
	CHECK(svc_control_error("echo", INITD_VERB_STOP, STATUS_QUOTA) == NULL);
	svc_duration(45000, buf, sizeof buf);
	CHECK_STR(buf, "45s");
	svc_duration(723999, buf, sizeof buf);
	CHECK_STR(buf, "12m03s");
	svc_duration(3600000ull * 3 + 240000, buf, sizeof buf);
	CHECK_STR(buf, "3h04m");
	svc_duration(86400000ull * 2 + 3600000ull * 3, buf, sizeof buf);
	CHECK_STR(buf, "2d03h");
}

TEST(svc_rows)
{
	char buf[160];
	struct initd_status st = { .name = "vfsd",
				   .state = INITD_STATE_UP,
				   .restarts = 2,
				   .uptime_ms = 61000,
				   .task_id = 9,
				   .last_cause = INITD_CAUSE_FAULT };
	svc_row(&st, NULL, buf, sizeof buf);
	CHECK_STR(buf, "vfsd             up                  2  1m01s     fault");
	CHECK_EQ(strcspn(svc_heading(), "R") + 7,
		 strcspn(buf, "2")); /* RESTARTS ends over the count */
	st = (struct initd_status){ .state = INITD_STATE_WAITING, .waits_for = 1 };
	memcpy(st.name, "a-sixteen-chars!", 16); /* no NUL inside */
	svc_row(&st, "blkd", buf, sizeof buf);
	CHECK_STR(buf, "a-sixteen-chars! waiting             0  -         -  (waits for blkd)");
}

TEST(top_tasks)
{
	char buf[4096];
	static struct top_sample s; /* big: not on the stack */
	memset(&s, 0, sizeof s);
	s.cpus = 1;
	s.task_rows = 3;
	struct initd_task init = {
		.name = "initd", .id = 1, .run_ms = 900, .pages = 100, .kind = INITD_TASK_INITD
	};
	struct initd_task vfsd = {
		.name = "vfsd", .id = 8, .run_ms = 100, .pages = 600, .kind = INITD_TASK_SERVICE
	};
	struct initd_task sh = {
		.name = "sh", .id = 9, .run_ms = 50, .pages = 62, .kind = INITD_TASK_PROGRAM
	};
	struct initd_task gone = { .name = "sleep",
				   .id = 12,
				   .run_ms = 5000,
				   .kind = INITD_TASK_PROGRAM,
				   .flags = INITD_TASK_ENDED };
	/* First reading: by run time since they started. */
	s.tasks_now[0] = init, s.tasks_now[1] = vfsd, s.tasks_now[2] = sh, s.tasks_now[3] = gone;
	s.ntasks_now = 4;
	top_format(&s, buf, sizeof buf);
	CHECK(strstr(buf, "\n  PID KIND              TIME    MEM COMMAND\n"
			  "    1 initd          0:00.90   400K initd\n"
			  "    8 service        0:00.10  2400K vfsd\n"
			  "    9 program        0:00.05   248K sh\n"));
	CHECK(!strstr(buf, "sleep")); /* ended: not shown */
	/* A second reading a second later: by the share of one CPU. */
	memcpy(s.tasks_before, s.tasks_now, sizeof s.tasks_now);
	s.ntasks_before = s.ntasks_now;
	s.tasks_now[0].run_ms = 910;  /* 1.0% */
	s.tasks_now[1].run_ms = 350;  /* 25.0% */
	s.tasks_now[2].run_ms = 1050; /* 100.0%: several threads may pass one CPU */
	s.tasks_now[3] = (struct initd_task){
		.name = "grep", .id = 13, .run_ms = 20, .kind = INITD_TASK_PROGRAM
	}; /* new: all of it */
	s.interval_ns = 1000000000ull;
	s.task_rows = 10;
	top_format(&s, buf, sizeof buf);
	CHECK(strstr(buf, "\n  PID KIND      CPU%    TIME    MEM COMMAND\n"
			  "    9 program  100.0 0:01.05   248K sh\n"
			  "    8 service   25.0 0:00.35  2400K vfsd\n"
			  "   13 program    2.0 0:00.02     0K grep\n"
			  "    1 initd      1.0 0:00.91   400K initd\n"));
	s.ntasks_now = 0; /* no answer from initd: no task lines */
	top_format(&s, buf, sizeof buf);
	CHECK(!strstr(buf, "PID"));
}

TEST(ps_rows)
{
	char buf[160];
	struct initd_task t = { .name = "initd",
				.id = 1,
				.pages = 1426,
				.run_ms = 40,
				.threads = 2,
				.kind = INITD_TASK_INITD };
	CHECK_STR(ps_heading(), "  PID  PPID KIND        TIME    MEM THR COMMAND");
	ps_row(&t, NULL, buf, sizeof buf);
	CHECK_STR(buf, "    1     - initd    0:00.04  5704K   2 initd");
	t = (struct initd_task){ .name = "vfsd",
				 .id = 8,
				 .parent = 1,
				 .pages = 3000,
				 .run_ms = 61234,
				 .threads = 1,
				 .kind = INITD_TASK_SERVICE };
	ps_row(&t, NULL, buf, sizeof buf);
	CHECK_STR(buf, "    8     1 service  1:01.23  11.7M   1 vfsd");
	t = (struct initd_task){ .name = "sleep",
				 .id = 12,
				 .parent = 9,
				 .pages = 43,
				 .threads = 1,
				 .kind = INITD_TASK_PROGRAM,
				 .flags = INITD_TASK_BACKGROUND };
	ps_row(&t, NULL, buf, sizeof buf);
	CHECK_STR(buf, "   12     9 job      0:00.00   172K   1 sleep");
	ps_row(&t, "sleep 30", buf, sizeof buf);
	CHECK_STR(buf, "   12     9 job      0:00.00   172K   1 sleep 30");
	t.flags |= INITD_TASK_STOPPED; /* Ctrl-Z */
	ps_row(&t, "sleep 30", buf, sizeof buf);
	CHECK_STR(buf, "   12     9 stopped  0:00.00   172K   1 sleep 30");
	t.flags |= INITD_TASK_ENDED;
	ps_row(&t, "", buf, sizeof buf);
	CHECK_STR(buf, "   12     9 ended          -      -   - sleep");
	t = (struct initd_task){ .id = 99999,
				 .parent = 4000000000u,
				 .run_ms = 3725000,
				 .pages = 600000,
				 .threads = 65535,
				 .kind = INITD_TASK_PROGRAM };
	memcpy(t.name, "a-sixteen-chars!", 16); /* no NUL inside */
	ps_row(&t, NULL, buf, sizeof buf);
	CHECK_STR(buf, "99999 4000000000 program  1:02:05   2.2G 65535 a-sixteen-chars!");
	ps_row(&t, NULL, buf, 10); /* cut, NUL-terminated */
	CHECK_EQ(strlen(buf), 9);
}

TEST(svc_footprint)
{
	char buf[96];
	struct initd_footprint f = { .pages = 256, .objects = 64, .slots = 32, .tier = 2 };
	svc_quotas(&f, buf, sizeof buf);
	CHECK_STR(buf, "memory 256 pages, 64 objects, 32 slots, tier 2");
	svc_item(&f, buf, sizeof buf);
	CHECK_STR(buf, "");
	f.kind = INITD_ITEM_PORTS, f.first = 0x3f8, f.count = 8;
	svc_item(&f, buf, sizeof buf);
	CHECK_STR(buf, "ports 0x3f8-0x3ff");
	f.kind = INITD_ITEM_IRQ, f.first = 4;
	svc_item(&f, buf, sizeof buf);
	CHECK_STR(buf, "irq 4");
	f.kind = INITD_ITEM_MMIO, f.first = 0xfee00000, f.count = 4096;
	svc_item(&f, buf, sizeof buf);
	CHECK_STR(buf, "mmio 0xfee00000, 4096 bytes");
	f.kind = INITD_ITEM_SENDS;
	memcpy(f.name, "blkd\0\0\0\0", 8);
	svc_item(&f, buf, sizeof buf);
	CHECK_STR(buf, "sends blkd");
	f.kind = INITD_ITEM_DIR, f.first = 0x5, f.count = 12;
	memcpy(f.name, "systemXY", 8); /* no NUL: still bounded */
	svc_item(&f, buf, sizeof buf);
	CHECK_STR(buf, "dir /systemXY... (r-c-)");
}

int main(void)
{
	RUN(action_names);
	RUN(records_in_words);
	RUN(format_never_overflows);
	RUN(chain_verifies);
	RUN(chain_first_record_on_trust);
	RUN(chain_breaks);
	RUN(chain_removed_record);
	RUN(chain_resumes_after_a_gap);
	RUN(top_first_reading);
	RUN(top_rates);
	RUN(top_cpu_lines);
	RUN(svc_words);
	RUN(svc_rows);
	RUN(svc_footprint);
	RUN(ps_rows);
	RUN(top_tasks);
	return check_summary();
}
