/*
 * abigen.c - generates the kernel ABI from kernel/abi/syscalls.def.
 *
 * Usage: abigen SYSCALLS.DEF STATUS.DEF OUTDIR DOCS_PATH
 *
 * Reads the system-call definitions (format: the top of syscalls.def) and
 * the status codes (status.def), checks them, and writes into OUTDIR:
 *
 *   syscall_numbers.h   numbers, constants, value checks (kernel and user)
 *   syscall_handlers.h  the kernel's typed handler prototypes
 *   syscall_dispatch.c  the kernel's dispatcher: checks, then the handler
 *   syscall_stubs.h     libsys: one static inline function per call
 *   keel/sysops.h       libsys: the table of calls marked `sysops`
 *   sysops.c            libsys: that table, calling the stubs
 *
 * and the reference page to DOCS_PATH. Every problem is reported as
 * "file:line: error: ..."; if there is any, nothing is written and the exit
 * status is 1 (2 for a usage error). Output depends only on the two input
 * files, never on paths or time, so builds are reproducible.
 *
 * A host tool: plain C11 and libc.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_LINE 1024
#define MAX_NAME 32
#define MAX_ARGS 8 /* 6 in the SYSCALL registers, 8 for a register-form call */
#define MAX_RETS 7 /* 2, or 7 for a register-form call */
#define STD_ARGS 6
#define STD_RETS 2
#define MAX_CAPS 2
#define MAX_BUFS 2
#define MAX_ERRORS 32
#define MAX_SYSCALL_NUM 1023
#define MAX_SYSCALLS 256
#define MAX_ITEMS 64
#define MAX_STATUS 256
#define MAX_OBJECT_NUM 31
#define MAX_RIGHT_BIT 15

/* ------------------------------------------------------------ model */

enum type { T_U64, T_U32, T_I64, T_USIZE, T_HANDLE, T_UPTR, T_COUNT };

static const struct {
	const char *name;  /* in syscalls.def */
	const char *ctype; /* in the stubs */
	const char *kind;  /* enum syscall_arg_kind */
} types[T_COUNT] = {
	[T_U64] = { "u64", "uint64_t", "SYSARG_U64" },
	[T_U32] = { "u32", "uint32_t", "SYSARG_U32" },
	[T_I64] = { "i64", "int64_t", "SYSARG_I64" },
	[T_USIZE] = { "usize", "size_t", "SYSARG_USIZE" },
	[T_HANDLE] = { "handle", "cap_handle_t", "SYSARG_HANDLE" },
	[T_UPTR] = { "uptr", "void *", "SYSARG_UPTR" },
};

enum dir { DIR_NONE, DIR_IN, DIR_OUT, DIR_INOUT };

static const char *const dir_names[] = { "", "in", "out", "inout" };

struct status {
	char name[MAX_NAME];
	unsigned num;
	char *msg;
};

/* An object type, a right or a constant. */
struct item {
	char name[MAX_NAME];
	char value[24]; /* constants: as written */
	uint64_t num;   /* object number, right bit or constant value */
	bool ext;       /* constant defined by an included header */
	char *desc;
	int line;
};

struct param {
	char name[MAX_NAME];
	enum type type;
	enum dir dir;           /* uptr only */
	char len[MAX_NAME];     /* uptr only: usize argument or constant */
	char pointee[MAX_NAME]; /* uptr only: "char", a struct tag, or "" (void) */
	int len_arg;            /* resolved: argument index, or -1 for a constant */
	char *desc;
	int line;
	int cap; /* handle arguments: index of its cap line, or -1 */
};

struct capreq {
	char arg[MAX_NAME];
	char types[MAX_LINE];
	char rights[MAX_LINE];
	bool optional;
	bool stale_ok; /* a stale capability reaches the handler */
	bool inspect;  /* naming it is not a use (a grant-once one stays) */
	bool consumed; /* the handler empties its slot itself on success */
	int line;
	int argi;              /* resolved */
	uint32_t tmask;        /* bit per object number; 0 = any */
	uint32_t rmask;        /* bit per right */
	char tnames[MAX_LINE]; /* OBJ_* expression for the table */
	char rnames[MAX_LINE]; /* RIGHT_* expression for the table */
};

struct syscall {
	unsigned num;
	char name[MAX_NAME];
	int line;
	char *doc;
	char *text; /* lines joined by '\n', "" for a new paragraph */
	struct param args[MAX_ARGS];
	int nargs;
	struct param rets[MAX_RETS];
	int nrets;
	struct capreq caps[MAX_CAPS];
	int ncaps;
	int errors[MAX_ERRORS]; /* indices into the status table */
	int nerrors;
	char error_names[MAX_ERRORS][MAX_NAME]; /* as written, resolved later */
	int error_lines[MAX_ERRORS];
	int nerror_names;
	int errors_line; /* 0: no errors statement */
	bool errors_none;
	bool noreturn;
	bool sysops;        /* in libsys's struct sysops */
	bool regs;          /* register form: arguments 7 and 8 and results 3 to 7 */
	char via[MAX_NAME]; /* sysops_kernel calls this libsys function, not the stub */
};

/* Everything read from the two input files. */
struct abi {
	const char *path; /* file being read, for messages */
	int nerr;
	struct status status[MAX_STATUS];
	int nstatus;
	struct item objects[MAX_ITEMS], rights[MAX_ITEMS], consts[MAX_ITEMS];
	int nobjects, nrights, nconsts;
	char *includes[MAX_ITEMS];
	int nincludes;
	struct syscall *calls[MAX_SYSCALLS];
	int ncalls;
};

/* ------------------------------------------------------------ utilities */

static void oom(void)
{
	fprintf(stderr, "abigen: out of memory\n");
	exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p)
		oom();
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (!p)
		oom();
	return memcpy(p, s, n);
}

/* Reports an error at line of the file being read. */
static void error_at(struct abi *abi, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s:%d: error: ", abi->path, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abi->nerr++;
}

/* A growable output buffer. */
struct buf {
	char *p;
	size_t n, cap;
};

static void bprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		size_t room = b->cap - b->n;
		va_start(ap, fmt);
		int k = vsnprintf(b->p ? b->p + b->n : NULL, room, fmt, ap);
		va_end(ap);
		if (k < 0) {
			fprintf(stderr, "abigen: formatting failed\n");
			exit(1);
		}
		if ((size_t)k < room) {
			b->n += (size_t)k;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap - b->n <= (size_t)k)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			oom();
		b->p = p;
		b->cap = cap;
	}
}

/* Appends s with every character of esc preceded by a backslash. */
static void bescape(struct buf *b, const char *s, const char *esc)
{
	for (; *s; s++)
		bprintf(b, strchr(esc, *s) ? "\\%c" : "%c", *s);
}

/* Copies the next blank-separated word of *p into out (size n) and moves
 * *p past it. Returns its length (0: none left); a length >= n means the
 * word did not fit. */
static size_t word(const char **p, char *out, size_t n)
{
	const char *s = *p;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = 0;
	while (s[len] && s[len] != ' ' && s[len] != '\t')
		len++;
	size_t k = len < n ? len : n - 1;
	memcpy(out, s, k);
	out[k] = '\0';
	*p = s + len;
	return len;
}

/* The rest of the line, without surrounding blanks. */
static char *rest(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	char *r = xstrdup(p);
	size_t n = strlen(r);
	while (n && (r[n - 1] == ' ' || r[n - 1] == '\t'))
		r[--n] = '\0';
	return r;
}

/* Whether s is a lower-case identifier that ends in a letter or digit (so
 * that it cannot clash with the stubs' locals, which end in '_'). */
static bool lower_ident(const char *s)
{
	if (!islower((unsigned char)s[0]))
		return false;
	for (const char *c = s; *c; c++)
		if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '_')
			return false;
	return s[strlen(s) - 1] != '_';
}

