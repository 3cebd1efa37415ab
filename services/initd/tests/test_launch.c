/* Host tests for the launch rules: what an app is given (launch_policy.c)
 * and how its manifest's `uses` lines parse (manifest.c). */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "launch_policy.h"

static struct manifest parse(const char *text, status_t *st)
{
	struct manifest m;
	memset(&m, 0, sizeof m);
	*st = manifest_parse(text, strlen(text), &m, NULL);
	return m;
}

TEST(test_uses_parse)
{
	status_t st;
	struct manifest m = parse("name sh\nuses tty\nuses root\nuses launch\n", &st);
	CHECK(st == STATUS_OK);
	CHECK(m.use_count == 3 && !strcmp(m.uses[2], "launch"));
	parse("name sh\nuses tty\nuses tty\n", &st);
	CHECK(st == STATUS_EXISTS);
	parse("name sh\nuses Tty\n", &st);
	CHECK(st == STATUS_BAD_FORMAT);
	parse("name sh\nuses\n", &st);
	CHECK(st == STATUS_BAD_FORMAT);
	char big[2048] = "name sh\n";
	for (int i = 0; i < 17; i++)
		sprintf(big + strlen(big), "uses n%d\n", i);
	parse(big, &st);
	CHECK(st == STATUS_FULL);
}

TEST(test_intersection)
{
	status_t st;
	struct manifest m = parse("name app\nuses tty\nuses root\n", &st);
	launch_name_t names[LAUNCH_CAPS_MAX];
	uint32_t n = 0;
	bool keep[LAUNCH_CAPS_MAX];
	CHECK(launch_name_add(names, &n, "root") == STATUS_OK);
	CHECK(launch_name_add(names, &n, "launch") == STATUS_OK);
	CHECK(launch_name_add(names, &n, "power") == STATUS_OK);
	/* Passed root, launch, power; declared tty, root: only root is kept. */
	CHECK(launch_intersect(&m, names, n, keep) == 1);
	CHECK(keep[0] && !keep[1] && !keep[2]);
	/* Asking for more than the launcher passes gives less, never more. */
	n = 0;
	CHECK(launch_intersect(&m, names, n, keep) == 0);
	struct manifest none = parse("name app\n", &st);
	CHECK(launch_name_add(names, &n, "tty") == STATUS_OK);
	CHECK(launch_intersect(&none, names, n, keep) == 0 && !keep[0]);
}

TEST(test_fds)
{
	status_t st;
	struct manifest m = parse("name sh\nuses fds\n", &st);
	struct manifest no = parse("name ls\nuses tty\n", &st);
	launch_name_t names[LAUNCH_CAPS_MAX];
	uint32_t n = 0;
	bool keep[LAUNCH_CAPS_MAX];
	const char *list[] = { "fd0-pr",  "fd63-pw", "fd-pr",     "fd1-px",
			       "fd1-pww", "fds",     "fd12345-pr" };
	for (int i = 0; i < 7; i++)
		CHECK(launch_name_add(names, &n, list[i]) == STATUS_OK);
	CHECK(launch_intersect(&m, names, n, keep) == 3); /* two ends, and "fds" itself */
	CHECK(keep[0] && keep[1] && !keep[2] && !keep[3] && !keep[4] && keep[5] && !keep[6]);
	CHECK(launch_intersect(&no, names, n, keep) == 0);
}

/* vfsd files: "fdN-f" and a mode letter. */
TEST(test_fd_files)
{
	status_t st;
	struct manifest m = parse("name sh\nuses fds\n", &st);
	launch_name_t names[LAUNCH_CAPS_MAX];
	uint32_t n = 0;
	bool keep[LAUNCH_CAPS_MAX];
	const char *list[] = { "fd1-fw",  "fd255-fc", "fd10-fa", "fd1-fx",
			       "fd1-fr0", "fd1-fbg",  "fd1-f" };
	for (int i = 0; i < 7; i++)
		CHECK(launch_name_add(names, &n, list[i]) == STATUS_OK);
	CHECK(launch_intersect(&m, names, n, keep) == 3);
	CHECK(keep[0] && keep[1] && keep[2] && !keep[3] && !keep[4] && !keep[5] && !keep[6]);
}

TEST(test_names)
{
	launch_name_t names[LAUNCH_CAPS_MAX];
	uint32_t n = 0;
	char name[8];
	CHECK(launch_name_add(names, &n, "") == STATUS_INVALID);
	CHECK(launch_name_add(names, &n, "9lives") == STATUS_INVALID);
	CHECK(launch_name_add(names, &n, "a b") == STATUS_INVALID);
	CHECK(launch_name_add(names, &n, "sixteen-chars-xx") == STATUS_INVALID);
	CHECK(launch_name_add(names, &n, "fifteen-chars-x") == STATUS_OK);
	CHECK(launch_name_add(names, &n, "fifteen-chars-x") == STATUS_EXISTS);
	for (int i = 1; i < (int)LAUNCH_CAPS_MAX; i++) {
		sprintf(name, "c%d", i);
		CHECK(launch_name_add(names, &n, name) == STATUS_OK);
	}
	CHECK(launch_name_add(names, &n, "one-more") == STATUS_FULL);
	CHECK(n == LAUNCH_CAPS_MAX);
}

TEST(test_app_manifest)
{
	status_t st;
	struct manifest m = parse("name app\nuses tty\n", &st);
	CHECK(launch_manifest_check(&m) == STATUS_OK);
	m = parse("name app\nirq 4\n", &st);
	CHECK(st == STATUS_OK && launch_manifest_check(&m) == STATUS_INVALID);
	m = parse("name app\nsends vfs\n", &st);
	CHECK(launch_manifest_check(&m) == STATUS_INVALID);
	m = parse("name app\nioports 0x60\n", &st);
	CHECK(launch_manifest_check(&m) == STATUS_INVALID);
	m = parse("name app\nmmio 0x1000 0x1000\n", &st);
	CHECK(launch_manifest_check(&m) == STATUS_INVALID);
}

int main(void)
{
	RUN(test_uses_parse);
	RUN(test_intersection);
	RUN(test_fds);
	RUN(test_fd_files);
	RUN(test_names);
	RUN(test_app_manifest);
	return check_summary();
}
