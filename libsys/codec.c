/* codec.c - little-endian message encoding and decoding (see keel/codec.h). */
#include "keel/codec.h"
#include "keel/sys.h"

/* Makes room for n bytes and stores their offset in *at; returns false,
 * failing the writer, if it has failed already or n bytes do not fit. */
static bool reserve(struct codec_writer *w, size_t n, size_t *at)
{
	if (w->status)
		return false;
	if (n > w->cap - w->len) {
		w->status = STATUS_RANGE;
		return false;
	}
	*at = w->len;
	w->len += n;
	return true;
}

/* Writes the low n bytes of v at p, least significant first. */
static void store_le(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static void put_le(struct codec_writer *w, uint64_t v, size_t n)
{
	size_t at;

	if (reserve(w, n, &at))
		store_le(w->buf + at, v, n);
}

void codec_writer_init(struct codec_writer *w, void *buf, size_t cap)
{
	w->buf = buf;
	w->cap = buf ? cap : 0;
	w->len = 0;
	w->status = STATUS_OK;
}

void codec_put_u8(struct codec_writer *w, uint8_t v)
{
	put_le(w, v, 1);
}

void codec_put_u16(struct codec_writer *w, uint16_t v)
{
	put_le(w, v, 2);
}

void codec_put_u32(struct codec_writer *w, uint32_t v)
{
	put_le(w, v, 4);
}

void codec_put_u64(struct codec_writer *w, uint64_t v)
{
	put_le(w, v, 8);
}

void codec_put_bool(struct codec_writer *w, bool v)
{
	put_le(w, v ? 1 : 0, 1);
}

void codec_put_bytes(struct codec_writer *w, const void *p, size_t n)
{
	size_t at;

	if (reserve(w, n, &at) && n)
		memcpy(w->buf + at, p, n);
}

void codec_put_blob(struct codec_writer *w, const void *p, size_t n)
{
	if (w->status)
		return;
	if (n > CODEC_LEN_MAX) {
		w->status = STATUS_RANGE;
		return;
	}
	/* Prefix and bytes are reserved at once: a blob is written whole or
	 * not at all. */
	size_t at;
	if (!reserve(w, 2 + n, &at))
		return;
	store_le(w->buf + at, n, 2);
	if (n)
		memcpy(w->buf + at + 2, p, n);
}

void codec_put_str(struct codec_writer *w, const char *s, size_t n)
{
	if (w->status)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\0') {
			w->status = STATUS_INVALID;
			return;
		}
	}
	codec_put_blob(w, s, n);
}

status_t codec_writer_finish(const struct codec_writer *w, size_t *len)
{
	if (!w->status && len)
		*len = w->len;
	return w->status;
}

void codec_reader_init(struct codec_reader *r, const void *buf, size_t len)
{
	r->buf = buf;
	r->len = buf ? len : 0;
	r->pos = 0;
}

size_t codec_remaining(const struct codec_reader *r)
{
	return r->len - r->pos;
}

/* Reads an n-byte little-endian number into *v; STATUS_BAD_FORMAT, with
 * the reader unchanged, if fewer than n bytes remain. */
static status_t get_le(struct codec_reader *r, size_t n, uint64_t *v)
{
	if (codec_remaining(r) < n)
		return STATUS_BAD_FORMAT;
	uint64_t x = 0;
	for (size_t i = n; i-- > 0;)
		x = x << 8 | r->buf[r->pos + i];
	r->pos += n;
	*v = x;
	return STATUS_OK;
}

status_t codec_get_u8(struct codec_reader *r, uint8_t *out)
{
	uint64_t v;
	status_t st = get_le(r, 1, &v);

	if (!st)
		*out = (uint8_t)v;
	return st;
}

status_t codec_get_u16(struct codec_reader *r, uint16_t *out)
{
	uint64_t v;
	status_t st = get_le(r, 2, &v);

	if (!st)
		*out = (uint16_t)v;
	return st;
}

status_t codec_get_u32(struct codec_reader *r, uint32_t *out)
{
	uint64_t v;
	status_t st = get_le(r, 4, &v);

	if (!st)
		*out = (uint32_t)v;
	return st;
}

status_t codec_get_u64(struct codec_reader *r, uint64_t *out)
{
	return get_le(r, 8, out);
}

status_t codec_get_bool(struct codec_reader *r, bool *out)
{
	if (codec_remaining(r) < 1 || r->buf[r->pos] > 1)
		return STATUS_BAD_FORMAT;
	*out = r->buf[r->pos++] == 1;
	return STATUS_OK;
}

status_t codec_get_bytes(struct codec_reader *r, void *out, size_t n)
{
	if (codec_remaining(r) < n)
		return STATUS_BAD_FORMAT;
	if (n)
		memcpy(out, r->buf + r->pos, n);
	r->pos += n;
	return STATUS_OK;
}

status_t codec_get_blob(struct codec_reader *r, const uint8_t **p, size_t *n)
{
	size_t avail = codec_remaining(r);

	if (avail < 2)
		return STATUS_BAD_FORMAT;
	size_t len = (size_t)r->buf[r->pos] | (size_t)r->buf[r->pos + 1] << 8;
	if (len > avail - 2)
		return STATUS_BAD_FORMAT;
	*p = r->buf + r->pos + 2;
	*n = len;
	r->pos += 2 + len;
	return STATUS_OK;
}

status_t codec_get_str(struct codec_reader *r, size_t max, const char **s, size_t *n)
{
	struct codec_reader probe = *r;
	const uint8_t *p;
	size_t len;
	status_t st = codec_get_blob(&probe, &p, &len);

	if (st)
		return st;
	for (size_t i = 0; i < len; i++)
		if (p[i] == 0)
			return STATUS_BAD_FORMAT;
	if (len > max)
		return STATUS_RANGE;
	*r = probe;
	*s = (const char *)p;
	*n = len;
	return STATUS_OK;
}

status_t codec_reader_end(const struct codec_reader *r)
{
	return codec_remaining(r) ? STATUS_BAD_FORMAT : STATUS_OK;
}

void codec_msg_begin(struct codec_writer *w, struct keel_msg *m, uint32_t label)
{
	memset(m, 0, sizeof *m);
	m->label = label;
	codec_writer_init(w, m->payload, MSG_PAYLOAD_MAX);
}

status_t codec_msg_end(struct codec_writer *w, struct keel_msg *m)
{
	size_t len = 0;
	status_t st = codec_writer_finish(w, &len);

	if (st || w->buf != m->payload) {
		memset(m->payload, 0, sizeof m->payload);
		m->len = 0;
		return st ? st : STATUS_INVALID;
	}
	m->len = (uint16_t)len;
	return STATUS_OK;
}

status_t codec_msg_reader(struct codec_reader *r, const struct keel_msg *m)
{
	if (m->len > MSG_PAYLOAD_MAX) {
		codec_reader_init(r, NULL, 0);
		return STATUS_BAD_FORMAT;
	}
	codec_reader_init(r, m->payload, m->len);
	return STATUS_OK;
}
