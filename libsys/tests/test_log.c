/* Host tests for structured logging (libsys/log.c): lines byte for byte. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "keel/log.h"

/* A sink that keeps the last line and counts calls. */
struct capture {
	char line[LOG_LINE_MAX + 1];
	size_t len;
	int calls;
};

static void capture_write(void *ctx, const char *line, size_t n)
{
	struct capture *c = ctx;

	c->calls++;
	c->len = n;
	memcpy(c->line, line, n < LOG_LINE_MAX ? n : LOG_LINE_MAX);
	c->line[n < LOG_LINE_MAX ? n : LOG_LINE_MAX] = '\0';
}

static struct capture cap;
static struct logger lg;

static void setup(const char *svc, enum log_level min)
{
	memset(&cap, 0, sizeof cap);
	log_init(&lg, svc, min, capture_write, &cap);
}

TEST(writes_one_line_with_fixed_leading_fields)
{
	setup("vfsd", LOG_INFO);
	log_begin(&lg, LOG_INFO, "mounted");
	log_str(&lg, "dev", "vblk0");
	log_str(&lg, "label", "KEEL BOOT");
	log_u64(&lg, "blocks", 65536);
	CHECK_EQ(log_end(&lg), STATUS_OK);
	CHECK_EQ(cap.calls, 1);
	CHECK_STR(cap.line,
		  "level=info svc=vfsd event=mounted dev=vblk0 label=\"KEEL BOOT\" blocks=65536\n");
	CHECK_EQ(cap.len, strlen(cap.line));
}

TEST(levels_below_the_minimum_write_nothing)
{
	setup("netd", LOG_WARN);
	log_begin(&lg, LOG_INFO, "dhcp_lease");
	log_str(&lg, "Bad Key", "x"); /* not even validated */
	CHECK_EQ(log_end(&lg), STATUS_OK);
	CHECK_EQ(cap.calls, 0);
	log_begin(&lg, LOG_ERROR, "link_down");
	CHECK_EQ(log_end(&lg), STATUS_OK);
	CHECK_STR(cap.line, "level=error svc=netd event=link_down\n");
	log_begin(&lg, LOG_WARN, "retry");
	log_end(&lg);
	CHECK_STR(cap.line, "level=warn svc=netd event=retry\n");
	setup("x", LOG_DEBUG);
	log_begin(&lg, LOG_DEBUG, "tick");
	log_end(&lg);
	CHECK_STR(cap.line, "level=debug svc=x event=tick\n");
	CHECK_STR(log_level_name((enum log_level)9), "unknown");
}

TEST(values_are_quoted_and_escaped_when_needed)
{
	setup("keyd", LOG_DEBUG);
	log_begin(&lg, LOG_INFO, "e");
	log_str(&lg, "bare", "a-b_c.d/e:f,1");
	log_str(&lg, "space", "a b");
	log_str(&lg, "quote", "say \"hi\"");
	log_str(&lg, "bs", "c:\\x");
	log_str(&lg, "eq", "a=b");
	log_str(&lg, "ws", "l1\nl2\r\t");
	log_str(&lg, "ctl", "\x01\x1f\x7f");
	log_str(&lg, "utf8", "caf\xc3\xa9");
	log_str(&lg, "empty", "");
	log_str(&lg, "null", NULL);
	log_strn(&lg, "nul", "a\0b", 3);
	CHECK_EQ(log_end(&lg), STATUS_OK);
	CHECK_STR(cap.line, "level=info svc=keyd event=e bare=a-b_c.d/e:f,1 space=\"a b\" "
			    "quote=\"say \\\"hi\\\"\" bs=\"c:\\\\x\" eq=\"a=b\" "
			    "ws=\"l1\\nl2\\r\\t\" ctl=\"\\x01\\x1f\\x7f\" utf8=\"caf\\xc3\\xa9\" "
			    "empty=\"\" null=\"\" nul=\"a\\x00b\"\n");
}

