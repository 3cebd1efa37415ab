/*
 * keel/launch.h - starting programs through initd: the launch protocol,
 * its client library (libsys/launch.c) and what a launched program finds
 * at start. The whole protocol is described in docs/launch.md.
 *
 * The holder of a launch capability (a send capability to initd's inbox
 * with a launcher badge) asks initd to start a program by name - from the
 * boot bundle, or else from /apps on the disk - with an argument block
 * (argv, environment, working directory) and named capabilities it
 * chooses to pass. The program's manifest
 * declares the names it may use (`uses NAME`); it is given exactly the
 * passed capabilities whose names it declares, never more. The launcher
 * waits for its end (an exit code, or the CPU fault that stopped it) and
 * may kill it. Launched programs are not restarted.
 *
 * Messages (labels 0x1a1700xx are initd's; payloads little-endian):
 *   LAUNCH_NEW   call: char program[32], NUL-padded. Reply LAUNCH_REPLY
 *                with u32 id: a prepared launch.
 *   LAUNCH_ARGS  send, carrying a memory capability (read, map, grant):
 *                u32 id, u32 bytes - the argument block below.
 *   LAUNCH_CAP   send, carrying any capability (grant): u32 id, then the
 *                name, NUL-padded to 16 bytes.
 *   LAUNCH_GO    call: u32 id, u32 flags (LAUNCH_JOB_BACKGROUND: an
 *                interrupt typed on the console does not reach it).
 *                Starts the prepared launch. Reply
 *                LAUNCH_REPLY with u32 id, u32 caps given, u64 task id.
 *                A mistake in an earlier send of this id (a bad block, a
 *                name twice, too many caps) is reported here.
 *   LAUNCH_WAIT  call: u32 id or LAUNCH_ANY, u32 flags (LAUNCH_WAIT_POLL,
 *                LAUNCH_WAIT_STOPS). Answered when that program (or, for
 *                LAUNCH_ANY, any of the caller's) has ended: LAUNCH_REPLY
 *                with struct launch_status. The ended program is then
 *                forgotten. With LAUNCH_WAIT_STOPS also when it has
 *                stopped (LAUNCH_END_STOPPED), once per stop; it is kept.
 *   LAUNCH_KILL  call: u32 id. Kills a running program (its end is then
 *                LAUNCH_END_KILLED) or drops a prepared one. Reply
 *                LAUNCH_REPLY with u32 id.
 *   LAUNCH_STOP  call: u32 id, u32 stop. Stops a running program (1) -
 *                it and the programs it launched, as Ctrl-Z typed on its
 *                console does - or lets them go on (0). A stopped program
 *                is in the background (LAUNCH_JOB brings it back), can be
 *                killed, and holds its place until it ends. Reply
 *                LAUNCH_REPLY with u32 id; an ended program: nothing done.
 *   LAUNCH_JOB   call: u32 id, u32 flags. For one of the caller's
 *                programs: LAUNCH_JOB_BACKGROUND moves it to the
 *                background, no flag to the foreground. With id
 *                LAUNCH_ANY, for the caller itself: LAUNCH_JOB_CATCH, an
 *                interrupt that reaches it goes on to its foreground
 *                programs instead of ending it (an interactive shell); no
 *                flag undoes that. Reply LAUNCH_REPLY with u32 id.
 *   LAUNCH_ROOT  call, empty: for the caller itself, a new root directory
 *                of the file service (moved with the LAUNCH_REPLY, len 0),
 *                once the session its root belonged to has ended (vfsd
 *                restarted); only for a program whose root was the
 *                volume's root, and with the rights it had. BUSY while the
 *                old one still works, NOT_FOUND if it had none or another
 *                directory, DEAD if no file service runs.
 *   INITD_SHUTDOWN call on a power capability, payload empty or u32
 *                flags: initd stops every service in reverse start order
 *                and powers off, or resets the machine with
 *                INITD_SHUTDOWN_RESET. Reply LAUNCH_REPLY before it begins.
 * Errors come back as LOOP_REPLY_ERROR: NOT_FOUND (no such program or id,
 * or, for a wait, nothing to wait for), BUSY (a poll found nothing ended,
 * or another wait is pending on that id), FULL (no free entry), INVALID
 * (a malformed request), NO_RIGHTS (not a launch capability).
 */
