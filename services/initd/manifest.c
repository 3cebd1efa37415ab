/* manifest.c - parsers for service manifests and the boot list (see manifest.h). */
#include "manifest.h"

#include <string.h>

#define TOK_MAX (2 + BOOTLIST_AFTER_MAX) /* the most words any line may have */
#define TOK_SHOWN 32u                    /* longest word quoted in a message */

/* A word of a line: a slice of the text, never NUL-terminated. */
struct tok {
	const char *p;
	uint32_t n;
};

/* One line split into words. ntok counts every word, even past TOK_MAX. */
struct line {
	uint32_t no;
	uint32_t ntok;
	struct tok tok[TOK_MAX];
};

struct reader {
	const char *text;
	size_t len, pos;
	uint32_t line;
	struct manifest_error *err;
};

/* ------------------------------------------------------------- messages */

/* A bounded writer into err->msg: output past the end is dropped. */
struct msg {
	char *buf;
	size_t cap, len;
};

static void put_mem(struct msg *m, const char *s, size_t n)
{
	for (size_t i = 0; i < n && m->len + 1 < m->cap; i++)
		m->buf[m->len++] = s[i];
	m->buf[m->len] = '\0';
}

static void put_str(struct msg *m, const char *s)
{
	put_mem(m, s, strlen(s));
}

static void put_dec(struct msg *m, uint64_t v)
{
	char d[20];
	size_t n = 0;
	do
		d[sizeof d - ++n] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	put_mem(m, d + sizeof d - n, n);
}

/* Quotes a word, shortened to TOK_SHOWN characters and "...". */
static void put_tok(struct msg *m, struct tok t)
{
	put_str(m, "'");
	put_mem(m, t.p, t.n > TOK_SHOWN ? TOK_SHOWN : t.n);
	put_str(m, t.n > TOK_SHOWN ? "...'" : "'");
}

status_t manifest_err_status(enum manifest_err code)
{
	switch (code) {
	case MANIFEST_ERR_NONE:
		return STATUS_OK;
	case MANIFEST_ERR_NUMBER_RANGE:
	case MANIFEST_ERR_BAD_RANGE:
		return STATUS_RANGE;
	case MANIFEST_ERR_DUPLICATE_KEY:
	case MANIFEST_ERR_DUPLICATE:
	case MANIFEST_ERR_OVERLAP:
		return STATUS_EXISTS;
	case MANIFEST_ERR_TOO_MANY:
		return STATUS_FULL;
	case MANIFEST_ERR_UNKNOWN_DEP:
		return STATUS_NOT_FOUND;
	default:
		return STATUS_BAD_FORMAT;
	}
}

/* Starts reporting error code on line; the caller appends the message. */
static struct msg report(struct manifest_error *e, enum manifest_err code, uint32_t line)
{
	e->code = code;
	e->line = line;
	e->msg[0] = '\0';
	return (struct msg){ .buf = e->msg, .cap = sizeof e->msg, .len = 0 };
}

/* Reports "TEXT" on line and returns the class's status. */
static status_t fail(struct manifest_error *e, enum manifest_err code, uint32_t line,
		     const char *text)
{
	struct msg m = report(e, code, line);
	put_str(&m, text);
	return manifest_err_status(code);
}

/* Reports "BEFORE'tok'AFTER" on line and returns the class's status. */
static status_t fail_tok(struct manifest_error *e, enum manifest_err code, uint32_t line,
			 const char *before, struct tok t, const char *after)
{
	struct msg m = report(e, code, line);
	put_str(&m, before);
	put_tok(&m, t);
	put_str(&m, after);
	return manifest_err_status(code);
}

/* ---------------------------------------------------------------- lines */

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* Says what is wrong with byte c and sets *code, or returns NULL if c may appear. */
static const char *bad_byte(unsigned char c, enum manifest_err *code)
{
	*code = MANIFEST_ERR_CONTROL;
	if (c == '\0') {
		*code = MANIFEST_ERR_NUL;
		return "NUL byte";
	}
	if (c >= 0x80) {
		*code = MANIFEST_ERR_NON_ASCII;
		return "non-ASCII byte";
	}
	if (c == '\r')
		return "carriage return (lines end with LF only)";
	if ((c < 0x20 && c != '\t') || c == 0x7f)
		return "control character";
	return NULL;
}

/* Rejects byte c at column col (1-based) of the current line, or returns OK. */
static status_t check_byte(struct reader *r, unsigned char c, size_t col)
{
	enum manifest_err code;
	const char *what = bad_byte(c, &code);
	if (!what)
		return STATUS_OK;
	struct msg m = report(r->err, code, r->line);
	put_str(&m, what);
	put_str(&m, " at column ");
	put_dec(&m, col);
	return manifest_err_status(code);
}