TEST(numbers_booleans_and_statuses_have_one_spelling)
{
	setup("initd", LOG_INFO);
	log_begin(&lg, LOG_INFO, "n");
	log_u64(&lg, "u0", 0);
	log_u64(&lg, "umax", UINT64_MAX);
	log_i64(&lg, "imin", INT64_MIN);
	log_i64(&lg, "ineg", -1);
	log_i64(&lg, "ipos", 42);
	log_hex(&lg, "h0", 0);
	log_hex(&lg, "h", 0xdeadbeefcafe);
	log_bool(&lg, "t", true);
	log_bool(&lg, "f", false);
	log_status(&lg, "ok", STATUS_OK);
	log_status(&lg, "st", STATUS_NO_MEMORY);
	log_status(&lg, "unk", (status_t)99);
	CHECK_EQ(log_end(&lg), STATUS_OK);
	CHECK_STR(cap.line, "level=info svc=initd event=n u0=0 umax=18446744073709551615 "
			    "imin=-9223372036854775808 ineg=-1 ipos=42 h0=0x0 h=0xdeadbeefcafe "
			    "t=true f=false ok=OK st=NO_MEMORY unk=99\n");
}

TEST(invalid_keys_and_events_show_in_the_line)
{
	char k32[33], k33[34];

	memset(k32, 'k', 32);
	k32[32] = '\0';
	memset(k33, 'k', 33);
	k33[33] = '\0';
	setup("my svc", LOG_INFO);
	log_begin(&lg, LOG_INFO, "ok_event_9");
	log_u64(&lg, k32, 1);
	CHECK_EQ(log_end(&lg), STATUS_OK);
	CHECK_STR(cap.line, "level=info svc=\"my svc\" event=ok_event_9 "
			    "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk=1\n");
	log_begin(&lg, LOG_INFO, "Bad-Event");
	log_u64(&lg, k33, 1);
	log_u64(&lg, "Key", 2);
	log_u64(&lg, "", 3);
	log_u64(&lg, NULL, 4);
	log_u64(&lg, "good", 5);
	CHECK_EQ(log_end(&lg), STATUS_INVALID);
	CHECK_STR(cap.line,
		  "level=info svc=\"my svc\" event=invalid_event invalid_key=1 invalid_key=2 "
		  "invalid_key=3 invalid_key=4 good=5\n");
	log_begin(&lg, LOG_INFO, NULL);
	CHECK_EQ(log_end(&lg), STATUS_INVALID);
	CHECK_STR(cap.line, "level=info svc=\"my svc\" event=invalid_event\n");
}

TEST(emit_takes_an_array_of_fields)
{
	setup("compd", LOG_INFO);
	CHECK_EQ(log_emit(&lg, LOG_WARN, "frame_late", 4,
			  (const struct log_field[]){
				  LOG_U64("frame", 1200),
				  LOG_I64("late_us", -350),
				  LOG_STR("output", "virtio gpu"),
				  LOG_STATUS("st", STATUS_TIMEOUT),
			  }),
		 STATUS_OK);
	CHECK_STR(cap.line, "level=warn svc=compd event=frame_late frame=1200 late_us=-350 "
			    "output=\"virtio gpu\" st=TIMEOUT\n");
	CHECK_EQ(log_emit(&lg, LOG_INFO, "x", 2,
			  (const struct log_field[]){
				  LOG_HEX("addr", 0x1000),
				  LOG_BOOL("ready", true),
			  }),
		 STATUS_OK);
	CHECK_STR(cap.line, "level=info svc=compd event=x addr=0x1000 ready=true\n");
	struct log_field odd = { .key = "k", .type = (enum log_field_type)77 };
	CHECK_EQ(log_emit(&lg, LOG_INFO, "y", 1, &odd), STATUS_INVALID);
	CHECK_STR(cap.line, "level=info svc=compd event=y k=invalid_type\n");
	CHECK_EQ(log_emit(&lg, LOG_DEBUG, "z", 1, &odd), STATUS_OK); /* filtered */
	CHECK_EQ(cap.calls, 3);
}

/* "level=info svc=t event=e" is 24 bytes; the fields get 496 in all. */
#define HEAD "level=info svc=t event=e"

TEST(long_bare_value_is_cut_at_the_limit_and_marked)
{
	char v[600], want[LOG_LINE_MAX + 1];

	memset(v, 'a', sizeof v - 1);
	v[sizeof v - 1] = '\0';
	setup("t", LOG_INFO);
	log_begin(&lg, LOG_INFO, "e");
	log_str(&lg, "v", v);
	log_u64(&lg, "after", 1); /* dropped */
	CHECK_EQ(log_end(&lg), STATUS_RANGE);
	CHECK_EQ(cap.len, LOG_LINE_MAX);
	memcpy(want, HEAD " v=", 27);
	memset(want + 27, 'a', 496 - 27);
	memcpy(want + 496, " truncated=true\n", 17);
	CHECK_STR(cap.line, want);
}

