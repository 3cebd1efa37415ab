/*
 * ldisc.c - the line discipline: line editing, echo, signals, and the read
 * queue of completed input (ldisc.h).
 */
#include <string.h>

#include "ldisc.h"

status_t ldisc_init(struct ldisc *ld, uint32_t flags, uint8_t *line, size_t line_cap,
		    uint8_t *queue, size_t queue_cap, ldisc_echo_fn echo, void *echo_ctx)
{
	if (!ld || !line || !queue || line_cap < 2 || queue_cap < line_cap || queue_cap > 65535)
		return STATUS_INVALID;
	memset(ld, 0, sizeof(*ld));
	ld->flags = flags;
	ld->line = line;
	ld->line_cap = line_cap;
	ld->queue = queue;
	ld->queue_cap = queue_cap;
	ld->echo = echo;
	ld->echo_ctx = echo_ctx;
	return STATUS_OK;
}

/* ------------------------------------------------------------ columns, echo */

/* Moves the column past output byte b. */
static void track_column(struct ldisc *ld, uint8_t b)
{
	uint32_t cp;
	int w;

	if (b == '\r') {
		ld->col = 0;
	} else if (b == '\b') {
		if (ld->col)
			ld->col--;
	} else if (b == '\t') {
		ld->col = (uint16_t)((ld->col | 7) + 1);
	} else if (b >= 0x20) {
		enum utf8_result r = utf8_feed(&ld->out_utf8, b, &cp);
		if (r == UTF8_BAD_AGAIN) {
			ld->col++;
			r = utf8_feed(&ld->out_utf8, b, &cp);
		}
		if (r == UTF8_CHAR || r == UTF8_BAD) {
			w = uwidth(cp);
			ld->col = (uint16_t)(ld->col + (w > 0 ? w : 0));
		}
	}
}

size_t ldisc_output(struct ldisc *ld, const uint8_t *in, size_t n, uint8_t *out, size_t cap,
		    size_t *used)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		bool crnl = in[i] == '\n' && (ld->flags & LDISC_ONLCR);
		if (k + (crnl ? 2 : 1) > cap)
			break;
		if (crnl) {
			out[k++] = '\r';
			track_column(ld, '\r');
		}
		out[k++] = in[i];
		track_column(ld, in[i]);
	}
	*used = i;
	return k;
}

/* Echoes n bytes through the output processing, if echo is on. */
static void echo(struct ldisc *ld, const char *s, size_t n)
{
	uint8_t buf[64];
	size_t used;

	if (!(ld->flags & LDISC_ECHO))
		return;
	while (n) {
		size_t k = ldisc_output(ld, (const uint8_t *)s, n, buf, sizeof(buf), &used);
		if (ld->echo)
			ld->echo(ld->echo_ctx, buf, k);
		s += used;
		n -= used;
	}
}

static bool is_control(uint8_t b)
{
	return b < 0x20 || b == 0x7f;
}

/* Echoes input byte b: control characters other than TAB and NL as ^X. */
static void echo_byte(struct ldisc *ld, uint8_t b)
{
	char s[2] = { (char)b, 0 };

	if (is_control(b) && b != '\t' && b != '\n') {
		s[0] = '^';
		s[1] = (char)(b ^ 0x40);
		echo(ld, s, 2);
	} else {
		echo(ld, s, 1);
	}
}

/* ------------------------------------------------------------ the queue */

static void enqueue(struct ldisc *ld, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ld->queue[(ld->head + ld->count + i) % ld->queue_cap] = p[i];
	ld->count += n;
}

/* Moves the edited line into the queue as one record (cooked mode).
 * Returns false, changing nothing, if the queue cannot take it. */
static bool push_line(struct ldisc *ld)
{
	if (ld->count + ld->line_len > ld->queue_cap || ld->rec_count == LDISC_RECORDS_MAX)
		return false;
	enqueue(ld, ld->line, ld->line_len);
	ld->rec[(ld->rec_head + ld->rec_count++) % LDISC_RECORDS_MAX] = (uint16_t)ld->line_len;
	ld->line_len = 0;
	ld->line_col = ld->col;
	return true;
}

