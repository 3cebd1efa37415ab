/* Host tests for the service manifest and boot list parsers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "keel/vfs.h"
#include "manifest.h"

static struct manifest m;
static struct bootlist bl;
static struct manifest_error err;

static status_t parse(const char *text)
{
	return manifest_parse(text, strlen(text), &m, &err);
}

static status_t parse_boot(const char *text)
{
	return bootlist_parse(text, strlen(text), &bl, &err);
}

/* Checks that text fails with status st and class cls on line ln, saying text_msg. */
#define CHECK_FAILS(text, st, cls, ln, text_msg)                                                   \
	do {                                                                                       \
		CHECK_EQ(parse(text), st);                                                         \
		CHECK_EQ(err.code, cls);                                                           \
		CHECK_EQ(err.line, ln);                                                            \
		CHECK_STR(err.msg, text_msg);                                                      \
	} while (0)

#define CHECK_BOOT_FAILS(text, st, cls, ln, text_msg)                                              \
	do {                                                                                       \
		CHECK_EQ(parse_boot(text), st);                                                    \
		CHECK_EQ(err.code, cls);                                                           \
		CHECK_EQ(err.line, ln);                                                            \
		CHECK_STR(err.msg, text_msg);                                                      \
	} while (0)

/* ------------------------------------------------------- service manifest */
TEST(dir_lines_give_paths_below_the_root_and_rights)
{
	CHECK_EQ(parse("name a\ndir /apps read\ndir / write\ndir /home/ada create,write\n"),
		 STATUS_OK);
	CHECK_EQ(m.dir_count, 3);
	CHECK_STR(m.dirs[0].path, "apps");
	CHECK_EQ(m.dirs[0].rights, VFS_R_READ);
	CHECK_STR(m.dirs[1].path, "");
	CHECK_EQ(m.dirs[1].rights, VFS_R_ALL);
	CHECK_STR(m.dirs[2].path, "home/ada");
	CHECK_EQ(m.dirs[2].rights, VFS_R_CREATE | VFS_R_WRITE);
	char text[32];
	dirs_rights_text(m.dirs[2].rights, text, sizeof text);
	CHECK_STR(text, "write,create");
}

TEST(dir_lines_refuse_bad_paths_rights_and_repeats)
{
	CHECK_FAILS("name a\ndir apps read\n", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_WORD, 2,
		    "bad directory 'apps' (an absolute path of at most 28 bytes below /)");
	CHECK_EQ(parse("name a\ndir /a/../b read\n"), STATUS_BAD_FORMAT);
	CHECK_EQ(parse("name a\ndir /a//b read\n"), STATUS_BAD_FORMAT);
	CHECK_EQ(parse("name a\ndir /apps/ read\n"), STATUS_BAD_FORMAT);
	CHECK_EQ(parse("name a\ndir /aaaaaaaaaaaaaaaaaaaaaaaaaaaaa read\n"), STATUS_BAD_FORMAT);
	CHECK_EQ(parse("name a\ndir /apps own\n"), STATUS_BAD_FORMAT);
	CHECK_EQ(parse("name a\ndir /apps read,,write\n"), STATUS_BAD_FORMAT);
	CHECK_EQ(parse("name a\ndir /apps read,read\n"), STATUS_BAD_FORMAT);
	CHECK_EQ(parse("name a\ndir /apps\n"), STATUS_BAD_FORMAT);
	CHECK_EQ(parse("name a\ndir /apps read\ndir /apps write\n"), STATUS_EXISTS);
	CHECK_EQ(err.line, 3);
	CHECK_EQ(parse("name a\ndir /a read\ndir /b read\ndir /c read\ndir /d read\n"
		       "dir /e read\ndir /f read\ndir /g read\ndir /h read\ndir /i read\n"),
		 STATUS_FULL);
}