static bool upper_ident(const char *s)
{
	if (!isupper((unsigned char)s[0]))
		return false;
	for (const char *c = s; *c; c++)
		if (!isupper((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '_')
			return false;
	return true;
}

/* C keywords and names the stubs use, which cannot be parameter names. */
static bool reserved(const char *s)
{
	static const char *const words[] = {
		"auto",    "break",  "case",        "char",   "const",    "continue", "default",
		"do",      "double", "else",        "enum",   "extern",   "float",    "for",
		"goto",    "if",     "inline",      "int",    "long",     "register", "restrict",
		"return",  "short",  "signed",      "sizeof", "static",   "struct",   "switch",
		"typedef", "union",  "unsigned",    "void",   "volatile", "while",    "bool",
		"true",    "false",  "syscall_raw",
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(s, words[i]))
			return true;
	return false;
}

/* Parses a decimal number, or a hexadecimal one if hex and it starts with
 * 0x. Returns false if s is not one or exceeds max. */
static bool parse_num(const char *s, bool hex, uint64_t max, uint64_t *out)
{
	int base = 10;
	if (hex && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!isxdigit((unsigned char)s[0]) || (base == 10 && !isdigit((unsigned char)s[0])))
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

static void upper(char *out, const char *s)
{
	while (*s)
		*out++ = (char)toupper((unsigned char)*s++);
	*out = '\0';
}

/* ------------------------------------------------------------ status.def */

static int find_status(const struct abi *abi, const char *name)
{
	for (int i = 0; i < abi->nstatus; i++)
		if (!strcmp(abi->status[i].name, name))
			return i;
	return -1;
}

/* Parses one STATUS(NAME, NUM, "message") line into *st. */
static bool parse_status_line(const char *s, struct status *st)
{
	const char *p = s + strlen("STATUS(");
	size_t n = 0;
	while (*p == ' ')
		p++;
	while ((isalnum((unsigned char)p[n]) || p[n] == '_') && n < MAX_NAME - 1)
		n++;
	memcpy(st->name, p, n);
	st->name[n] = '\0';
	p += n;
	if (!n || !upper_ident(st->name))
		return false;
	while (*p == ' ')
		p++;
	if (*p++ != ',')
		return false;
	char *end;
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	unsigned long v = strtoul(p, &end, 10);
	if (v > 0xffff)
		return false;
	st->num = (unsigned)v;
	p = end;
	while (*p == ' ')
		p++;
	if (*p++ != ',')
		return false;
	while (*p == ' ')
		p++;
	if (*p++ != '"')
		return false;
	const char *q = strchr(p, '"');
	if (!q || q == p || memchr(p, '\\', (size_t)(q - p)))
		return false;
	st->msg = xcalloc((size_t)(q - p) + 1, 1);
	memcpy(st->msg, p, (size_t)(q - p));
	p = q + 1;
	while (*p == ' ')
		p++;
	return *p == ')' && p[1] == '\0';
}

/* Reads f's lines into line (size MAX_LINE), stripping the newline.
 * Returns 0 at the end, -1 for an over-long line (reported), 1 otherwise. */
static int read_line(struct abi *abi, FILE *f, char *line, int lineno)
{
	if (!fgets(line, MAX_LINE, f))
		return 0;
	size_t n = strlen(line);
	if (n && line[n - 1] != '\n' && !feof(f)) {
		error_at(abi, lineno, "line longer than %d characters", MAX_LINE - 2);
		int c;
		while ((c = fgetc(f)) != EOF && c != '\n')
			;
		return -1;
	}
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return 1;
}

static void read_status(struct abi *abi, FILE *f)
{
	char line[MAX_LINE];
	int r;
	for (int lineno = 1; (r = read_line(abi, f, line, lineno)); lineno++) {
		const char *s = line;
		if (r < 0)
			continue;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || !strncmp(s, "/*", 2) || *s == '*' || !strncmp(s, "//", 2))
			continue;
		struct status st;
		if (strncmp(s, "STATUS(", 7) || !parse_status_line(s, &st)) {
			error_at(abi, lineno, "expected STATUS(NAME, NUMBER, \"message\")");
			continue;
		}
		if (find_status(abi, st.name) >= 0) {
			error_at(abi, lineno, "status %s defined twice", st.name);
			continue;
		}
		for (int i = 0; i < abi->nstatus; i++)
			if (abi->status[i].num == st.num)
				error_at(abi, lineno, "status number %u used by %s and %s", st.num,
					 abi->status[i].name, st.name);
		if (abi->nstatus == MAX_STATUS) {
			error_at(abi, lineno, "more than %d status codes", MAX_STATUS);
			return;
		}
		abi->status[abi->nstatus++] = st;
	}
	/* Codes the generator itself refers to. */
	static const char *const needed[] = {
		"OK", "INVALID", "BAD_CAP", "STALE", "NO_RIGHTS", "BAD_ADDRESS", "NO_SYSCALL",
	};
	for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++)
		if (find_status(abi, needed[i]) < 0)
			error_at(abi, 1, "status %s is missing; abigen needs it", needed[i]);
	int ok = find_status(abi, "OK");
	if (ok >= 0 && abi->status[ok].num != 0)
		error_at(abi, 1, "status OK must be 0");
}

/* ------------------------------------------------------------ syscalls.def */

static int find_item(const struct item *items, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(items[i].name, name))
			return i;
	return -1;
}

static int find_param(const struct param *ps, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(ps[i].name, name))
			return i;
	return -1;
}

static int find_type(const char *name)
{
	for (int i = 0; i < T_COUNT; i++)
		if (!strcmp(types[i].name, name))
			return i;
	return -1;
}

/* Reads the next word as a name of at most MAX_NAME - 1 characters.
 * Reports what is missing and returns false if there is none. */
static bool name_word(struct abi *abi, int line, const char **p, char *out, const char *what)
{
	size_t n = word(p, out, MAX_NAME);
	if (!n) {
		error_at(abi, line, "missing %s", what);
		return false;
	}
	if (n >= MAX_NAME) {
		error_at(abi, line, "%s '%s...' longer than %d characters", what, out,
			 MAX_NAME - 1);
		return false;
	}
	return true;
}

/* Reads the rest of the line as a description; reports it if empty or if
 * it would end a C comment. */
static char *desc_rest(struct abi *abi, int line, const char *p, const char *what)
{
	char *d = rest(p);
	if (!*d)
		error_at(abi, line, "%s has no description", what);
	if (strstr(d, "*/"))
		error_at(abi, line, "'*/' is not allowed in text");
	return d;
}

/* object NUM NAME DESC and right BIT NAME DESC. */
static void parse_item(struct abi *abi, int line, const char *p, bool object)
{
	struct item *items = object ? abi->objects : abi->rights;
	int *n = object ? &abi->nobjects : &abi->nrights;
	const char *what = object ? "object" : "right";
	uint64_t max = object ? MAX_OBJECT_NUM : MAX_RIGHT_BIT;
	char num[MAX_NAME];
	struct item it = { .line = line };

	if (!name_word(abi, line, &p, num, object ? "object number" : "right bit"))
		return;
	if (!parse_num(num, false, max, &it.num) || (object && it.num == 0)) {
		error_at(abi, line, "%s number '%s' is not in %d..%d", what, num, object ? 1 : 0,
			 (int)max);
		return;
	}
	if (!name_word(abi, line, &p, it.name, "name"))
		return;
	if (!lower_ident(it.name)) {
		error_at(abi, line, "%s name '%s' is not a lower-case identifier", what, it.name);
		return;
	}
	it.desc = desc_rest(abi, line, p, it.name);
	for (int i = 0; i < *n; i++) {
		if (!strcmp(items[i].name, it.name))
			error_at(abi, line, "%s '%s' already defined at line %d", what, it.name,
				 items[i].line);
		else if (items[i].num == it.num)
			error_at(abi, line, "%s number %" PRIu64 " already used by '%s'", what,
				 it.num, items[i].name);
	}
	if (*n == MAX_ITEMS) {
		error_at(abi, line, "more than %d of %s", MAX_ITEMS, what);
		return;
	}
	items[(*n)++] = it;
}

/* const NAME VALUE DESC and extern NAME VALUE DESC. */
static void parse_const(struct abi *abi, int line, const char *p, bool ext)
{
	struct item it = { .line = line, .ext = ext };
	if (!name_word(abi, line, &p, it.name, "constant name"))
		return;
	if (!upper_ident(it.name)) {
		error_at(abi, line, "constant name '%s' is not an upper-case identifier", it.name);
		return;
	}
	size_t n = word(&p, it.value, sizeof it.value);
	if (!n || n >= sizeof it.value || !parse_num(it.value, true, UINT64_MAX, &it.num)) {
		error_at(abi, line, "constant %s: value '%s' is not a number", it.name, it.value);
		return;
	}
	it.desc = desc_rest(abi, line, p, it.name);
	int i = find_item(abi->consts, abi->nconsts, it.name);
	if (i >= 0) {
		error_at(abi, line, "constant %s already defined at line %d", it.name,
			 abi->consts[i].line);
		return;
	}
	if (abi->nconsts == MAX_ITEMS) {
		error_at(abi, line, "more than %d constants", MAX_ITEMS);
		return;
	}
	abi->consts[abi->nconsts++] = it;
}

/* syscall NUM NAME: starts a new call. */
static struct syscall *parse_syscall(struct abi *abi, int line, const char *p)
{
	char num[MAX_NAME];
	struct syscall *sc;
	uint64_t v = 0;

	if (abi->ncalls == MAX_SYSCALLS) {
		error_at(abi, line, "more than %d system calls", MAX_SYSCALLS);
		return NULL;
	}
	sc = xcalloc(1, sizeof *sc);
	sc->line = line;
	sc->text = xstrdup("");
	abi->calls[abi->ncalls++] = sc;
	if (!name_word(abi, line, &p, num, "syscall number"))
		return sc;
	if (!parse_num(num, false, MAX_SYSCALL_NUM, &v) || v == 0)
		error_at(abi, line, "syscall number '%s' is not in 1..%d", num, MAX_SYSCALL_NUM);
	sc->num = (unsigned)v;
	if (!name_word(abi, line, &p, sc->name, "syscall name"))
		return sc;
	/* sys_<noun>_<verb> */
	const char *noun = sc->name + 4;
	if (strncmp(sc->name, "sys_", 4) || !lower_ident(noun) || !strchr(noun, '_') ||
	    strstr(noun, "__"))
		error_at(abi, line, "syscall name '%s' is not sys_<noun>_<verb>", sc->name);
	char *r = rest(p);
	if (*r)
		error_at(abi, line, "unexpected '%s' after the syscall name", r);
	free(r);
	for (int i = 0; i < abi->ncalls - 1; i++) {
		const struct syscall *o = abi->calls[i];
		if (o->name[0] && !strcmp(o->name, sc->name))
			error_at(abi, line, "syscall %s already defined at line %d", sc->name,
				 o->line);
		if (o->num && o->num == sc->num)
			error_at(abi, line, "syscall number %u already used by %s at line %d",
				 sc->num, o->name, o->line);
	}
	return sc;
}

/* A user pointer's DIR=LEN[,TYPE] word at *p, into pm; false (reported)
 * if it is malformed. */
static bool parse_uptr(struct abi *abi, int line, const char **p, struct param *pm)
{
	char spec[MAX_LINE];
	word(p, spec, sizeof spec);
	char *eq = strchr(spec, '=');
	if (eq)
		*eq = '\0';
	for (int d = DIR_IN; d <= DIR_INOUT; d++)
		if (eq && !strcmp(spec, dir_names[d]))
			pm->dir = (enum dir)d;
	char *comma = eq ? strchr(eq + 1, ',') : NULL;
	if (comma)
		*comma = '\0';
	if (!pm->dir || !eq[1] || strlen(eq + 1) >= MAX_NAME) {
		error_at(abi, line, "user pointer '%s' needs in=LEN, out=LEN or inout=LEN",
			 pm->name);
		return false;
	}
	if (comma && (strlen(comma + 1) >= MAX_NAME || !lower_ident(comma + 1) ||
		      (reserved(comma + 1) && strcmp(comma + 1, "char")))) {
		error_at(abi, line, "user pointer '%s': '%s' is not char or a struct tag", pm->name,
			 comma + 1);
		return false;
	}
	strcpy(pm->len, eq + 1);
	if (comma)
		strcpy(pm->pointee, comma + 1);
	return true;
}

