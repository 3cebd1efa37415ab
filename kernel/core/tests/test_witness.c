/*
 * test_witness.c - host tests for the witness log: record contents and
 * hashes (against digests computed independently), chain verification,
 * tamper detection at the right index, reading across ring wrap-around.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "core/object/witness.h"

static struct witness_record ring[8];
static struct witness_log w;

static const char *hex(const uint8_t d[WITNESS_HASH_SIZE])
{
	static char s[2 * WITNESS_HASH_SIZE + 1];

	for (int i = 0; i < WITNESS_HASH_SIZE; i++) {
		s[2 * i] = "0123456789abcdef"[d[i] >> 4];
		s[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
	}
	return s;
}

static void setup(uint32_t capacity)
{
	memset(ring, 0, sizeof ring);
	CHECK_EQ(witness_init(&w, ring, capacity), STATUS_OK);
}

/* Appends an event whose fields are derived from i. */
static uint64_t append(uint64_t i)
{
	struct witness_event ev = {
		.action = (uint32_t)(i % (WITNESS_ACTION_COUNT - 1)) + 1,
		.actor = (uint32_t)(i % 5),
		.subject = i * 3,
		.object = i ^ 0xabcdef,
		.arg = i * i,
		.time = 1000 * i,
	};
	uint64_t seq = ~0ull;

	CHECK_EQ(witness_append(&w, &ev, &seq), STATUS_OK);
	return seq;
}

TEST(init_checks_capacity)
{
	CHECK_EQ(witness_init(&w, ring, 0), STATUS_INVALID);
	CHECK_EQ(witness_init(&w, ring, 6), STATUS_INVALID);
	CHECK_EQ(witness_init(&w, NULL, 8), STATUS_INVALID);
	CHECK_EQ(witness_init(&w, ring, WITNESS_MAX_CAPACITY * 2), STATUS_INVALID);
	CHECK_EQ(witness_init(&w, ring, 8), STATUS_OK);
	CHECK_EQ(w.obj.type, OBJ_WITNESS);
	CHECK_EQ(w.obj.refs, 1);
	CHECK_EQ(witness_oldest(&w), 0);
}

/* The expected digests were computed outside Keel: SHA-256 of 32 zero
 * bytes followed by struct.pack("<QQIIQQQ", fields). */
TEST(records_carry_fields_and_known_hashes)
{
	struct witness_event spawn = { .action = WITNESS_SPAWN,
				       .actor = 1,
				       .subject = 2,
				       .object = 3,
				       .arg = 4,
				       .time = 1000 };
	struct witness_event dev = { .action = WITNESS_DEVICE_GRANT,
				     .actor = 1,
				     .subject = 7,
				     .object = 0x3f8,
				     .arg = 4,
				     .time = 2000 };
	uint64_t seq;
	uint8_t zero[WITNESS_HASH_SIZE] = { 0 };

	setup(8);
	CHECK_EQ(witness_append(&w, &spawn, &seq), STATUS_OK);
	CHECK_EQ(seq, 0);
	CHECK_EQ(witness_append(&w, &dev, &seq), STATUS_OK);
	CHECK_EQ(seq, 1);
	CHECK_EQ(w.hashed_seq, 0); /* hashed when read or settled */
	witness_settle(&w);
	CHECK_EQ(w.hashed_seq, 2);
	CHECK_EQ(ring[0].action, WITNESS_SPAWN);
	CHECK_EQ(ring[0].time, 1000);
	CHECK_EQ(ring[1].subject, 7);
	CHECK_EQ(ring[1].object, 0x3f8);
	CHECK(memcmp(ring[0].prev_hash, zero, sizeof zero) == 0);
	CHECK_STR(hex(ring[0].hash),
		  "22e9837cfd54a958ce9dc5b979fcdc079ee91e61b7f384ca1fc63795257b2619");
	CHECK(memcmp(ring[1].prev_hash, ring[0].hash, WITNESS_HASH_SIZE) == 0);
	CHECK_STR(hex(ring[1].hash),
		  "14e72969faa209db594b9d55ce190e8f6a516d38c6544f3f2ccf0c91694334b8");
	CHECK(memcmp(w.last_hash, ring[1].hash, WITNESS_HASH_SIZE) == 0);
}

TEST(unknown_action_is_refused_and_not_logged)
{
	struct witness_event ev = { .action = 0 };

	setup(8);
	CHECK_EQ(witness_append(&w, &ev, NULL), STATUS_INVALID);
	ev.action = WITNESS_ACTION_COUNT;
	CHECK_EQ(witness_append(&w, &ev, NULL), STATUS_INVALID);
	CHECK_EQ(w.next_seq, 0);
	ev.action = WITNESS_QUARANTINE;
	CHECK_EQ(witness_append(&w, &ev, NULL), STATUS_OK);
	CHECK_EQ(w.next_seq, 1);
}

