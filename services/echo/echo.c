/* echo.c - the echo protocol (protocol.h): answer pings, and misbehave on
 * request so that supervision can be tested end to end. */
#include "echo.h"
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

status_t echo_register(struct loop *loop)
{
	status_t st = loop_on_msg(loop, ECHO_PING, on_ping, NULL);
	if (st == STATUS_OK)
		st = loop_on_msg(loop, ECHO_CRASH, on_crash, NULL);
	if (st == STATUS_OK)
		st = loop_on_msg(loop, ECHO_HANG, on_hang, NULL);
	if (st == STATUS_OK)
		st = loop_on_msg(loop, ECHO_PORT, on_port, NULL);
	return st;
}