TEST(parses_every_key_of_the_documented_example)
{
	const char *text = "# services/vfsd/manifest\n"
			   "name       vfsd\n"
			   "provides   vfs                 # its inbox is registered as \"vfs\"\n"
			   "restart    always\n"
			   "backoff    100 5000\n"
			   "strikes    3 60\n"
			   "heartbeat  1000\n"
			   "start      60000               # ms from start to hello\n"
			   "tier       gravity\n"
			   "memory     4096\n"
			   "objects    256\n"
			   "slots      128\n"
			   "ioports    0x1f0-0x1f7\n"
			   "ioports    0x3f6\n"
			   "irq        14\n"
			   "irq        15\n"
			   "mmio       0xfebd0000 0x1000\n"
			   "sends      topod\n"
			   "sends      netd\n";
	CHECK_EQ(parse(text), STATUS_OK);
	CHECK_EQ(err.code, MANIFEST_ERR_NONE);
	CHECK_STR(m.name, "vfsd");
	CHECK_STR(m.provides, "vfs");
	CHECK_EQ(m.policy.restart, SV_RESTART_ALWAYS);
	CHECK_EQ(m.policy.backoff_initial_ms, 100);
	CHECK_EQ(m.policy.backoff_max_ms, 5000);
	CHECK_EQ(m.policy.strike_limit, 3);
	CHECK_EQ(m.policy.strike_window_s, 60);
	CHECK_EQ(m.policy.heartbeat_ms, 1000);
	CHECK_EQ(m.policy.start_ms, 60000);
	CHECK_EQ(m.tier, MANIFEST_TIER_GRAVITY);
	CHECK_EQ(m.quota_pages, 4096);
	CHECK_EQ(m.quota_objects, 256);
	CHECK_EQ(m.quota_slots, 128);
	CHECK_EQ(m.port_count, 2);
	CHECK_EQ(m.ports[0].first, 0x1f0);
	CHECK_EQ(m.ports[0].last, 0x1f7);
	CHECK_EQ(m.ports[1].first, 0x3f6);
	CHECK_EQ(m.ports[1].last, 0x3f6);
	CHECK_EQ(m.irq_count, 2);
	CHECK_EQ(m.irqs[0], 14);
	CHECK_EQ(m.irqs[1], 15);
	CHECK_EQ(m.mmio_count, 1);
	CHECK_EQ(m.mmio[0].base, 0xfebd0000);
	CHECK_EQ(m.mmio[0].size, 0x1000);
	CHECK_EQ(m.send_count, 2);
	CHECK_STR(m.sends[0], "topod");
	CHECK_STR(m.sends[1], "netd");
}

TEST(fills_defaults_and_provides_the_service_name)
{
	CHECK_EQ(parse("name topod"), STATUS_OK);
	CHECK_STR(m.name, "topod");
	CHECK_STR(m.provides, "topod");
	CHECK_EQ(m.policy.restart, SV_RESTART_ON_FAILURE);
	CHECK_EQ(m.policy.backoff_initial_ms, 100);
	CHECK_EQ(m.policy.backoff_max_ms, 10000);
	CHECK_EQ(m.policy.strike_limit, 3);
	CHECK_EQ(m.policy.strike_window_s, 60);
	CHECK_EQ(m.policy.heartbeat_ms, 0);
	CHECK_EQ(m.tier, MANIFEST_TIER_MATTER);
	CHECK_EQ(m.quota_pages, 256);
	CHECK_EQ(m.quota_objects, 64);
	CHECK_EQ(m.quota_slots, 64);
	CHECK_EQ(m.port_count + m.irq_count + m.mmio_count + m.send_count, 0);
}

TEST(accepts_tabs_comments_blank_lines_and_no_final_newline)
{
	CHECK_EQ(parse("\n# header\n\t\n \tname\tshell  # trailing\n#\nrestart never#x\ntier void"),
		 STATUS_OK);
	CHECK_STR(m.name, "shell");
	CHECK_EQ(m.policy.restart, SV_RESTART_NEVER);
	CHECK_EQ(m.tier, MANIFEST_TIER_VOID);
	CHECK_EQ(parse("name a\ntier photon\nrestart on-failure\n"), STATUS_OK);
	CHECK_EQ(m.tier, MANIFEST_TIER_PHOTON);
	CHECK_EQ(m.policy.restart, SV_RESTART_ON_FAILURE);
}

TEST(reads_decimal_and_hex_numbers)
{
	CHECK_EQ(parse("name a\nirq 0\nirq 0x0F\nirq 0X10\nioports 0x0060-0x0064\nmemory 0x1000"),
		 STATUS_OK);
	CHECK_EQ(m.irqs[0], 0);
	CHECK_EQ(m.irqs[1], 15);
	CHECK_EQ(m.irqs[2], 16);
	CHECK_EQ(m.ports[0].first, 0x60);
	CHECK_EQ(m.ports[0].last, 0x64);
	CHECK_EQ(m.quota_pages, 4096);
}