TEST(chain_verifies_from_genesis)
{
	struct witness_record buf[8];
	uint8_t zero[WITNESS_HASH_SIZE] = { 0 };
	size_t n = 99, bad = 99;

	setup(8);
	for (uint64_t i = 0; i < 8; i++)
		CHECK_EQ(append(i), i);
	CHECK_EQ(witness_read(&w, 0, buf, 8, &n, NULL), STATUS_OK);
	CHECK_EQ(n, 8);
	CHECK_EQ(witness_verify(buf, n, zero, &bad), STATUS_OK);
	CHECK_EQ(bad, 99);
	CHECK_EQ(witness_verify(buf, n, NULL, NULL), STATUS_OK);
	CHECK_EQ(witness_verify(buf + 3, 5, buf[2].hash, &bad), STATUS_OK);
	CHECK_EQ(witness_verify(buf, 0, zero, &bad), STATUS_OK);
}

/* Each kind of tampering is reported at the first record it breaks. */
TEST(tampering_is_detected_at_the_right_index)
{
	struct witness_record good[8], buf[8];
	uint8_t zero[WITNESS_HASH_SIZE] = { 0 };
	size_t n, bad;

	setup(8);
	for (uint64_t i = 0; i < 8; i++)
		append(i);
	CHECK_EQ(witness_read(&w, 0, good, 8, &n, NULL), STATUS_OK);

	/* A changed field no longer matches the record's hash. */
	memcpy(buf, good, sizeof buf);
	buf[5].arg ^= 1;
	CHECK_EQ(witness_verify(buf, 8, zero, &bad), STATUS_BAD_FORMAT);
	CHECK_EQ(bad, 5);
	/* Rehashing the forged record breaks the link from the next one. */
	witness_record_hash(&buf[5], buf[5].hash);
	CHECK_EQ(witness_verify(buf, 8, zero, &bad), STATUS_BAD_FORMAT);
	CHECK_EQ(bad, 6);
	/* A forged last record is caught by its own hash. */
	memcpy(buf, good, sizeof buf);
	buf[7].hash[31] ^= 0x80;
	CHECK_EQ(witness_verify(buf, 8, zero, &bad), STATUS_BAD_FORMAT);
	CHECK_EQ(bad, 7);
	/* A rewritten prev_hash. */
	memcpy(buf, good, sizeof buf);
	buf[3].prev_hash[0] ^= 1;
	CHECK_EQ(witness_verify(buf, 8, zero, &bad), STATUS_BAD_FORMAT);
	CHECK_EQ(bad, 3);
	/* A deleted record: the gap shows at the record after it. */
	memcpy(buf, good, sizeof buf);
	memmove(&buf[4], &buf[5], 3 * sizeof buf[0]);
	CHECK_EQ(witness_verify(buf, 7, zero, &bad), STATUS_BAD_FORMAT);
	CHECK_EQ(bad, 4);
	/* Swapped records. */
	memcpy(buf, good, sizeof buf);
	buf[1] = good[2];
	buf[2] = good[1];
	CHECK_EQ(witness_verify(buf, 8, zero, &bad), STATUS_BAD_FORMAT);
	CHECK_EQ(bad, 1);
	/* A batch that does not continue from the reader's last hash. */
	CHECK_EQ(witness_verify(good + 4, 4, good[2].hash, &bad), STATUS_BAD_FORMAT);
	CHECK_EQ(bad, 0);
	/* A renumbered record, rehashed and relinked, still breaks seq order. */
	memcpy(buf, good, sizeof buf);
	buf[2].seq = 7;
	witness_record_hash(&buf[2], buf[2].hash);
	CHECK_EQ(witness_verify(buf, 3, zero, &bad), STATUS_BAD_FORMAT);
	CHECK_EQ(bad, 2);
}

TEST(read_reports_range_and_the_oldest_record)
{
	struct witness_record buf[8];
	size_t n = 5;
	uint64_t oldest = 77;

	setup(8);
	CHECK_EQ(witness_read(&w, 0, buf, 8, &n, &oldest), STATUS_OK);
	CHECK_EQ(n, 0);
	CHECK_EQ(oldest, 0);
	for (uint64_t i = 0; i < 20; i++)
		append(i);
	CHECK_EQ(witness_oldest(&w), 12);
	CHECK_EQ(witness_read(&w, 11, buf, 8, &n, &oldest), STATUS_RANGE);
	CHECK_EQ(n, 0);
	CHECK_EQ(oldest, 12);
	CHECK_EQ(witness_read(&w, 21, buf, 8, &n, &oldest), STATUS_RANGE);
	CHECK_EQ(witness_read(&w, 20, buf, 8, &n, &oldest), STATUS_OK);
	CHECK_EQ(n, 0);
	CHECK_EQ(witness_read(&w, 12, buf, 3, &n, NULL), STATUS_OK);
	CHECK_EQ(n, 3);
	CHECK_EQ(buf[0].seq, 12);
	CHECK_EQ(buf[2].seq, 14);
	CHECK_EQ(buf[2].time, 14000);
	CHECK_EQ(witness_read(&w, 15, buf, 8, &n, NULL), STATUS_OK);
	CHECK_EQ(n, 5);
	CHECK_EQ(buf[4].seq, 19);
	CHECK_EQ(witness_read(&w, 12, buf, 0, &n, NULL), STATUS_OK);
	CHECK_EQ(n, 0);
}