/* arg TYPE NAME [DIR=LEN] DESC and ret TYPE NAME DESC. */
static void parse_param(struct abi *abi, struct syscall *sc, int line, const char *p, bool ret)
{
	char tname[MAX_NAME];
	struct param pm = { .line = line, .cap = -1, .len_arg = -1 };
	int max = ret ? MAX_RETS : MAX_ARGS;
	int *n = ret ? &sc->nrets : &sc->nargs;

	if (*n == max) {
		error_at(abi, line, "%s has more than %d %s", sc->name, max,
			 ret ? "results" : "arguments");
		return;
	}
	if (!name_word(abi, line, &p, tname, "type"))
		return;
	int t = find_type(tname);
	if (t < 0) {
		error_at(abi, line, "unknown type '%s' (u64, u32, i64, usize, handle, uptr)",
			 tname);
		return;
	}
	if (ret && t == T_UPTR) {
		error_at(abi, line, "a result cannot be a user pointer");
		return;
	}
	pm.type = (enum type)t;
	if (!name_word(abi, line, &p, pm.name, "name"))
		return;
	if (!lower_ident(pm.name) || reserved(pm.name)) {
		error_at(abi, line, "'%s' cannot be a parameter name", pm.name);
		return;
	}
	if (find_param(sc->args, sc->nargs, pm.name) >= 0 ||
	    find_param(sc->rets, sc->nrets, pm.name) >= 0) {
		error_at(abi, line, "%s: parameter '%s' defined twice", sc->name, pm.name);
		return;
	}
	if (t == T_UPTR && !parse_uptr(abi, line, &p, &pm))
		return;
	pm.desc = desc_rest(abi, line, p, pm.name);
	(ret ? sc->rets : sc->args)[(*n)++] = pm;
}

/* cap ARG TYPES RIGHTS [optional] [stale-ok] [inspect] [consumed]; names are resolved
 * later. */
static void parse_cap(struct abi *abi, struct syscall *sc, int line, const char *p)
{
	struct capreq c = { .line = line, .argi = -1 };
	char opt[MAX_NAME];
	size_t n;

	if (sc->ncaps == MAX_CAPS) {
		error_at(abi, line, "%s has more than %d cap lines", sc->name, MAX_CAPS);
		return;
	}
	if (!name_word(abi, line, &p, c.arg, "argument name"))
		return;
	if (!word(&p, c.types, sizeof c.types) || !word(&p, c.rights, sizeof c.rights)) {
		error_at(abi, line, "expected cap ARG TYPES RIGHTS [optional]");
		return;
	}
	while ((n = word(&p, opt, sizeof opt))) {
		if (!strcmp(opt, "optional") && !c.optional) {
			c.optional = true;
		} else if (!strcmp(opt, "stale-ok") && !c.stale_ok) {
			c.stale_ok = true;
		} else if (!strcmp(opt, "inspect") && !c.inspect) {
			c.inspect = true;
		} else if (!strcmp(opt, "consumed") && !c.consumed) {
			c.consumed = true;
		} else {
			error_at(abi, line,
				 "unexpected '%s' in cap line (optional, stale-ok, "
				 "inspect and consumed may follow, once each)",
				 opt);
			return;
		}
	}
	char *r = rest(p);
	if (*r)
		error_at(abi, line, "unexpected '%s' at the end of the cap line", r);
	free(r);
	sc->caps[sc->ncaps++] = c;
}

/* errors NAME... | errors none; names are resolved later. */
static void parse_errors(struct abi *abi, struct syscall *sc, int line, const char *p)
{
	char name[MAX_NAME];
	bool first = !sc->errors_line, none = false;
	int count = 0;
	size_t n;

	if (sc->errors_none)
		error_at(abi, line, "errors after 'errors none'");
	if (first)
		sc->errors_line = line;
	while ((n = word(&p, name, sizeof name))) {
		count++;
		if (n >= sizeof name) {
			error_at(abi, line, "status name '%s...' too long", name);
		} else if (!strcmp(name, "none")) {
			none = true;
		} else if (sc->nerror_names == MAX_ERRORS) {
			error_at(abi, line, "%s lists more than %d errors", sc->name, MAX_ERRORS);
			return;
		} else {
			strcpy(sc->error_names[sc->nerror_names], name);
			sc->error_lines[sc->nerror_names++] = line;
		}
	}
	if (!count)
		error_at(abi, line, "errors needs status names or 'none'");
	if (none && (count > 1 || !first))
		error_at(abi, line, "'errors none' must be the only errors statement");
	sc->errors_none |= none;
}

/* text TEXT: a line of the long description; a bare "text" ends a
 * paragraph. Stored as lines joined by '\n', paragraphs by an empty line. */
static void append_text(struct abi *abi, struct syscall *sc, int line, const char *p)
{
	char *t = rest(p);
	size_t n = strlen(sc->text);
	if (strstr(t, "*/"))
		error_at(abi, line, "'*/' is not allowed in text");
	if (*t || (n && sc->text[n - 1] != '\n')) {
		char *joined = xcalloc(n + strlen(t) + 2, 1);
		sprintf(joined, "%s%s%s", sc->text, n ? "\n" : "", t);
		free(sc->text);
		sc->text = joined;
	}
	free(t);
}

/* A flag statement (noreturn, sysops) of sc: nothing may follow it. */
static void parse_flag(struct abi *abi, int line, const char *p, const char *kw, bool *flag)
{
	char *t = rest(p);
	if (*t)
		error_at(abi, line, "unexpected '%s' after %s", t, kw);
	free(t);
	*flag = true;
}

/* sysops [FUNC]: in struct sysops; sysops_kernel calls FUNC (a libsys
 * function with the stub's parameters, declared in keel/sys.h) if given. */
static void parse_sysops(struct abi *abi, struct syscall *sc, int line, const char *p)
{
	char *t = rest(p);
	if (*t && (strlen(t) >= MAX_NAME || !lower_ident(t)))
		error_at(abi, line, "sysops takes at most a function name, not '%s'", t);
	else
		strcpy(sc->via, t);
	free(t);
	sc->sysops = true;
}

/* A statement inside a syscall block: kw with the rest p. Returns false if
 * kw is not one. */
static bool parse_inner(struct abi *abi, struct syscall *sc, int line, const char *kw,
			const char *p)
{
	static const char *const inner[] = {
		"doc", "text", "arg", "ret", "cap", "errors", "noreturn", "sysops", "regs",
	};
	bool known = false;
	for (size_t i = 0; i < sizeof inner / sizeof inner[0]; i++)
		known |= !strcmp(kw, inner[i]);
	if (!known)
		return false;
	if (!sc)
		error_at(abi, line, "'%s' outside a syscall", kw);
	else if (!strcmp(kw, "doc") && sc->doc)
		error_at(abi, line, "%s has a second doc line", sc->name);
	else if (!strcmp(kw, "doc"))
		sc->doc = desc_rest(abi, line, p, "doc");
	else if (!strcmp(kw, "text"))
		append_text(abi, sc, line, p);
	else if (!strcmp(kw, "arg") || !strcmp(kw, "ret"))
		parse_param(abi, sc, line, p, kw[0] == 'r');
	else if (!strcmp(kw, "cap"))
		parse_cap(abi, sc, line, p);
	else if (!strcmp(kw, "errors"))
		parse_errors(abi, sc, line, p);
	else if (!strcmp(kw, "sysops"))
		parse_sysops(abi, sc, line, p);
	else if (!strcmp(kw, "regs"))
		parse_flag(abi, line, p, kw, &sc->regs);
	else
		parse_flag(abi, line, p, kw, &sc->noreturn);
	return true;
}

/* A statement outside syscall blocks (include, object, right, const,
 * extern, syscall), which may start a new block *sc. Returns false if kw
 * is not one. */
static bool parse_outer(struct abi *abi, struct syscall **sc, int line, const char *kw,
			const char *p)
{
	if (!strcmp(kw, "include")) {
		char *path = rest(p);
		if (!*path || strchr(path, ' ') || strchr(path, '"') || abi->nincludes == MAX_ITEMS)
			error_at(abi, line, "include needs one header path");
		else
			abi->includes[abi->nincludes++] = path;
	} else if (!strcmp(kw, "object") || !strcmp(kw, "right")) {
		parse_item(abi, line, p, kw[0] == 'o');
	} else if (!strcmp(kw, "const") || !strcmp(kw, "extern")) {
		parse_const(abi, line, p, kw[0] == 'e');
	} else if (!strcmp(kw, "syscall")) {
		*sc = parse_syscall(abi, line, p);
	} else {
		return false;
	}
	return true;
}

static void parse_defs(struct abi *abi, FILE *f)
{
	char line[MAX_LINE], kw[MAX_NAME];
	struct syscall *sc = NULL;
	int r;

	for (int lineno = 1; (r = read_line(abi, f, line, lineno)); lineno++) {
		const char *p = line;
		if (r < 0)
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		size_t n = word(&p, kw, sizeof kw);
		if (n >= sizeof kw)
			error_at(abi, lineno, "unknown statement '%s...'", kw);
		else if (!parse_outer(abi, &sc, lineno, kw, p) &&
			 !parse_inner(abi, sc, lineno, kw, p))
			error_at(abi, lineno, "unknown statement '%s'", kw);
	}
}

/* ------------------------------------------------------------ checks */

/* Resolves a list like "memory|mmio" against items into a bit mask and a
 * C expression (each name upper-cased through cfmt, joined by " | "). The
 * word empty ("any", "none") stands for the empty list, expression "0". */
static void resolve_list(struct abi *abi, int line, const char *list, const char *empty,
			 const struct item *items, int n, const char *what, uint32_t *mask,
			 char *expr, size_t exprsize, const char *cfmt)
{
	char copy[MAX_LINE];
	size_t used = 0;

	*mask = 0;
	snprintf(expr, exprsize, "0");
	if (!strcmp(list, empty))
		return;
	snprintf(copy, sizeof copy, "%s", list);
	for (char *s = copy, *bar; s; s = bar ? bar + 1 : NULL) {
		bar = strchr(s, '|');
		if (bar)
			*bar = '\0';
		int i = find_item(items, n, s);
		if (i < 0) {
			error_at(abi, line, "unknown %s '%s'", what, s);
			continue;
		}
		if (*mask & (1u << items[i].num))
			error_at(abi, line, "%s '%s' listed twice", what, s);
		*mask |= 1u << items[i].num;
		char up[MAX_NAME];
		upper(up, s);
		used += (size_t)snprintf(expr + used, exprsize - used, cfmt, used ? " | " : "", up);
	}
}