TEST(rejects_malformed_numbers)
{
	CHECK_FAILS("name a\nirq 010", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_NUMBER, 2,
		    "'irq' value '010' is not a number");
	CHECK_FAILS("name a\nirq 0x", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_NUMBER, 2,
		    "'irq' value '0x' is not a number");
	CHECK_FAILS("name a\nirq +5", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_NUMBER, 2,
		    "'irq' value '+5' is not a number");
	CHECK_FAILS("name a\nirq 0x1g", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_NUMBER, 2,
		    "'irq' value '0x1g' is not a number");
	CHECK_FAILS("name a\nmemory 4k", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_NUMBER, 2,
		    "'memory' value '4k' is not a number");
	/* An overflowing prefix does not hide a syntax error behind it. */
	CHECK_FAILS("name a\nmemory 99999999999999999999x", STATUS_BAD_FORMAT,
		    MANIFEST_ERR_BAD_NUMBER, 2,
		    "'memory' value '99999999999999999999x' is not a number");
	CHECK_FAILS("name a\nioports 0x60-", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_NUMBER, 2,
		    "'ioports' value '' is not a number");
	CHECK_FAILS("name a\nioports -0x60", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_NUMBER, 2,
		    "'ioports' value '' is not a number");
	CHECK_FAILS("name a\nioports 1-2-3", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_NUMBER, 2,
		    "'ioports' value '2-3' is not a number");
}

/* One number at or past its bound: text, expected status, message on failure. */
struct bound_case {
	const char *text;
	status_t st;
	const char *msg;
};

static const struct bound_case bounds[] = {
	{ "irq 255", STATUS_OK, "" },
	{ "irq 256", STATUS_RANGE, "'irq' value '256' out of range 0..255" },
	{ "ioports 0xffff", STATUS_OK, "" },
	{ "ioports 0x10000", STATUS_RANGE, "'ioports' value '0x10000' out of range 0..65535" },
	{ "ioports 0-65536", STATUS_RANGE, "'ioports' value '65536' out of range 0..65535" },
	{ "memory 1", STATUS_OK, "" },
	{ "memory 0", STATUS_RANGE, "'memory' value '0' out of range 1..16777216" },
	{ "memory 16777216", STATUS_OK, "" },
	{ "memory 16777217", STATUS_RANGE, "'memory' value '16777217' out of range 1..16777216" },
	{ "memory 18446744073709551615", STATUS_RANGE,
	  "'memory' value '18446744073709551615' out of range 1..16777216" },
	{ "memory 18446744073709551616", STATUS_RANGE,
	  "'memory' value '18446744073709551616' out of range 1..16777216" },
	/* 2^64 + 1 and 2^64 + 0x1000 would wrap into the valid range. */
	{ "memory 18446744073709551617", STATUS_RANGE,
	  "'memory' value '18446744073709551617' out of range 1..16777216" },
	{ "memory 0x10000000000001000", STATUS_RANGE,
	  "'memory' value '0x10000000000001000' out of range 1..16777216" },
	{ "memory 0xffffffffffffffff", STATUS_RANGE,
	  "'memory' value '0xffffffffffffffff' out of range 1..16777216" },
	{ "memory 0x10000000000000000", STATUS_RANGE,
	  "'memory' value '0x10000000000000000' out of range 1..16777216" },
	{ "objects 65536", STATUS_OK, "" },
	{ "objects 65537", STATUS_RANGE, "'objects' value '65537' out of range 1..65536" },
	{ "slots 65536", STATUS_OK, "" },
	{ "slots 0", STATUS_RANGE, "'slots' value '0' out of range 1..65536" },
	{ "heartbeat 0", STATUS_OK, "" },
	{ "heartbeat 9", STATUS_RANGE, "'heartbeat' value '9' out of range: 0, or 10..3600000" },
	{ "heartbeat 10", STATUS_OK, "" },
	{ "start 10", STATUS_OK, "" },
	{ "start 3600000", STATUS_OK, "" },
	{ "start 9", STATUS_RANGE, "'start' value '9' out of range 10..3600000" },
	{ "start 0", STATUS_RANGE, "'start' value '0' out of range 10..3600000" },
	{ "heartbeat 3600000", STATUS_OK, "" },
	{ "heartbeat 3600001", STATUS_RANGE,
	  "'heartbeat' value '3600001' out of range 0..3600000" },
	{ "backoff 1 3600000", STATUS_OK, "" },
	{ "backoff 0 100", STATUS_RANGE, "'backoff' value '0' out of range 1..3600000" },
	{ "backoff 1 3600001", STATUS_RANGE, "'backoff' value '3600001' out of range 1..3600000" },
	{ "strikes 1 1", STATUS_OK, "" },
	{ "strikes 32 86400", STATUS_OK, "" },
	{ "strikes 0 60", STATUS_RANGE, "'strikes' value '0' out of range 1..32" },
	{ "strikes 33 60", STATUS_RANGE, "'strikes' value '33' out of range 1..32" },
	{ "strikes 3 0", STATUS_RANGE, "'strikes' value '0' out of range 1..86400" },
	{ "strikes 3 86401", STATUS_RANGE, "'strikes' value '86401' out of range 1..86400" },
	{ "mmio 0xffffffffff000 0x1000", STATUS_OK, "" },
	{ "mmio 0x10000000000000 0x1000", STATUS_RANGE,
	  "'mmio' value '0x10000000000000' out of range 0..4503599627370495" },
	{ "mmio 0 0x10000000000000", STATUS_OK, "" },
	{ "mmio 0 0", STATUS_RANGE, "'mmio' value '0' out of range 1..4503599627370496" },
};

