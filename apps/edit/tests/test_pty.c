/*
 * test_pty.c - the editor under a real pseudo-terminal, driven by tmux (an
 * oracle Keel did not write): it opens a file, edits it with insertions,
 * deletions, a search-and-replace, a cut that is undone and wide
 * characters, saves, quits, and the file must hold exactly the expected
 * bytes. The test binary is also the editor: run with --edit it is edit.
 */
#define _XOPEN_SOURCE 700
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../app.h"
#include "check.h"

static char sock[64], dir[64], exe[512];

static int tmux(const char *args)
{
	char cmd[2048];

	snprintf(cmd, sizeof cmd, "tmux -L %s -f /dev/null %s >/dev/null 2>&1", sock, args);
	return system(cmd);
}

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Captures the pane into out; returns 0 on success. */
static int capture(char *out, size_t size)
{
	char cmd[256];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof cmd, "tmux -L %s capture-pane -p 2>/dev/null", sock);
	if (!(p = popen(cmd, "r")))
		return -1;
	n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	return pclose(p) == 0 ? 0 : -1;
}

/* Waits up to 5 s for text to appear on the screen. */
static int wait_for(const char *text)
{
	char screen[8192];

	for (int i = 0; i < 100; i++) {
		if (capture(screen, sizeof screen) == 0 && strstr(screen, text))
			return 1;
		nap(50);
	}
	printf("screen never showed \"%s\":\n%s\n", text, screen);
	return 0;
}

/* Sends keys (tmux key names, or literal text with -l) and lets them land. */
static void keys(const char *args)
{
	char cmd[1024];

	snprintf(cmd, sizeof cmd, "send-keys -t edit %s", args);
	tmux(cmd);
	nap(60);
}

static int session_gone(void)
{
	for (int i = 0; i < 100; i++) {
		if (tmux("has-session -t edit") != 0)
			return 1;
		nap(50);
	}
	return 0;
}

static int file_is(const char *path, const char *want)
{
	char got[4096];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return 0;
	n = fread(got, 1, sizeof got - 1, f);
	fclose(f);
	got[n] = '\0';
	if (n != strlen(want) || memcmp(got, want, n) != 0) {
		printf("file holds:\n%s\nwanted:\n%s\n", got, want);
		return 0;
	}
	return 1;
}

TEST(edit_a_file_under_tmux_and_save_it)
{
	char path[128], cmd[1200];
	FILE *f;

	snprintf(path, sizeof path, "%s/doc.txt", dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	fputs("alpha beta\ngamma delta\nepsilon alpha\nbad \xff\xfe\xc3( end\n", f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "new-session -d -s edit -x 80 -y 24 -c %s '%s --edit doc.txt'",
		 dir, exe);
	CHECK_EQ(tmux(cmd), 0);
	CHECK(wait_for("alpha beta"));
	CHECK(wait_for("bad \\xff\\xfe\\xc3( end")); /* invalid bytes shown */
	keys("-l 'X '");
	keys("Down End BSpace BSpace");
	keys("-l 'ta!'");
	CHECK(wait_for("gamma delta!"));
	CHECK(wait_for("Modified"));
	keys("C-r");
	CHECK(wait_for("Replace:"));
	keys("-l alpha");
	keys("Enter");
	CHECK(wait_for("Replace with:"));
	keys("-l omega");
	keys("Enter");
	CHECK(wait_for("Replace this one?"));
	keys("y");
	CHECK(wait_for("epsilon omega"));
	keys("n");
	CHECK(wait_for("Replaced 1 occurrence"));
	keys("C-Home C-k");
	CHECK(wait_for("gamma delta!\nepsilon omega"));
	keys("C-z");
	CHECK(wait_for("X alpha beta\ngamma delta!"));
	keys("C-f");
	CHECK(wait_for("Search:"));
	keys("-l zzz");
	keys("Escape");
	CHECK(wait_for("Cancelled"));
	keys("C-g");
	keys("-l 3");
	keys("Enter End");
	keys("-l ' \xe6\x97\xa5\xe6\x9c\xac'");
	keys("Enter");
	keys("-l '  indented'");
	keys("Enter");
	keys("-l x");
	keys("Left Right");
	keys("-l junk");
	CHECK(wait_for("  xjunk"));
	keys("C-z");
	keys("C-s");
	CHECK(wait_for("Wrote"));
	keys("C-q");
	CHECK(session_gone());
	CHECK(file_is(path, "X alpha beta\ngamma delta!\nepsilon omega \xe6\x97\xa5\xe6\x9c\xac\n"
			    "  indented\n  x\nbad \xff\xfe\xc3( end\n"));
	unlink(path);
}

TEST(quitting_with_unsaved_changes_asks)
{
	char path[128], cmd[1200];

	snprintf(path, sizeof path, "%s/new.txt", dir);
	unlink(path);
	snprintf(cmd, sizeof cmd, "new-session -d -s edit -x 60 -y 12 -c %s '%s --edit new.txt'",
		 dir, exe);
	CHECK_EQ(tmux(cmd), 0);
	CHECK(wait_for("New file new.txt"));
	keys("-l hello");
	keys("C-q");
	CHECK(wait_for("Save modified buffer?"));
	keys("c");
	CHECK(wait_for("hello"));
	CHECK(access(path, F_OK) != 0);
	keys("C-q");
	CHECK(wait_for("Save modified buffer?"));
	keys("y");
	CHECK(session_gone());
	CHECK(file_is(path, "hello"));
	unlink(path);
}

/* Reads a tmux format value for the edit pane into out. */
static int query(const char *fmt, char *out, size_t size)
{
	char cmd[256];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof cmd, "tmux -L %s display -p -t edit '%s' 2>/dev/null", sock, fmt);
	if (!(p = popen(cmd, "r")))
		return -1;
	n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	if (n && out[n - 1] == '\n')
		out[n - 1] = '\0';
	return pclose(p) == 0 ? 0 : -1;
}

