/*
 * protocol.h - the messages between initd and the services it supervises.
 *
 * Every service is started with start->supervisor: a send capability to
 * initd's inbox, badged with the service's slot number, so initd knows who
 * speaks. The kernel's own fault and exit messages for the task
 * (abi/supervise.h) arrive on the same inbox with the same badge.
 *
 *   INITD_HELLO      service -> initd, once its loop runs; carries a send
 *                    capability to the service's inbox (moved)
 *   INITD_HEARTBEAT  service -> initd, every heartbeat interval
 *                    (keel_start_arg() of the service: the interval in ms)
 *   INITD_STATUS     call: payload u32 slot; reply INITD_STATUS_REPLY with
 *                    struct initd_status, or LOOP_REPLY_ERROR (status
 *                    NOT_FOUND) past the last slot
 */
#ifndef KEEL_INITD_PROTOCOL_H
#define KEEL_INITD_PROTOCOL_H

#include <stdint.h>

#define INITD_HELLO 0x1a170001u
#define INITD_HEARTBEAT 0x1a170002u
#define INITD_STATUS 0x1a170003u
#define INITD_STATUS_REPLY 0x1a170004u

/* Payload of INITD_STATUS_REPLY (40 bytes). */
struct initd_status {
	char name[16];		/* NUL-padded */
	uint8_t state;		/* enum sv_state */
	uint8_t last_cause;	/* enum sv_cause_kind */
	uint16_t reserved;
	uint32_t restarts;
	uint64_t uptime_ms;
	uint64_t task_id;	/* 0 when not running */
};

_Static_assert(sizeof(struct initd_status) == 40, "fits a message payload");

#endif
