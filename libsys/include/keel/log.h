/*
 * keel/log.h - structured logging: one line of key=value fields per event.
 *
 *   level=info svc=vfsd event=mounted dev=vblk0 label="KEEL BOOT" blocks=65536
 *
 * A service owns a struct logger (no global logger) with a sink that
 * receives finished lines, the lowest level it passes on and the
 * service's name. An event is built field by field with log_begin(),
 * log_str(), log_u64(), ... and log_end(), or in one call with log_emit()
 * and an array of struct log_field. The line goes to the sink only at
 * log_end(), whole, so lines never interleave with other output.
 *
 * The line format is fixed, so that tests compare lines byte for byte and
 * tools split them without guessing:
 *   - fields are separated by one space; the first three are always
 *     level (debug, info, warn, error), svc and event;
 *   - keys and event names are 1 to LOG_KEY_MAX bytes of [a-z0-9_]; an
 *     invalid one is written as "invalid_key" (or "invalid_event") and
 *     log_end() returns STATUS_INVALID, so the mistake shows in the log;
 *   - a value is written bare if it is non-empty and consists of
 *     printable ASCII other than space, '"', '\\' and '='; otherwise in
 *     double quotes, with \" \\ \n \r \t for those characters and \xHH
 *     (lower-case hex) for every other byte below 0x20 or above 0x7e.
 *     Lines are therefore always printable ASCII;
 *   - numbers are decimal (log_hex: 0x and lower-case hex digits),
 *     booleans true/false, statuses their status_name() ("NO_MEMORY");
 *   - the line ends with '\n', which the sink receives as part of it.
 * A line is at most LOG_LINE_MAX bytes, the newline included; its fields
 * get LOG_LINE_MAX - 16 of them, so that the marker always fits. A field
 * that does not fit is cut (a quoted value keeps its closing quote and
 * never loses half an escape; a field with no room for any of its value
 * is dropped), later fields are dropped, and the line ends with
 * " truncated=true".
 *
 * A logger builds one line at a time; the thread using it owns it.
 */
#ifndef KEEL_LOG_H
#define KEEL_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define LOG_LINE_MAX 512
#define LOG_KEY_MAX 32

enum log_level {
	LOG_DEBUG,
	LOG_INFO,
	LOG_WARN,
	LOG_ERROR,
};

/* Receives one finished line of n bytes ending in '\n' (not NUL-terminated). */
typedef void (*log_write_fn)(void *ctx, const char *line, size_t n);

struct logger {
	log_write_fn write;
	void *ctx;
	const char *service;
	enum log_level min_level;
	/* The line being built. */
	bool active; /* between log_begin and log_end, level passed */
	bool truncated;
	bool invalid; /* a key or the event name was invalid */
	size_t len;
	char line[LOG_LINE_MAX];
};

enum log_field_type {
	LOG_FIELD_STR, /* NUL-terminated string */
	LOG_FIELD_U64,
	LOG_FIELD_I64,
	LOG_FIELD_HEX,
	LOG_FIELD_BOOL,
	LOG_FIELD_STATUS,
};

struct log_field {
	const char *key;
	enum log_field_type type;
	union {
		const char *s;
		uint64_t u;
		int64_t i;
		bool b;
		status_t st;
	} v;
};

/* Initializers for a struct log_field, for log_emit()'s array. */
#define LOG_STR(k, x)                                                                              \
	{                                                                                          \
		.key = (k), .type = LOG_FIELD_STR, .v.s = (x)                                      \
	}
#define LOG_U64(k, x)                                                                              \
	{                                                                                          \
		.key = (k), .type = LOG_FIELD_U64, .v.u = (x)                                      \
	}
#define LOG_I64(k, x)                                                                              \
	{                                                                                          \
		.key = (k), .type = LOG_FIELD_I64, .v.i = (x)                                      \
	}
#define LOG_HEX(k, x)                                                                              \
	{                                                                                          \
		.key = (k), .type = LOG_FIELD_HEX, .v.u = (x)                                      \
	}
#define LOG_BOOL(k, x)                                                                             \
	{                                                                                          \
		.key = (k), .type = LOG_FIELD_BOOL, .v.b = (x)                                     \
	}
#define LOG_STATUS(k, x)                                                                           \
	{                                                                                          \
		.key = (k), .type = LOG_FIELD_STATUS, .v.st = (x)                                  \
	}

/* Sets up lg to pass events of min_level and above to sink(ctx, ...),
 * naming the service svc (a string that must outlive lg). */
void log_init(struct logger *lg, const char *svc, enum log_level min_level, log_write_fn sink,
	      void *ctx);

/* Starts a line for event at level. Below the logger's level the whole
 * line, up to and including log_end(), costs nothing and writes nothing.
 * A line begun and not ended is discarded by the next log_begin(). */
void log_begin(struct logger *lg, enum log_level level, const char *event);

/* Append one field to the line begun last. log_strn takes n bytes of
 * value, which may contain any byte; a NULL string is written as "". A
 * status without a name is written as its number. */
void log_str(struct logger *lg, const char *key, const char *value);
void log_strn(struct logger *lg, const char *key, const char *value, size_t n);
void log_u64(struct logger *lg, const char *key, uint64_t value);
void log_i64(struct logger *lg, const char *key, int64_t value);
void log_hex(struct logger *lg, const char *key, uint64_t value);
void log_bool(struct logger *lg, const char *key, bool value);
void log_status(struct logger *lg, const char *key, status_t value);

/* Finishes the line and hands it to the sink. Returns STATUS_INVALID if a
 * key or the event name was invalid, STATUS_RANGE if the line was
 * truncated, else STATUS_OK (also when the level filtered the line out). */
status_t log_end(struct logger *lg);

/* log_begin(), one field per entry of fields[0..n-1], log_end(). */
status_t log_emit(struct logger *lg, enum log_level level, const char *event, size_t n,
		  const struct log_field *fields);

/* The level's name as it appears in lines ("info"), or "unknown". */
const char *log_level_name(enum log_level level);

#endif