TEST(checks_every_number_at_and_past_its_bounds)
{
	for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
		char text[128];
		snprintf(text, sizeof text, "name a\n%s\n", bounds[i].text);
		status_t st = parse(text);
		if (st != bounds[i].st)
			CHECK_FAIL("'%s': status %d, want %d (%s)", bounds[i].text, st,
				   bounds[i].st, err.msg);
		if (st == STATUS_OK)
			continue;
		CHECK_EQ(err.code, MANIFEST_ERR_NUMBER_RANGE);
		CHECK_EQ(err.line, 2);
		CHECK_STR(err.msg, bounds[i].msg);
	}
}

TEST(stores_values_at_their_bounds)
{
	CHECK_EQ(parse("name a\nbackoff 3600000 3600000\nstrikes 32 86400\nheartbeat 3600000\n"
		       "memory 16777216\nioports 0-0xffff\nirq 255\nmmio 0xffffffffff000 4096"),
		 STATUS_OK);
	CHECK_EQ(m.policy.backoff_initial_ms, 3600000);
	CHECK_EQ(m.policy.strike_limit, 32);
	CHECK_EQ(m.policy.strike_window_s, 86400);
	CHECK_EQ(m.quota_pages, 16777216);
	CHECK_EQ(m.ports[0].first, 0);
	CHECK_EQ(m.ports[0].last, 0xffff);
	CHECK_EQ(m.irqs[0], 255);
	CHECK_EQ(m.mmio[0].base, 0xffffffffff000ull);
	CHECK_EQ(m.mmio[0].base + m.mmio[0].size, MANIFEST_PHYS_LIMIT);
}

TEST(rejects_lines_over_256_bytes)
{
	char text[600];
	/* Line 2 is a comment of exactly 256 bytes: accepted. */
	memset(text, 0, sizeof text);
	strcpy(text, "name a\n#");
	memset(text + strlen(text), 'x', 255);
	CHECK_EQ(parse(text), STATUS_OK);
	strcat(text, "\nirq 1");
	CHECK_EQ(parse(text), STATUS_OK);
	/* One more byte on line 2. */
	memset(text, 0, sizeof text);
	strcpy(text, "name a\n#");
	memset(text + strlen(text), 'x', 256);
	CHECK_FAILS(text, STATUS_BAD_FORMAT, MANIFEST_ERR_LINE_TOO_LONG, 2,
		    "line longer than 256 bytes");
}

TEST(rejects_nul_non_ascii_and_control_bytes_with_their_column)
{
	static const char nul[] = "name a\nirq\0 5\n";
	CHECK_EQ(manifest_parse(nul, sizeof nul - 1, &m, &err), STATUS_BAD_FORMAT);
	CHECK_EQ(err.code, MANIFEST_ERR_NUL);
	CHECK_EQ(err.line, 2);
	CHECK_STR(err.msg, "NUL byte at column 4");
	/* A trailing NUL, as a C string section would carry, is refused too. */
	static const char trailing[] = "name a\n";
	CHECK_EQ(manifest_parse(trailing, sizeof trailing, &m, &err), STATUS_BAD_FORMAT);
	CHECK_EQ(err.code, MANIFEST_ERR_NUL);
	CHECK_EQ(err.line, 2);

	CHECK_FAILS("name caf\xc3\xa9", STATUS_BAD_FORMAT, MANIFEST_ERR_NON_ASCII, 1,
		    "non-ASCII byte at column 9");
	CHECK_FAILS("# caf\xc3\xa9\nname a", STATUS_BAD_FORMAT, MANIFEST_ERR_NON_ASCII, 1,
		    "non-ASCII byte at column 6");
	CHECK_FAILS("name a\r\n", STATUS_BAD_FORMAT, MANIFEST_ERR_CONTROL, 1,
		    "carriage return (lines end with LF only) at column 7");
	CHECK_FAILS("name a\n\n\x1b[31m", STATUS_BAD_FORMAT, MANIFEST_ERR_CONTROL, 3,
		    "control character at column 1");
	CHECK_FAILS("name a\x7f", STATUS_BAD_FORMAT, MANIFEST_ERR_CONTROL, 1,
		    "control character at column 7");
}