/* Adds the word of n bytes at p to the line (counted past TOK_MAX too). */
static void add_word(struct line *ln, const char *p, uint32_t n)
{
	if (ln->ntok < TOK_MAX)
		ln->tok[ln->ntok] = (struct tok){ p, n };
	ln->ntok++;
}

/*
 * Reads the next line into *ln, checking every byte and splitting it into
 * words. Returns STATUS_OK, STATUS_NOT_FOUND at the end of the text, or an
 * error reported in r->err. The bytes are checked first (the first bad one
 * is reported, then a line too long), then split up to a comment: every
 * manifest is read at every boot, so a byte costs a few instructions.
 */
static status_t next_line(struct reader *r, struct line *ln)
{
	if (r->pos >= r->len)
		return STATUS_NOT_FOUND;
	ln->no = ++r->line;
	ln->ntok = 0;
	const char *p = r->text + r->pos;
	const char *nl = memchr(p, '\n', r->len - r->pos);
	size_t n = nl ? (size_t)(nl - p) : r->len - r->pos;
	size_t checked = n < MANIFEST_LINE_MAX ? n : MANIFEST_LINE_MAX;
	for (size_t i = 0; i < checked; i++) {
		unsigned char c = (unsigned char)p[i];
		if ((unsigned char)(c - 0x20) >= 0x5f && c != '\t') {
			status_t st = check_byte(r, c, i + 1);
			if (st)
				return st;
		}
	}
	if (n > MANIFEST_LINE_MAX)
		return fail(r->err, MANIFEST_ERR_LINE_TOO_LONG, ln->no,
			    "line longer than 256 bytes");
	for (size_t i = 0; i < n && p[i] != '#';) {
		if (is_space((unsigned char)p[i])) {
			i++;
			continue;
		}
		size_t w = i;
		while (i < n && p[i] != '#' && !is_space((unsigned char)p[i]))
			i++;
		add_word(ln, p + w, (uint32_t)(i - w));
	}
	r->pos += nl ? n + 1 : n;
	return STATUS_OK;
}

static status_t reader_init(struct reader *r, const char *text, size_t len,
			    struct manifest_error *err)
{
	*r = (struct reader){ .text = text, .len = len, .err = err };
	*err = (struct manifest_error){ .code = MANIFEST_ERR_NONE };
	if (len > MANIFEST_TEXT_MAX)
		return fail(err, MANIFEST_ERR_TOO_LARGE, 0, "text larger than 65536 bytes");
	return STATUS_OK;
}

/* ------------------------------------------------------ words and numbers */

/* Whether t is word. A word holds no NUL (check_byte), so the first
 * differing byte - usually the first - ends the look. */
static bool tok_is(struct tok t, const char *word)
{
	for (uint32_t i = 0; i < t.n; i++)
		if (word[i] != t.p[i])
			return false;
	return word[t.n] == '\0';
}

