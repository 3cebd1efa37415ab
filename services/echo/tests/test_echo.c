/* Host tests for echo: its unmodified handlers and libsys's event loop,
 * over the fake kernel (libsys/host/fake_kernel.h). */
#include <string.h>

#include "check.h"
#include "echo.h"
#include "fake_kernel.h"
#include "protocol.h"

#define SLOTS 16

static _Alignas(64) unsigned char ring_mem[128 + SLOTS * 64];

static void setup(struct fake_kernel *fk, struct loop *loop)
{
	fake_kernel_init(fk, ring_mem, SLOTS, 0);
	CHECK_EQ(loop_init(loop, &fk->ops, fk->ring, 0), STATUS_OK);
	static struct peers none;
	peers_init(&none, &fk->ops);
	CHECK_EQ(echo_register(loop, &none), STATUS_OK);
}

TEST(ping_is_answered_with_the_same_payload)
{
	struct fake_kernel fk;
	struct loop loop;
	setup(&fk, &loop);
	struct keel_msg m = { .label = ECHO_PING, .len = 3, .payload = { 7, 8, 9 } };
	cap_handle_t reply = fake_kernel_call(&fk, &m);
	CHECK(reply != CAP_HANDLE_NONE);
	CHECK_EQ(loop_turn(&loop), STATUS_OK);
	CHECK_EQ(loop_flush(&loop), STATUS_OK);
	const struct keel_msg *r = fake_kernel_reply(&fk, reply);
	CHECK(r != NULL);
	CHECK_EQ(r->label, ECHO_PONG);
	CHECK_EQ(r->len, 3);
	CHECK_EQ(r->payload[2], 9);
}

TEST(one_wait_serves_a_burst_of_pings)
{
	struct fake_kernel fk;
	struct loop loop;
	setup(&fk, &loop);
	cap_handle_t caps[10];
	for (int i = 0; i < 10; i++) {
		struct keel_msg m = { .label = ECHO_PING, .len = 1, .payload = { (uint8_t)i } };
		caps[i] = fake_kernel_call(&fk, &m);
	}
	CHECK_EQ(loop_turn(&loop), STATUS_OK);
	CHECK_EQ(loop_flush(&loop), STATUS_OK);
	CHECK_EQ(fk.waits, 1);
	for (int i = 0; i < 10; i++) {
		const struct keel_msg *r = fake_kernel_reply(&fk, caps[i]);
		CHECK(r != NULL);
		CHECK_EQ(r->payload[0], i);
	}
}

TEST(an_unknown_label_gets_an_error_reply)
{
	struct fake_kernel fk;
	struct loop loop;
	setup(&fk, &loop);
	struct keel_msg m = { .label = 0x12345678 };
	cap_handle_t reply = fake_kernel_call(&fk, &m);
	CHECK_EQ(loop_turn(&loop), STATUS_OK);
	CHECK_EQ(loop_flush(&loop), STATUS_OK);
	const struct keel_msg *r = fake_kernel_reply(&fk, reply);
	CHECK(r != NULL);
	CHECK_EQ(r->label, LOOP_REPLY_ERROR);
}

TEST(forward_without_a_peer_is_an_error_reply_not_found)
{
	struct fake_kernel fk;
	struct loop loop;
	status_t why;
	uint32_t label;
	setup(&fk, &loop);
	struct keel_msg m = { .label = ECHO_FORWARD, .len = 1 };
	cap_handle_t reply = fake_kernel_call(&fk, &m);
	CHECK_EQ(loop_turn(&loop), STATUS_OK);
	CHECK_EQ(loop_flush(&loop), STATUS_OK);
	const struct keel_msg *r = fake_kernel_reply(&fk, reply);
	CHECK(r != NULL);
	CHECK_EQ(loop_error_parse(r, &why, &label), STATUS_OK);
	CHECK_EQ(why, STATUS_NOT_FOUND);
	CHECK_EQ(label, ECHO_FORWARD);
}

int main(void)
{
	RUN(ping_is_answered_with_the_same_payload);
	RUN(one_wait_serves_a_burst_of_pings);
	RUN(an_unknown_label_gets_an_error_reply);
	RUN(forward_without_a_peer_is_an_error_reply_not_found);
	return check_summary();
}
