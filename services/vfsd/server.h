/*
 * server.h - vfsd's service state: the mounted volume, the capability
 * records that client badges name, the clients' shared-memory buffers,
 * and the handlers of the file protocol (keel/vfs.h, docs/files.md).
 *
 * All state is in struct vfsd, which main.c owns; one thread (the loop's)
 * touches it. The handlers never trust a message: every badge is looked up
 * with its nonce, every length and offset is checked against the message
 * or the buffer before use, and paths are copied out of shared memory
 * before they are checked (a client may change its buffer meanwhile).
 */
#ifndef VFSD_SERVER_H
#define VFSD_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "fatfs.h"
#include "keel/loop.h"
#include "keel/vfs.h"

#define VFSD_RECS 256 /* capabilities handed out and not closed */
#define VFSD_SHMS 24  /* client buffers mapped at once (a task maps at most 64) */
#define VFSD_POSS 64  /* file positions shared by records (VFS_DUP_SHARE_POS) */
#define VFSD_SHM_NONE 0xffu

/* One capability handed out: what its badge names. */
struct vfsd_rec {
	bool used;
	bool head;        /* the head of a session (VFS_SESSION): closing it ends it */
	uint8_t type;     /* VFS_TYPE_* */
	uint16_t sess;    /* index + 1 of the head of the session it is in; 0: none */
	uint8_t shm;      /* index in shms, or VFSD_SHM_NONE */
	uint32_t rights;  /* VFS_R_* */
	uint64_t nonce;   /* 48 bits: the badge's upper part */
	fat_handle_t h;   /* one engine reference, dropped at close */
	status_t shm_err; /* why the last VFS_ATTACH failed, or OK */
	uint8_t pos;      /* index + 1 in poss of its shared position; 0: none */
};

/* A file position shared by the records that reference it. */
struct vfsd_pos {
	uint32_t refs; /* 0: free */
	uint64_t off;
};

/* One client buffer, shared by the records that reference it. */
struct vfsd_shm {
	uint32_t refs; /* 0: free */
	cap_handle_t cap;
	uint8_t *base;
	size_t bytes;
};

/* Where nonces come from: 48 random bits per call. Tests may swap it. */
typedef uint64_t vfsd_nonce_fn(void *ctx);

struct vfsd {
	struct fat_volume vol;
	struct fat_mount_info info;
	struct loop *loop;
	cap_handle_t inbox; /* every right: the source of client capabilities */
	vfsd_nonce_fn *nonce;
	void *nonce_ctx;
	struct vfsd_rec root; /* badge 0: the supervisor's root */
	struct vfsd_rec recs[VFSD_RECS];
	struct vfsd_shm shms[VFSD_SHMS];
	struct vfsd_pos poss[VFSD_POSS];
	bool stopped;          /* VFS_STOP done: the volume is unmounted */
	uint64_t bad_requests; /* refused as malformed or unauthorised */
	uint64_t ended_recs;   /* records freed because their session ended */
};

/* Prepares v over a mounted volume: takes the root reference for badge 0.
 * inbox is vfsd's own inbox capability, from which client capabilities
 * are derived. */
status_t vfsd_init(struct vfsd *v, cap_handle_t inbox, vfsd_nonce_fn *nonce, void *nonce_ctx);

/* Registers every protocol handler on loop. */
status_t vfsd_register(struct vfsd *v, struct loop *loop);

/* Closes every record and unmaps every buffer; then unmounts unless that
 * was done (VFS_STOP). Returns the unmount's status. */
status_t vfsd_shutdown(struct vfsd *v);

/* Record lookup: the record badge names, or NULL (free, stale nonce, out
 * of range). Badge 0 is the root record. */
struct vfsd_rec *vfsd_rec_find(struct vfsd *v, uint64_t badge);

/* Makes a record for engine handle h (whose reference it takes over) with
 * rights, sharing shm; derives its capability into *cap, the record into
 * *out. On failure the reference is dropped. */
status_t vfsd_rec_new(struct vfsd *v, fat_handle_t h, uint8_t type, uint32_t rights, uint8_t shm,
		      cap_handle_t *cap, struct vfsd_rec **out);

/* Frees a record: drops its engine reference and its buffer share. A
 * session head ends its session: every record in it (and in the sessions
 * nested in it) is freed too (sessions.c). */
void vfsd_rec_free(struct vfsd *v, struct vfsd_rec *r);

/* Frees one record, session head or not (vfsd_session_end's part). */
void vfsd_rec_release(struct vfsd *v, struct vfsd_rec *r);

/* sessions.c: the session a record made through r belongs to (0: none). */
uint16_t vfsd_rec_session(const struct vfsd *v, const struct vfsd_rec *r);

/* sessions.c: frees every record of head's session, nested sessions
 * included, but not head itself; returns how many. */
uint32_t vfsd_session_end(struct vfsd *v, struct vfsd_rec *head);

/* sessions.c: registers VFS_SESSION and VFS_STATS on loop. */
status_t vfsd_sessions_register(struct vfsd *v, struct loop *loop);

/*
 * Answers VFS_OPEN, VFS_DUP or VFS_SESSION m with a new record for engine
 * reference h (taken over) and its capability (moved), made through the
 * record from: in from's session, sharing its buffer - or, with head, as
 * the head of a new session nested in from's, with no buffer. must
 * (VFS_O_DIR, VFS_O_FILE) checks the object's type; with VFSD_BARE in
 * must the record has no buffer either; with VFSD_SHARE_POS it shares
 * from's position (which from must have). Returns STATUS_OK once answered
 * (ops.c).
 */
#define VFSD_BARE 0x80000000u
#define VFSD_SHARE_POS 0x40000000u
status_t vfsd_reply_object(struct vfsd *v, const struct keel_msg *m, fat_handle_t h,
			   uint32_t rights, const struct vfsd_rec *from, uint32_t must, bool head);

/* Gives r a shared position starting at off if it has none: STATUS_QUOTA
 * when every position is taken. */
status_t vfsd_pos_make(struct vfsd *v, struct vfsd_rec *r, uint64_t off);

/* Binds a newly received memory capability as r's buffer (pages pages). */
status_t vfsd_shm_attach(struct vfsd *v, struct vfsd_rec *r, cap_handle_t cap, uint32_t pages);

/* The buffer of r, if it has one with at least need bytes from off. */
status_t vfsd_shm_span(struct vfsd *v, const struct vfsd_rec *r, uint64_t off, uint64_t need,
		       uint8_t **out);

#endif
