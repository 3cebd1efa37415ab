/*
 * initd hands out directory capabilities from `dir` manifest lines: under
 * the host port, the test boots initd with a boot list of vfsd (over an
 * mkfs.fat image) and a client service whose manifest says
 *     dir /docs read
 *     dir /work write
 * The client finds exactly those two capabilities, with those rights, in
 * its start page: it reads in /docs, is refused a create there, writes and
 * fsyncs a file in /work, and cannot reach anything else. What it wrote is
 * checked with mtools on the image.
 *
 * A second boot list pins what happens to those capabilities over time:
 * a service ("keeper", `dir /work write`) that fails and is restarted
 * leaves vfsd's count of records where it was (each instance's
 * directories are a vfsd session initd ends with it), and after vfsd
 * itself is killed and restarted, the running keeper gets its directory
 * again as a peer update named "/work" and writes through it.
 */
#include <stdarg.h>

#include "harness.h"
#include "keel/peers.h"
#include "keel/service.h"
#include "keel/spawn.h"

int initd_main(const struct keel_start *start);

#define SMALL "memory 64\nobjects 16\nslots 64\n"
/* vfsd's manifest without `sends blk`: the device is the test's image. */
static const char vfsd_manifest[] = "name vfsd\nprovides vfs\nrestart on-failure\n"
				    "memory 1024\nobjects 64\nslots 512\n";
static const char client_manifest[] = "name dirclient\nrestart never\n"
				      "dir /docs read\ndir /work write\n" SMALL;
static const char greedy_manifest[] = "name greedy\nrestart never\ndir /nowhere read\n" SMALL;
static const char keeper_manifest[] = "name keeper\nrestart on-failure\nbackoff 10 10\n"
				      "strikes 8 60\ndir /work write\n" SMALL;

static int client_main(const struct keel_start *s);
static int keeper_main(const struct keel_start *s);
static int vfsd_killable(const struct keel_start *s);

static const struct host_program programs[] = {
	{ "vfsd", vfsd_killable, vfsd_manifest },
	{ "dirclient", client_main, client_manifest },
	{ "greedy", client_main, greedy_manifest },
	{ "keeper", keeper_main, keeper_manifest },
};

static const struct host_file files[] = {
	{ "boot.manifest", "vfsd\ndirclient\ngreedy\n" },
	{ "keeper.manifest", "vfsd\nkeeper\n" },
};

static const struct host_bundle bundle = { programs, 4, files, 2 };

/* What the client found. Services get no console from initd; under the
 * host port the client's task shares this process's memory, so it leaves
 * its findings here for the test to read. */
static char found[2048];
static size_t found_len;

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(found + found_len, sizeof found - found_len, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof found - found_len)
		found_len += (size_t)n;
}

/* One finding of the client: what it tried and the status. */
static void report(const struct keel_start *s, const char *what, status_t st)
{
	(void)s;
	note("dirclient: %s: %s\n", what, status_name(st));
}

/* The client service: uses exactly what its start page holds. */
static int client_main(const struct keel_start *s)
{
	struct vfs_client c;
	struct vfs_stat st;
	cap_handle_t docs = keel_start_cap(s, 0), work = keel_start_cap(s, 1), f;
	char buf[32] = { 0 };
	size_t done;
	if (vfs_client_init(&c, 4) || vfs_attach(&c, docs) || vfs_attach(&c, work))
		return 1;
	report(s, "third capability",
	       keel_start_cap(s, 2) == CAP_HANDLE_NONE ? STATUS_OK : STATUS_EXISTS);
	report(s, "stat docs", vfs_stat(&c, docs, &st));
	uint32_t docs_rights = st.rights;
	note("dirclient: docs rights %u, work rights %u\n", docs_rights,
	     vfs_stat(&c, work, &st) == STATUS_OK ? st.rights : 99);
	report(s, "open docs file", vfs_open(&c, docs, "read me.txt", 0, VFS_R_READ, &f, NULL));
	report(s, "read docs file", vfs_read(&c, f, 0, buf, 17, &done));
	note("dirclient: docs file says '%s'\n", buf);
	report(s, "create in docs",
	       vfs_open(&c, docs, "new.txt", VFS_O_CREATE, VFS_R_READ, &f, NULL));
	report(s, "widen docs", vfs_dup(&c, docs, VFS_R_ALL, &f, NULL));
	report(s, "create in work",
	       vfs_open(&c, work, "out.txt", VFS_O_CREATE, VFS_R_READ | VFS_R_WRITE, &f, NULL));
	report(s, "write in work", vfs_write(&c, f, 0, "written by dirclient\n", 21, &done));
	report(s, "fsync in work", vfs_fsync(&c, f));
	report(s, "close in work", vfs_close(&c, f));
	return 0;
}