bool ldisc_readable(const struct ldisc *ld)
{
	return (ld->flags & LDISC_ICANON) ? ld->rec_count > 0 : ld->count > 0;
}

/* Takes up to cap bytes from the head of the queue. */
static size_t dequeue(struct ldisc *ld, uint8_t *buf, size_t cap)
{
	size_t n = cap < ld->count ? cap : ld->count;

	for (size_t i = 0; i < n; i++)
		buf[i] = ld->queue[(ld->head + i) % ld->queue_cap];
	ld->head = (ld->head + n) % ld->queue_cap;
	ld->count -= n;
	return n;
}

enum ldisc_read_result ldisc_read(struct ldisc *ld, uint8_t *buf, size_t cap, size_t *n)
{
	*n = 0;
	if (!ldisc_readable(ld))
		return LDISC_READ_EMPTY;
	if (!(ld->flags & LDISC_ICANON)) {
		*n = dequeue(ld, buf, cap);
		return *n ? LDISC_READ_DATA : LDISC_READ_EMPTY;
	}
	uint16_t *len = &ld->rec[ld->rec_head];
	if (*len == 0) {
		ld->rec_head = (uint8_t)((ld->rec_head + 1) % LDISC_RECORDS_MAX);
		ld->rec_count--;
		return LDISC_READ_EOF;
	}
	*n = dequeue(ld, buf, cap < *len ? cap : *len);
	*len = (uint16_t)(*len - *n);
	if (*len == 0) {
		ld->rec_head = (uint8_t)((ld->rec_head + 1) % LDISC_RECORDS_MAX);
		ld->rec_count--;
	}
	return *n ? LDISC_READ_DATA : LDISC_READ_EMPTY;
}

void ldisc_set_flags(struct ldisc *ld, uint32_t flags)
{
	bool was = ld->flags & LDISC_ICANON, now = flags & LDISC_ICANON;

	if (was && !now) {
		size_t room = ld->queue_cap - ld->count;
		size_t n = ld->line_len < room ? ld->line_len : room;
		enqueue(ld, ld->line, n);
		ld->dropped += (uint32_t)(ld->line_len - n);
		ld->line_len = 0;
		ld->rec_count = 0;
	} else if (!was && now) {
		ld->rec_head = 0;
		ld->rec_count = 0;
		if (ld->count) {
			ld->rec[0] = (uint16_t)ld->count;
			ld->rec_count = 1;
		}
		ld->line_col = ld->col;
	}
	ld->flags = flags;
}

/* ------------------------------------------------------------ editing */

/* The start of the last character of the line: a UTF-8 sequence whose
 * lead byte announces exactly the continuation bytes that follow it, or
 * else the last byte alone. */
static size_t last_char(const struct ldisc *ld)
{
	size_t end = ld->line_len, i = end - 1;

	while (i > 0 && end - i < 4 && (ld->line[i] & 0xc0) == 0x80)
		i--;
	if (utf8_lead_len(ld->line[i]) == end - i)
		return i;
	return end - 1;
}

/* The cells the bytes line[from..to) take when echoed at column col. */
static unsigned echo_width(const struct ldisc *ld, size_t from, size_t to, unsigned col)
{
	struct utf8_dec d = { 0 };

	for (size_t i = from; i < to; i++) {
		uint8_t b = ld->line[i];
		uint32_t cp;
		if (b == '\t') {
			col = (col | 7) + 1;
			continue;
		}
		if (is_control(b)) {
			col += 2;
			continue;
		}
		enum utf8_result r = utf8_feed(&d, b, &cp);
		if (r == UTF8_BAD_AGAIN) {
			col++;
			r = utf8_feed(&d, b, &cp);
		}
		if (r == UTF8_CHAR || r == UTF8_BAD)
			col += uwidth(cp) > 0 ? (unsigned)uwidth(cp) : 0;
	}
	return col + (utf8_pending(&d) ? 1u : 0u);
}

/* Erases the last character of the line and its cells on the screen.
 * Returns false if the line was empty. */
