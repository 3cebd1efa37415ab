/*
 * rtc.h - reading the CMOS real-time clock (MC146818 and compatibles) once
 * at boot, and the wall clock topod offers from it (TOPO_CLOCK,
 * protocol.h; docs/time.md).
 *
 * rtc.c is the part without hardware: the read protocol over a function
 * that reads one CMOS register (so host tests play a clock that is
 * mid-update, or garbage) and the plausibility checks. clock.c does the
 * port I/O, keeps the result in struct topo_clock and answers TOPO_CLOCK.
 */
#ifndef KEEL_TOPOD_RTC_H
#define KEEL_TOPOD_RTC_H

#include <stdbool.h>
#include <stdint.h>

#include "abi/status.h"
#include "keel/time.h"

/* CMOS register indices. */
#define RTC_REG_SEC 0x00
#define RTC_REG_MIN 0x02
#define RTC_REG_HOUR 0x04
#define RTC_REG_DAY 0x07
#define RTC_REG_MONTH 0x08
#define RTC_REG_YEAR 0x09
#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b
#define RTC_A_UIP 0x80         /* status A: an update is in progress (or starts in 244 us) */
#define RTC_CENTURY_FIRST 0x0e /* a FADT century index below this names a clock register */
#define RTC_CENTURY_LAST 0x7f  /* ... and above this is outside the 128 bytes of CMOS */

#define RTC_UIP_POLLS 50000u /* status A reads while waiting for an update to end */
#define RTC_TRIES 8u         /* whole reads until two in a row agree */

/* Reads CMOS register reg (0x00-0x7f). */
typedef uint8_t rtc_cmos_fn(void *ctx, uint8_t reg);

/*
 * Reads the time registers so that they belong to one second: waits until
 * status A's update-in-progress bit is clear (at most RTC_UIP_POLLS reads),
 * reads them all, and repeats until two reads in a row agree (at most
 * RTC_TRIES). century_reg is the FADT's CMOS index of the century, 0 for
 * none; an index outside RTC_CENTURY_FIRST..RTC_CENTURY_LAST is ignored
 * (out->century 0: rtc_to_unix then takes the 21st century). Returns
 * STATUS_TIMEOUT if the update flag never clears or no two reads agree.
 */
status_t rtc_read(rtc_cmos_fn *cmos, void *ctx, uint8_t century_reg, struct rtc_regs *out);

/*
 * Decodes r (rtc_to_unix: BCD or binary, 12- or 24-hour, the century) and
 * checks it is plausible: STATUS_BAD_FORMAT for an impossible date or
 * time, STATUS_RANGE for a year outside 2020..2199 (an RTC
 * that was never set, or reset by a flat battery, reads 2000 or 1980).
 */
status_t rtc_decode(const struct rtc_regs *r, int64_t *unix_s);

/* What topod read at boot. */
struct topo_clock {
	bool valid;
	status_t error;      /* why there is no clock, when !valid */
	int64_t unix_s;      /* the RTC's reading, UTC */
	uint64_t read_at_ns; /* the monotonic clock at the reading */
	int64_t offset_ns;   /* wall clock - monotonic clock, ns */
	uint64_t error_ns;   /* bound on |offset error| at boot */
	struct rtc_regs regs;
};

#endif