/*
 * vfsd as it is, except that the test can crash its first instance: a
 * thread of that task waits until kill_vfsd is set, then faults (initd
 * sees a failure and restarts vfsd).
 */
static volatile int kill_vfsd;
static int vfsd_instances;

static int vfsd_killer(const struct keel_start *s)
{
	(void)s;
	while (!kill_vfsd)
		host_clock_advance(MS);
	*(volatile int *)(uintptr_t)8 = 0;
	return 0;
}

static int vfsd_killable(const struct keel_start *s)
{
	cap_handle_t th;
	if (vfsd_instances++ == 0 &&
	    sys_thread_create(s->self_task, (uint64_t)(uintptr_t)vfsd_killer, 0, 0,
			      THREAD_TIER_MATTER, 1, &th) != STATUS_OK)
		return 1;
	return vfsd_main(s);
}

/*
 * keeper: writes a file through its directory and notes vfsd's record
 * count, then fails (so initd restarts it) twice. Its third instance asks
 * for vfsd to be killed, waits for the peer update of "/work", and writes
 * again through the new capability.
 */
static int keeper_instances;

static int keeper_main(const struct keel_start *s)
{
	struct vfs_client c = { .timeout = 1000 * MS };
	struct peers p;
	struct loop loop;
	struct inbox_ring *ring;
	struct vfs_stats st = { 0 };
	cap_handle_t inbox, f;
	char name[16];
	size_t done;
	int n = ++keeper_instances;
	peers_init(&p, &sysops_kernel);
	if (peers_add(&p, "/work", keel_start_cap(s, 0)) || loop_inbox_open(16, 0, &inbox, &ring) ||
	    loop_init(&loop, &sysops_kernel, ring, 0) || peers_listen(&p, &loop, SERVICE_PEER) ||
	    service_hello(s, inbox))
		return 9;
	snprintf(name, sizeof name, "keep%d.txt", n);
	status_t w = vfs_open(&c, peers_cap(&p, "/work"), name, VFS_O_CREATE, VFS_R_WRITE, &f,
			      NULL);
	if (w == STATUS_OK && (w = vfs_write(&c, f, 0, name, strlen(name), &done)) == STATUS_OK)
		w = vfs_fsync(&c, f);
	note("keeper %d: write %s, records %u\n", n, status_name(w),
	     vfs_stats(&c, peers_cap(&p, "/work"), &st) == STATUS_OK ? st.records : 0);
	if (n < 3)
		return 1;
	kill_vfsd = 1;
	while (peers_find(&p, "/work")->updates == 0)
		loop_turn(&loop);
	w = vfs_open(&c, peers_cap(&p, "/work"), "after.txt", VFS_O_CREATE, VFS_R_WRITE, &f, NULL);
	if (w == STATUS_OK && (w = vfs_write(&c, f, 0, "after\n", 6, &done)) == STATUS_OK)
		w = vfs_fsync(&c, f);
	note("keeper: after vfsd's restart: write %s\n", status_name(w));
	return loop_run(&loop) == STATUS_OK ? 0 : 2;
}

static bool console_has(const char *text)
{
	return strstr(host_console_text(), text) != NULL || strstr(found, text) != NULL;
}

/* A fresh image with an empty /work, then initd booted over it with
 * boot list `boot` and room for slots capability slots; runs ms of
 * virtual time. */
static void boot_initd(const char *boot, uint32_t slots, uint64_t pages, uint64_t ms,
		       struct keel_child *initd)
{
	int status;
	char cmdline[64];
	fresh_image();
	free(sh(&status, "mmd -i '%s' ::/work", img_path));
	CHECK_EQ(status, 0);
	imgdev_free(&disk);
	CHECK_EQ(imgdev_load(&disk, img_path, 512), 0);
	snprintf(cmdline, sizeof cmdline, "initd.boot=%s", boot);
	struct keel_spawn_args a = {
		.name = "initd",
		.cmdline = cmdline,
		.fault_inbox = sup_send,
		.witness = { witness, RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT, 0 },
		.quota_slots = slots,
		.quota_objects = 512,
		.quota_pages = pages,
		.tier = THREAD_TIER_MATTER,
		.affinity = 1,
	};
	host_console_clear();
	found_len = 0;
	found[0] = 0;
	CHECK_EQ(host_spawn(&a, initd_main, initd), STATUS_OK);
	host_clock_advance(ms * MS);
}