static void check_caps(struct abi *abi, struct syscall *sc)
{
	for (int i = 0; i < sc->ncaps; i++) {
		struct capreq *c = &sc->caps[i];
		c->argi = find_param(sc->args, sc->nargs, c->arg);
		if (c->argi < 0) {
			error_at(abi, c->line, "%s has no argument '%s'", sc->name, c->arg);
			continue;
		}
		struct param *a = &sc->args[c->argi];
		if (a->type != T_HANDLE) {
			error_at(abi, c->line, "cap line for '%s', which is not a handle", c->arg);
			continue;
		}
		if (a->cap >= 0) {
			error_at(abi, c->line, "second cap line for '%s'", c->arg);
			continue;
		}
		a->cap = i;
		resolve_list(abi, c->line, c->types, "any", abi->objects, abi->nobjects,
			     "object type", &c->tmask, c->tnames, sizeof c->tnames,
			     "%sSYSCALL_OBJ(OBJ_%s)");
		resolve_list(abi, c->line, c->rights, "none", abi->rights, abi->nrights, "right",
			     &c->rmask, c->rnames, sizeof c->rnames, "%sRIGHT_%s");
	}
	for (int i = 0; i < sc->nargs; i++)
		if (sc->args[i].type == T_HANDLE && sc->args[i].cap < 0)
			error_at(abi, sc->args[i].line,
				 "handle '%s' has no cap line (say which object and rights it "
				 "needs)",
				 sc->args[i].name);
}

static void check_bufs(struct abi *abi, struct syscall *sc)
{
	int nbufs = 0;
	for (int i = 0; i < sc->nargs; i++) {
		struct param *a = &sc->args[i];
		if (a->type != T_UPTR)
			continue;
		if (++nbufs > MAX_BUFS)
			error_at(abi, a->line, "%s has more than %d user pointers", sc->name,
				 MAX_BUFS);
		int j = find_param(sc->args, sc->nargs, a->len);
		if (j >= 0) {
			if (sc->args[j].type != T_USIZE)
				error_at(abi, a->line,
					 "length of '%s' is '%s', which is not a usize", a->name,
					 a->len);
			a->len_arg = j;
			continue;
		}
		if (find_item(abi->consts, abi->nconsts, a->len) < 0)
			error_at(abi, a->line,
				 "length of '%s' is '%s', neither an argument nor a constant",
				 a->name, a->len);
	}
}

/* Whether sc lists the status named name. */
static bool lists(const struct abi *abi, const struct syscall *sc, const char *name)
{
	int s = find_status(abi, name);
	for (int i = 0; i < sc->nerrors; i++)
		if (sc->errors[i] == s)
			return true;
	return false;
}

static void check_errors(struct abi *abi, struct syscall *sc)
{
	for (int i = 0; i < sc->nerror_names; i++) {
		const char *name = sc->error_names[i];
		int line = sc->error_lines[i];
		int s = find_status(abi, name);
		if (s < 0) {
			error_at(abi, line, "unknown status '%s' (not in status.def)", name);
			continue;
		}
		if (!strcmp(name, "OK") || !strcmp(name, "NO_SYSCALL")) {
			error_at(abi, line, "%s is implied and cannot be listed", name);
			continue;
		}
		if (lists(abi, sc, name)) {
			error_at(abi, line, "status %s listed twice", name);
			continue;
		}
		sc->errors[sc->nerrors++] = s;
	}
	if (!sc->errors_line) {
		error_at(abi, sc->line, "%s has no errors line (list them, or say 'errors none')",
			 sc->name);
		return;
	}
	/* What the dispatcher can return before the handler runs. */
	bool u32 = false, handle = false, rights = false, uptr = false;
	for (int i = 0; i < sc->nargs; i++) {
		u32 |= sc->args[i].type == T_U32;
		handle |= sc->args[i].type == T_HANDLE;
		uptr |= sc->args[i].type == T_UPTR;
	}
	for (int i = 0; i < sc->ncaps; i++)
		rights |= strcmp(sc->caps[i].rights, "none") != 0;
	const struct {
		bool when;
		const char *status, *why;
	} implied[] = {
		{ u32, "INVALID", "a u32 argument" },
		{ handle, "BAD_CAP", "a handle argument" },
		{ handle, "STALE", "a handle argument" },
		{ rights, "NO_RIGHTS", "a cap line with rights" },
		{ uptr, "BAD_ADDRESS", "a user pointer" },
	};
	for (size_t i = 0; i < sizeof implied / sizeof implied[0]; i++)
		if (implied[i].when && find_status(abi, implied[i].status) >= 0 &&
		    !lists(abi, sc, implied[i].status))
			error_at(abi, sc->errors_line, "%s takes %s, so its errors must include %s",
				 sc->name, implied[i].why, implied[i].status);
}

static void check_syscall(struct abi *abi, struct syscall *sc)
{
	if (!sc->name[0])
		return; /* its syscall line was already reported */
	if (!sc->doc)
		error_at(abi, sc->line, "%s has no doc line", sc->name);
	check_caps(abi, sc);
	check_bufs(abi, sc);
	check_errors(abi, sc);
	if (sc->noreturn && sc->nrets)
		error_at(abi, sc->line, "%s is noreturn but has results", sc->name);
	if (!sc->regs && sc->nargs > STD_ARGS)
		error_at(abi, sc->args[STD_ARGS].line, "%s has more than %d arguments", sc->name,
			 STD_ARGS);
	if (!sc->regs && sc->nrets > STD_RETS)
		error_at(abi, sc->rets[STD_RETS].line, "%s has more than %d results", sc->name,
			 STD_RETS);
	if (sc->regs && (sc->noreturn || sc->sysops))
		error_at(abi, sc->line, "%s: a register-form call cannot be noreturn or in sysops",
			 sc->name);
	if (sc->noreturn && sc->sysops)
		error_at(abi, sc->line, "%s is noreturn and cannot be in sysops", sc->name);
	if (sc->noreturn && sc->errors_line && !sc->errors_none)
		error_at(abi, sc->errors_line, "%s is noreturn, so its errors must be 'none'",
			 sc->name);
}

static void check_abi(struct abi *abi)
{
	if (!abi->ncalls)
		error_at(abi, 1, "no syscall defined");
	for (int k = 0; k < abi->ncalls; k++)
		check_syscall(abi, abi->calls[k]);
}

/* ------------------------------------------------------------ output helpers */

static int by_number(const void *a, const void *b)
{
	const struct syscall *x = *(struct syscall *const *)a;
	const struct syscall *y = *(struct syscall *const *)b;
	return (x->num > y->num) - (x->num < y->num);
}

/* "cap_derive" from "sys_cap_derive". */
static const char *stem(const struct syscall *sc)
{
	return sc->name + 4;
}

static void enum_name(char *out, const struct syscall *sc)
{
	strcpy(out, "SYS_");
	upper(out + 4, stem(sc));
}

/* The C type of a parameter in the stubs ("const struct keel_msg *"); the
 * returned string lives until the next call. */
static const char *ctype(const struct param *p)
{
	static char t[2 * MAX_NAME + 16];
	if (p->type != T_UPTR)
		return types[p->type].ctype;
	snprintf(t, sizeof t, "%s%s%s *", p->dir == DIR_IN ? "const " : "",
		 !p->pointee[0]                ? "void"
		 : !strcmp(p->pointee, "char") ? ""
					       : "struct ",
		 p->pointee);
	return t;
}

/* Appends the C parameter list of the stub of sc. */
static void stub_params(struct buf *b, const struct syscall *sc)
{
	int n = 0;
	for (int i = 0; i < sc->nargs; i++, n++) {
		const char *t = ctype(&sc->args[i]);
		size_t tl = strlen(t);
		bprintf(b, "%s%s%s%s", n ? ", " : "", t, t[tl - 1] == '*' ? "" : " ",
			sc->args[i].name);
	}
	for (int i = 0; i < sc->nrets; i++, n++)
		bprintf(b, "%s%s *%s", n ? ", " : "", ctype(&sc->rets[i]), sc->rets[i].name);
	if (!n)
		bprintf(b, "void");
}

/* Describes what a capability argument needs: "inbox with send", or in
 * Markdown "inbox with `send`". */
static void cap_text(struct buf *b, const struct capreq *c, bool md)
{
	const char *q = md ? "`" : "";
	if (!strcmp(c->types, "any"))
		bprintf(b, "any object");
	for (const char *s = c->types; strcmp(c->types, "any") && *s; s++) {
		if (*s == '|')
			bprintf(b, " or ");
		else
			bprintf(b, "%c", *s);
	}
	if (strcmp(c->rights, "none")) {
		bprintf(b, " with %s", q);
		for (const char *s = c->rights; *s; s++) {
			if (*s == '|')
				bprintf(b, "%s and %s", q, q);
			else
				bprintf(b, "%c", *s);
		}
		bprintf(b, "%s", q);
	}
	if (c->optional)
		bprintf(b, "; optional");
}

/* Appends text (see append_text) line by line, a blank line between
 * paragraphs. */
static void paragraphs(struct buf *b, const char *text)
{
	if (*text)
		bprintf(b, "%s\n", text);
}

static void banner(struct buf *b, const char *file, const char *what)
{
	bprintf(b,
		"/*\n * %s - %s\n *\n"
		" * Generated by abigen from kernel/abi/syscalls.def and status.def.\n"
		" * Do not edit: change the definitions and rebuild.\n */\n",
		file, what);
}

/* ------------------------------------------------------------ syscall_numbers.h */

