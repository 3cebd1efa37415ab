/*
 * time.h - monotonic time and wall-clock time with a stated confidence.
 *
 * Monotonic time is the kernel's clock (sys_clock_read): nanoseconds since
 * boot, never going back. Wall-clock time is monotonic time plus an offset
 * that some source set, and every reading says how far it can be trusted:
 * unknown (nothing has set the clock), the battery-backed RTC (whole
 * seconds, no time zone knowledge, drifts), or a network source with its
 * stated error. A caller that needs real time checks the confidence rather
 * than trusting a number that may be 1970.
 *
 * The clock is a struct the caller owns; the monotonic source is passed
 * in as a function so tests control it.
 */
#ifndef KEEL_TIME_H
#define KEEL_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/start.h"
#include "abi/status.h"

enum time_confidence {
	TIME_UNKNOWN = 0, /* never set: the reading is monotonic time since boot */
	TIME_RTC = 1,     /* from the CMOS real-time clock: +-1 s, local or UTC per machine */
	TIME_NETWORK = 2, /* from a network source: error_ns says how good */
};

struct wallclock {
	uint64_t (*monotonic)(void *ctx); /* ns since boot */
	void *ctx;
	int64_t offset_ns; /* wall = monotonic + offset */
	enum time_confidence confidence;
	uint64_t error_ns; /* bound on the error when set */
	uint64_t set_at;   /* monotonic time of the last set */
};

struct wall_time {
	int64_t unix_ns; /* ns since 1970-01-01 00:00 UTC */
	enum time_confidence confidence;
	uint64_t error_ns; /* when set; grows with age for TIME_RTC */
};

/* The CPU's timestamp counter. Not a clock (its rate is the CPU's); under
 * QEMU -icount it counts guest instructions, which benchmarks report. */
static inline uint64_t time_cycles(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* The kernel's monotonic clock (sys_clock_read), for wallclock_init. */
uint64_t time_monotonic_kernel(void *ctx);

void wallclock_init(struct wallclock *c, uint64_t (*monotonic)(void *ctx), void *ctx);

/* Sets wall time to unix_ns now, from a source of that confidence and error. */
status_t wallclock_set(struct wallclock *c, int64_t unix_ns, enum time_confidence conf,
		       uint64_t error_ns);

/* Reads wall time. With TIME_UNKNOWN, unix_ns is monotonic time (since boot). */
void wallclock_read(const struct wallclock *c, struct wall_time *out);

/*
 * The wall-clock offset a task was started with (abi/start.h): wall-clock
 * ns since 1970 UTC minus the monotonic clock. initd learns it from topod,
 * which read the RTC at boot, and puts it in the start page of every task
 * it starts afterwards; 0 means unknown (topod itself, initd, a machine
 * whose RTC gave garbage, or a start page older than the field).
 */
static inline int64_t keel_start_wall_offset(const struct keel_start *s)
{
	size_t end = offsetof(struct keel_start, wall_offset_ns) + sizeof s->wall_offset_ns;
	return s->size >= end ? s->wall_offset_ns : 0;
}

/* Wall-clock time now, in ns since 1970 UTC, from s's offset. Returns
 * STATUS_NOT_FOUND when the offset is unknown: *ns is then the monotonic
 * clock (time since boot). The C library's clock_gettime(CLOCK_REALTIME),
 * time() and gettimeofday() give the same. */
status_t clock_realtime_ns(const struct keel_start *s, int64_t *ns);

/* Sets c (wallclock_init'ed) from s's offset: TIME_RTC, read at boot.
 * STATUS_NOT_FOUND, leaving c unset, when the offset is unknown. */
status_t wallclock_from_start(struct wallclock *c, const struct keel_start *s);

/* The eight CMOS RTC registers a driver reads (0x00 seconds ... 0x09 year,
 * 0x32 century, 0x0b status B), decoded. */
struct rtc_regs {
	uint8_t sec, min, hour, day, month, year, century, status_b;
};

/* Converts RTC register values to Unix time: BCD or binary (status B bit
 * 2), 12- or 24-hour (bit 1). STATUS_BAD_FORMAT for an impossible date or
 * time (the RTC may be unset or mid-update). */
status_t rtc_to_unix(const struct rtc_regs *r, int64_t *unix_s);

#endif
