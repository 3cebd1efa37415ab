/*
 * clock.c - the wall clock from the CMOS real-time clock (rtc.h): read
 * once when topod starts, through ports 0x70 (index) and 0x71 (data),
 * with the century register the FADT names; then offered to anyone who
 * may send to topod as TOPO_CLOCK (protocol.h): the offset of wall-clock
 * time from the kernel's monotonic clock. initd asks for it and puts it
 * in the start page of every task it starts afterwards.
 *
 * The RTC counts whole seconds, so a reading of S means a time in
 * [S, S + 1): the offset takes the middle, S + 0.5 s, and the error bound
 * is half a second plus however wrong the RTC itself is (unknown here).
 * An RTC that reads garbage gives one line on the console and no clock:
 * TOPO_CLOCK answers NOT_FOUND and tasks keep a wall clock of 0.
 */
#include "keel/codec.h"
#include "keel/sys.h"
#include "topod.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define HALF_SECOND_NS 500000000ll

static uint8_t cmos_port(void *ctx, uint8_t reg)
{
	(void)ctx;
	topo_out(CMOS_INDEX, 1, reg & 0x7fu); /* bit 7 clear: NMIs stay enabled */
	return (uint8_t)topo_in(CMOS_DATA, 1);
}

/* y-m-d of a day count since 1970-01-01 (proleptic Gregorian). */
static void civil(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static void clock_log(struct topo *t)
{
	const struct topo_clock *c = &t->clock;
	const struct rtc_regs *r = &c->regs;
	if (!c->valid) {
		keel_print(t->start->witness,
			   "topod: the RTC gives no usable time (%s: %02x-%02x-%02x %02x:%02x:%02x "
			   "century %02x status B %02x): no wall clock\n",
			   status_name(c->error), r->year, r->month, r->day, r->hour, r->min,
			   r->sec, r->century, r->status_b);
		return;
	}
	int64_t y, s = c->unix_s % 86400;
	unsigned m, d;
	civil(c->unix_s / 86400, &y, &m, &d);
	keel_print(t->start->witness,
		   "topod: wall clock %04ld-%02u-%02u %02ld:%02ld:%02ld UTC from the RTC\n",
		   (long)y, m, d, (long)(s / 3600), (long)(s / 60 % 60), (long)(s % 60));
}

void topo_clock_init(struct topo *t)
{
	struct topo_clock *c = &t->clock;
	uint8_t century = t->has_fadt ? t->fadt.century : 0;
	*c = (struct topo_clock){ 0 };
	c->error = topo_ports_enable(t, CMOS_INDEX, 2);
	if (c->error == STATUS_OK)
		c->error = rtc_read(cmos_port, NULL, century, &c->regs);
	sys_clock_read(&c->read_at_ns);
	if (c->error == STATUS_OK)
		c->error = rtc_decode(&c->regs, &c->unix_s);
	if (c->error == STATUS_OK) {
		c->valid = true;
		c->offset_ns = c->unix_s * 1000000000ll + HALF_SECOND_NS - (int64_t)c->read_at_ns;
		c->error_ns = HALF_SECOND_NS;
	}
	clock_log(t);
}

/* TOPO_CLOCK: anyone who may send to topod. */
static status_t on_clock(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			 void *ctx)
{
	struct topo *t = ctx;
	struct codec_writer w;
	(void)loop, (void)m;
	if (!t->clock.valid)
		return STATUS_NOT_FOUND;
	codec_msg_begin(&w, &reply->msg, TOPO_CLOCK);
	codec_put_u64(&w, (uint64_t)t->clock.offset_ns);
	codec_put_u64(&w, t->clock.error_ns);
	codec_put_u64(&w, (uint64_t)t->clock.unix_s);
	codec_put_u64(&w, t->clock.read_at_ns);
	return codec_msg_end(&w, &reply->msg);
}

status_t topo_clock_register(struct topo *t)
{
	return loop_on_msg(&t->loop, TOPO_CLOCK, on_clock, t);
}