/* The row (0-based) on which text appears on the screen, or -1. */
static int row_of(const char *text)
{
	char screen[8192], *line, *nl;
	int row = 0;

	if (capture(screen, sizeof screen))
		return -1;
	for (line = screen; *line; line = nl + 1, row++) {
		if (!(nl = strchr(line, '\n')))
			nl = line + strlen(line) - 1;
		*nl = '\0';
		if (strstr(line, text))
			return row;
	}
	return -1;
}

static int start_editor(const char *file, int cols, int rows)
{
	char cmd[1200];

	snprintf(cmd, sizeof cmd, "new-session -d -s edit -x %d -y %d -c %s '%s --edit %s'", cols,
		 rows, dir, exe, file);
	return tmux(cmd);
}

TEST(the_screen_follows_a_size_change)
{
	int row = -1;

	CHECK_EQ(start_editor("sized.txt", 80, 24), 0);
	CHECK(wait_for("[1/1]"));
	CHECK_EQ(row_of("[1/1]"), 22);
	tmux("resize-window -t edit -x 50 -y 10");
	for (int i = 0; i < 100 && row != 8; i++, nap(50))
		row = row_of("[1/1]");
	CHECK_EQ(row, 8);
	CHECK_EQ(row_of("New file sized.txt"), 9);
	keys("C-q");
	CHECK(session_gone());
}

TEST(a_crash_still_restores_the_terminal)
{
	char v[64];
	long pid;

	CHECK_EQ(start_editor("crash.txt", 60, 12), 0);
	tmux("set-option -t edit remain-on-exit on");
	CHECK(wait_for("New file"));
	for (int i = 0; i < 40; i++, nap(50))
		if (query("#{alternate_on}", v, sizeof v) == 0 && strcmp(v, "1") == 0)
			break;
	CHECK_STR(v, "1");
	CHECK_EQ(query("#{pane_pid}", v, sizeof v), 0);
	pid = atol(v);
	CHECK(pid > 1);
	CHECK_EQ(kill((pid_t)pid, SIGSEGV), 0);
	for (int i = 0; i < 100; i++, nap(50))
		if (query("#{pane_dead}", v, sizeof v) == 0 && strcmp(v, "1") == 0)
			break;
	CHECK_STR(v, "1");
	CHECK_EQ(query("#{alternate_on}", v, sizeof v), 0);
	CHECK_STR(v, "0");
	CHECK(row_of("[1/1]") < 0); /* the main screen is back */
	tmux("kill-session -t edit");
}

int main(int argc, char **argv)
{
	int st;

	if (argc > 1 && strcmp(argv[1], "--edit") == 0)
		return edit_main(argc - 1, argv + 1);
	if (system("command -v tmux >/dev/null 2>&1") != 0) {
		printf("FAIL tmux is not installed (apt-get install tmux)\n0 passed, 1 failed\n");
		return 1;
	}
	if (!realpath("/proc/self/exe", exe))
		return 1;
	snprintf(sock, sizeof sock, "edit-test-%ld", (long)getpid());
	strcpy(dir, "/tmp/edit-pty-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	/* Each test gets a tmux server of its own. */
	RUN(edit_a_file_under_tmux_and_save_it);
	tmux("kill-server");
	snprintf(sock, sizeof sock, "edit-test-%ld-2", (long)getpid());
	RUN(quitting_with_unsaved_changes_asks);
	tmux("kill-server");
	snprintf(sock, sizeof sock, "edit-test-%ld-3", (long)getpid());
	RUN(the_screen_follows_a_size_change);
	tmux("kill-server");
	snprintf(sock, sizeof sock, "edit-test-%ld-4", (long)getpid());
	RUN(a_crash_still_restores_the_terminal);
	tmux("kill-server");
	rmdir(dir);
	st = check_summary();
	return st;
}