#ifndef KEEL_LAUNCH_H
#define KEEL_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keel/sys.h"

#define LAUNCH_NEW 0x1a170010u
#define LAUNCH_ARGS 0x1a170011u
#define LAUNCH_CAP 0x1a170012u
#define LAUNCH_GO 0x1a170013u
#define LAUNCH_WAIT 0x1a170014u
#define LAUNCH_KILL 0x1a170015u
#define LAUNCH_REPLY 0x1a170016u
#define INITD_SHUTDOWN 0x1a170017u
#define LAUNCH_JOB 0x1a170018u
#define LAUNCH_ROOT 0x1a170019u
#define LAUNCH_STOP 0x1a17001au

#define LAUNCH_JOB_BACKGROUND 1u /* LAUNCH_GO, LAUNCH_JOB: out of the interrupt's reach */
#define LAUNCH_JOB_CATCH 2u      /* LAUNCH_JOB on LAUNCH_ANY: interrupts pass me by */
#define LAUNCH_KILLED_INTR 2u    /* LAUNCH_END_KILLED's detail after Ctrl-C (SIGINT) */
#define LAUNCH_KILLED_QUIT 3u    /* ... after Ctrl-\\ (SIGQUIT) */

#define INITD_SHUTDOWN_RESET 1u /* INITD_SHUTDOWN flags: reset, not power off */

#define LAUNCH_ANY 0xffffffffu         /* LAUNCH_WAIT: any of the caller's programs */
#define LAUNCH_WAIT_POLL 1u            /* LAUNCH_WAIT: do not wait; BUSY if none ended */
#define LAUNCH_WAIT_STOPS 2u           /* LAUNCH_WAIT: a stop answers it too */
#define LAUNCH_STOPPED_SUSP 4u         /* LAUNCH_END_STOPPED's detail after Ctrl-Z */
#define LAUNCH_PROGRAM_MAX 31u         /* characters of a program name */
#define LAUNCH_CAP_NAME_MAX 15u        /* characters of a capability name */
#define LAUNCH_CAPS_MAX 11u            /* named capabilities one launch may pass */
#define LAUNCH_BLOCK_MAX 65536u        /* bytes of an argument block */
#define LAUNCH_BLOCK_MAGIC 0x4b4c4e43u /* "CNLK" */

/* The start page's arg word of a launched program: LAUNCH_START_MAGIC in
 * the high 48 bits marks it (a service's arg is its heartbeat interval).
 * Then caps[0] is its argument block (or CAP_HANDLE_NONE), and the
 * cmdline holds the names of caps[1], caps[2], ... separated by blanks. */
#define LAUNCH_START_MAGIC 0x4c41554e43480000ull /* "\0\0HCNUAL" */
#define LAUNCH_START_MASK 0xffffffffffff0000ull

/*
 * The argument block, in a memory object (LAUNCH_ARGS):
 *   0  magic  u32  LAUNCH_BLOCK_MAGIC
 *   4  bytes  u32  length of the whole block, at most LAUNCH_BLOCK_MAX
 *   8  argc   u32
 *  12  envc   u32
 *  16  argc strings, then envc strings, then the working directory, then
 *      the devices string (empty for none): each NUL-terminated, back to
 *      back, ending exactly at `bytes`.
 * The devices string names the child's descriptors that are on one of the
 * C library's own devices, which no capability stands behind: "N=null"
 * or "N=zero" words separated by blanks (docs/libc.md, "/dev").
 */
struct launch_block_hdr {
	uint32_t magic, bytes, argc, envc;
};

/* A decoded block: pointers into the caller's copy of it. */
struct launch_args {
	uint32_t argc, envc;
	const char *strings; /* the first of argc + envc + 1 strings */
	const char *cwd;     /* the last one of those */
	const char *devices; /* the devices string, "" for none */
};

/* How a launched program ended (LAUNCH_WAIT's reply, 24 bytes). */
enum launch_end {
	LAUNCH_END_EXIT = 1,    /* detail: the exit code */
	LAUNCH_END_FAULT = 2,   /* detail: the CPU exception vector */
	LAUNCH_END_KILLED = 3,  /* detail 0: LAUNCH_KILL, or its launcher ended;
				* LAUNCH_KILLED_INTR or _QUIT: an interrupt
				* typed on its console */
	LAUNCH_END_STOPPED = 4, /* not an end (LAUNCH_WAIT_STOPS): detail 0,
				 * LAUNCH_STOP, or LAUNCH_STOPPED_SUSP, Ctrl-Z */
};