TEST(rejects_unknown_keys_and_wrong_value_counts)
{
	CHECK_FAILS("name a\n\nrestrat always", STATUS_BAD_FORMAT, MANIFEST_ERR_UNKNOWN_KEY, 3,
		    "unknown key 'restrat'");
	CHECK_FAILS("NAME a", STATUS_BAD_FORMAT, MANIFEST_ERR_UNKNOWN_KEY, 1, "unknown key 'NAME'");
	CHECK_FAILS("name", STATUS_BAD_FORMAT, MANIFEST_ERR_ARITY, 1,
		    "'name' takes 1 value, not 0");
	CHECK_FAILS("name a b", STATUS_BAD_FORMAT, MANIFEST_ERR_ARITY, 1,
		    "'name' takes 1 value, not 2");
	CHECK_FAILS("name a\nbackoff 100", STATUS_BAD_FORMAT, MANIFEST_ERR_ARITY, 2,
		    "'backoff' takes 2 values, not 1");
	CHECK_FAILS("name a\nmmio 0x1000 0x1000 0x1000 1 2 3 4 5 6 7 8 9 10", STATUS_BAD_FORMAT,
		    MANIFEST_ERR_ARITY, 2, "'mmio' takes 2 values, not 13");
	CHECK_FAILS("name a\nsends", STATUS_BAD_FORMAT, MANIFEST_ERR_ARITY, 2,
		    "'sends' takes 1 value, not 0");
}

TEST(checks_names)
{
	CHECK_EQ(parse("name a\nsends abcdefghijklmnopqrstuvwxyz012345"), STATUS_OK);
	CHECK_STR(m.sends[0], "abcdefghijklmnopqrstuvwxyz012345");
	CHECK_EQ(parse("name net-2"), STATUS_OK);
	CHECK_FAILS("name Vfsd", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_NAME, 1,
		    "bad name 'Vfsd' (want [a-z][a-z0-9-]{0,31})");
	CHECK_FAILS("name 2d", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_NAME, 1,
		    "bad name '2d' (want [a-z][a-z0-9-]{0,31})");
	CHECK_FAILS("name -a", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_NAME, 1,
		    "bad name '-a' (want [a-z][a-z0-9-]{0,31})");
	CHECK_FAILS("name a\nprovides my_inbox", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_NAME, 2,
		    "bad name 'my_inbox' (want [a-z][a-z0-9-]{0,31})");
	/* 33 characters: one too many; the message shortens it. */
	CHECK_FAILS("name a\nsends abcdefghijklmnopqrstuvwxyz0123456", STATUS_BAD_FORMAT,
		    MANIFEST_ERR_BAD_NAME, 2,
		    "bad name 'abcdefghijklmnopqrstuvwxyz012345...' (want [a-z][a-z0-9-]{0,31})");
}

TEST(rejects_unknown_policies_and_tiers)
{
	CHECK_FAILS("name a\nrestart sometimes", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_WORD, 2,
		    "unknown restart policy 'sometimes' (always, on-failure, never)");
	CHECK_FAILS("name a\nrestart Always", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_WORD, 2,
		    "unknown restart policy 'Always' (always, on-failure, never)");
	CHECK_FAILS("name a\ntier neutron", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_WORD, 2,
		    "unknown tier 'neutron' (photon, matter, gravity, void)");
}

TEST(rejects_inverted_misaligned_and_oversized_ranges)
{
	CHECK_FAILS("name a\nioports 0x70-0x60", STATUS_RANGE, MANIFEST_ERR_BAD_RANGE, 2,
		    "port range '0x70-0x60' has first > last");
	CHECK_FAILS("name a\nbackoff 500 100", STATUS_RANGE, MANIFEST_ERR_BAD_RANGE, 2,
		    "backoff initial ms exceeds max ms");
	CHECK_EQ(parse("name a\nbackoff 100 100"), STATUS_OK);
	CHECK_FAILS("name a\nmmio 0xfebd0800 0x1000", STATUS_RANGE, MANIFEST_ERR_BAD_RANGE, 2,
		    "mmio base '0xfebd0800' is not a multiple of 4096");
	CHECK_FAILS("name a\nmmio 0xfebd0000 100", STATUS_RANGE, MANIFEST_ERR_BAD_RANGE, 2,
		    "mmio size '100' is not a multiple of 4096");
	CHECK_FAILS("name a\nmmio 0xffffffffff000 0x2000", STATUS_RANGE, MANIFEST_ERR_BAD_RANGE, 2,
		    "mmio range at '0xffffffffff000' ends beyond 2^52");
}