#ifndef VFSD_INITD_RESTARTS
TEST(a_service_gets_exactly_its_dir_lines)
{
	int status;
	struct keel_child initd;
	boot_initd("boot.manifest", 1024, 4096, 3000, &initd);
	const char *want[] = {
		"dirclient: third capability: OK",
		"dirclient: stat docs: OK",
		"dirclient: docs rights 1, work rights 15",
		"dirclient: open docs file: OK",
		"dirclient: docs file says 'hello from mtools'",
		"dirclient: create in docs: NO_RIGHTS",
		"dirclient: widen docs: NO_RIGHTS",
		"dirclient: create in work: OK",
		"dirclient: fsync in work: OK",
		"initd: greedy: dir /nowhere: ",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		if (!console_has(want[i]))
			printf("missing on the console: %s\n", want[i]);
		CHECK(console_has(want[i]));
	}
	sys_task_kill(initd.task, 0);
	CHECK_EQ(imgdev_save(&disk, img_path), 0);
	char *out = sh(&status, "mtype -i '%s' ::/work/out.txt", img_path);
	CHECK_EQ(status, 0);
	CHECK_STR(out, "written by dirclient\n");
	free(out);
}

#endif

#ifdef VFSD_INITD_RESTARTS
TEST(a_restarting_service_leaks_no_records_and_outlives_a_vfsd_restart)
{
	int status;
	char *out;
	struct keel_child initd;
	/* Room for the crashed vfsd's slots until it is reclaimed. */
	boot_initd("keeper.manifest", 2048, 16384, 5000, &initd);
	printf("%s", found);
	unsigned r1 = 0, r2 = 0, r3 = 0;
	const char *k1 = strstr(found, "keeper 1: write OK, records ");
	const char *k2 = strstr(found, "keeper 2: write OK, records ");
	const char *k3 = strstr(found, "keeper 3: write OK, records ");
	CHECK(k1 && k2 && k3);
	if (k1 && k2 && k3) {
		sscanf(k1 + 28, "%u", &r1);
		sscanf(k2 + 28, "%u", &r2);
		sscanf(k3 + 28, "%u", &r3);
	}
	CHECK(r1 > 0);
	CHECK_EQ(r2, r1);
	CHECK_EQ(r3, r1);
	CHECK(console_has("initd: keeper: new directories from vfsd (restarted)"));
	CHECK(console_has("keeper: after vfsd's restart: write OK"));
	sys_task_kill(initd.task, 0);
	CHECK_EQ(imgdev_save(&disk, img_path), 0);
	out = sh(&status, "mtype -i '%s' ::/work/after.txt", img_path);
	CHECK_EQ(status, 0);
	CHECK_STR(out, "after\n");
	free(out);
	out = sh(&status, "mtype -i '%s' ::/work/keep3.txt", img_path);
	CHECK_EQ(status, 0);
	CHECK_STR(out, "keep3.txt");
	free(out);
}
#endif

static int tests(const struct keel_start *start)
{
	if (harness_init(start)) {
		printf("0 passed, 1 failed (set-up)\n");
		return 1;
	}
	/* One boot of initd per process: what one boot leaves running would
	 * share the disk with the next (BUILD builds this file twice). */
#ifdef VFSD_INITD_RESTARTS
	RUN(a_restarting_service_leaks_no_records_and_outlives_a_vfsd_restart);
#else
	RUN(a_service_gets_exactly_its_dir_lines);
#endif
	imgdev_free(&disk);
	return check_summary();
}

int main(void)
{
	scratch = test_setup();
	const struct host_kernel_config cfg = { .bundle = &bundle };
	int code = host_kernel_main(&cfg, tests);
	if (code == HOST_EXIT_FAULT || code == HOST_EXIT_HUNG)
		printf("0 passed, 1 failed (the root task did not finish: %d)\n", code);
	return code;
}