struct launch_status {
	uint32_t id;
	uint32_t end; /* enum launch_end */
	uint64_t detail;
	uint64_t task_id;
};

/* A launch request for launch_start. */
struct launch_req {
	const char *program;      /* bundle name */
	char *const *argv;        /* NULL-terminated; NULL for none */
	char *const *envp;        /* NULL-terminated; NULL for none */
	const char *cwd;          /* NULL for "/" */
	uint32_t cap_count;       /* entries of names[] and caps[] */
	const char *const *names; /* capability names */
	const cap_handle_t *caps; /* capabilities to pass (copied; need RIGHT_GRANT) */
	const char *devices;      /* the devices string; NULL or "" for none */
};

/*
 * Builds the argument block for argv, envp, cwd and devices (NULL or ""
 * for none) into buf (n bytes).
 * Returns its length, or 0 if it does not fit or is over LAUNCH_BLOCK_MAX.
 * With buf NULL, returns the length needed (0 when over the limit).
 */
size_t launch_block_build(void *buf, size_t n, char *const *argv, char *const *envp,
			  const char *cwd, const char *devices);

/* Builds the argument block in a new memory object: *mem (the caller's to
 * send or delete) holding *len bytes. STATUS_RANGE if it cannot be built. */
status_t launch_block_memory(char *const *argv, char *const *envp, const char *cwd,
			     const char *devices, cap_handle_t *mem, size_t *len);

/*
 * Decodes the block buf[0..n) (a private copy: it is read once) into *out.
 * Returns STATUS_OK, or BAD_FORMAT for a wrong magic, a length that is not
 * n, fewer strings than the counts say, or bytes after the last one.
 */
status_t launch_block_parse(const void *buf, size_t n, struct launch_args *out);

/* The string after s in a decoded block. */
const char *launch_next(const char *s);

/* True if start describes a program started by the launch protocol. */
bool launch_started(const struct keel_start *s);

/* The capability a launched program was given under name, or
 * CAP_HANDLE_NONE. Services get CAP_HANDLE_NONE for every name. */
cap_handle_t launch_cap(const struct keel_start *s, const char *name);

/*
 * Client: starts req through the launch capability launch. Returns
 * STATUS_OK with *id set, or the protocol's error (after dropping the
 * prepared launch), or the status of making the argument block.
 */
status_t launch_start(cap_handle_t launch, const struct launch_req *req, uint32_t *id);

/* Client: the same with LAUNCH_GO's flags (LAUNCH_JOB_BACKGROUND); *task
 * (if task is not NULL) gets the kernel's id of the new task. */
status_t launch_start_job(cap_handle_t launch, const struct launch_req *req, uint32_t flags,
			  uint32_t *id, uint32_t *task);

/* Client: waits for program id (or LAUNCH_ANY) to end, with LAUNCH_WAIT_*
 * flags: POLL returns BUSY at once if none has, STOPS reports a stop too.
 * NOT_FOUND when there is nothing to wait for. */
status_t launch_wait(cap_handle_t launch, uint32_t id, uint32_t flags, struct launch_status *out);

/* Client: moves program id to the foreground or the background
 * (LAUNCH_JOB_BACKGROUND), or with id LAUNCH_ANY sets LAUNCH_JOB_CATCH on
 * the caller itself (see LAUNCH_JOB). */
status_t launch_job(cap_handle_t launch, uint32_t id, uint32_t flags);

/* Client: kills program id. */
status_t launch_kill(cap_handle_t launch, uint32_t id);

/* Client: stops program id (stop) or lets it go on (see LAUNCH_STOP). */
status_t launch_stop(cap_handle_t launch, uint32_t id, bool stop);

/* Client: a new root directory for the caller, in place of one that went
 * stale because the file service restarted (see LAUNCH_ROOT). */
status_t launch_root_renew(cap_handle_t launch, cap_handle_t *root);

/* Client: asks initd to shut the system down through a power capability. */
status_t launch_shutdown(cap_handle_t power);

/* Client: the same, but the machine is reset instead of powered off. */
status_t launch_reboot(cap_handle_t power);

#endif