TEST(rejects_second_use_of_a_single_valued_key)
{
	CHECK_FAILS("name a\ntier void\n# x\nname b", STATUS_EXISTS, MANIFEST_ERR_DUPLICATE_KEY, 4,
		    "duplicate key 'name' (first on line 1)");
	CHECK_FAILS("name a\nheartbeat 0\nheartbeat 0", STATUS_EXISTS, MANIFEST_ERR_DUPLICATE_KEY,
		    3, "duplicate key 'heartbeat' (first on line 2)");
	CHECK_FAILS("name a\nbackoff 1 2\nstrikes 1 1\nbackoff 1 2", STATUS_EXISTS,
		    MANIFEST_ERR_DUPLICATE_KEY, 4, "duplicate key 'backoff' (first on line 2)");
}

TEST(rejects_repeated_list_entries_and_overlaps)
{
	CHECK_FAILS("name a\nirq 14\nirq 15\nirq 0xe", STATUS_EXISTS, MANIFEST_ERR_DUPLICATE, 4,
		    "irq '0xe' given twice (first on line 2)");
	CHECK_FAILS("name a\nsends topod\nsends vfsd\nsends topod", STATUS_EXISTS,
		    MANIFEST_ERR_DUPLICATE, 4, "sends 'topod' given twice (first on line 2)");
	CHECK_FAILS("name a\nioports 0x60-0x64\nioports 0x64-0x70", STATUS_EXISTS,
		    MANIFEST_ERR_OVERLAP, 3, "port range '0x64-0x70' overlaps another (on line 2)");
	CHECK_FAILS("name a\nioports 0x60-0x64\nioports 0x10-0x20\nioports 0x0-0xffff",
		    STATUS_EXISTS, MANIFEST_ERR_OVERLAP, 4,
		    "port range '0x0-0xffff' overlaps another (on line 2)");
	CHECK_FAILS("name a\nmmio 0x2000 0x2000\nmmio 0x3000 0x1000", STATUS_EXISTS,
		    MANIFEST_ERR_OVERLAP, 3, "mmio range at '0x3000' overlaps another (on line 2)");
	CHECK_FAILS("name a\nmmio 0x2000 0x2000\nmmio 0x0 0x10000", STATUS_EXISTS,
		    MANIFEST_ERR_OVERLAP, 3, "mmio range at '0x0' overlaps another (on line 2)");
	/* Touching ranges do not overlap. */
	CHECK_EQ(parse("name a\nioports 0x60-0x63\nioports 0x64\nioports 0x65-0x70\n"
		       "mmio 0x2000 0x2000\nmmio 0x4000 0x1000\nmmio 0x1000 0x1000"),
		 STATUS_OK);
	CHECK_EQ(m.port_count, 3);
	CHECK_EQ(m.mmio_count, 3);
}

/* "name a" then n lines of fmt, which takes i once or twice. */
static void build_list(char *text, size_t cap, const char *fmt, int n)
{
	size_t len = (size_t)snprintf(text, cap, "name a\n");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, fmt, i, i);
}

TEST(holds_sixteen_of_each_list_and_refuses_the_seventeenth)
{
	static const struct {
		const char *fmt;
		const char *msg;
	} lists[] = {
		{ "irq %d\n", "more than 16 'irq' lines" },
		{ "ioports %d-%d\n", "more than 16 'ioports' lines" },
		{ "mmio 0x%x000 0x1000\n", "more than 16 'mmio' lines" },
		{ "sends s%d\n", "more than 16 'sends' lines" },
	};
	char text[2048];
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		build_list(text, sizeof text, lists[i].fmt, 16);
		CHECK_EQ(parse(text), STATUS_OK);
		build_list(text, sizeof text, lists[i].fmt, 17);
		CHECK_FAILS(text, STATUS_FULL, MANIFEST_ERR_TOO_MANY, 18, lists[i].msg);
	}
	build_list(text, sizeof text, "irq %d\n", 16);
	CHECK_EQ(parse(text), STATUS_OK);
	CHECK_EQ(m.irq_count, 16);
	CHECK_EQ(m.irqs[15], 15);
	build_list(text, sizeof text, "sends s%d\n", 16);
	CHECK_EQ(parse(text), STATUS_OK);
	CHECK_EQ(m.send_count, 16);
	CHECK_STR(m.sends[15], "s15");
}

