/*
 * initd_call.h - one call to initd's status protocol (services/initd/
 * protocol.h), for svc and ps (Keel only).
 */
#ifndef TOOLBOX_INITD_CALL_H
#define TOOLBOX_INITD_CALL_H

#include <stddef.h>
#include <stdint.h>

#include "initd/protocol.h"
#include "keel/sys.h"

/* Calls initd through cap with m, within timeout ns; the reply must be
 * label want with at least size bytes, copied into out. initd's error
 * answer (LOOP_REPLY_ERROR) comes back as its status; another reply is
 * BAD_FORMAT. */
status_t initd_call(cap_handle_t cap, struct keel_msg *m, uint64_t timeout, uint32_t want,
		    void *out, size_t size);

/* INITD_TASKS from index 0 until initd says NOT_FOUND, at most max into
 * out, and each one's command line (INITD_TASK_ARGS) into args[] if not
 * NULL: "" when it could not be had, or was another task's (one came or
 * went between the two calls); returns how many, and *st the first other
 * error (OK if none). */
uint32_t initd_tasks(cap_handle_t cap, struct initd_task *out, char (*args)[INITD_TASK_ARGS_MAX],
		     uint32_t max, status_t *st);

#endif