TEST(quoted_value_is_cut_between_escapes_and_keeps_its_quote)
{
	char v[400], want[LOG_LINE_MAX + 1];
	size_t n = 0;

	memset(v, '"', sizeof v - 1);
	v[sizeof v - 1] = '\0';
	setup("t", LOG_INFO);
	log_begin(&lg, LOG_INFO, "e");
	log_str(&lg, "v", v);
	CHECK_EQ(log_end(&lg), STATUS_RANGE);
	/* 28 bytes up to the opening quote, 233 escapes of 2, the closing
	 * quote: 495, then the marker. */
	memcpy(want, HEAD " v=\"", 28);
	n = 28;
	for (int i = 0; i < 233; i++, n += 2)
		memcpy(want + n, "\\\"", 2);
	memcpy(want + n, "\" truncated=true\n", 18);
	CHECK_STR(cap.line, want);
	CHECK_EQ(cap.len, 511);
}

TEST(field_without_room_for_its_value_is_dropped)
{
	char v[460], want[LOG_LINE_MAX + 1];

	memset(v, 'b', sizeof v - 1);
	v[sizeof v - 1] = '\0';
	setup("t", LOG_INFO);
	log_begin(&lg, LOG_INFO, "e");
	log_str(&lg, "v", v);      /* 24 + 3 + 459 = 486 */
	log_str(&lg, "w", "cd");   /* 491 */
	log_str(&lg, "k", "xy z"); /* " k=\"" fits, then no room for a byte
					 * and the closing quote: dropped */
	log_str(&lg, "later", "1");
	CHECK_EQ(log_end(&lg), STATUS_RANGE);
	snprintf(want, sizeof want, HEAD " v=%s w=cd truncated=true\n", v);
	CHECK_STR(cap.line, want);
	CHECK_EQ(cap.len, 491 + 16);
	/* The same for a bare value: " k=" fits exactly, no byte after it. */
	log_begin(&lg, LOG_INFO, "e");
	log_str(&lg, "v", v);
	log_str(&lg, "w", "cdef"); /* 493 */
	log_str(&lg, "k", "xyz");
	CHECK_EQ(log_end(&lg), STATUS_RANGE);
	snprintf(want, sizeof want, HEAD " v=%s w=cdef truncated=true\n", v);
	CHECK_STR(cap.line, want);
}

TEST(line_that_just_fits_is_not_marked)
{
	char v[470], want[LOG_LINE_MAX + 1];

	/* 24 + 3 + 469 = 496: exactly the fields' share. */
	memset(v, 'c', 469);
	v[469] = '\0';
	setup("t", LOG_INFO);
	log_begin(&lg, LOG_INFO, "e");
	log_str(&lg, "v", v);
	CHECK_EQ(log_end(&lg), STATUS_OK);
	snprintf(want, sizeof want, HEAD " v=%s\n", v);
	CHECK_STR(cap.line, want);
	CHECK_EQ(cap.len, 497);
	/* One more byte and the value is cut by one. */
	v[469] = 'c';
	log_strn(&lg, "v", v, 470); /* no line open: ignored */
	log_begin(&lg, LOG_INFO, "e");
	log_strn(&lg, "v", v, 470);
	CHECK_EQ(log_end(&lg), STATUS_RANGE);
	v[469] = '\0';
	snprintf(want, sizeof want, HEAD " v=%s truncated=true\n", v);
	CHECK_STR(cap.line, want);
}

TEST(unfinished_line_is_discarded_and_end_without_begin_writes_nothing)
{
	setup("t", LOG_INFO);
	CHECK_EQ(log_end(&lg), STATUS_OK);
	CHECK_EQ(cap.calls, 0);
	log_begin(&lg, LOG_INFO, "first");
	log_u64(&lg, "a", 1);
	log_begin(&lg, LOG_INFO, "second");
	log_u64(&lg, "b", 2);
	log_end(&lg);
	CHECK_EQ(cap.calls, 1);
	CHECK_STR(cap.line, "level=info svc=t event=second b=2\n");
	CHECK_EQ(log_end(&lg), STATUS_OK);
	CHECK_EQ(cap.calls, 1);
	struct logger quiet;
	log_init(&quiet, NULL, LOG_DEBUG, NULL, NULL); /* no sink */
	log_begin(&quiet, LOG_ERROR, "e");
	CHECK_EQ(log_end(&quiet), STATUS_OK);
	log_init(&quiet, NULL, LOG_DEBUG, capture_write, &cap);
	log_begin(&quiet, LOG_ERROR, "e");
	log_end(&quiet);
	CHECK_STR(cap.line, "level=error svc=\"\" event=e\n");
}