static void gen_numbers(struct buf *b, const struct abi *abi, struct syscall **calls)
{
	banner(b, "syscall_numbers.h", "system call numbers and ABI constants.");
	bprintf(b, "#ifndef KEEL_ABI_SYSCALL_NUMBERS_H\n#define KEEL_ABI_SYSCALL_NUMBERS_H\n\n");
	bprintf(b, "#include <stdint.h>\n\n");
	for (int i = 0; i < abi->nincludes; i++)
		bprintf(b, "#include \"%s\"\n", abi->includes[i]);
	bprintf(b,
		"\n/* System call numbers. 0 is never a call: it returns STATUS_NO_SYSCALL. */\n");
	bprintf(b, "enum syscall_number {\n");
	unsigned last = 0;
	for (int i = 0; i < abi->ncalls; i++) {
		char e[MAX_NAME + 4];
		enum_name(e, calls[i]);
		bprintf(b, "\t%s = %u,\n", e, calls[i]->num);
		last = calls[i]->num;
	}
	bprintf(b, "\tSYS_COUNT = %u\t/* one more than the highest number */\n};\n", last + 1);

	bprintf(b, "\n/* Constants of the system-call interface. */\n");
	for (int i = 0; i < abi->nconsts; i++) {
		const struct item *c = &abi->consts[i];
		if (c->ext)
			continue;
		bprintf(b, "#define %s %s%s\t/* %s */\n", c->name, c->value,
			c->num > INT32_MAX ? "ull" : "", c->desc);
	}

	bprintf(b, "\n/* The definitions and the included headers agree. */\n");
	for (int i = 0; i < abi->nconsts; i++) {
		const struct item *c = &abi->consts[i];
		if (c->ext)
			bprintf(b, "_Static_assert(%s == %s%s, \"%s is %s in syscalls.def\");\n",
				c->name, c->value, c->num > INT32_MAX ? "ull" : "", c->name,
				c->value);
	}
	for (int i = 0; i < abi->nobjects; i++) {
		char up[MAX_NAME];
		upper(up, abi->objects[i].name);
		bprintf(b,
			"_Static_assert(OBJ_%s == %" PRIu64 ", \"object %s is %" PRIu64
			" in syscalls.def\");\n",
			up, abi->objects[i].num, abi->objects[i].name, abi->objects[i].num);
	}
	for (int i = 0; i < abi->nrights; i++) {
		char up[MAX_NAME];
		upper(up, abi->rights[i].name);
		bprintf(b,
			"_Static_assert(RIGHT_%s == 1u << %" PRIu64 ", \"right %s is bit %" PRIu64
			" in syscalls.def\");\n",
			up, abi->rights[i].num, abi->rights[i].name, abi->rights[i].num);
	}
	bprintf(b, "\n#endif\n");
}

/* ------------------------------------------------------------ syscall_handlers.h */

/* The C type of a parameter in the kernel's typed handlers. */
static const char *ktype(const struct param *p)
{
	if (p->type == T_HANDLE)
		return "const struct cap_arg *";
	if (p->type == T_UPTR)
		return "uaddr_t ";
	static char t[MAX_NAME + 2];
	snprintf(t, sizeof t, "%s ", types[p->type].ctype);
	return t;
}

/* Appends the parameter list of sc's handler, after the context. */
static void handler_params(struct buf *b, const struct syscall *sc)
{
	bprintf(b, "struct syscall_ctx *ctx");
	for (int i = 0; i < sc->nargs; i++)
		bprintf(b, ", %s%s", ktype(&sc->args[i]), sc->args[i].name);
	for (int i = 0; i < sc->nrets; i++)
		bprintf(b, ", %s *%s", types[sc->rets[i].type].ctype, sc->rets[i].name);
}

static void gen_handlers_h(struct buf *b, const struct abi *abi, struct syscall **calls)
{
	banner(b, "syscall_handlers.h", "the kernel's system-call handlers, typed.");
	bprintf(b,
		"#ifndef KEEL_GEN_SYSCALL_HANDLERS_H\n#define KEEL_GEN_SYSCALL_HANDLERS_H\n\n"
		"#include <stddef.h>\n#include <stdint.h>\n\n"
		"#include \"abi/status.h\"\n#include \"core/mm/vspace.h\"\n"
		"#include \"syscall_numbers.h\"\n\n"
		"struct syscall_ctx;\nstruct cap_arg;\n\n"
		"/* The caller's argument registers: rdi, rsi, rdx, r10, r8, r9, and for\n"
		" * a register-form call rbx and r12. */\n"
		"struct syscall_args {\n\tuint64_t a[%d];\n};\n\n"
		"/* Results, returned in rdx and r8 (0 when unused). A register-form\n"
		" * call's results 3 to 7, on OK only, are stored straight into the\n"
		" * caller's saved r10, r9, rsi, rdi and rbx: more[SYSCALL_RET3_SLOT] to\n"
		" * more[SYSCALL_RET7_SLOT], where more points at the saved rdi (the\n"
		" * order of x86-64's struct trap_frame: rdi, rsi, rdx, r10, r8, r9, rbx,\n"
		" * r12). Other calls never touch more. */\n"
		"struct syscall_ret {\n\tuint64_t r[%d];\n\tuint64_t *more;\n};\n\n"
		"#define SYSCALL_MORE_SLOTS 7\n"
		"#define SYSCALL_RET3_SLOT 3 /* r10 */\n"
		"#define SYSCALL_RET4_SLOT 5 /* r9 */\n"
		"#define SYSCALL_RET5_SLOT 1 /* rsi */\n"
		"#define SYSCALL_RET6_SLOT 0 /* rdi */\n"
		"#define SYSCALL_RET7_SLOT 6 /* rbx */\n\n"
		"/*\n"
		" * Runs call nr with the argument registers a: checks every argument\n"
		" * against its definition - a u32 with high bits is INVALID, a handle\n"
		" * with high bits BAD_CAP, and each capability argument is looked up\n"
		" * with the types and rights its cap line names (BAD_CAP, STALE,\n"
		" * NO_RIGHTS) - then calls the typed handler below and stores its\n"
		" * results in r. An unknown nr is STATUS_NO_SYSCALL.\n"
		" */\n"
		"status_t syscall_dispatch(struct syscall_ctx *ctx, uint64_t nr,\n"
		"\t\t\t  const struct syscall_args *a, struct syscall_ret *r);\n\n"
		"/*\n"
		" * One handler per call, with the call's arguments in order: a handle\n"
		" * arrives as the capability the dispatcher looked up, a user pointer as\n"
		" * a uaddr_t (reach it only with copy_from_user and copy_to_user), and\n"
		" * each result through a pointer to a zeroed variable.\n"
		" */\n",
		MAX_ARGS, STD_RETS);
	for (int i = 0; i < abi->ncalls; i++) {
		const struct syscall *sc = calls[i];
		bprintf(b, "\n/* %s (%u): %s\n", sc->name, sc->num, sc->doc);
		for (int j = 0; j < sc->nargs; j++) {
			const struct param *pa = &sc->args[j];
			bprintf(b, " *   %-9s %s", pa->name, types[pa->type].name);
			if (pa->cap >= 0) {
				bprintf(b, ": ");
				cap_text(b, &sc->caps[pa->cap], false);
				if (sc->caps[pa->cap].stale_ok)
					bprintf(b, "; may be stale");
			}
			bprintf(b, "\n");
		}
		for (int j = 0; j < sc->nrets; j++)
			bprintf(b, " *   %-9s %s, result\n", sc->rets[j].name,
				types[sc->rets[j].type].name);
		bprintf(b, " */\n%s ksys_%s(", sc->noreturn ? "_Noreturn void" : "status_t",
			stem(sc));
		handler_params(b, sc);
		bprintf(b, ");\n");
	}
	bprintf(b, "\n#endif\n");
}

/* ------------------------------------------------------------ syscall_dispatch.c */

/* Appends "(a->a[i] | ...) >> 32" over the arguments of type t, or
 * nothing when there are none; returns whether there were. */
static bool high_bits(struct buf *b, const struct syscall *sc, enum type t)
{
	int n = 0;
	for (int i = 0; i < sc->nargs; i++)
		n += sc->args[i].type == t;
	if (!n)
		return false;
	bprintf(b, "\t\tif (%s", n > 1 ? "(" : "");
	for (int i = 0, k = 0; i < sc->nargs; i++)
		if (sc->args[i].type == t)
			bprintf(b, "%sa->a[%d]", k++ ? " | " : "", i);
	bprintf(b, "%s >> 32)\n", n > 1 ? ")" : "");
	return true;
}