static bool erase_char(struct ldisc *ld)
{
	if (ld->line_len == 0)
		return false;
	size_t start = last_char(ld);
	unsigned before = echo_width(ld, 0, start, ld->line_col);
	unsigned after = echo_width(ld, start, ld->line_len, before);
	bool tab = ld->line[start] == '\t';

	ld->line_len = start;
	for (unsigned i = before; i < after; i++)
		echo(ld, tab ? "\b" : "\b \b", tab ? 1 : 3);
	return true;
}

static bool is_blank(uint8_t b)
{
	return b == ' ' || b == '\t';
}

/* Ctrl-W: the blanks before the cursor, then the word before them. */
static void erase_word(struct ldisc *ld)
{
	while (ld->line_len && is_blank(ld->line[ld->line_len - 1]))
		erase_char(ld);
	while (ld->line_len && !is_blank(ld->line[ld->line_len - 1]))
		erase_char(ld);
}

/* Adds b to the line, or refuses it with the bell when the line is full
 * (one byte is kept for the newline). */
static uint32_t add_char(struct ldisc *ld, uint8_t b)
{
	if (ld->line_len + 1 >= ld->line_cap) {
		ld->dropped++;
		echo(ld, "\a", 1);
		return LDISC_EV_DROPPED;
	}
	if (ld->line_len == 0)
		ld->line_col = ld->col;
	ld->line[ld->line_len++] = b;
	echo_byte(ld, b);
	return 0;
}

/* Completes the line with b ('\n', or nothing for Ctrl-D when eof). */
static uint32_t complete_line(struct ldisc *ld, bool newline)
{
	if (newline)
		ld->line[ld->line_len++] = '\n';
	if (!push_line(ld)) {
		if (newline)
			ld->line_len--;
		ld->dropped++;
		echo(ld, "\a", 1);
		return LDISC_EV_DROPPED;
	}
	if (newline)
		echo(ld, "\n", 1);
	return LDISC_EV_READABLE;
}

/* One byte of cooked-mode input. */
static uint32_t cooked(struct ldisc *ld, uint8_t b)
{
	switch (b) {
	case 0x7f:
	case 0x08:
		erase_char(ld);
		return 0;
	case LDISC_VKILL:
		while (erase_char(ld))
			;
		return 0;
	case LDISC_VWERASE:
		erase_word(ld);
		return 0;
	case LDISC_VEOF:
		return complete_line(ld, false);
	case '\n':
		return complete_line(ld, true);
	default:
		return add_char(ld, b);
	}
}

/* One byte of raw-mode input. */
static uint32_t raw(struct ldisc *ld, uint8_t b)
{
	if (ld->count == ld->queue_cap) {
		ld->dropped++;
		return LDISC_EV_DROPPED;
	}
	enqueue(ld, &b, 1);
	echo_byte(ld, b);
	return LDISC_EV_READABLE;
}

/* A signal character: an event, the pending input discarded, ^X echoed. */
static uint32_t on_signal(struct ldisc *ld, uint8_t b)
{
	ld->line_len = 0;
	ld->head = ld->count = 0;
	ld->rec_head = ld->rec_count = 0;
	echo_byte(ld, b);
	ld->line_col = ld->col;
	return b == LDISC_VINTR ? LDISC_EV_INTR : b == LDISC_VQUIT ? LDISC_EV_QUIT : LDISC_EV_SUSP;
}

uint32_t ldisc_input(struct ldisc *ld, const uint8_t *in, size_t n)
{
	uint32_t ev = 0;

	for (size_t i = 0; i < n; i++) {
		uint8_t b = in[i];
		if (b == '\r' && (ld->flags & LDISC_ICRNL))
			b = '\n';
		if ((ld->flags & LDISC_ISIG) &&
		    (b == LDISC_VINTR || b == LDISC_VQUIT || b == LDISC_VSUSP))
			ev |= on_signal(ld, b);
		else if (ld->flags & LDISC_ICANON)
			ev |= cooked(ld, b);
		else
			ev |= raw(ld, b);
	}
	if (!ldisc_readable(ld))
		ev &= ~(uint32_t)LDISC_EV_READABLE;
	return ev;
}
