/* log.c - structured log lines (see keel/log.h for the format). */
#include "keel/log.h"
#include "keel/sys.h"

#define MARK " truncated=true"
#define MARK_LEN (sizeof MARK - 1)
/* The fields' share of a line: the marker and the newline always fit. */
#define BODY_MAX (LOG_LINE_MAX - 1 - MARK_LEN)

_Static_assert(BODY_MAX == LOG_LINE_MAX - 16, "log.h promises the fields this much");

static const char *const level_names[] = {
	[LOG_DEBUG] = "debug",
	[LOG_INFO] = "info",
	[LOG_WARN] = "warn",
	[LOG_ERROR] = "error",
};

const char *log_level_name(enum log_level level)
{
	if ((unsigned)level >= sizeof level_names / sizeof level_names[0])
		return "unknown";
	return level_names[level];
}

/* True if s is a valid key: 1 to LOG_KEY_MAX bytes of [a-z0-9_]. */
static bool key_ok(const char *s)
{
	size_t n = 0;

	if (!s)
		return false;
	for (; s[n]; n++) {
		char c = s[n];
		if (n == LOG_KEY_MAX ||
		    !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return n > 0;
}

/* A byte that can stand in a bare value. */
static bool bare_byte(uint8_t c)
{
	return c > ' ' && c < 0x7f && c != '"' && c != '\\' && c != '=';
}

static bool needs_quotes(const char *v, size_t n)
{
	if (!n)
		return true;
	for (size_t i = 0; i < n; i++)
		if (!bare_byte((uint8_t)v[i]))
			return true;
	return false;
}

/* Writes the quoted form of byte c to out; returns its length (1, 2 or 4). */
static size_t escape(uint8_t c, char out[4])
{
	static const char hex[] = "0123456789abcdef";

	switch (c) {
	case '"':
		out[0] = '\\', out[1] = '"';
		return 2;
	case '\\':
		out[0] = '\\', out[1] = '\\';
		return 2;
	case '\n':
		out[0] = '\\', out[1] = 'n';
		return 2;
	case '\r':
		out[0] = '\\', out[1] = 'r';
		return 2;
	case '\t':
		out[0] = '\\', out[1] = 't';
		return 2;
	}
	if (c >= ' ' && c < 0x7f) {
		out[0] = (char)c;
		return 1;
	}
	out[0] = '\\', out[1] = 'x', out[2] = hex[c >> 4], out[3] = hex[c & 15];
	return 4;
}

/*
 * Appends " key=value" (no space before the first field). If the value
 * does not fit it is cut where an escape ends, keeping the closing quote;
 * if none of it fits, the field is dropped. Either way the line is marked
 * truncated and takes no more fields.
 */
static void field(struct logger *lg, const char *key, const char *v, size_t n)
{
	if (!lg->active || lg->truncated)
		return;
	size_t start = lg->len, klen = strlen(key);
	bool quoted = needs_quotes(v, n);
	/* Separator, key, '=' and both quotes fit before any value byte. */
	if ((start ? 1 : 0) + klen + 1 + (quoted ? 2 : 0) > BODY_MAX - start) {
		lg->truncated = true;
		return;
	}
	if (start)
		lg->line[lg->len++] = ' ';
	memcpy(lg->line + lg->len, key, klen);
	lg->len += klen;
	lg->line[lg->len++] = '=';
	if (quoted)
		lg->line[lg->len++] = '"';
	size_t vstart = lg->len, reserve = quoted ? 1 : 0;
	for (size_t i = 0; i < n; i++) {
		char unit[4];
		size_t u = 1;
		if (quoted)
			u = escape((uint8_t)v[i], unit);
		else
			unit[0] = v[i];
		if (u + reserve > BODY_MAX - lg->len) {
			lg->truncated = true;
			break;
		}
		memcpy(lg->line + lg->len, unit, u);
		lg->len += u;
	}
	if (lg->truncated && lg->len == vstart) {
		lg->len = start;
		return;
	}
	if (quoted)
		lg->line[lg->len++] = '"';
}

void log_init(struct logger *lg, const char *svc, enum log_level min_level, log_write_fn sink,
	      void *ctx)
{
	memset(lg, 0, sizeof *lg);
	lg->write = sink;
	lg->ctx = ctx;
	lg->service = svc ? svc : "";
	lg->min_level = min_level;
}

void log_begin(struct logger *lg, enum log_level level, const char *event)
{
	lg->len = 0;
	lg->truncated = false;
	lg->invalid = false;
	lg->active = lg->write && level >= lg->min_level;
	if (!lg->active)
		return;
	const char *name = log_level_name(level);
	field(lg, "level", name, strlen(name));
	field(lg, "svc", lg->service, strlen(lg->service));
	if (!key_ok(event)) {
		lg->invalid = true;
		event = "invalid_event";
	}
	field(lg, "event", event, strlen(event));
}

void log_strn(struct logger *lg, const char *key, const char *value, size_t n)
{
	if (!lg->active)
		return;
	if (!key_ok(key)) {
		lg->invalid = true;
		key = "invalid_key";
	}
	field(lg, key, value ? value : "", value ? n : 0);
}

void log_str(struct logger *lg, const char *key, const char *value)
{
	log_strn(lg, key, value, value ? strlen(value) : 0);
}

/* Writes v in decimal into the end of buf[20]; returns the first digit. */
static char *decimal(char buf[20], uint64_t v)
{
	char *p = buf + 20;

	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	return p;
}

void log_u64(struct logger *lg, const char *key, uint64_t value)
{
	char buf[20], *p = decimal(buf, value);

	log_strn(lg, key, p, (size_t)(buf + 20 - p));
}

void log_i64(struct logger *lg, const char *key, int64_t value)
{
	char buf[21];
	/* Negated as unsigned, so INT64_MIN needs no special case. */
	uint64_t mag = value < 0 ? -(uint64_t)value : (uint64_t)value;
	char *p = decimal(buf + 1, mag);

	if (value < 0)
		*--p = '-';
	log_strn(lg, key, p, (size_t)(buf + 21 - p));
}

void log_hex(struct logger *lg, const char *key, uint64_t value)
{
	static const char hex[] = "0123456789abcdef";
	char buf[18], *p = buf + 18;

	do
		*--p = hex[value & 15];
	while (value >>= 4);
	*--p = 'x';
	*--p = '0';
	log_strn(lg, key, p, (size_t)(buf + 18 - p));
}

void log_bool(struct logger *lg, const char *key, bool value)
{
	log_str(lg, key, value ? "true" : "false");
}

void log_status(struct logger *lg, const char *key, status_t value)
{
	const char *name = status_name(value);

	if (name[0] == '?')
		log_i64(lg, key, (int64_t)value);
	else
		log_str(lg, key, name);
}

status_t log_end(struct logger *lg)
{
	if (!lg->active)
		return STATUS_OK;
	lg->active = false;
	/* The body never exceeds BODY_MAX, so both always fit. */
	if (lg->truncated) {
		memcpy(lg->line + lg->len, MARK, MARK_LEN);
		lg->len += MARK_LEN;
	}
	lg->line[lg->len++] = '\n';
	lg->write(lg->ctx, lg->line, lg->len);
	if (lg->invalid)
		return STATUS_INVALID;
	return lg->truncated ? STATUS_RANGE : STATUS_OK;
}

static void emit_field(struct logger *lg, const struct log_field *f)
{
	switch (f->type) {
	case LOG_FIELD_STR:
		log_str(lg, f->key, f->v.s);
		break;
	case LOG_FIELD_U64:
		log_u64(lg, f->key, f->v.u);
		break;
	case LOG_FIELD_I64:
		log_i64(lg, f->key, f->v.i);
		break;
	case LOG_FIELD_HEX:
		log_hex(lg, f->key, f->v.u);
		break;
	case LOG_FIELD_BOOL:
		log_bool(lg, f->key, f->v.b);
		break;
	case LOG_FIELD_STATUS:
		log_status(lg, f->key, f->v.st);
		break;
	default:
		/* An unknown type is a caller bug: say so in the line. */
		lg->invalid = true;
		log_str(lg, f->key, "invalid_type");
		break;
	}
}

status_t log_emit(struct logger *lg, enum log_level level, const char *event, size_t n,
		  const struct log_field *fields)
{
	log_begin(lg, level, event);
	for (size_t i = 0; i < n && lg->active; i++)
		emit_field(lg, &fields[i]);
	return log_end(lg);
}