static void dispatch_case(struct buf *b, const struct syscall *sc)
{
	char e[MAX_NAME + 4];
	enum_name(e, sc);
	bprintf(b, "\tcase %s: {\n", e);
	for (int j = 0; j < sc->ncaps; j++)
		bprintf(b, "\t\tstruct cap_arg c_%s;\n", sc->caps[j].arg);
	for (int j = 0; j < sc->nrets; j++)
		bprintf(b, "\t\t%s o_%s = 0;\n", types[sc->rets[j].type].ctype, sc->rets[j].name);
	if (high_bits(b, sc, T_U32))
		bprintf(b, "\t\t\treturn STATUS_INVALID;\n");
	if (high_bits(b, sc, T_HANDLE))
		bprintf(b, "\t\t\treturn STATUS_BAD_CAP;\n");
	for (int j = 0; j < sc->ncaps; j++) {
		const struct capreq *c = &sc->caps[j];
		const char *flags = c->optional && c->stale_ok
					    ? "SYSCALL_CAP_OPTIONAL | SYSCALL_CAP_STALE_OK"
				    : c->optional ? "SYSCALL_CAP_OPTIONAL"
				    : c->stale_ok ? "SYSCALL_CAP_STALE_OK"
						  : "0";
		bprintf(b, "\t\t%s(st = syscall_cap(ctx, a->a[%d], %s, %s, %s, &c_%s))%s\n",
			j ? "    " : "if (", c->argi, c->tnames, c->rnames, flags, c->arg,
			j + 1 < sc->ncaps ? " ||" : ")");
	}
	if (sc->ncaps)
		bprintf(b, "\t\t\treturn st;\n");
	int used = 0;
	for (int j = 0; j < sc->ncaps; j++)
		used += !sc->caps[j].inspect && !sc->caps[j].consumed;
	bprintf(b, "\t\t%sksys_%s(ctx",
		sc->noreturn        ? ""
		: sc->nrets || used ? "st = "
				    : "return ",
		stem(sc));
	for (int j = 0; j < sc->nargs; j++) {
		const struct param *pa = &sc->args[j];
		if (pa->type == T_HANDLE)
			bprintf(b, ", &c_%s", pa->name);
		else if (pa->type == T_UPTR)
			bprintf(b, ", (uaddr_t){ a->a[%d] }", j);
		else if (pa->type == T_U64)
			bprintf(b, ", a->a[%d]", j);
		else
			bprintf(b, ", (%s)a->a[%d]", types[pa->type].ctype, j);
	}
	for (int j = 0; j < sc->nrets; j++)
		bprintf(b, ", &o_%s", sc->rets[j].name);
	bprintf(b, ");\n");
	for (int j = 0; j < sc->nrets && j < STD_RETS; j++)
		bprintf(b, "\t\tr->r[%d] = (uint64_t)o_%s;\n", j, sc->rets[j].name);
	if (sc->nrets > STD_RETS) {
		/* The saved r10, r9, rsi, rdi, rbx, from rdi (struct syscall_ret). */
		static const int more_slot[MAX_RETS - STD_RETS] = { 3, 5, 1, 0, 6 };
		bprintf(b, "\t\tif (st == STATUS_OK) {\n");
		for (int j = STD_RETS; j < sc->nrets; j++)
			bprintf(b, "\t\t\tr->more[%d] = (uint64_t)o_%s;\n", more_slot[j - STD_RETS],
				sc->rets[j].name);
		bprintf(b, "\t\t}\n");
	}
	if (used && !sc->noreturn) {
		bprintf(b, "\t\tif (st == STATUS_OK) {\n");
		for (int j = 0; j < sc->ncaps; j++)
			if (!sc->caps[j].inspect && !sc->caps[j].consumed)
				bprintf(b, "\t\t\tsyscall_cap_used(ctx, &c_%s);\n",
					sc->caps[j].arg);
		bprintf(b, "\t\t}\n");
	}
	if ((sc->nrets || used) && !sc->noreturn)
		bprintf(b, "\t\treturn st;\n");
	bprintf(b, "\t}\n");
}

static void gen_dispatch_c(struct buf *b, const struct abi *abi, struct syscall **calls)
{
	banner(b, "syscall_dispatch.c", "the kernel's system-call dispatcher.");
	bprintf(b, "#include \"core/sys/syscall.h\"\n\n"
		   "status_t syscall_dispatch(struct syscall_ctx *ctx, uint64_t nr,\n"
		   "\t\t\t  const struct syscall_args *a, struct syscall_ret *r)\n"
		   "{\n\tstatus_t st;\n\n\t(void)st;\n\tswitch (nr) {\n");
	for (int i = 0; i < abi->ncalls; i++)
		dispatch_case(b, calls[i]);
	bprintf(b, "\tdefault:\n\t\treturn STATUS_NO_SYSCALL;\n\t}\n}\n");
}

/* ------------------------------------------------------------ keel/sysops.h, sysops.c */

static const char sysops_intro[] =
	"/*\n"
	" * The loop (keel/loop.h) and the channels (keel/channel.h) never issue a\n"
	" * system call directly: they call through a struct sysops that the caller\n"
	" * passes in. sysops_kernel calls the real sys_* stubs; a host test passes\n"
	" * its own table - a fake kernel with a fake clock, fake signals and an\n"
	" * inbox ring in test memory - and can make any call fail. Each function\n"
	" * takes the table's ctx first, so a fake keeps its state there and not in\n"
	" * globals.\n"
	" *\n"
	" * Every entry has the arguments, results and status codes of the system\n"
	" * call of the same name (docs/abi.md); the calls in the table are those\n"
	" * marked `sysops` in kernel/abi/syscalls.def. Every entry must be set.\n"
	" */\n";

/* Appends the names of sc's stub parameters, each after ", ". */
static void stub_args(struct buf *b, const struct syscall *sc)
{
	for (int i = 0; i < sc->nargs; i++)
		bprintf(b, ", %s", sc->args[i].name);
	for (int i = 0; i < sc->nrets; i++)
		bprintf(b, ", %s", sc->rets[i].name);
}

static void gen_sysops_h(struct buf *b, const struct abi *abi, struct syscall **calls)
{
	banner(b, "keel/sysops.h",
	       "the table of kernel operations libsys's loop and channels call.");
	bprintf(b, "%s", sysops_intro);
	bprintf(b,
		"#ifndef KEEL_SYSOPS_H\n#define KEEL_SYSOPS_H\n\n"
		"#include <stddef.h>\n#include <stdint.h>\n\n"
		"#include \"abi/message.h\"\n#include \"abi/rights.h\"\n#include \"abi/status.h\"\n"
		"#include \"syscall_numbers.h\"\n\n"
		"struct sysops {\n\tvoid *ctx;\t/* first argument of every call; NULL for "
		"sysops_kernel */\n");
	for (int i = 0; i < abi->ncalls; i++) {
		if (!calls[i]->sysops)
			continue;
		bprintf(b, "\tstatus_t (*%s)(void *ctx, ", stem(calls[i]));
		stub_params(b, calls[i]);
		bprintf(b, ");\n");
	}
	bprintf(b, "};\n\n"
		   "/* The table that calls the kernel (libsys). Never used by host tests:\n"
		   " * on the host its stubs would issue real SYSCALL instructions. */\n"
		   "extern const struct sysops sysops_kernel;\n\n"
		   "/* Shorthands that pass the table's ctx. */\n");
	for (int i = 0; i < abi->ncalls; i++) {
		const struct syscall *sc = calls[i];
		if (!sc->sysops)
			continue;
		bprintf(b, "static inline status_t sysops_%s(const struct sysops *o", stem(sc));
		if (sc->nargs || sc->nrets)
			bprintf(b, ", ");
		stub_params(b, sc);
		bprintf(b, ")\n{\n\treturn o->%s(o->ctx", stem(sc));
		stub_args(b, sc);
		bprintf(b, ");\n}\n\n");
	}
	bprintf(b, "#endif\n");
}

static void gen_sysops_c(struct buf *b, const struct abi *abi, struct syscall **calls)
{
	banner(b, "sysops.c", "sysops_kernel, the table that issues the real system calls.");
	bprintf(b, "#include \"keel/sys.h\"\n#include \"keel/sysops.h\"\n");
	for (int i = 0; i < abi->ncalls; i++) {
		const struct syscall *sc = calls[i];
		if (!sc->sysops)
			continue;
		bprintf(b, "\nstatic status_t k_%s(void *ctx", stem(sc));
		if (sc->nargs || sc->nrets)
			bprintf(b, ", ");
		stub_params(b, sc);
		bprintf(b, ")\n{\n\t(void)ctx;\n\treturn %s(", sc->via[0] ? sc->via : sc->name);
		struct buf names = { 0 };
		stub_args(&names, sc);
		bprintf(b, "%s);\n}\n", names.n ? names.p + 2 : "");
		free(names.p);
	}
	bprintf(b, "\nconst struct sysops sysops_kernel = {\n\t.ctx = NULL,\n");
	for (int i = 0; i < abi->ncalls; i++)
		if (calls[i]->sysops)
			bprintf(b, "\t.%s = k_%s,\n", stem(calls[i]), stem(calls[i]));
	bprintf(b, "};\n");
}

/* ------------------------------------------------------------ syscall_stubs.h */

static const char stubs_intro[] =
	"/*\n"
	" * Calling convention (x86-64, SYSCALL):\n"
	" *\n"
	" *   rax                          system call number in, status_t out\n"
	" *   rdi, rsi, rdx, r10, r8, r9   arguments 1 to 6 (u32 and handles zero-extended)\n"
	" *   rdx, r8                      results 1 and 2 out (zero when unused)\n"
	" *   rcx, r11                     destroyed by SYSCALL (return rip, rflags)\n"
	" *\n"
	" * A register-form call (syscall_raw_regs) also takes arguments 7 and 8\n"
	" * in rbx and r12, and returns results 3 to 7 in r10, r9, rsi, rdi, rbx.\n"
	" *\n"
	" * Every other register, the x87/SSE/AVX state included, is preserved.\n"
	" * Memory the call writes is written before it returns (\"memory\" clobber).\n"
	" * A stub writes its out parameters only when the status is STATUS_OK;\n"
	" * a NULL out parameter is skipped.\n"
	" *\n"
	" * Define KEEL_HOST_SYSCALL to route every call through\n"
	" * keel_host_syscall() instead: the host port of libsys does.\n"
	" */\n";

/* The comment above sc's stub: arguments, results, errors. */
static void stub_comment(struct buf *b, const struct abi *abi, const struct syscall *sc)
{
	bprintf(b, "\n/*\n * %s (%u): %s\n", sc->name, sc->num, sc->doc);
	if (sc->nargs || sc->nrets)
		bprintf(b, " *\n");
	for (int j = 0; j < sc->nargs; j++) {
		const struct param *a = &sc->args[j];
		bprintf(b, " *   %-10s ", a->name);
		if (a->type == T_UPTR)
			bprintf(b, "[%s, %s bytes] ", dir_names[a->dir], a->len);
		bprintf(b, "%s", a->desc);
		if (a->cap >= 0) {
			bprintf(b, " [");
			cap_text(b, &sc->caps[a->cap], false);
			bprintf(b, "]");
		}
		bprintf(b, "\n");
	}
	for (int j = 0; j < sc->nrets; j++)
		bprintf(b, " *   %-10s [out] %s\n", sc->rets[j].name, sc->rets[j].desc);
	bprintf(b, " *\n * Errors:");
	for (int j = 0; j < sc->nerrors; j++)
		bprintf(b, " %s", abi->status[sc->errors[j]].name);
	bprintf(b, "%s\n */\n", sc->nerrors ? "" : " none");
}