static bool tok_eq(struct tok a, struct tok b)
{
	return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

static bool valid_name(struct tok t)
{
	if (t.n < 1 || t.n > MANIFEST_NAME_MAX || t.p[0] < 'a' || t.p[0] > 'z')
		return false;
	for (uint32_t i = 1; i < t.n; i++) {
		char c = t.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

/* Checks that t is a name and copies it, NUL-terminated, to dst. */
static status_t take_name(struct manifest_error *e, uint32_t line, struct tok t,
			  char dst[MANIFEST_NAME_MAX + 1])
{
	if (!valid_name(t))
		return fail_tok(e, MANIFEST_ERR_BAD_NAME, line, "bad name ", t,
				" (want [a-z][a-z0-9-]{0,31})");
	memcpy(dst, t.p, t.n);
	dst[t.n] = '\0';
	return STATUS_OK;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/*
 * Decodes t as decimal or 0x hexadecimal. Returns STATUS_OK, STATUS_BAD_FORMAT
 * for anything that is not a number, or STATUS_RANGE when it exceeds 2^64-1.
 */
static status_t decode_number(struct tok t, uint64_t *out)
{
	uint32_t i = 0;
	unsigned base = 10;
	if (t.n > 2 && t.p[0] == '0' && (t.p[1] == 'x' || t.p[1] == 'X'))
		base = 16, i = 2;
	else if (t.n == 0 || (t.n > 1 && t.p[0] == '0'))
		return STATUS_BAD_FORMAT; /* empty, "0x" alone or a leading zero */
	uint64_t v = 0;
	bool overflow = false;
	for (; i < t.n; i++) {
		unsigned d = (unsigned)digit_value(t.p[i]);
		if (d >= base)
			return STATUS_BAD_FORMAT;
		if (v > (UINT64_MAX - d) / base)
			overflow = true; /* a later bad digit still makes it BAD_FORMAT */
		v = v * base + d;
	}
	*out = v;
	return overflow ? STATUS_RANGE : STATUS_OK;
}

/* Decodes t for key into [min, max], reporting a mistake on line. */
static status_t take_number(struct manifest_error *e, uint32_t line, const char *key, struct tok t,
			    uint64_t min, uint64_t max, uint64_t *out)
{
	status_t st = decode_number(t, out);
	if (st == STATUS_OK && *out >= min && *out <= max)
		return STATUS_OK;
	enum manifest_err code = st == STATUS_BAD_FORMAT ? MANIFEST_ERR_BAD_NUMBER
							 : MANIFEST_ERR_NUMBER_RANGE;
	struct msg m = report(e, code, line);
	put_str(&m, "'");
	put_str(&m, key);
	put_str(&m, "' value ");
	put_tok(&m, t);
	if (code == MANIFEST_ERR_BAD_NUMBER) {
		put_str(&m, " is not a number");
	} else {
		put_str(&m, " out of range ");
		put_dec(&m, min);
		put_str(&m, "..");
		put_dec(&m, max);
	}
	return manifest_err_status(code);
}

/* Same as take_number, for a 32-bit field. */
static status_t take_u32(struct manifest_error *e, uint32_t line, const char *key, struct tok t,
			 uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;
	status_t st = take_number(e, line, key, t, min, max, &v);
	if (st == STATUS_OK)
		*out = (uint32_t)v;
	return st;
}

/* ------------------------------------------------------- service manifest */

enum key {
	K_NAME,
	K_PROVIDES,
	K_RESTART,
	K_BACKOFF,
	K_STRIKES,
	K_HEARTBEAT,
	K_START,
	K_TIER,
	K_MEMORY,
	K_OBJECTS,
	K_SLOTS,
	K_IOPORTS,
	K_IRQ,
	K_MMIO,
	K_SENDS,
	K_ROOTS,
	K_DEVICE,
	K_BUSMASTER,
	K_CONSOLE,
	K_PARTITION,
	K_DIR,
	K_USES,
	K_COUNT
};

static const struct {
	const char *word;
	uint32_t values;
	bool repeatable;
} keys[K_COUNT] = {
	/* One key a line. */
	/* clang-format off */
	[K_NAME] = { "name", 1, false },
	[K_PROVIDES] = { "provides", 1, false },
	[K_RESTART] = { "restart", 1, false },
	[K_BACKOFF] = { "backoff", 2, false },
	[K_STRIKES] = { "strikes", 2, false },
	[K_HEARTBEAT] = { "heartbeat", 1, false },
	[K_START] = { "start", 1, false },
	[K_TIER] = { "tier", 1, false },
	[K_MEMORY] = { "memory", 1, false },
	[K_OBJECTS] = { "objects", 1, false },
	[K_SLOTS] = { "slots", 1, false },
	[K_IOPORTS] = { "ioports", 1, true },
	[K_IRQ] = { "irq", 1, true },
	[K_MMIO] = { "mmio", 2, true },
	[K_SENDS] = { "sends", 1, true },
	[K_ROOTS] = { "roots", 1, false },
	[K_DEVICE] = { "device", 2, false },
	[K_BUSMASTER] = { "busmaster", 1, false },
	[K_CONSOLE] = { "console", 1, false },
	[K_PARTITION] = { "partition", 1, false },
	[K_DIR] = { "dir", 2, true },
	[K_USES] = { "uses", 1, true },
	/* clang-format on */
};

/* The parse in progress: the line each key and list entry first came from. */
struct mparse {
	struct manifest *m;
	struct manifest_error *err;
	uint32_t line;
	uint32_t key_line[K_COUNT];
	uint32_t port_line[MANIFEST_MAX_PORTS];
	uint32_t irq_line[MANIFEST_MAX_IRQS];
	uint32_t mmio_line[MANIFEST_MAX_MMIO];
	uint32_t send_line[MANIFEST_MAX_SENDS];
	uint32_t dir_line[MANIFEST_MAX_DIRS];
	uint32_t use_line[MANIFEST_MAX_USES];
};

/* Reports "WHAT (first on line N)" style conflicts with an earlier line. */
static status_t fail_earlier(struct mparse *p, enum manifest_err code, const char *what,
			     struct tok t, const char *rest, uint32_t earlier)
{
	struct msg m = report(p->err, code, p->line);
	put_str(&m, what);
	put_tok(&m, t);
	put_str(&m, rest);
	put_dec(&m, earlier);
	put_str(&m, ")");
	return manifest_err_status(code);
}

static status_t list_full(struct mparse *p, enum key k, uint32_t count, uint32_t cap)
{
	if (count < cap)
		return STATUS_OK;
	struct msg m = report(p->err, MANIFEST_ERR_TOO_MANY, p->line);
	put_str(&m, "more than ");
	put_dec(&m, cap);
	put_str(&m, " '");
	put_str(&m, keys[k].word);
	put_str(&m, "' lines");
	return STATUS_FULL;
}

static status_t word_restart(struct mparse *p, struct tok t)
{
	static const char *const words[] = {
		[SV_RESTART_ON_FAILURE] = "on-failure",
		[SV_RESTART_ALWAYS] = "always",
		[SV_RESTART_NEVER] = "never",
	};
	for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (tok_is(t, words[i])) {
			p->m->policy.restart = (enum sv_restart)i;
			return STATUS_OK;
		}
	}
	return fail_tok(p->err, MANIFEST_ERR_BAD_WORD, p->line, "unknown restart policy ", t,
			" (always, on-failure, never)");
}

static status_t word_tier(struct mparse *p, struct tok t)
{
	static const char *const words[] = {
		[MANIFEST_TIER_PHOTON] = "photon",
		[MANIFEST_TIER_MATTER] = "matter",
		[MANIFEST_TIER_GRAVITY] = "gravity",
		[MANIFEST_TIER_VOID] = "void",
	};
	for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (tok_is(t, words[i])) {
			p->m->tier = (enum manifest_tier)i;
			return STATUS_OK;
		}
	}
	return fail_tok(p->err, MANIFEST_ERR_BAD_WORD, p->line, "unknown tier ", t,
			" (photon, matter, gravity, void)");
}

static status_t key_backoff(struct mparse *p, const struct tok *v)
{
	struct sv_policy *pol = &p->m->policy;
	status_t st = take_u32(p->err, p->line, "backoff", v[0], SV_BACKOFF_MS_MIN,
			       SV_BACKOFF_MS_MAX, &pol->backoff_initial_ms);
	if (!st)
		st = take_u32(p->err, p->line, "backoff", v[1], SV_BACKOFF_MS_MIN,
			      SV_BACKOFF_MS_MAX, &pol->backoff_max_ms);
	if (!st && pol->backoff_initial_ms > pol->backoff_max_ms)
		return fail(p->err, MANIFEST_ERR_BAD_RANGE, p->line,
			    "backoff initial ms exceeds max ms");
	return st;
}

static status_t key_strikes(struct mparse *p, const struct tok *v)
{
	struct sv_policy *pol = &p->m->policy;
	status_t st = take_u32(p->err, p->line, "strikes", v[0], SV_STRIKE_LIMIT_MIN,
			       SV_STRIKE_LIMIT_MAX, &pol->strike_limit);
	if (!st)
		st = take_u32(p->err, p->line, "strikes", v[1], SV_STRIKE_WINDOW_S_MIN,
			      SV_STRIKE_WINDOW_S_MAX, &pol->strike_window_s);
	return st;
}

static status_t key_heartbeat(struct mparse *p, struct tok t)
{
	uint32_t *hb = &p->m->policy.heartbeat_ms;
	status_t st = take_u32(p->err, p->line, "heartbeat", t, 0, SV_HEARTBEAT_MS_MAX, hb);
	if (!st && *hb && *hb < SV_HEARTBEAT_MS_MIN)
		return fail_tok(p->err, MANIFEST_ERR_NUMBER_RANGE, p->line, "'heartbeat' value ", t,
				" out of range: 0, or 10..3600000");
	return st;
}

/* ioports FIRST or FIRST-LAST. */
static status_t key_ioports(struct mparse *p, struct tok t)
{
	struct manifest *m = p->m;
	status_t st = list_full(p, K_IOPORTS, m->port_count, MANIFEST_MAX_PORTS);
	if (st)
		return st;
	struct tok a = t, b = t;
	for (uint32_t i = 0; i < t.n; i++) {
		if (t.p[i] == '-') {
			a.n = i;
			b = (struct tok){ t.p + i + 1, t.n - i - 1 };
			break;
		}
	}
	uint32_t first, last;
	st = take_u32(p->err, p->line, "ioports", a, 0, MANIFEST_PORT_MAX, &first);
	if (!st)
		st = take_u32(p->err, p->line, "ioports", b, 0, MANIFEST_PORT_MAX, &last);
	if (st)
		return st;
	if (first > last)
		return fail_tok(p->err, MANIFEST_ERR_BAD_RANGE, p->line, "port range ", t,
				" has first > last");
	for (uint32_t i = 0; i < m->port_count; i++)
		if (first <= m->ports[i].last && m->ports[i].first <= last)
			return fail_earlier(p, MANIFEST_ERR_OVERLAP, "port range ", t,
					    " overlaps another (on line ", p->port_line[i]);
	p->port_line[m->port_count] = p->line;
	m->ports[m->port_count++] = (struct manifest_ports){ first, last };
	return STATUS_OK;
}

static status_t key_irq(struct mparse *p, struct tok t)
{
	struct manifest *m = p->m;
	uint32_t irq;
	status_t st = list_full(p, K_IRQ, m->irq_count, MANIFEST_MAX_IRQS);
	if (!st)
		st = take_u32(p->err, p->line, "irq", t, 0, MANIFEST_IRQ_MAX, &irq);
	if (st)
		return st;
	for (uint32_t i = 0; i < m->irq_count; i++)
		if (m->irqs[i] == irq)
			return fail_earlier(p, MANIFEST_ERR_DUPLICATE, "irq ", t,
					    " given twice (first on line ", p->irq_line[i]);
	p->irq_line[m->irq_count] = p->line;
	m->irqs[m->irq_count++] = irq;
	return STATUS_OK;
}

/* mmio BASE SIZE: page-aligned, non-empty, below MANIFEST_PHYS_LIMIT. */
static status_t key_mmio(struct mparse *p, const struct tok *v)
{
	struct manifest *m = p->m;
	uint64_t base, size;
	status_t st = list_full(p, K_MMIO, m->mmio_count, MANIFEST_MAX_MMIO);
	if (!st)
		st = take_number(p->err, p->line, "mmio", v[0], 0, MANIFEST_PHYS_LIMIT - 1, &base);
	if (!st)
		st = take_number(p->err, p->line, "mmio", v[1], 1, MANIFEST_PHYS_LIMIT, &size);
	if (st)
		return st;
	if (base % MANIFEST_MMIO_ALIGN)
		return fail_tok(p->err, MANIFEST_ERR_BAD_RANGE, p->line, "mmio base ", v[0],
				" is not a multiple of 4096");
	if (size % MANIFEST_MMIO_ALIGN)
		return fail_tok(p->err, MANIFEST_ERR_BAD_RANGE, p->line, "mmio size ", v[1],
				" is not a multiple of 4096");
	if (size > MANIFEST_PHYS_LIMIT - base)
		return fail_tok(p->err, MANIFEST_ERR_BAD_RANGE, p->line, "mmio range at ", v[0],
				" ends beyond 2^52");
	for (uint32_t i = 0; i < m->mmio_count; i++)
		if (base < m->mmio[i].base + m->mmio[i].size && m->mmio[i].base < base + size)
			return fail_earlier(p, MANIFEST_ERR_OVERLAP, "mmio range at ", v[0],
					    " overlaps another (on line ", p->mmio_line[i]);
	p->mmio_line[m->mmio_count] = p->line;
	m->mmio[m->mmio_count++] = (struct manifest_mmio){ base, size };
	return STATUS_OK;
}

static status_t key_sends(struct mparse *p, struct tok t)
{
	struct manifest *m = p->m;
	status_t st = list_full(p, K_SENDS, m->send_count, MANIFEST_MAX_SENDS);
	if (!st)
		st = take_name(p->err, p->line, t, m->sends[m->send_count]);
	if (st)
		return st;
	for (uint32_t i = 0; i < m->send_count; i++)
		if (tok_is(t, m->sends[i]))
			return fail_earlier(p, MANIFEST_ERR_DUPLICATE, "sends ", t,
					    " given twice (first on line ", p->send_line[i]);
	p->send_line[m->send_count++] = p->line;
	return STATUS_OK;
}

/* One word of a key whose only values are words[0] (false) and words[1]. */
static status_t take_flag(struct mparse *p, struct tok t, const char *no, const char *yes,
			  bool *out)
{
	if (tok_is(t, yes) || (no && tok_is(t, no))) {
		*out = tok_is(t, yes);
		return STATUS_OK;
	}
	return fail_tok(p->err, MANIFEST_ERR_BAD_WORD, p->line, "unknown value ", t,
			no ? " (yes, no)" : " (see manifest.h)");
}

/* Four hexadecimal digits. */
static bool hex16(struct tok t, uint16_t *out)
{
	uint32_t v = 0;
	for (uint32_t i = 0; i < t.n; i++) {
		char c = t.p[i];
		uint32_t d = c >= '0' && c <= '9'   ? (uint32_t)(c - '0')
			     : c >= 'a' && c <= 'f' ? (uint32_t)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (uint32_t)(c - 'A' + 10)
						    : 16u;
		if (d > 15)
			return false;
		v = v << 4 | d;
	}
	*out = (uint16_t)v;
	return t.n == 4;
}

/* device legacy NAME: a name of topod's registry. */
static status_t key_legacy(struct mparse *p, struct tok t)
{
	bool ok = t.n >= 1 && t.n <= MANIFEST_LEGACY_MAX;
	for (uint32_t i = 0; ok && i < t.n; i++)
		ok = (t.p[i] >= 'a' && t.p[i] <= 'z') || (t.p[i] >= '0' && t.p[i] <= '9');
	if (!ok)
		return fail_tok(p->err, MANIFEST_ERR_BAD_WORD, p->line, "legacy device ", t,
				" is not 1-15 lower-case letters and digits");
	memcpy(p->m->legacy, t.p, t.n);
	p->m->legacy[t.n] = 0;
	return STATUS_OK;
}

/* device pci VVVV:DDDD, or device legacy NAME. */
static status_t key_device(struct mparse *p, const struct tok *v)
{
	struct tok ven = v[1], dev = v[1];
	if (tok_is(v[0], "legacy"))
		return key_legacy(p, v[1]);
	if (!tok_is(v[0], "pci"))
		return fail_tok(p->err, MANIFEST_ERR_BAD_WORD, p->line, "unknown device bus ", v[0],
				" (pci, legacy)");
	ven.n = 4;
	dev.p += 5, dev.n = v[1].n >= 5 ? v[1].n - 5 : 0;
	if (v[1].n != 9 || v[1].p[4] != ':' || !hex16(ven, &p->m->pci_vendor) ||
	    !hex16(dev, &p->m->pci_device))
		return fail_tok(p->err, MANIFEST_ERR_BAD_NUMBER, p->line, "device id ", v[1],
				" is not VVVV:DDDD in hexadecimal");
	p->m->has_pci = true;
	return STATUS_OK;
}

/* dir PATH RIGHTS (dirs.h): each path once. */
static status_t key_dir(struct mparse *p, const struct tok *v)
{
	struct manifest *m = p->m;
	struct manifest_dir *d = &m->dirs[m->dir_count];
	status_t st = list_full(p, K_DIR, m->dir_count, MANIFEST_MAX_DIRS);
	if (st)
		return st;
	if (dirs_parse_path(v[0].p, v[0].n, d->path))
		return fail_tok(p->err, MANIFEST_ERR_BAD_WORD, p->line, "bad directory ", v[0],
				" (an absolute path of at most 28 bytes below /)");
	if (dirs_parse_rights(v[1].p, v[1].n, &d->rights))
		return fail_tok(p->err, MANIFEST_ERR_BAD_WORD, p->line, "bad rights ", v[1],
				" (read, write, or a list of read,write,create,delete)");
	for (uint32_t i = 0; i < m->dir_count; i++)
		if (!strcmp(m->dirs[i].path, d->path))
			return fail_earlier(p, MANIFEST_ERR_DUPLICATE, "dir ", v[0],
					    " given twice (first on line ", p->dir_line[i]);
	p->dir_line[m->dir_count++] = p->line;
	return STATUS_OK;
}

/* `uses NAME`: a named capability a launched app may be given (launch.h). */
static status_t key_uses(struct mparse *p, struct tok t)
{
	struct manifest *m = p->m;
	status_t st = list_full(p, K_USES, m->use_count, MANIFEST_MAX_USES);
	if (!st)
		st = take_name(p->err, p->line, t, m->uses[m->use_count]);
	if (st)
		return st;
	for (uint32_t i = 0; i < m->use_count; i++)
		if (tok_is(t, m->uses[i]))
			return fail_earlier(p, MANIFEST_ERR_DUPLICATE, "uses ", t,
					    " given twice (first on line ", p->use_line[i]);
	p->use_line[m->use_count++] = p->line;
	return STATUS_OK;
}

/* Applies key k with its values v (already counted). */
static status_t apply_key(struct mparse *p, enum key k, const struct tok *v)
{
	struct manifest *m = p->m;
	switch (k) {
	case K_NAME:
		return take_name(p->err, p->line, v[0], m->name);
	case K_PROVIDES:
		return take_name(p->err, p->line, v[0], m->provides);
	case K_RESTART:
		return word_restart(p, v[0]);
	case K_BACKOFF:
		return key_backoff(p, v);
	case K_STRIKES:
		return key_strikes(p, v);
	case K_HEARTBEAT:
		return key_heartbeat(p, v[0]);
	case K_START:
		return take_u32(p->err, p->line, "start", v[0], SV_START_MS_MIN, SV_START_MS_MAX,
				&m->policy.start_ms);
	case K_TIER:
		return word_tier(p, v[0]);
	case K_MEMORY:
		return take_u32(p->err, p->line, "memory", v[0], 1, MANIFEST_PAGES_MAX,
				&m->quota_pages);
	case K_OBJECTS:
		return take_u32(p->err, p->line, "objects", v[0], 1, MANIFEST_OBJECTS_MAX,
				&m->quota_objects);
	case K_SLOTS:
		return take_u32(p->err, p->line, "slots", v[0], 1, MANIFEST_SLOTS_MAX,
				&m->quota_slots);
	case K_IOPORTS:
		return key_ioports(p, v[0]);
	case K_IRQ:
		return key_irq(p, v[0]);
	case K_MMIO:
		return key_mmio(p, v);
	case K_SENDS:
		return key_sends(p, v[0]);
	case K_ROOTS:
		return take_flag(p, v[0], NULL, "devices", &m->device_roots);
	case K_DEVICE:
		return key_device(p, v);
	case K_BUSMASTER:
		return take_flag(p, v[0], "no", "yes", &m->busmaster);
	case K_CONSOLE:
		return take_flag(p, v[0], NULL, "debug", &m->console);
	case K_PARTITION:
		if (tok_is(v[0], "whole")) {
			m->partition = 1;
			return STATUS_OK;
		}
		if (take_u32(p->err, p->line, "partition", v[0], 1, 128, &m->partition))
			return manifest_err_status(p->err->code);
		m->partition += 1;
		return STATUS_OK;
	case K_DIR:
		return key_dir(p, v);
	case K_USES:
		return key_uses(p, v[0]);
	case K_COUNT:
		break;
	}
	return STATUS_INVALID;
}

/* Identifies the key of a non-empty line, checks its count and applies it. */
static status_t manifest_line(struct mparse *p, const struct line *ln)
{
	unsigned k = 0;
	while (k < K_COUNT && !tok_is(ln->tok[0], keys[k].word))
		k++;
	if (k == K_COUNT)
		return fail_tok(p->err, MANIFEST_ERR_UNKNOWN_KEY, p->line, "unknown key ",
				ln->tok[0], "");
	if (ln->ntok - 1 != keys[k].values) {
		struct msg msg = report(p->err, MANIFEST_ERR_ARITY, p->line);
		put_tok(&msg, ln->tok[0]);
		put_str(&msg, " takes ");
		put_dec(&msg, keys[k].values);
		put_str(&msg, keys[k].values == 1 ? " value, not " : " values, not ");
		put_dec(&msg, ln->ntok - 1);
		return STATUS_BAD_FORMAT;
	}
	if (p->key_line[k] && !keys[k].repeatable)
		return fail_earlier(p, MANIFEST_ERR_DUPLICATE_KEY, "duplicate key ", ln->tok[0],
				    " (first on line ", p->key_line[k]);
	if (!p->key_line[k])
		p->key_line[k] = p->line;
	return apply_key(p, (enum key)k, ln->tok + 1);
}

status_t manifest_parse(const char *text, size_t len, struct manifest *out,
			struct manifest_error *err)
{
	struct manifest_error scratch;
	struct reader r;
	struct line ln;
	struct mparse p = { .m = out, .err = err ? err : &scratch };

	memset(out, 0, sizeof *out);
	out->policy = (struct sv_policy){
		.restart = SV_RESTART_ON_FAILURE,
		.backoff_initial_ms = 100,
		.backoff_max_ms = 10000,
		.strike_limit = 3,
		.strike_window_s = 60,
	};
	out->tier = MANIFEST_TIER_MATTER;
	out->quota_pages = 256;
	out->quota_objects = 64;
	out->quota_slots = 64;

	status_t st = reader_init(&r, text, len, p.err);
	while (!st && (st = next_line(&r, &ln)) == STATUS_OK) {
		p.line = ln.no;
		if (ln.ntok)
			st = manifest_line(&p, &ln);
	}
	if (st != STATUS_NOT_FOUND)
		return st;
	if (!p.key_line[K_NAME])
		return fail(p.err, MANIFEST_ERR_MISSING_KEY, 0, "missing required key 'name'");
	if (!p.key_line[K_PROVIDES])
		memcpy(out->provides, out->name, sizeof out->provides);
	return STATUS_OK;
}

/* ------------------------------------------------------------- boot list */

/* The parse in progress: each entry's `after` names, as slices of the text. */
struct bparse {
	struct bootlist *b;
	struct manifest_error *err;
	struct tok dep[BOOTLIST_MAX][BOOTLIST_AFTER_MAX];
};

/* NAME [after NAME...] */
static status_t bootlist_line(struct bparse *p, const struct line *ln)
{
	struct bootlist *b = p->b;
	struct manifest_error *e = p->err;
	if (b->count == BOOTLIST_MAX)
		return fail(e, MANIFEST_ERR_TOO_MANY, ln->no, "more than 32 services");
	struct bootlist_entry *ent = &b->entries[b->count];
	status_t st = take_name(e, ln->no, ln->tok[0], ent->name);
	if (st)
		return st;
	for (uint32_t i = 0; i < b->count; i++)
		if (tok_is(ln->tok[0], b->entries[i].name)) {
			struct msg m = report(e, MANIFEST_ERR_DUPLICATE, ln->no);
			put_str(&m, "service ");
			put_tok(&m, ln->tok[0]);
			put_str(&m, " listed twice (first on line ");
			put_dec(&m, b->entries[i].line);
			put_str(&m, ")");
			return STATUS_EXISTS;
		}
	if (ln->ntok > 1 && !tok_is(ln->tok[1], "after"))
		return fail_tok(e, MANIFEST_ERR_UNKNOWN_KEY, ln->no, "unknown word ", ln->tok[1],
				" (expected 'after')");
	if (ln->ntok == 2)
		return fail(e, MANIFEST_ERR_ARITY, ln->no, "'after' needs at least one name");
	if (ln->ntok > 2 + BOOTLIST_AFTER_MAX)
		return fail(e, MANIFEST_ERR_TOO_MANY, ln->no, "more than 8 names after 'after'");
	char scratch[MANIFEST_NAME_MAX + 1];
	for (uint32_t i = 2; i < ln->ntok; i++) {
		struct tok t = ln->tok[i];
		if ((st = take_name(e, ln->no, t, scratch)) != STATUS_OK)
			return st;
		for (uint32_t j = 2; j < i; j++)
			if (tok_eq(t, ln->tok[j]))
				return fail_tok(e, MANIFEST_ERR_DUPLICATE, ln->no, "", t,
						" named twice after 'after'");
		p->dep[b->count][i - 2] = t;
	}
	ent->line = ln->no;
	ent->after_count = ln->ntok > 2 ? ln->ntok - 2 : 0;
	b->count++;
	return STATUS_OK;
}

/* Turns every entry's `after` names into entry indices. */
static status_t resolve(struct bparse *p)
{
	struct bootlist *b = p->b;
	for (uint32_t i = 0; i < b->count; i++) {
		struct bootlist_entry *ent = &b->entries[i];
		for (uint32_t d = 0; d < ent->after_count; d++) {
			struct tok t = p->dep[i][d];
			uint32_t j = 0;
			while (j < b->count && !tok_is(t, b->entries[j].name))
				j++;
			if (j == b->count)
				return fail_tok(p->err, MANIFEST_ERR_UNKNOWN_DEP, ent->line,
						"'after' names ", t,
						", which is not in the boot list");
			if (j == i)
				return fail_tok(p->err, MANIFEST_ERR_CYCLE, ent->line, "service ",
						t, " is after itself");
			ent->after[d] = j;
		}
	}
	return STATUS_OK;
}

static bool ready(const struct bootlist *b, uint32_t i, const bool *placed)
{
	for (uint32_t d = 0; d < b->entries[i].after_count; d++)
		if (!placed[b->entries[i].after[d]])
			return false;
	return true;
}

/*
 * Every unplaced entry waits for another unplaced one, so following those
 * waits from any of them must come back to an entry already seen: reports
 * that cycle, on the line of the entry where it closes.
 */
static status_t report_cycle(struct bparse *p, const bool *placed)
{
	const struct bootlist *b = p->b;
	uint32_t path[BOOTLIST_MAX + 1], depth = 0, u = 0;
	while (placed[u])
		u++;
	for (;;) {
		for (uint32_t k = 0; k < depth; k++) {
			if (path[k] != u)
				continue;
			struct msg m = report(p->err, MANIFEST_ERR_CYCLE, b->entries[u].line);
			put_str(&m, "cycle: ");
			for (uint32_t j = k; j < depth; j++) {
				put_str(&m, b->entries[path[j]].name);
				put_str(&m, " after ");
			}
			put_str(&m, b->entries[u].name);
			return STATUS_BAD_FORMAT;
		}
		path[depth++] = u;
		const struct bootlist_entry *ent = &b->entries[u];
		uint32_t d = 0;
		while (placed[ent->after[d]])
			d++;
		u = ent->after[d];
	}
}

/* Fills b->order: each round takes the first entry whose dependencies are placed. */
static status_t sort(struct bparse *p)
{
	struct bootlist *b = p->b;
	bool placed[BOOTLIST_MAX] = { false };
	for (uint32_t n = 0; n < b->count; n++) {
		uint32_t i = 0;
		while (i < b->count && (placed[i] || !ready(b, i, placed)))
			i++;
		if (i == b->count)
			return report_cycle(p, placed);
		placed[i] = true;
		b->order[n] = i;
	}
	return STATUS_OK;
}

status_t bootlist_parse(const char *text, size_t len, struct bootlist *out,
			struct manifest_error *err)
{
	struct manifest_error scratch;
	struct reader r;
	struct line ln;
	struct bparse p = { .b = out, .err = err ? err : &scratch };

	memset(out, 0, sizeof *out);
	status_t st = reader_init(&r, text, len, p.err);
	while (!st && (st = next_line(&r, &ln)) == STATUS_OK)
		if (ln.ntok)
			st = bootlist_line(&p, &ln);
	if (st != STATUS_NOT_FOUND)
		return st;
	if (out->count == 0)
		return fail(p.err, MANIFEST_ERR_EMPTY, 0, "boot list names no service");
	st = resolve(&p);
	return st ? st : sort(&p);
}
