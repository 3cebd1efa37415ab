/* test_fd.c - the back-end's file-descriptor table (sysroot/keel/fd.c)
 * and the debug console's terminal answers (console.c). */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "check.h"
#include "../console.h"
#include "../fd.h"

static int released;

static void count_release(struct keel_file *f)
{
	(void)f;
	released++;
}

static const struct keel_file_ops test_ops = { .release = count_release };

static struct keel_fd_table *fresh(void)
{
	static struct keel_fd_table t;
	memset(&t, 0, sizeof t);
	released = 0;
	return &t;
}

static int open1(struct keel_fd_table *t, int min)
{
	const cap_handle_t caps[KEEL_FILE_CAPS] = { 7, 8 };
	const uint64_t data[2] = { 11, 12 };
	return fdt_open(t, min, KEEL_FD_CONSOLE, &test_ops, caps, data, O_RDWR, 0);
}

TEST(open_takes_the_lowest_free_descriptor)
{
	struct keel_fd_table *t = fresh();
	CHECK_EQ(open1(t, 0), 0);
	CHECK_EQ(open1(t, 0), 1);
	CHECK_EQ(open1(t, 5), 5);
	CHECK_EQ(fdt_close(t, 0), 0);
	CHECK_EQ(open1(t, 0), 0);
	CHECK_EQ(open1(t, 0), 2);
	CHECK_EQ(fdt_count(t), 4);
}

TEST(a_description_keeps_its_kind_caps_and_status)
{
	struct keel_fd_table *t = fresh();
	int fd = open1(t, 3);
	struct keel_file *f = fdt_get(t, fd);
	CHECK(f != NULL);
	CHECK_EQ(f->kind, KEEL_FD_CONSOLE);
	CHECK_EQ(f->caps[0], 7);
	CHECK_EQ(f->caps[1], 8);
	CHECK_EQ(f->status, O_RDWR);
	CHECK_EQ(f->kind_data[0], 11);
	CHECK_EQ(f->kind_data[1], 12);
	CHECK(f->ops == &test_ops);
	fdt_put(t, f);
	CHECK_EQ(released, 0);
}

TEST(dup_shares_the_description_and_the_last_close_releases_it)
{
	struct keel_fd_table *t = fresh();
	int a = open1(t, 0);
	int b = fdt_dup_min(t, a, 0, 0);
	CHECK_EQ(b, 1);
	struct keel_file *fa = fdt_get(t, a), *fb = fdt_get(t, b);
	CHECK(fa == fb);
	fa->offset = 99;
	CHECK_EQ(fb->offset, 99);
	fdt_put(t, fa);
	fdt_put(t, fb);
	CHECK_EQ(fdt_close(t, a), 0);
	CHECK_EQ(released, 0);
	CHECK_EQ(fdt_close(t, b), 0);
	CHECK_EQ(released, 1);
}

TEST(a_reference_outlives_close)
{
	struct keel_fd_table *t = fresh();
	int a = open1(t, 0);
	struct keel_file *f = fdt_get(t, a);
	CHECK_EQ(fdt_close(t, a), 0);
	CHECK_EQ(released, 0);
	CHECK(fdt_get(t, a) == NULL);
	fdt_put(t, f);
	CHECK_EQ(released, 1);
}

TEST(dup_to_replaces_an_open_descriptor_and_releases_its_description)
{
	struct keel_fd_table *t = fresh();
	int a = open1(t, 0), b = open1(t, 0);
	CHECK_EQ(fdt_dup_to(t, a, b, FD_CLOEXEC), b);
	CHECK_EQ(released, 1);
	CHECK_EQ(fdt_get_flags(t, b), FD_CLOEXEC);
	CHECK_EQ(fdt_get_flags(t, a), 0);
	CHECK_EQ(fdt_dup_to(t, a, a, 0), -EINVAL);
	CHECK_EQ(fdt_dup_to(t, 9, a, 0), -EBADF);
	CHECK_EQ(fdt_dup_to(t, a, KEEL_FD_MAX, 0), -EBADF);
	CHECK_EQ(fdt_count(t), 2);
}

TEST(dup_of_a_description_to_another_of_its_descriptors_keeps_it)
{
	struct keel_fd_table *t = fresh();
	int a = open1(t, 0);
	int b = fdt_dup_min(t, a, 0, 0);
	CHECK_EQ(fdt_dup_to(t, a, b, 0), b);
	CHECK_EQ(released, 0);
	CHECK_EQ(fdt_close(t, a), 0);
	CHECK_EQ(fdt_close(t, b), 0);
	CHECK_EQ(released, 1);
}

