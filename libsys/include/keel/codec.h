/*
 * keel/codec.h - deterministic little-endian encoding of message payloads.
 *
 * Every service protocol encodes its messages with a codec_writer and
 * decodes them with a codec_reader, so that the wire form of a message is
 * defined by the order of the put/get calls alone:
 *
 *   u8, u16, u32, u64   little-endian, no padding, no alignment
 *   bool                one byte, 0 or 1 (anything else is malformed)
 *   bytes               n raw bytes, length known to both sides
 *   blob, str           u16 length, then that many bytes; a str has no NUL
 *
 * The writer works over a buffer the caller owns. It never writes past its
 * end: the first put that does not fit (or a str that is invalid) makes
 * the writer fail, later puts do nothing, and codec_writer_finish() reports
 * the failure once at the end. So a sequence of puts needs one check.
 *
 * The reader is the one bounds-checked decoder for payload bytes. Each get
 * either returns STATUS_OK with a value or an error, and on error leaves
 * the reader where it was and its outputs untouched. Strings and blobs are
 * returned as views into the buffer (pointer and length), valid as long as
 * the buffer; a str view is not NUL-terminated.
 *
 * No global state; a writer or reader is used by one thread at a time.
 */
#ifndef KEEL_CODEC_H
#define KEEL_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/message.h"
#include "abi/status.h"

/* The longest blob or str: its length must fit the u16 prefix. */
#define CODEC_LEN_MAX 0xffffu

struct codec_writer {
	uint8_t *buf;
	size_t cap;
	size_t len;      /* bytes written so far */
	status_t status; /* first failure, sticky; STATUS_OK while good */
};

struct codec_reader {
	const uint8_t *buf;
	size_t len;
	size_t pos; /* bytes consumed so far */
};

/* Starts writing into buf, of which cap bytes may be written. */
void codec_writer_init(struct codec_writer *w, void *buf, size_t cap);

/* Append one value. On a failed writer they do nothing; a put that does
 * not fit fails the writer with STATUS_RANGE. */
void codec_put_u8(struct codec_writer *w, uint8_t v);
void codec_put_u16(struct codec_writer *w, uint16_t v);
void codec_put_u32(struct codec_writer *w, uint32_t v);
void codec_put_u64(struct codec_writer *w, uint64_t v);
void codec_put_bool(struct codec_writer *w, bool v);

/* Appends n raw bytes without a length prefix. */
void codec_put_bytes(struct codec_writer *w, const void *p, size_t n);

/* Appends a u16 length and n bytes. n > CODEC_LEN_MAX fails the writer
 * with STATUS_RANGE. */
void codec_put_blob(struct codec_writer *w, const void *p, size_t n);

/* Appends a string of n bytes as a blob. A string containing a NUL byte
 * fails the writer with STATUS_INVALID: the reader would refuse it. */
void codec_put_str(struct codec_writer *w, const char *s, size_t n);

/* Ends writing: returns the writer's status and, when STATUS_OK, the bytes
 * written in *len (len may be NULL). STATUS_RANGE means something did not
 * fit; STATUS_INVALID an invalid str. */
status_t codec_writer_finish(const struct codec_writer *w, size_t *len);

/* Starts reading the len bytes at buf. */
void codec_reader_init(struct codec_reader *r, const void *buf, size_t len);

/* Bytes not yet read. */
size_t codec_remaining(const struct codec_reader *r);

/* Read one value. STATUS_BAD_FORMAT when fewer bytes remain than the value
 * needs, or (bool) when the byte is neither 0 nor 1. */
status_t codec_get_u8(struct codec_reader *r, uint8_t *out);
status_t codec_get_u16(struct codec_reader *r, uint16_t *out);
status_t codec_get_u32(struct codec_reader *r, uint32_t *out);
status_t codec_get_u64(struct codec_reader *r, uint64_t *out);
status_t codec_get_bool(struct codec_reader *r, bool *out);

/* Copies the next n raw bytes to out; STATUS_BAD_FORMAT if fewer remain. */
status_t codec_get_bytes(struct codec_reader *r, void *out, size_t n);

/* Reads a u16-prefixed blob as a view: *p points into the buffer, *n is
 * its length. STATUS_BAD_FORMAT if the prefix or the bytes are cut off. */
status_t codec_get_blob(struct codec_reader *r, const uint8_t **p, size_t *n);

/* Reads a u16-prefixed string as a view (*s, *n), not NUL-terminated.
 * STATUS_BAD_FORMAT if it is cut off or contains a NUL byte; STATUS_RANGE
 * if it is longer than max bytes (pass CODEC_LEN_MAX for no limit). */
status_t codec_get_str(struct codec_reader *r, size_t max, const char **s, size_t *n);

/* Returns STATUS_OK if every byte was read, else STATUS_BAD_FORMAT: a
 * decoder calls it last so that trailing garbage is refused, not ignored. */
status_t codec_reader_end(const struct codec_reader *r);

/* Zeroes *m, sets its label and starts w over its payload. */
void codec_msg_begin(struct codec_writer *w, struct keel_msg *m, uint32_t label);

/* Finishes a message begun with codec_msg_begin(): on success sets m->len
 * and returns STATUS_OK; on failure zeroes the payload and m->len and
 * returns the writer's status, so a half-written message never goes out
 * (STATUS_INVALID if w was not begun on m). */
status_t codec_msg_end(struct codec_writer *w, struct keel_msg *m);

/* Starts r over the payload of a received message. Returns
 * STATUS_BAD_FORMAT, leaving r empty, if m->len exceeds MSG_PAYLOAD_MAX. */
status_t codec_msg_reader(struct codec_reader *r, const struct keel_msg *m);

#endif