/* A reader that keeps up verifies the chain across many wraps of the
 * ring, keeping only the hash and seq of the last record it verified. A
 * reader that falls behind is told where the log now starts. */
TEST(reader_verifies_across_wrap_around)
{
	struct witness_record buf[3];
	uint8_t last[WITNESS_HASH_SIZE] = { 0 };
	uint64_t next = 0, rng = 7, appended = 0, oldest;
	size_t n, bad;

	setup(8);
	while (appended < 5000) {
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		unsigned k = (unsigned)(rng >> 60) % 4;

		for (unsigned i = 0; i < k; i++)
			append(appended++);
		while (witness_read(&w, next, buf, 3, &n, NULL) == STATUS_OK && n > 0) {
			CHECK_EQ(buf[0].seq, next);
			CHECK_EQ(witness_verify(buf, n, last, &bad), STATUS_OK);
			memcpy(last, buf[n - 1].hash, sizeof last);
			next += n;
		}
		CHECK_EQ(next, appended);
	}
	CHECK(w.next_seq > 100 * 8);
	for (int i = 0; i < 9; i++)
		append(appended++);
	CHECK_EQ(witness_read(&w, next, buf, 3, &n, &oldest), STATUS_RANGE);
	CHECK_EQ(oldest, next + 1);
	/* Resuming at the oldest record cannot be linked to the saved hash. */
	CHECK_EQ(witness_read(&w, oldest, buf, 3, &n, NULL), STATUS_OK);
	CHECK_EQ(witness_verify(buf, n, last, &bad), STATUS_BAD_FORMAT);
	CHECK_EQ(bad, 0);
	CHECK_EQ(witness_verify(buf, n, NULL, &bad), STATUS_OK);
}

/* Hashes deferred over many wraps of a small ring, with no reader and
 * past WITNESS_PENDING_MAX, end in the chain that a big log read from its
 * first record verifies. */
TEST(deferred_hashes_continue_the_chain_across_unread_wraps)
{
	static struct witness_record big_ring[1024], all[1024];
	struct witness_log big;
	struct witness_record tail[8];
	uint8_t zero[WITNESS_HASH_SIZE] = { 0 };
	const uint64_t count = 3 * WITNESS_PENDING_MAX + 5;
	size_t n, bad = 99;

	CHECK(count <= 1024);
	CHECK_EQ(witness_init(&big, big_ring, 1024), STATUS_OK);
	setup(8);
	for (uint64_t i = 0; i < count; i++) {
		append(i);
		CHECK(w.next_seq - w.hashed_seq <= 8);
		struct witness_event ev = { .action = (uint32_t)(i % (WITNESS_ACTION_COUNT - 1)) +
						      1,
					    .actor = (uint32_t)(i % 5),
					    .subject = i * 3,
					    .object = i ^ 0xabcdef,
					    .arg = i * i,
					    .time = 1000 * i };
		CHECK_EQ(witness_append(&big, &ev, NULL), STATUS_OK);
		CHECK(big.next_seq - big.hashed_seq <= WITNESS_PENDING_MAX);
	}
	CHECK_EQ(witness_read(&big, 0, all, 1024, &n, NULL), STATUS_OK);
	CHECK_EQ(n, count);
	CHECK_EQ(witness_verify(all, n, zero, &bad), STATUS_OK);
	CHECK_EQ(witness_read(&w, count - 8, tail, 8, &n, NULL), STATUS_OK);
	CHECK_EQ(n, 8);
	for (int i = 0; i < 8; i++) {
		CHECK(!memcmp(tail[i].hash, all[count - 8 + i].hash, WITNESS_HASH_SIZE));
		CHECK(!memcmp(tail[i].prev_hash, all[count - 8 + i].prev_hash, WITNESS_HASH_SIZE));
	}
}

int main(void)
{
	RUN(init_checks_capacity);
	RUN(records_carry_fields_and_known_hashes);
	RUN(unknown_action_is_refused_and_not_logged);
	RUN(chain_verifies_from_genesis);
	RUN(tampering_is_detected_at_the_right_index);
	RUN(read_reports_range_and_the_oldest_record);
	RUN(reader_verifies_across_wrap_around);
	RUN(deferred_hashes_continue_the_chain_across_unread_wraps);
	return check_summary();
}