/* ---------------------------------------------------------------- random */

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Reads one value at *pp into out (unescaping), advancing *pp past it;
 * returns its length or -1 if it is not well formed. */
static int read_value(const char **pp, char *out)
{
	const char *p = *pp;
	int n = 0;

	if (*p != '"') {
		while (*p && *p != ' ' && *p != '\n')
			out[n++] = *p++;
		*pp = p;
		return n;
	}
	for (p++; *p != '"'; p++) {
		if (!*p || (unsigned char)*p < ' ' || (unsigned char)*p > '~')
			return -1;
		if (*p != '\\') {
			out[n++] = *p;
			continue;
		}
		p++;
		switch (*p) {
		case '"':
		case '\\':
			out[n++] = *p;
			break;
		case 'n':
			out[n++] = '\n';
			break;
		case 'r':
			out[n++] = '\r';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case 'x':
			if (hexval(p[1]) < 0 || hexval(p[2]) < 0)
				return -1;
			out[n++] = (char)(hexval(p[1]) << 4 | hexval(p[2]));
			p += 2;
			break;
		default:
			return -1;
		}
	}
	*pp = p + 1;
	return n;
}

/* Random byte strings as values: each line must be printable ASCII, at
 * most LOG_LINE_MAX bytes, and read back to the same values, except that
 * the last one of a truncated line may be a prefix of what was given. */
TEST(random_values_read_back_exactly)
{
	rng_state = 0x082efa98ec4e6c89ull;
	setup("rnd", LOG_DEBUG);
	for (int iter = 0; iter < 3000; iter++) {
		char vals[6][200];
		size_t lens[6], count = 1 + rng() % 6;
		log_begin(&lg, LOG_INFO, "r");
		for (size_t i = 0; i < count; i++) {
			lens[i] = rng() % 200;
			for (size_t k = 0; k < lens[i]; k++)
				vals[i][k] = (char)(rng() % 3 ? 0x20 + rng() % 95 : rng());
			char key[3] = { 'k', (char)('0' + i), 0 };
			log_strn(&lg, key, vals[i], lens[i]);
		}
		status_t st = log_end(&lg);
		CHECK(cap.len <= LOG_LINE_MAX);
		CHECK_EQ(cap.line[cap.len - 1], '\n');
		for (size_t k = 0; k + 1 < cap.len; k++)
			CHECK(cap.line[k] >= ' ' && cap.line[k] <= '~');
		const char *p = cap.line + strlen("level=info svc=rnd event=r");
		size_t i = 0;
		while (*p == ' ' && p[1] == 'k') {
			char out[LOG_LINE_MAX];
			CHECK(p[2] == (char)('0' + i) && p[3] == '=');
			p += 4;
			int n = read_value(&p, out);
			CHECK(n >= 0 && (size_t)n <= lens[i]);
			CHECK(memcmp(out, vals[i], (size_t)n) == 0);
			if ((size_t)n < lens[i]) { /* cut: must be the last */
				CHECK_EQ(st, STATUS_RANGE);
				break;
			}
			i++;
		}
		if (st == STATUS_OK)
			CHECK_EQ(i, count);
		else
			CHECK_STR(p, " truncated=true\n");
	}
}

int main(void)
{
	RUN(writes_one_line_with_fixed_leading_fields);
	RUN(levels_below_the_minimum_write_nothing);
	RUN(values_are_quoted_and_escaped_when_needed);
	RUN(numbers_booleans_and_statuses_have_one_spelling);
	RUN(invalid_keys_and_events_show_in_the_line);
	RUN(emit_takes_an_array_of_fields);
	RUN(long_bare_value_is_cut_at_the_limit_and_marked);
	RUN(quoted_value_is_cut_between_escapes_and_keeps_its_quote);
	RUN(field_without_room_for_its_value_is_dropped);
	RUN(line_that_just_fits_is_not_marked);
	RUN(unfinished_line_is_discarded_and_end_without_begin_writes_nothing);
	RUN(random_values_read_back_exactly);
	return check_summary();
}