/* Appends argument j of sc as a uint64_t expression. */
static void stub_arg(struct buf *b, const struct syscall *sc, int j)
{
	if (sc->args[j].type == T_UPTR)
		bprintf(b, "(uint64_t)(uintptr_t)%s", sc->args[j].name);
	else if (sc->args[j].type == T_U64)
		bprintf(b, "%s", sc->args[j].name);
	else
		bprintf(b, "(uint64_t)%s", sc->args[j].name);
}

/* The stub's stores of its results from ret_, on OK. */
static void stub_results(struct buf *b, const struct syscall *sc)
{
	for (int j = 0; j < sc->nrets; j++)
		bprintf(b, "\tif (st_ == STATUS_OK && %s)\n\t\t*%s = %s%s%sret_[%d];\n",
			sc->rets[j].name, sc->rets[j].name, sc->rets[j].type == T_U64 ? "" : "(",
			sc->rets[j].type == T_U64 ? "" : ctype(&sc->rets[j]),
			sc->rets[j].type == T_U64 ? "" : ")", j);
	bprintf(b, "\treturn st_;\n");
}

/* sc's arguments as n comma-separated registers, 0 past its own. */
static void stub_arg_list(struct buf *b, const struct syscall *sc, int n)
{
	for (int j = 0; j < n; j++) {
		if (j)
			bprintf(b, ", ");
		if (j < sc->nargs)
			stub_arg(b, sc, j);
		else
			bprintf(b, "0");
	}
}

/* A register-form call's stub: every argument and result through
 * syscall_raw_regs. */
static void stub_body_regs(struct buf *b, const struct syscall *sc, const char *e)
{
	bprintf(b, "static inline status_t %s(", sc->name);
	stub_params(b, sc);
	bprintf(b, ")\n{\n\tconst uint64_t a_[8] = { ");
	stub_arg_list(b, sc, MAX_ARGS);
	bprintf(b, " };\n\tuint64_t ret_[7];\n");
	bprintf(b, "\tstatus_t st_ = (status_t)syscall_raw_regs(%s, a_, ret_);\n", e);
	stub_results(b, sc);
	bprintf(b, "}\n");
}

/* sc's stub itself. */
static void stub_body(struct buf *b, const struct syscall *sc)
{
	char e[MAX_NAME + 4];
	enum_name(e, sc);
	if (sc->regs) {
		stub_body_regs(b, sc, e);
		return;
	}
	bprintf(b, "static inline %s%s %s(", sc->noreturn ? "_Noreturn " : "",
		sc->noreturn ? "void" : "status_t", sc->name);
	stub_params(b, sc);
	bprintf(b, ")\n{\n\tuint64_t ret_[2];\n");
	bprintf(b, "\t%ssyscall_raw(%s",
		sc->noreturn ? ""
		: sc->nrets  ? "status_t st_ = (status_t)"
			     : "return (status_t)",
		e);
	bprintf(b, ", ");
	stub_arg_list(b, sc, STD_ARGS);
	bprintf(b, ", ret_);\n");
	if (sc->noreturn)
		bprintf(b, "\t__builtin_unreachable();\n");
	else if (sc->nrets)
		stub_results(b, sc);
	bprintf(b, "}\n");
}

static void gen_stubs(struct buf *b, const struct abi *abi, struct syscall **calls)
{
	banner(b, "syscall_stubs.h", "libsys system-call stubs.");
	bprintf(b, "%s", stubs_intro);
	bprintf(b, "#ifndef KEEL_ABI_SYSCALL_STUBS_H\n#define KEEL_ABI_SYSCALL_STUBS_H\n\n"
		   "#include <stddef.h>\n#include <stdint.h>\n\n"
		   "#include \"abi/status.h\"\n#include \"syscall_numbers.h\"\n\n");
	bprintf(b, "#ifdef KEEL_HOST_SYSCALL\n"
		   "/* Performs call nr with args[0..7]; stores the results in ret (ret[0]\n"
		   " * and ret[1], and for a register-form call ret[2..6]). */\n"
		   "uint64_t keel_host_syscall(uint64_t nr, const uint64_t args[8], uint64_t "
		   "ret[7]);\n\n"
		   "static inline uint64_t syscall_raw(uint64_t nr, uint64_t a0, uint64_t a1, "
		   "uint64_t a2,\n"
		   "\t\t\t\t   uint64_t a3, uint64_t a4, uint64_t a5, uint64_t ret[2])\n"
		   "{\n"
		   "\tconst uint64_t args[8] = { a0, a1, a2, a3, a4, a5, 0, 0 };\n"
		   "\tuint64_t r[7];\n"
		   "\tuint64_t st = keel_host_syscall(nr, args, r);\n\n"
		   "\tret[0] = r[0];\n"
		   "\tret[1] = r[1];\n"
		   "\treturn st;\n"
		   "}\n\n"
		   "static inline uint64_t syscall_raw_regs(uint64_t nr, const uint64_t a[8], "
		   "uint64_t ret[7])\n"
		   "{\n"
		   "\treturn keel_host_syscall(nr, a, ret);\n"
		   "}\n"
		   "#elif defined(__x86_64__)\n"
		   "/* Issues SYSCALL nr with six arguments; returns rax, stores rdx and r8. */\n"
		   "static inline uint64_t syscall_raw(uint64_t nr, uint64_t a0, uint64_t a1, "
		   "uint64_t a2,\n"
		   "\t\t\t\t   uint64_t a3, uint64_t a4, uint64_t a5, uint64_t ret[2])\n"
		   "{\n"
		   "\tregister uint64_t r10 __asm__(\"r10\") = a3;\n"
		   "\tregister uint64_t r8 __asm__(\"r8\") = a4;\n"
		   "\tregister uint64_t r9 __asm__(\"r9\") = a5;\n"
		   "\tuint64_t rdx = a2;\n\n"
		   "\t__asm__ volatile(\"syscall\"\n"
		   "\t\t\t : \"+a\"(nr), \"+d\"(rdx), \"+r\"(r8)\n"
		   "\t\t\t : \"D\"(a0), \"S\"(a1), \"r\"(r10), \"r\"(r9)\n"
		   "\t\t\t : \"rcx\", \"r11\", \"cc\", \"memory\");\n"
		   "\tret[0] = rdx;\n"
		   "\tret[1] = r8;\n"
		   "\treturn nr;\n"
		   "}\n\n"
		   "/* Issues register-form call nr: arguments a[0..7] in rdi, rsi, rdx, r10,\n"
		   " * r8, r9, rbx, r12; results in rdx, r8, r10, r9, rsi, rdi, rbx. */\n"
		   "static inline uint64_t syscall_raw_regs(uint64_t nr, const uint64_t a[8], "
		   "uint64_t ret[7])\n"
		   "{\n"
		   "\tregister uint64_t r10 __asm__(\"r10\") = a[3];\n"
		   "\tregister uint64_t r8 __asm__(\"r8\") = a[4];\n"
		   "\tregister uint64_t r9 __asm__(\"r9\") = a[5];\n"
		   "\tregister uint64_t r12 __asm__(\"r12\") = a[7];\n"
		   "\tuint64_t rdi = a[0], rsi = a[1], rdx = a[2], rbx = a[6];\n\n"
		   "\t__asm__ volatile(\"syscall\"\n"
		   "\t\t\t : \"+a\"(nr), \"+D\"(rdi), \"+S\"(rsi), \"+d\"(rdx), \"+r\"(r10), "
		   "\"+r\"(r8),\n"
		   "\t\t\t   \"+r\"(r9), \"+b\"(rbx)\n"
		   "\t\t\t : \"r\"(r12)\n"
		   "\t\t\t : \"rcx\", \"r11\", \"cc\", \"memory\");\n"
		   "\tret[0] = rdx;\n"
		   "\tret[1] = r8;\n"
		   "\tret[2] = r10;\n"
		   "\tret[3] = r9;\n"
		   "\tret[4] = rsi;\n"
		   "\tret[5] = rdi;\n"
		   "\tret[6] = rbx;\n"
		   "\treturn nr;\n"
		   "}\n"
		   "#else\n"
		   "#error \"syscall_stubs.h: no system-call instruction for this architecture\"\n"
		   "#endif\n");
	for (int i = 0; i < abi->ncalls; i++) {
		stub_comment(b, abi, calls[i]);
		stub_body(b, calls[i]);
	}
	bprintf(b, "\n#endif\n");
}

/* ------------------------------------------------------------ docs/abi.md */

static void md_cell(struct buf *b, const char *s)
{
	bescape(b, s, "|");
}

