/* fake_kernel.c - a host stand-in for the kernel behind sysops (see fake_kernel.h). */
#include <string.h>

#include "fake_kernel.h"

static struct fake_kernel *FK(void *ctx)
{
	return ctx;
}

static status_t f_clock_read(void *ctx, uint64_t *ns)
{
	*ns = FK(ctx)->now;
	return STATUS_OK;
}

static status_t f_signal_wait(void *ctx, uint64_t mask, uint64_t timeout, uint64_t *pending)
{
	struct fake_kernel *fk = FK(ctx);
	fk->waits++;
	if (!mask)
		return STATUS_INVALID;
	if (!(fk->signals & mask)) {
		/* Nothing else can happen while the only thread waits: time passes. */
		if (timeout != TIMEOUT_FOREVER)
			fk->now += timeout;
		return STATUS_TIMEOUT;
	}
	*pending = fk->signals & mask;
	fk->signals &= ~mask;
	return STATUS_OK;
}

static status_t f_signal_raise(void *ctx, cap_handle_t thread, uint64_t bits)
{
	(void)thread;
	FK(ctx)->signals |= bits;
	return STATUS_OK;
}

static status_t f_msg_send(void *ctx, cap_handle_t inbox, const struct keel_msg *msg,
			   cap_handle_t cap, uint32_t mode)
{
	struct fake_kernel *fk = FK(ctx);
	(void)cap, (void)mode;
	if (fk->nsent == FAKE_KERNEL_LOG)
		return STATUS_FULL;
	fk->sent_to[fk->nsent] = inbox;
	fk->sent[fk->nsent++] = *msg;
	return STATUS_OK;
}

static status_t f_msg_call(void *ctx, cap_handle_t inbox, struct keel_msg *msg, uint64_t timeout)
{
	(void)ctx, (void)inbox, (void)msg, (void)timeout;
	return STATUS_DEAD; /* nobody else runs in a host test */
}

static status_t f_msg_reply(void *ctx, cap_handle_t reply, const struct keel_msg *msg,
			    cap_handle_t cap, uint32_t mode)
{
	struct fake_kernel *fk = FK(ctx);
	(void)cap, (void)mode;
	if (fk->nreplies == FAKE_KERNEL_LOG)
		return STATUS_FULL;
	fk->replied_to[fk->nreplies] = reply;
	fk->replies[fk->nreplies++] = *msg;
	return STATUS_OK;
}

static status_t f_msg_reply_wait(void *ctx, cap_handle_t reply, const struct keel_msg *msg,
				 cap_handle_t cap, uint32_t mode, uint64_t mask, uint64_t timeout,
				 uint64_t *pending)
{
	status_t st = f_msg_reply(ctx, reply, msg, cap, mode);
	return st && st != STATUS_DEAD ? st : f_signal_wait(ctx, mask, timeout, pending);
}

static status_t f_cap_delete(void *ctx, cap_handle_t cap)
{
	(void)ctx, (void)cap;
	return STATUS_OK;
}

static status_t f_irq_ack(void *ctx, cap_handle_t irq)
{
	(void)ctx, (void)irq;
	return STATUS_OK;
}

void fake_kernel_init(struct fake_kernel *fk, void *ring, uint32_t capacity, unsigned inbox_bit)
{
	memset(fk, 0, sizeof *fk);
	fk->ops = (struct sysops){
		.ctx = fk,
		.clock_read = f_clock_read,
		.signal_wait = f_signal_wait,
		.signal_raise = f_signal_raise,
		.msg_send = f_msg_send,
		.msg_call = f_msg_call,
		.msg_reply = f_msg_reply,
		.msg_reply_wait = f_msg_reply_wait,
		.cap_delete = f_cap_delete,
		.irq_ack = f_irq_ack,
	};
	memset(ring, 0, inbox_ring_bytes(capacity));
	fk->ring = ring;
	fk->ring->capacity = capacity;
	fk->capacity = capacity;
	fk->inbox_bit = 1ull << inbox_bit;
	fk->next_cap = 0x1000;
}

status_t fake_kernel_post(struct fake_kernel *fk, const struct keel_msg *m)
{
	uint32_t tail = fk->ring->tail;
	if (tail - fk->ring->head >= fk->capacity)
		return STATUS_FULL;
	fk->ring->msgs[tail & (fk->capacity - 1)] = *m;
	__atomic_store_n(&fk->ring->tail, tail + 1, __ATOMIC_RELEASE);
	fk->signals |= fk->inbox_bit;
	return STATUS_OK;
}

cap_handle_t fake_kernel_call(struct fake_kernel *fk, const struct keel_msg *m)
{
	struct keel_msg c = *m;
	c.flags = MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE;
	c.cap = fk->next_cap++;
	return fake_kernel_post(fk, &c) == STATUS_OK ? c.cap : CAP_HANDLE_NONE;
}

const struct keel_msg *fake_kernel_reply(const struct fake_kernel *fk, cap_handle_t h)
{
	for (uint32_t i = 0; i < fk->nreplies; i++)
		if (fk->replied_to[i] == h)
			return &fk->replies[i];
	return NULL;
}