TEST(requires_a_name)
{
	CHECK_FAILS("", STATUS_BAD_FORMAT, MANIFEST_ERR_MISSING_KEY, 0,
		    "missing required key 'name'");
	CHECK_FAILS("# only a comment\ntier void\n", STATUS_BAD_FORMAT, MANIFEST_ERR_MISSING_KEY, 0,
		    "missing required key 'name'");
	CHECK_EQ(manifest_parse(NULL, 0, &m, &err), STATUS_BAD_FORMAT);
	CHECK_EQ(err.code, MANIFEST_ERR_MISSING_KEY);
}

TEST(refuses_text_over_64_kib)
{
	size_t n = MANIFEST_TEXT_MAX + 1;
	char *text = malloc(n);
	CHECK(text != NULL);
	memset(text, '\n', n);
	memcpy(text, "name a", 6);
	CHECK_EQ(manifest_parse(text, n - 1, &m, &err), STATUS_OK);
	status_t st = manifest_parse(text, n, &m, &err);
	free(text);
	CHECK_EQ(st, STATUS_BAD_FORMAT);
	CHECK_EQ(err.code, MANIFEST_ERR_TOO_LARGE);
	CHECK_EQ(err.line, 0);
	CHECK_STR(err.msg, "text larger than 65536 bytes");
}

TEST(works_without_an_error_record)
{
	CHECK_EQ(manifest_parse("name a\nirq 999", 14, &m, NULL), STATUS_RANGE);
	CHECK_EQ(manifest_parse("name a", 6, &m, NULL), STATUS_OK);
	CHECK_EQ(bootlist_parse("a after b", 9, &bl, NULL), STATUS_NOT_FOUND);
}

/* ------------------------------------------------------------- boot list */

/* The start order as space-separated names, for comparison. */
static const char *order_string(void)
{
	static char buf[BOOTLIST_MAX * (MANIFEST_NAME_MAX + 1) + 1];
	buf[0] = '\0';
	for (uint32_t i = 0; i < bl.count; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, bl.entries[bl.order[i]].name);
	}
	return buf;
}

TEST(boot_order_follows_the_lines_when_dependencies_allow)
{
	CHECK_EQ(parse_boot("# boot\ntopod\nvfsd   after topod\nnetd after topod vfsd\n"
			    "shell after vfsd\n"),
		 STATUS_OK);
	CHECK_EQ(bl.count, 4);
	CHECK_STR(order_string(), "topod vfsd netd shell");
	CHECK_STR(bl.entries[2].name, "netd");
	CHECK_EQ(bl.entries[2].line, 4);
	CHECK_EQ(bl.entries[2].after_count, 2);
	CHECK_EQ(bl.entries[2].after[0], 0);
	CHECK_EQ(bl.entries[2].after[1], 1);
	CHECK_EQ(bl.entries[0].after_count, 0);
}

TEST(boot_order_moves_a_service_after_later_dependencies)
{
	CHECK_EQ(parse_boot("shell after vfsd\nvfsd after topod\ntopod"), STATUS_OK);
	CHECK_STR(order_string(), "topod vfsd shell");
	/* Independent services keep their relative order. */
	CHECK_EQ(parse_boot("a after c\nb\nc\nd after a\ne"), STATUS_OK);
	CHECK_STR(order_string(), "b c a d e");
}

TEST(boot_list_rejects_duplicates)
{
	CHECK_BOOT_FAILS("topod\nvfsd\n\ntopod after vfsd", STATUS_EXISTS, MANIFEST_ERR_DUPLICATE,
			 4, "service 'topod' listed twice (first on line 1)");
	CHECK_BOOT_FAILS("topod\nvfsd after topod topod", STATUS_EXISTS, MANIFEST_ERR_DUPLICATE, 2,
			 "'topod' named twice after 'after'");
}

TEST(boot_list_rejects_cycles)
{
	CHECK_BOOT_FAILS("a after b\nb after c\nc after a", STATUS_BAD_FORMAT, MANIFEST_ERR_CYCLE,
			 1, "cycle: a after b after c after a");
	/* x only waits on the cycle; the report names the cycle itself. */
	CHECK_BOOT_FAILS("x after a\nok\na after b ok\nb after a", STATUS_BAD_FORMAT,
			 MANIFEST_ERR_CYCLE, 3, "cycle: a after b after a");
	CHECK_BOOT_FAILS("ok\nself after ok self", STATUS_BAD_FORMAT, MANIFEST_ERR_CYCLE, 2,
			 "service 'self' is after itself");
}