TEST(bad_descriptors_are_ebadf)
{
	struct keel_fd_table *t = fresh();
	CHECK(fdt_get(t, -1) == NULL);
	CHECK(fdt_get(t, 0) == NULL);
	CHECK(fdt_get(t, KEEL_FD_MAX) == NULL);
	CHECK_EQ(fdt_close(t, 0), -EBADF);
	CHECK_EQ(fdt_close(t, -5), -EBADF);
	CHECK_EQ(fdt_close(t, 1 << 30), -EBADF);
	CHECK_EQ(fdt_dup_min(t, 3, 0, 0), -EBADF);
	CHECK_EQ(fdt_get_flags(t, 3), -EBADF);
	CHECK_EQ(fdt_set_flags(t, 3, 0), -EBADF);
	CHECK_EQ(open1(t, -1), -EINVAL);
	CHECK_EQ(open1(t, KEEL_FD_MAX), -EINVAL);
}

TEST(a_full_table_is_emfile_and_a_freed_slot_is_used_again)
{
	struct keel_fd_table *t = fresh();
	for (int i = 0; i < KEEL_FD_MAX; i++)
		CHECK_EQ(open1(t, 0), i);
	CHECK_EQ(open1(t, 0), -EMFILE);
	CHECK_EQ(fdt_dup_min(t, 0, 0, 0), -EMFILE);
	CHECK_EQ(fdt_dup_min(t, 0, KEEL_FD_MAX, 0), -EMFILE);
	CHECK_EQ(fdt_dup_min(t, 0, -1, 0), -EINVAL);
	CHECK_EQ(fdt_close(t, 100), 0);
	CHECK_EQ(fdt_dup_min(t, 0, 50, 0), 100);
	CHECK_EQ(fdt_count(t), KEEL_FD_MAX);
}

TEST(dup_min_starts_at_its_minimum)
{
	struct keel_fd_table *t = fresh();
	int a = open1(t, 0);
	CHECK_EQ(fdt_dup_min(t, a, 10, FD_CLOEXEC), 10);
	CHECK_EQ(fdt_dup_min(t, a, 10, 0), 11);
	CHECK_EQ(fdt_get_flags(t, 10), FD_CLOEXEC);
	CHECK_EQ(fdt_set_flags(t, 10, 0), 0);
	CHECK_EQ(fdt_get_flags(t, 10), 0);
}

TEST(the_console_is_an_80_by_24_terminal)
{
	struct winsize w;
	CHECK_EQ(keel_console_ioctl(TIOCGWINSZ, &w), 0);
	CHECK_EQ(w.ws_col, 80);
	CHECK_EQ(w.ws_row, 24);
	CHECK_EQ(keel_console_ioctl(TIOCSWINSZ, &w), -EINVAL);
}

TEST(the_console_keeps_one_set_of_termios_settings)
{
	struct termios t, raw;
	CHECK_EQ(keel_console_ioctl(TCGETS, &t), 0);
	CHECK(t.c_lflag & ICANON);
	CHECK(t.c_lflag & ECHO);
	CHECK_EQ(keel_console_ioctl(TCSETS, &t), 0);
	CHECK_EQ(keel_console_ioctl(TCSETSW, &t), 0);
	raw = t;
	cfmakeraw(&raw);
	CHECK_EQ(keel_console_ioctl(TCSETS, &raw), -EINVAL);
	CHECK_EQ(keel_console_ioctl(TCSETSF, &raw), -EINVAL);
	CHECK_EQ(keel_console_ioctl(0x5401 + 0x100, &t), -ENOTTY);
}

int main(void)
{
	RUN(open_takes_the_lowest_free_descriptor);
	RUN(a_description_keeps_its_kind_caps_and_status);
	RUN(dup_shares_the_description_and_the_last_close_releases_it);
	RUN(a_reference_outlives_close);
	RUN(dup_to_replaces_an_open_descriptor_and_releases_its_description);
	RUN(dup_of_a_description_to_another_of_its_descriptors_keeps_it);
	RUN(bad_descriptors_are_ebadf);
	RUN(a_full_table_is_emfile_and_a_freed_slot_is_used_again);
	RUN(dup_min_starts_at_its_minimum);
	RUN(the_console_is_an_80_by_24_terminal);
	RUN(the_console_keeps_one_set_of_termios_settings);
	return check_summary();
}
