/* echo.c - the echo protocol (protocol.h): answer pings, and misbehave on
 * request so that supervision can be tested end to end. */
#include "echo.h"
#include "keel/sys.h"
#include "protocol.h"

static status_t on_ping(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			void *ctx)
{
	(void)loop;
	(void)ctx;
	reply->msg = *m;
	reply->msg.label = ECHO_PONG;
	reply->msg.flags = 0;
	reply->msg.cap = CAP_HANDLE_NONE;
	reply->msg.badge = 0;
	return STATUS_OK;
}

static status_t on_crash(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			 void *ctx)
{
	(void)loop, (void)m, (void)reply, (void)ctx;
	*(volatile int *)0 = 1;
	return STATUS_OK;
}

static __attribute__((noreturn)) status_t on_hang(struct loop *loop, const struct keel_msg *m,
						  struct loop_reply *reply, void *ctx)
{
	(void)loop, (void)m, (void)reply, (void)ctx;
	for (;;)
		__asm__ volatile("pause");
}

static status_t on_port(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			void *ctx)
{
	(void)loop, (void)m, (void)reply, (void)ctx;
	__asm__ volatile("inb $0x80, %%al" : : : "rax");
	return STATUS_OK;
}

#define FORWARD_TIMEOUT_NS 1000000000ull

/* Pings the peer and answers with its reply. The loop waits meanwhile:
 * fine for a test service whose peer answers at once. */
static status_t on_forward(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			   void *ctx)
{
	cap_handle_t peer = peers_cap(ctx, ECHO_PEER);
	struct keel_msg ping = { .label = ECHO_PING };
	if (peer == CAP_HANDLE_NONE)
		return STATUS_NOT_FOUND;
	ping.len = m->len <= MSG_PAYLOAD_MAX ? m->len : MSG_PAYLOAD_MAX;
	memcpy(ping.payload, m->payload, ping.len);
	status_t st = sysops_msg_call(loop->ops, peer, &ping, FORWARD_TIMEOUT_NS);
	if (st)
		return st;
	if (ping.label != ECHO_PONG)
		return STATUS_BAD_FORMAT;
	reply->msg = ping;
	reply->msg.flags = 0;
	reply->msg.cap = CAP_HANDLE_NONE;
	reply->msg.badge = 0;
	return STATUS_OK;
}

status_t echo_register(struct loop *loop, struct peers *peers)
{
	status_t st = loop_on_msg(loop, ECHO_PING, on_ping, NULL);
	if (st == STATUS_OK)
		st = loop_on_msg(loop, ECHO_CRASH, on_crash, NULL);
	if (st == STATUS_OK)
		st = loop_on_msg(loop, ECHO_HANG, on_hang, NULL);
	if (st == STATUS_OK)
		st = loop_on_msg(loop, ECHO_PORT, on_port, NULL);
	if (st == STATUS_OK)
		st = loop_on_msg(loop, ECHO_FORWARD, on_forward, peers);
	return st;
}