/* The reference page's opening: calling convention and handles. */
static void doc_intro(struct buf *b)
{
	bprintf(b,
		"# Keel kernel ABI\n\n"
		"<!-- Generated by abigen from kernel/abi/syscalls.def and kernel/abi/status.def.\n"
		"     Do not edit: change the definitions and rebuild. -->\n\n"
		"Every system call, its arguments, the capability it needs and the\n"
		"status codes it returns. Userland reaches them through the stubs in\n"
		"`syscall_stubs.h` (libsys); the kernel dispatches them through\n"
		"`syscall_dispatch.c` to handlers whose typed prototypes are in\n"
		"`syscall_handlers.h`. All are generated from `kernel/abi/syscalls.def`,\n"
		"like this page.\n\n");

	bprintf(b, "## Calling convention\n\n"
		   "A call is one `SYSCALL` instruction on x86-64.\n\n"
		   "| register | on entry | on return |\n|---|---|---|\n"
		   "| `rax` | call number | status (`status_t`) |\n"
		   "| `rdi`, `rsi` | arguments 1, 2 | preserved |\n"
		   "| `rdx` | argument 3 | result 1 (0 when unused) |\n"
		   "| `r10` | argument 4 (the C ABI's `rcx`, which `SYSCALL` overwrites) | "
		   "preserved |\n"
		   "| `r8` | argument 5 | result 2 (0 when unused) |\n"
		   "| `r9` | argument 6 | preserved |\n"
		   "| `rcx`, `r11` | - | destroyed (`SYSCALL` saves `rip` and `rflags` there) |\n\n"
		   "All other registers, and the x87/SSE/AVX state, are preserved. A\n"
		   "*register-form* call also takes arguments 7 and 8 in `rbx` and `r12`\n"
		   "and returns results 3 to 7 in `r10`, `r9`, `rsi`, `rdi` and `rbx`\n"
		   "(its section lists the register of each). `u32`\n"
		   "and handle arguments are zero-extended to 64 bits. Number 0 and\n"
		   "numbers without a call return `NO_SYSCALL`. Before the handler runs,\n"
		   "the kernel checks every argument against the table: a `u32` with high\n"
		   "bits set is `INVALID`, a handle with high bits set is `BAD_CAP`, and\n"
		   "each capability argument must name a live capability of the listed\n"
		   "type (`BAD_CAP`, `STALE`) holding the listed rights (`NO_RIGHTS`).\n"
		   "The libsys stubs write their out parameters only on `OK`.\n\n"
		   "Argument types: `u64`, `u32`, `i64`, `usize` (`size_t`), `handle`\n"
		   "(`cap_handle_t`) and `uptr`, a pointer into the caller's address space\n"
		   "that the kernel reads (in), writes (out) or both (inout), for the length\n"
		   "given beside it. A user pointer that is not mapped with the needed\n"
		   "access is `BAD_ADDRESS`.\n\n");

	bprintf(b, "## Handles\n\n"
		   "A capability is named by a `cap_handle_t`, a 32-bit value that the\n"
		   "kernel chooses when it puts a capability in a slot of the task's\n"
		   "CSpace. `CAP_HANDLE_NONE` (0) is never a valid handle; optional handle\n"
		   "arguments take it to mean \"none\". The bits of a handle are opaque to\n"
		   "userland; a handle to an emptied and reused slot is never accepted for\n"
		   "the old capability (generation check).\n\n"
		   "A handle is `index | generation << index_bits`, where `index_bits` is\n"
		   "the fewest bits that number every slot of the CSpace and the\n"
		   "generation, never 0, goes up each time the slot is emptied. A slot\n"
		   "whose generations are used up is retired rather than reused, so a\n"
		   "stale handle never names a later capability. Programs treat handles as\n"
		   "opaque: the layout is described so that a debugger can read them.\n\n");
}

/* Its tables: object types, rights, constants, status codes, calls. */
static void doc_tables(struct buf *b, const struct abi *abi, struct syscall **calls)
{
	bprintf(b, "## Object types\n\n| number | type | what it is |\n|---|---|---|\n");
	for (int i = 0; i < abi->nobjects; i++) {
		bprintf(b, "| %" PRIu64 " | `%s` | ", abi->objects[i].num, abi->objects[i].name);
		md_cell(b, abi->objects[i].desc);
		bprintf(b, " |\n");
	}
	bprintf(b, "\n## Rights\n\n| bit | right | allows |\n|---|---|---|\n");
	for (int i = 0; i < abi->nrights; i++) {
		bprintf(b, "| %" PRIu64 " | `%s` | ", abi->rights[i].num, abi->rights[i].name);
		md_cell(b, abi->rights[i].desc);
		bprintf(b, " |\n");
	}
	bprintf(b, "\n## Constants\n\n| name | value | meaning |\n|---|---|---|\n");
	for (int i = 0; i < abi->nconsts; i++) {
		bprintf(b, "| `%s` | %s | ", abi->consts[i].name, abi->consts[i].value);
		md_cell(b, abi->consts[i].desc);
		bprintf(b, " |\n");
	}
	bprintf(b, "\n## Status codes\n\n| code | name | message |\n|---|---|---|\n");
	for (int i = 0; i < abi->nstatus; i++) {
		bprintf(b, "| %u | `%s` | ", abi->status[i].num, abi->status[i].name);
		md_cell(b, abi->status[i].msg);
		bprintf(b, " |\n");
	}

	bprintf(b, "\n## System calls\n\n| number | call | summary |\n|---|---|---|\n");
	for (int i = 0; i < abi->ncalls; i++) {
		bprintf(b, "| %u | [`%s`](#%s) | ", calls[i]->num, calls[i]->name, calls[i]->name);
		md_cell(b, calls[i]->doc);
		bprintf(b, " |\n");
	}
}

/* The registers of arguments and results, in order. */
static const char *const arg_regs[MAX_ARGS] = {
	"rdi", "rsi", "rdx", "r10", "r8", "r9", "rbx", "r12"
};
static const char *const ret_regs[MAX_RETS] = { "rdx", "r8", "r10", "r9", "rsi", "rdi", "rbx" };

/* Its section on one call. */
static void doc_call(struct buf *b, const struct abi *abi, const struct syscall *sc)
{
	bprintf(b, "\n### %s\n\n%s\n\n```c\n", sc->name, sc->doc);
	bprintf(b, "%s %s(", sc->noreturn ? "_Noreturn void" : "status_t", sc->name);
	stub_params(b, sc);
	bprintf(b, ");\n```\n\nNumber %u.", sc->num);
	if (sc->noreturn)
		bprintf(b, " Does not return.");
	if (sc->regs)
		bprintf(b, " Register form: every argument and result is in a register.");
	if (sc->via[0])
		bprintf(b, " libsys's `sysops_kernel` calls `%s`.", sc->via);
	bprintf(b, "\n\n");
	if (sc->nargs) {
		bprintf(b, "Arguments:\n\n");
		for (int j = 0; j < sc->nargs; j++) {
			const struct param *a = &sc->args[j];
			bprintf(b, "- `%s` (%s", a->name, types[a->type].name);
			if (sc->regs)
				bprintf(b, ", in `%s`", arg_regs[j]);
			if (a->type == T_UPTR)
				bprintf(b, ", %s, `%s` bytes", dir_names[a->dir], a->len);
			bprintf(b, "): %s\n", a->desc);
		}
		bprintf(b, "\n");
	}
	if (sc->nrets) {
		bprintf(b, "Results:\n\n");
		for (int j = 0; j < sc->nrets; j++)
			bprintf(b, "- `%s` (%s, in `%s`): %s\n", sc->rets[j].name,
				types[sc->rets[j].type].name, ret_regs[j], sc->rets[j].desc);
		bprintf(b, "\n");
	}
	if (sc->ncaps) {
		bprintf(b, "Capabilities:\n\n");
		for (int j = 0; j < sc->ncaps; j++) {
			bprintf(b, "- `%s`: ", sc->caps[j].arg);
			cap_text(b, &sc->caps[j], true);
			bprintf(b, "%s\n",
				sc->caps[j].optional ? " (`CAP_HANDLE_NONE` for none)" : "");
		}
		bprintf(b, "\n");
	} else {
		bprintf(b, "Capabilities: none.\n\n");
	}
	if (sc->nerrors) {
		bprintf(b, "Errors:\n\n");
		for (int j = 0; j < sc->nerrors; j++) {
			const struct status *st = &abi->status[sc->errors[j]];
			bprintf(b, "- `%s`: %s\n", st->name, st->msg);
		}
		bprintf(b, "\n");
	} else {
		bprintf(b, "Errors: none.\n\n");
	}
	paragraphs(b, sc->text);
}

static void gen_docs(struct buf *b, const struct abi *abi, struct syscall **calls)
{
	doc_intro(b);
	doc_tables(b, abi, calls);
	for (int i = 0; i < abi->ncalls; i++)
		doc_call(b, abi, calls[i]);
	/* No trailing blank line. */
	while (b->n >= 2 && b->p[b->n - 1] == '\n' && b->p[b->n - 2] == '\n')
		b->n--;
}

/* ------------------------------------------------------------ main */

/* Writes b to path through a temporary file, so that a failed run never
 * leaves a half-written output behind. */
static bool write_file(const char *path, const struct buf *b)
{
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
		fprintf(stderr, "abigen: %s: path too long\n", path);
		return false;
	}
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "abigen: %s: %s\n", tmp, strerror(errno));
		return false;
	}
	bool ok = fwrite(b->p, 1, b->n, f) == b->n;
	ok &= fclose(f) == 0;
	if (!ok || rename(tmp, path)) {
		fprintf(stderr, "abigen: %s: %s\n", path, strerror(errno));
		remove(tmp);
		return false;
	}
	return true;
}

static FILE *open_input(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		fprintf(stderr, "abigen: %s: %s\n", path, strerror(errno));
	return f;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: abigen SYSCALLS.DEF STATUS.DEF OUTDIR DOCS_PATH\n");
		return 2;
	}
	static struct abi abi;
	FILE *f;

	abi.path = argv[2];
	if (!(f = open_input(argv[2])))
		return 1;
	read_status(&abi, f);
	fclose(f);

	abi.path = argv[1];
	if (!(f = open_input(argv[1])))
		return 1;
	parse_defs(&abi, f);
	fclose(f);
	check_abi(&abi);
	if (abi.nerr) {
		fprintf(stderr, "abigen: %d error%s; nothing written\n", abi.nerr,
			abi.nerr == 1 ? "" : "s");
		return 1;
	}

	struct syscall *calls[MAX_SYSCALLS];
	memcpy(calls, abi.calls, sizeof(calls[0]) * (size_t)abi.ncalls);
	qsort(calls, (size_t)abi.ncalls, sizeof calls[0], by_number);

	static const struct {
		const char *name;
		void (*gen)(struct buf *, const struct abi *, struct syscall **);
	} outs[] = {
		{ "syscall_numbers.h", gen_numbers },
		{ "syscall_handlers.h", gen_handlers_h },
		{ "syscall_dispatch.c", gen_dispatch_c },
		{ "syscall_stubs.h", gen_stubs },
		{ "keel/sysops.h", gen_sysops_h },
		{ "sysops.c", gen_sysops_c },
		{ NULL, gen_docs },
	};
	char keel_dir[4096];
	snprintf(keel_dir, sizeof keel_dir, "%s/keel", argv[3]);
	if (mkdir(keel_dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "abigen: %s: %s\n", keel_dir, strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++) {
		struct buf b = { 0 };
		char path[4096];
		if (outs[i].name)
			snprintf(path, sizeof path, "%s/%s", argv[3], outs[i].name);
		else
			snprintf(path, sizeof path, "%s", argv[4]);
		outs[i].gen(&b, &abi, calls);
		if (!write_file(path, &b))
			return 1;
		free(b.p);
	}
	return 0;
}
