/*
 * witness_chain.c - hashing and verifying witness records (see
 * witness_chain.h). The kernel uses it to chain the records it appends;
 * readers use it to check what sys_witness_read gave them.
 */
#include <stdbool.h>
#include <string.h>

#include "lib/sha256.h"
#include "lib/witness_chain.h"

#define FIELD_BYTES 48

static void put_le(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Serialises r's fields in the canonical order and widths. */
static void encode_fields(const struct witness_record *r, uint8_t out[FIELD_BYTES])
{
	put_le(out + 0, r->seq, 8);
	put_le(out + 8, r->time, 8);
	put_le(out + 16, r->action, 4);
	put_le(out + 20, r->actor, 4);
	put_le(out + 24, r->subject, 8);
	put_le(out + 32, r->object, 8);
	put_le(out + 40, r->arg, 8);
}

void witness_record_hash(const struct witness_record *r, uint8_t out[WITNESS_HASH_SIZE])
{
	uint8_t fields[FIELD_BYTES];
	struct sha256 s;

	encode_fields(r, fields);
	sha256_init(&s);
	sha256_update(&s, r->prev_hash, WITNESS_HASH_SIZE);
	sha256_update(&s, fields, sizeof fields);
	sha256_final(&s, out);
}

/* Returns true if r links to prev (NULL: unchecked) and hashes right. */
static bool record_ok(const struct witness_record *r, const uint8_t *prev)
{
	uint8_t h[WITNESS_HASH_SIZE];

	if (prev && memcmp(r->prev_hash, prev, WITNESS_HASH_SIZE) != 0)
		return false;
	witness_record_hash(r, h);
	return memcmp(h, r->hash, WITNESS_HASH_SIZE) == 0;
}

status_t witness_verify(const struct witness_record *records, size_t n, const uint8_t *prev_hash,
			size_t *bad_index)
{
	for (size_t i = 0; i < n; i++) {
		const struct witness_record *r = &records[i];
		bool ok = i == 0 ? record_ok(r, prev_hash)
				 : r->seq == records[i - 1].seq + 1 &&
					   record_ok(r, records[i - 1].hash);

		if (!ok) {
			if (bad_index)
				*bad_index = i;
			return STATUS_BAD_FORMAT;
		}
	}
	return STATUS_OK;
}
