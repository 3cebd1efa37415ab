/*
 * channel.c - single-producer single-consumer rings in shared memory
 * (keel/channel.h: the layout, the trust rules and the doorbell protocol).
 *
 * Every access to a shared word is an __atomic operation, so the compiler
 * reads a word the peer may change exactly once where the code says so.
 */
#include "keel/channel.h"
#include "keel/sys.h"

static bool is_pow2(uint32_t n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

static bool mem_ok(const void *mem)
{
	return mem && (uintptr_t)mem % CHANNEL_ALIGN == 0;
}

static void channel_fill(struct channel *ch, void *mem, uint32_t elem_size, uint32_t capacity,
			 uint32_t prod, uint32_t cons)
{
	memset(ch, 0, sizeof *ch);
	ch->hdr = mem;
	ch->slots = (uint8_t *)mem + CHANNEL_HDR_SIZE;
	ch->elem_size = elem_size;
	ch->capacity = capacity;
	ch->prod = prod;
	ch->cons = cons;
}

status_t channel_init(void *mem, size_t bytes, uint32_t elem_size, struct channel *ch)
{
	struct channel_hdr *h = mem;
	uint32_t cap = CHANNEL_CAPACITY_MAX;

	if (!mem_ok(mem) || elem_size == 0 || elem_size > CHANNEL_ELEM_MAX)
		return STATUS_INVALID;
	if (bytes < channel_bytes(1, elem_size))
		return STATUS_RANGE;
	while (channel_bytes(cap, elem_size) > bytes)
		cap >>= 1;
	memset(h, 0, CHANNEL_HDR_SIZE);
	__atomic_store_n(&h->elem_size, elem_size, __ATOMIC_RELAXED);
	__atomic_store_n(&h->capacity, cap, __ATOMIC_RELAXED);
	/* Last, so that a peer that sees the magic sees the rest. */
	__atomic_store_n(&h->magic, CHANNEL_MAGIC, __ATOMIC_RELEASE);
	channel_fill(ch, mem, elem_size, cap, 0, 0);
	return STATUS_OK;
}

status_t channel_attach(void *mem, size_t bytes, struct channel *ch)
{
	struct channel_hdr *h = mem;

	if (!mem_ok(mem))
		return STATUS_INVALID;
	if (bytes < CHANNEL_HDR_SIZE)
		return STATUS_BAD_FORMAT;
	uint32_t magic = __atomic_load_n(&h->magic, __ATOMIC_ACQUIRE);
	uint32_t elem = __atomic_load_n(&h->elem_size, __ATOMIC_RELAXED);
	uint32_t cap = __atomic_load_n(&h->capacity, __ATOMIC_RELAXED);
	uint32_t prod = __atomic_load_n(&h->prod, __ATOMIC_ACQUIRE);
	uint32_t cons = __atomic_load_n(&h->cons, __ATOMIC_ACQUIRE);

	if (magic != CHANNEL_MAGIC || elem == 0 || elem > CHANNEL_ELEM_MAX || !is_pow2(cap) ||
	    cap > CHANNEL_CAPACITY_MAX || channel_bytes(cap, elem) > bytes || prod - cons > cap)
		return STATUS_BAD_FORMAT;
	channel_fill(ch, mem, elem, cap, prod, cons);
	return STATUS_OK;
}

void channel_set_doorbell(struct channel *ch, cap_handle_t thread, uint64_t bits)
{
	ch->doorbell = thread;
	ch->doorbell_bits = bits;
}

/* Consumer: takes the shared prod if cons <= prod <= cons + capacity and
 * it did not move backwards; otherwise keeps the last good one. */
static void refresh_prod(struct channel *ch)
{
	uint32_t p = __atomic_load_n(&ch->hdr->prod, __ATOMIC_ACQUIRE);
	uint32_t ahead = p - ch->cons;

	if (ahead <= ch->capacity && ahead >= ch->prod - ch->cons)
		ch->prod = p;
	else
		ch->bad_indices++;
}

/* Producer: takes the shared cons if it lies between the last accepted
 * cons and prod; otherwise keeps the last good one. */
static void refresh_cons(struct channel *ch)
{
	uint32_t c = __atomic_load_n(&ch->hdr->cons, __ATOMIC_ACQUIRE);

	if (c - ch->cons <= ch->prod - ch->cons)
		ch->cons = c;
	else
		ch->bad_indices++;
}

uint32_t channel_readable(struct channel *ch)
{
	refresh_prod(ch);
	return ch->prod - ch->cons;
}

uint32_t channel_writable(struct channel *ch)
{
	refresh_cons(ch);
	return ch->capacity - (ch->prod - ch->cons);
}

/* The elements of indices [first, first + n) lie in at most two runs of
 * slots, as n <= capacity: *run of them from slot first & (capacity - 1),
 * the rest from slot 0. Returns the address of the first run. */
static uint8_t *slot_runs(const struct channel *ch, uint32_t first, uint32_t n, uint32_t *run)
{
	uint32_t slot = first & (ch->capacity - 1);

	*run = ch->capacity - slot < n ? ch->capacity - slot : n;
	return ch->slots + (size_t)slot * ch->elem_size;
}

static void copy_in(struct channel *ch, const void *elems, uint32_t n)
{
	size_t es = ch->elem_size;
	uint32_t run;
	uint8_t *at = slot_runs(ch, ch->prod, n, &run);

	memcpy(at, elems, run * es);
	memcpy(ch->slots, (const uint8_t *)elems + run * es, (n - run) * es);
}

static void copy_out(const struct channel *ch, void *out, uint32_t n)
{
	size_t es = ch->elem_size;
	uint32_t run;
	const uint8_t *at = slot_runs(ch, ch->cons, n, &run);

	memcpy(out, at, run * es);
	memcpy((uint8_t *)out + run * es, ch->slots, (n - run) * es);
}

uint32_t channel_push_batch(struct channel *ch, const void *elems, uint32_t n)
{
	uint32_t room = ch->capacity - (ch->prod - ch->cons);

	if (room < n)
		room = channel_writable(ch);
	if (n > room)
		n = room;
	if (n == 0)
		return 0;
	copy_in(ch, elems, n);
	ch->prod += n;
	__atomic_store_n(&ch->hdr->prod, ch->prod, __ATOMIC_RELEASE);
	return n;
}

uint32_t channel_pop_batch(struct channel *ch, void *out, uint32_t n)
{
	uint32_t ready = ch->prod - ch->cons;

	if (ready < n)
		ready = channel_readable(ch);
	if (n > ready)
		n = ready;
	if (n == 0)
		return 0;
	copy_out(ch, out, n);
	ch->cons += n;
	__atomic_store_n(&ch->hdr->cons, ch->cons, __ATOMIC_RELEASE);
	return n;
}

status_t channel_push(struct channel *ch, const void *elem)
{
	return channel_push_batch(ch, elem, 1) ? STATUS_OK : STATUS_FULL;
}

status_t channel_pop(struct channel *ch, void *out)
{
	return channel_pop_batch(ch, out, 1) ? STATUS_OK : STATUS_EMPTY;
}

bool channel_prepare_wait(struct channel *ch)
{
	__atomic_store_n(&ch->hdr->sleeping, 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (channel_readable(ch) == 0)
		return true;
	__atomic_store_n(&ch->hdr->sleeping, 0, __ATOMIC_RELAXED);
	return false;
}

status_t channel_notify(struct channel *ch, const struct sysops *ops)
{
	if (ch->doorbell == CAP_HANDLE_NONE || ch->doorbell_bits == 0)
		return STATUS_INVALID;
	/* Orders the release store of prod before the read of the flag. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&ch->hdr->sleeping, __ATOMIC_RELAXED))
		return STATUS_OK;
	if (!__atomic_exchange_n(&ch->hdr->sleeping, 0, __ATOMIC_SEQ_CST))
		return STATUS_OK;
	ch->doorbells++;
	return sysops_signal_raise(ops, ch->doorbell, ch->doorbell_bits);
}

void channel_close(struct channel *ch)
{
	__atomic_store_n(&ch->hdr->closed, 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void channel_reopen(struct channel *ch)
{
	__atomic_store_n(&ch->hdr->closed, 0, __ATOMIC_SEQ_CST);
}

bool channel_closed(struct channel *ch)
{
	/* Orders the release store of prod before the read of the flag. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return __atomic_load_n(&ch->hdr->closed, __ATOMIC_RELAXED) != 0;
}

uint32_t channel_take_back(struct channel *ch, void *out, uint32_t n)
{
	refresh_cons(ch);
	uint32_t left = ch->prod - ch->cons;
	if (n > left)
		n = left;
	if (n == 0)
		return 0;
	copy_out(ch, out, n); /* from the producer's view of cons */
	ch->cons += n;
	return n;
}
