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
 */
#include <stdarg.h>

#include "harness.h"
#include "keel/spawn.h"

int initd_main(const struct keel_start *start);

#define SMALL "memory 64\nobjects 16\nslots 64\n"
/* vfsd's manifest without `sends blk`: the device is the test's image. */
static const char vfsd_manifest[] = "name vfsd\nprovides vfs\nrestart on-failure\n"
				    "memory 1024\nobjects 64\nslots 512\n";
static const char client_manifest[] = "name dirclient\nrestart never\n"
				      "dir /docs read\ndir /work write\n" SMALL;
static const char greedy_manifest[] = "name greedy\nrestart never\ndir /nowhere read\n" SMALL;

static int client_main(const struct keel_start *s);

static const struct host_program programs[] = {
	{ "vfsd", vfsd_main, vfsd_manifest },
	{ "dirclient", client_main, client_manifest },
	{ "greedy", client_main, greedy_manifest },
};

static const struct host_file files[] = {
	{ "boot.manifest", "vfsd\ndirclient\ngreedy\n" },
};

static const struct host_bundle bundle = { programs, 3, files, 1 };

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

static bool console_has(const char *text)
{
	return strstr(host_console_text(), text) != NULL || strstr(found, text) != NULL;
}

TEST(a_service_gets_exactly_its_dir_lines)
{
	int status;
	fresh_image();
	free(sh(&status, "mmd -i '%s' ::/work", img_path));
	CHECK_EQ(status, 0);
	imgdev_free(&disk);
	CHECK_EQ(imgdev_load(&disk, img_path, 512), 0);
	struct keel_spawn_args a = {
		.name = "initd",
		.fault_inbox = sup_send,
		.witness = { witness, RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT, 0 },
		.quota_slots = 1024,
		.quota_objects = 512,
		.quota_pages = 4096,
		.tier = THREAD_TIER_MATTER,
		.affinity = 1,
	};
	struct keel_child initd;
	host_console_clear();
	CHECK_EQ(host_spawn(&a, initd_main, &initd), STATUS_OK);
	host_clock_advance(3000 * MS);
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
	sys_task_kill(initd.task);
	CHECK_EQ(imgdev_save(&disk, img_path), 0);
	char *out = sh(&status, "mtype -i '%s' ::/work/out.txt", img_path);
	CHECK_EQ(status, 0);
	CHECK_STR(out, "written by dirclient\n");
	free(out);
}

static int tests(const struct keel_start *start)
{
	if (harness_init(start)) {
		printf("0 passed, 1 failed (set-up)\n");
		return 1;
	}
	RUN(a_service_gets_exactly_its_dir_lines);
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
