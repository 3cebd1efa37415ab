/*
 * witness.c - the hash-chained witness log (see witness.h).
 *
 * Record seq lives in ring[seq & (capacity - 1)]. The log never fails to
 * append: losing the oldest records is the documented price of a bounded
 * ring, while refusing to record an action would be worse.
 *
 * Hashing is deferred: an append stores the record's fields only, and the
 * chain (prev_hash, hash) is computed for every pending record, oldest
 * first, when the log is read, or when WITNESS_PENDING_MAX records wait
 * (so that no record is overwritten unhashed and a settle under the kernel
 * lock stays short). The chain is the same as hashing at each append; the
 * two SHA-256 blocks per record (a few thousand instructions) move out of
 * the path that acts, such as a boot's spawns and grants.
 */
#include "core/object/witness.h"
#include <string.h>

status_t witness_init(struct witness_log *w, struct witness_record *ring, uint32_t capacity)
{
	status_t st;

	if (!ring || capacity == 0 || (capacity & (capacity - 1)) ||
	    capacity > WITNESS_MAX_CAPACITY)
		return STATUS_INVALID;
	st = kobj_init(&w->obj, OBJ_WITNESS, NULL, NULL, 0);
	if (st)
		return st;
	w->ring = ring;
	w->capacity = capacity;
	w->next_seq = 0;
	w->hashed_seq = 0;
	memset(w->last_hash, 0, sizeof w->last_hash);
	return STATUS_OK;
}

void witness_settle(struct witness_log *w)
{
	for (; w->hashed_seq < w->next_seq; w->hashed_seq++) {
		struct witness_record *r = &w->ring[w->hashed_seq & (w->capacity - 1)];
		memcpy(r->prev_hash, w->last_hash, WITNESS_HASH_SIZE);
		witness_record_hash(r, r->hash);
		memcpy(w->last_hash, r->hash, WITNESS_HASH_SIZE);
	}
}

status_t witness_append(struct witness_log *w, const struct witness_event *ev, uint64_t *seq_out)
{
	struct witness_record *r;

	if (ev->action == 0 || ev->action >= WITNESS_ACTION_COUNT)
		return STATUS_INVALID;
	if (w->next_seq - w->hashed_seq >= WITNESS_PENDING_MAX ||
	    w->next_seq - w->hashed_seq >= w->capacity)
		witness_settle(w);
	r = &w->ring[w->next_seq & (w->capacity - 1)];
	r->seq = w->next_seq;
	r->time = ev->time;
	r->action = ev->action;
	r->actor = ev->actor;
	r->subject = ev->subject;
	r->object = ev->object;
	r->arg = ev->arg;
	if (seq_out)
		*seq_out = w->next_seq;
	w->next_seq++;
	return STATUS_OK;
}

uint64_t witness_oldest(const struct witness_log *w)
{
	return w->next_seq > w->capacity ? w->next_seq - w->capacity : 0;
}

status_t witness_read(struct witness_log *w, uint64_t from_seq, struct witness_record *buf,
		      size_t max, size_t *count, uint64_t *oldest)
{
	uint64_t first = witness_oldest(w), n;

	witness_settle(w);
	*count = 0;
	if (oldest)
		*oldest = first;
	if (from_seq < first || from_seq > w->next_seq)
		return STATUS_RANGE;
	n = w->next_seq - from_seq;
	if (n > max)
		n = max;
	for (uint64_t i = 0; i < n; i++)
		buf[i] = w->ring[(from_seq + i) & (w->capacity - 1)];
	*count = (size_t)n;
	return STATUS_OK;
}