TEST(boot_list_rejects_unknown_dependencies_and_bad_lines)
{
	CHECK_BOOT_FAILS("topod\nvfsd after topod blk", STATUS_NOT_FOUND, MANIFEST_ERR_UNKNOWN_DEP,
			 2, "'after' names 'blk', which is not in the boot list");
	CHECK_BOOT_FAILS("topod\nvfsd before topod", STATUS_BAD_FORMAT, MANIFEST_ERR_UNKNOWN_KEY, 2,
			 "unknown word 'before' (expected 'after')");
	CHECK_BOOT_FAILS("topod\nvfsd after", STATUS_BAD_FORMAT, MANIFEST_ERR_ARITY, 2,
			 "'after' needs at least one name");
	CHECK_BOOT_FAILS("topod\nVfsd", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_NAME, 2,
			 "bad name 'Vfsd' (want [a-z][a-z0-9-]{0,31})");
	CHECK_BOOT_FAILS("topod\nvfsd after top_d", STATUS_BAD_FORMAT, MANIFEST_ERR_BAD_NAME, 2,
			 "bad name 'top_d' (want [a-z][a-z0-9-]{0,31})");
	CHECK_BOOT_FAILS("# nothing\n\n", STATUS_BAD_FORMAT, MANIFEST_ERR_EMPTY, 0,
			 "boot list names no service");
	CHECK_BOOT_FAILS("topod\nvfsd\r\n", STATUS_BAD_FORMAT, MANIFEST_ERR_CONTROL, 2,
			 "carriage return (lines end with LF only) at column 5");
	static const char nul[] = "topod\0";
	CHECK_EQ(bootlist_parse(nul, sizeof nul - 1, &bl, &err), STATUS_BAD_FORMAT);
	CHECK_EQ(err.code, MANIFEST_ERR_NUL);
	CHECK_STR(err.msg, "NUL byte at column 6");
}

TEST(boot_list_holds_its_limits)
{
	char text[2048];
	CHECK_EQ(parse_boot("z\na\nb\nc\nd\ne\nf\ng\nh\ni after a b c d e f g h"), STATUS_OK);
	CHECK_EQ(bl.entries[9].after_count, 8);
	CHECK_EQ(bl.entries[9].after[7], 8);
	CHECK_STR(order_string(), "z a b c d e f g h i");
	CHECK_BOOT_FAILS("z\na\nb\nc\nd\ne\nf\ng\nh\ni after a b c d e f g h z", STATUS_FULL,
			 MANIFEST_ERR_TOO_MANY, 10, "more than 8 names after 'after'");

	size_t len = 0;
	for (int i = 0; i < 32; i++)
		len += (size_t)snprintf(text + len, sizeof text - len, "s%d%s\n", i,
					i ? " after s0" : "");
	CHECK_EQ(parse_boot(text), STATUS_OK);
	CHECK_EQ(bl.count, 32);
	CHECK_EQ(bl.order[31], 31);
	snprintf(text + len, sizeof text - len, "s32\n");
	CHECK_BOOT_FAILS(text, STATUS_FULL, MANIFEST_ERR_TOO_MANY, 33, "more than 32 services");
}

int main(void)
{
	RUN(parses_every_key_of_the_documented_example);
	RUN(fills_defaults_and_provides_the_service_name);
	RUN(accepts_tabs_comments_blank_lines_and_no_final_newline);
	RUN(reads_decimal_and_hex_numbers);
	RUN(rejects_malformed_numbers);
	RUN(checks_every_number_at_and_past_its_bounds);
	RUN(stores_values_at_their_bounds);
	RUN(rejects_lines_over_256_bytes);
	RUN(rejects_nul_non_ascii_and_control_bytes_with_their_column);
	RUN(rejects_unknown_keys_and_wrong_value_counts);
	RUN(checks_names);
	RUN(rejects_unknown_policies_and_tiers);
	RUN(rejects_inverted_misaligned_and_oversized_ranges);
	RUN(rejects_second_use_of_a_single_valued_key);
	RUN(rejects_repeated_list_entries_and_overlaps);
	RUN(holds_sixteen_of_each_list_and_refuses_the_seventeenth);
	RUN(requires_a_name);
	RUN(refuses_text_over_64_kib);
	RUN(works_without_an_error_record);
	RUN(boot_order_follows_the_lines_when_dependencies_allow);
	RUN(boot_order_moves_a_service_after_later_dependencies);
	RUN(boot_list_rejects_duplicates);
	RUN(boot_list_rejects_cycles);
	RUN(boot_list_rejects_unknown_dependencies_and_bad_lines);
	RUN(boot_list_holds_its_limits);
	RUN(dir_lines_give_paths_below_the_root_and_rights);
	RUN(dir_lines_refuse_bad_paths_rights_and_repeats);
	return check_summary();
}
