/*
 * time.c - clocks and sleeping.
 *
 * CLOCK_MONOTONIC (and BOOTTIME, and the coarse and raw variants) is
 * sys_clock_read: nanoseconds since boot. CLOCK_REALTIME is the monotonic
 * clock plus an offset: the start page's (keel/time.h: initd passes on
 * what topod read from the RTC at boot) from start-up, and what
 * clock_settime(CLOCK_REALTIME) sets for this task after. A task whose
 * start page has none (started before topod, or no usable RTC) starts at
 * 0: its wall clock reads 1970-01-01 plus the uptime. The per-thread and
 * per-process CPU-time clocks are not offered (EINVAL, as for an unknown
 * clock).
 *
 * Sleeping waits on signal bit KEEL_SLEEP_BIT with a timeout: that bit is
 * the C library's and is never raised, so the wait ends by its timeout.
 * Keel delivers no POSIX signals, so a sleep is never interrupted (EINTR).
 */
#include <errno.h>
#include <time.h>
#include <sys/time.h>

#include "backend.h"
#include "keel/sys.h"
#include "keel/time.h"

#define KEEL_SLEEP_BIT 63
#define NS 1000000000ll

static volatile int64_t realtime_offset; /* ns added to the monotonic clock */

void keel_time_init(const struct keel_start *s)
{
	__atomic_store_n(&realtime_offset, keel_start_wall_offset(s), __ATOMIC_RELAXED);
}

static int64_t monotonic_ns(void)
{
	uint64_t ns = 0;
	sys_clock_read(&ns);
	return (int64_t)ns;
}

/* The clock's time in ns, or -1 for a clock Keel does not offer. */
static int64_t clock_ns(long id)
{
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		return monotonic_ns() + __atomic_load_n(&realtime_offset, __ATOMIC_RELAXED);
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return monotonic_ns();
	default:
		return -1;
	}
}

long keel_sys_clock_gettime(const long a[6])
{
	int64_t ns = clock_ns(a[0]);
	struct timespec *ts = (struct timespec *)a[1];
	if (ns < 0)
		return -EINVAL;
	ts->tv_sec = ns / NS;
	ts->tv_nsec = ns % NS;
	return 0;
}

long keel_sys_clock_getres(const long a[6])
{
	struct timespec *ts = (struct timespec *)a[1];
	if (clock_ns(a[0]) < 0)
		return -EINVAL;
	if (ts) {
		ts->tv_sec = 0;
		ts->tv_nsec = 1;
	}
	return 0;
}

long keel_sys_clock_settime(const long a[6])
{
	const struct timespec *ts = (const struct timespec *)a[1];
	if (a[0] != CLOCK_REALTIME)
		return clock_ns(a[0]) < 0 ? -EINVAL : -EPERM;
	if (ts->tv_nsec < 0 || ts->tv_nsec >= NS || ts->tv_sec < 0)
		return -EINVAL;
	__atomic_store_n(&realtime_offset, ts->tv_sec * NS + ts->tv_nsec - monotonic_ns(),
			 __ATOMIC_RELAXED);
	return 0;
}

long keel_sys_gettimeofday(const long a[6])
{
	struct timeval *tv = (struct timeval *)a[0];
	int64_t ns = clock_ns(CLOCK_REALTIME);
	if (tv) {
		tv->tv_sec = ns / NS;
		tv->tv_usec = ns % NS / 1000;
	}
	return 0;
}

long keel_sys_time(const long a[6])
{
	time_t t = clock_ns(CLOCK_REALTIME) / NS;
	if (a[0])
		*(time_t *)a[0] = t;
	return t;
}

/* Waits until the monotonic clock reaches deadline. */
static void sleep_until(int64_t deadline)
{
	for (;;) {
		int64_t now = monotonic_ns();
		if (now >= deadline)
			return;
		uint64_t pending;
		sys_signal_wait(1ull << KEEL_SLEEP_BIT, (uint64_t)(deadline - now), &pending);
	}
}

static int valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NS;
}

/* clock_nanosleep(clock, flags, req, rem): sleeps for req, or until req
 * with TIMER_ABSTIME; never interrupted, so rem is never written. */
long keel_sys_clock_nanosleep(const long a[6])
{
	const struct timespec *req = (const struct timespec *)a[2];
	int64_t now = clock_ns(a[0]);
	if (now < 0 || !valid(req))
		return -EINVAL;
	int64_t want = req->tv_sec > (INT64_MAX / NS - 1) ? INT64_MAX - NS
							  : req->tv_sec * NS + req->tv_nsec;
	int64_t left = (a[1] & TIMER_ABSTIME) ? want - now : want;
	if (left > INT64_MAX - monotonic_ns())
		left = INT64_MAX - monotonic_ns();
	if (left > 0)
		sleep_until(monotonic_ns() + left);
	return 0;
}

long keel_sys_nanosleep(const long a[6])
{
	const long b[6] = { CLOCK_MONOTONIC, 0, a[0], a[1], 0, 0 };
	return keel_sys_clock_nanosleep(b);
}
