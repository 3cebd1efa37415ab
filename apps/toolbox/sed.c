/*
 * sed.c - the stream editor (busybox's sed): -n, -e SCRIPT (several are
 * joined by newlines), -f FILE, -E/-r, -i (in place, each file on its own,
 * as -s). The script language is sed_parse.c's. Runs the program over each
 * input line; $ is the last line of the last file (of each file with -i).
 */
#include "sed.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct buf {
	char *s;
	size_t len, cap;
};

struct sed_run {
	const char *name;
	struct sed_prog *prog;
	bool quiet;
	FILE *out;
	char **files;
	int nfiles, next_file;
	FILE *in;
	struct line ahead;
	bool have_ahead, ahead_nl;
	unsigned long lineno;
	struct buf ps, hold, appended;
	bool ps_nl, missing_nl, replaced, quit;
	regex_t *last_re;
	int status, code;
};

/* Appends n bytes to b; false when memory is short. */
static bool buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *ns = realloc(b->s, cap);
		if (!ns)
			return false;
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return true;
}

/* Reads the next input line into the look-ahead, opening files in turn. */
static void sed_read_ahead(struct sed_run *r)
{
	r->have_ahead = false;
	for (;;) {
		if (!r->in) {
			if (r->next_file >= r->nfiles)
				return;
			const char *path = r->files[r->next_file++];
			r->in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
			if (!r->in) {
				msg_errno(r->name, "%s", path);
				r->status = 1;
				continue;
			}
		}
		if (line_read(&r->ahead, r->in, '\n') > 0) {
			r->ahead_nl = r->ahead.buf[r->ahead.len - 1] == '\n';
			r->ahead.len -= r->ahead_nl;
			r->have_ahead = true;
			return;
		}
		file_close(r->in);
		r->in = NULL;
	}
}

/* Moves the look-ahead line into the pattern space (or appends it after a
 * newline); false at the end of the input. */
static bool sed_next_line(struct sed_run *r, bool append)
{
	if (!r->have_ahead)
		return false;
	if (!append)
		r->ps.len = 0;
	else
		buf_add(&r->ps, "\n", 1);
	buf_add(&r->ps, r->ahead.buf, r->ahead.len);
	r->ps_nl = r->ahead_nl;
	r->lineno++;
	sed_read_ahead(r);
	return true;
}

/* Writes text and a newline, holding back the newline of a last line
 * that had none until more output follows. */
static void sed_emit(struct sed_run *r, const char *s, size_t n, bool newline)
{
	if (r->missing_nl)
		putc('\n', r->out);
	fwrite(s, 1, n, r->out);
	r->missing_nl = !newline;
	if (newline)
		putc('\n', r->out);
}

/* Prints the pattern space as sed's p does. */
static void sed_print_ps(struct sed_run *r)
{
	sed_emit(r, r->ps.s ? r->ps.s : "", r->ps.len, r->ps_nl || r->have_ahead);
}

/* Does address a select the current line? */
static bool sed_addr(struct sed_run *r, const struct sed_addr *a)
{
	switch (a->kind) {
	case SED_ADDR_LINE:
		return r->lineno == a->line;
	case SED_ADDR_LAST:
		return !r->have_ahead;
	case SED_ADDR_RE: {
		regex_t *re = a->re ? a->re : r->last_re;
		if (!re)
			return false;
		r->last_re = re;
		return regexec(re, r->ps.s ? r->ps.s : "", 0, NULL, 0) == 0;
	}
	default:
		return true;
	}
}

/* Does command c apply to the current line? Keeps range state. */
static bool sed_selected(struct sed_run *r, struct sed_cmd *c)
{
	bool sel;

	if (c->a1.kind == SED_ADDR_NONE)
		sel = true;
	else if (c->a2.kind == SED_ADDR_NONE)
		sel = sed_addr(r, &c->a1);
	else if (!c->in_range) {
		sel = sed_addr(r, &c->a1);
		c->range_end = c->a2.kind == SED_ADDR_PLUS ? r->lineno + c->a2.line : c->a2.line;
		if (sel)
			c->in_range = !(c->a2.kind != SED_ADDR_RE && c->a2.kind != SED_ADDR_LAST &&
					c->range_end <= r->lineno) &&
				      !(c->a2.kind == SED_ADDR_LAST && !r->have_ahead);
	} else {
		sel = true;
		if (c->a2.kind == SED_ADDR_LINE || c->a2.kind == SED_ADDR_PLUS)
			c->in_range = r->lineno < c->range_end;
		else
			c->in_range = !sed_addr(r, &c->a2);
	}
	return sel != c->negate;
}

/* Appends the replacement for one match: & is the match, \N a group, a
 * backslash before anything else makes it literal. */
static void sed_replacement(struct buf *o, const char *repl, const char *s, const regmatch_t *m)
{
	for (const char *p = repl; *p; p++) {
		if (*p == '&') {
			buf_add(o, s + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so));
		} else if (*p == '\\' && p[1] >= '0' && p[1] <= '9') {
			const regmatch_t *g = &m[*++p - '0'];
			if (g->rm_so >= 0)
				buf_add(o, s + g->rm_so, (size_t)(g->rm_eo - g->rm_so));
		} else if (*p == '\\' && p[1]) {
			buf_add(o, ++p, 1);
		} else {
			buf_add(o, p, 1);
		}
	}
}

/* Runs s///: returns true when something was replaced. */
static bool sed_subst(struct sed_run *r, struct sed_cmd *c)
{
	regex_t *re = c->re ? c->re : r->last_re;
	struct buf o = { 0 };
	regmatch_t m[10];
	size_t pos = 0, len = r->ps.len, prev_end = (size_t)-1;
	unsigned long count = 0, nth = c->nth ? c->nth : 1;
	bool did = false;
	const char *s = r->ps.s ? r->ps.s : "";

	if (!re)
		return false;
	r->last_re = re;
	while (pos <= len && regexec(re, s + pos, 10, m, pos ? REG_NOTBOL : 0) == 0) {
		size_t so = pos + (size_t)m[0].rm_so, eo = pos + (size_t)m[0].rm_eo;
		for (int k = 0; k < 10; k++)
			if (m[k].rm_so >= 0) {
				m[k].rm_so += (regoff_t)pos;
				m[k].rm_eo += (regoff_t)pos;
			}
		if (so == eo && so == prev_end) {
			if (so < len)
				buf_add(&o, s + so, 1);
			pos = so + 1;
			continue;
		}
		buf_add(&o, s + pos, so - pos);
		if (++count >= nth) {
			sed_replacement(&o, c->repl, s, m);
			did = true;
		} else {
			buf_add(&o, s + so, eo - so);
		}
		prev_end = eo;
		pos = eo;
		if (so == eo) {
			if (so < len)
				buf_add(&o, s + so, 1);
			pos = so + 1;
		}
		if (did && !c->global)
			break;
	}
	if (!did) {
		free(o.s);
		return false;
	}
	if (pos < len)
		buf_add(&o, s + pos, len - pos);
	free(r->ps.s);
	r->ps = o;
	if (!r->ps.s)
		buf_add(&r->ps, "", 0);
	return true;
}

/* Exchanges, copies or appends between pattern and hold space. */
static void sed_hold(struct sed_run *r, char cmd)
{
	struct buf t;

	switch (cmd) {
	case 'x':
		t = r->ps;
		r->ps = r->hold;
		r->hold = t;
		break;
	case 'h':
		r->hold.len = 0;
		buf_add(&r->hold, r->ps.s ? r->ps.s : "", r->ps.len);
		break;
	case 'H':
		buf_add(&r->hold, "\n", 1);
		buf_add(&r->hold, r->ps.s ? r->ps.s : "", r->ps.len);
		break;
	case 'g':
		r->ps.len = 0;
		buf_add(&r->ps, r->hold.s ? r->hold.s : "", r->hold.len);
		break;
	case 'G':
		buf_add(&r->ps, "\n", 1);
		buf_add(&r->ps, r->hold.s ? r->hold.s : "", r->hold.len);
		break;
	default:
		break;
	}
}

enum { SED_NEXT, SED_END_PRINT, SED_END_DELETE, SED_RESTART };

/* D: deletes up to the first newline and restarts the cycle without
 * reading, or ends it as d when there is no newline. */
static int sed_delete_first(struct sed_run *r)
{
	char *nl = r->ps.s ? memchr(r->ps.s, '\n', r->ps.len) : NULL;

	if (!nl)
		return SED_END_DELETE;
	size_t cut = (size_t)(nl - r->ps.s) + 1;
	memmove(r->ps.s, nl + 1, r->ps.len - cut + 1);
	r->ps.len -= cut;
	return SED_RESTART;
}

/* P: prints the pattern space up to its first newline. */
static void sed_print_first(struct sed_run *r)
{
	char *nl = r->ps.s ? memchr(r->ps.s, '\n', r->ps.len) : NULL;

	sed_emit(r, r->ps.s ? r->ps.s : "", nl ? (size_t)(nl - r->ps.s) : r->ps.len, true);
}

/* Executes command c; sets *pc to the next command. Returns SED_NEXT or
 * how the cycle ends. */
static int sed_exec(struct sed_run *r, struct sed_cmd *c, int *pc)
{
	(*pc)++;
	switch (c->cmd) {
	case '=':
		fprintf(r->out, "%lu\n", r->lineno);
		break;
	case 'a':
		buf_add(&r->appended, c->text, strlen(c->text));
		buf_add(&r->appended, "\n", 1);
		break;
	case 'i':
		sed_emit(r, c->text, strlen(c->text), true);
		break;
	case 'c':
		if (c->a2.kind == SED_ADDR_NONE || !c->in_range || c->negate)
			sed_emit(r, c->text, strlen(c->text), true);
		return SED_END_DELETE;
	case 'd':
		return SED_END_DELETE;
	case 'D':
		return sed_delete_first(r);
	case 'p':
		sed_print_ps(r);
		break;
	case 'P':
		sed_print_first(r);
		break;
	case 'n':
		if (!r->have_ahead) {
			r->quit = true;
			return SED_END_PRINT;
		}
		if (!r->quiet)
			sed_print_ps(r);
		sed_next_line(r, false);
		break;
	case 'N':
		if (!sed_next_line(r, true)) {
			r->quit = true;
			return SED_END_PRINT;
		}
		break;
	case 'g':
	case 'G':
	case 'h':
	case 'H':
	case 'x':
		sed_hold(r, c->cmd);
		break;
	case 'q':
		r->quit = true;
		r->code = c->code;
		return SED_END_PRINT;
	case 'Q':
		r->quit = true;
		r->code = c->code;
		return SED_END_DELETE;
	case 's':
		if (sed_subst(r, c)) {
			r->replaced = true;
			if (c->print)
				sed_print_ps(r);
		}
		break;
	case 'y':
		for (size_t k = 0; k < r->ps.len; k++)
			r->ps.s[k] = (char)c->ymap[(unsigned char)r->ps.s[k]];
		break;
	case 'b':
		*pc = c->jump < 0 ? r->prog->n : c->jump;
		break;
	case 't':
	case 'T':
		if (r->replaced == (c->cmd == 't'))
			*pc = c->jump < 0 ? r->prog->n : c->jump;
		r->replaced = false;
		break;
	default:
		break;
	}
	return SED_NEXT;
}

/* Runs the program over the whole input (r->files from next_file on). */
static void sed_run_all(struct sed_run *r)
{
	sed_read_ahead(r);
	bool restart = false;

	while (!r->quit && (restart || sed_next_line(r, false))) {
		int end = SED_END_PRINT, pc = 0;
		if (!restart)
			r->replaced = false;
		restart = false;
		while (pc < r->prog->n) {
			struct sed_cmd *c = &r->prog->cmd[pc];
			if (!sed_selected(r, c)) {
				pc = c->cmd == '{' ? c->jump + 1 : pc + 1;
				continue;
			}
			end = sed_exec(r, c, &pc);
			if (end != SED_NEXT)
				break;
			end = SED_END_PRINT;
		}
		if (end == SED_END_PRINT && !r->quiet)
			sed_print_ps(r);
		if (r->appended.len) {
			sed_emit(r, r->appended.s, r->appended.len - 1, true);
			r->appended.len = 0;
		}
		restart = end == SED_RESTART;
	}
}

/* Edits each file in place through a temporary file beside it. */
static void sed_in_place(struct sed_run *r, char **files, int n)
{
	for (int i = 0; i < n; i++) {
		size_t len = strlen(files[i]);
		char *tmp = malloc(len + 16);
		if (!tmp)
			break;
		snprintf(tmp, len + 16, "%s.sedXXXXXX", files[i]);
		int fd = mkstemp(tmp);
		FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!out) {
			msg_errno(r->name, "can't create '%s'", tmp);
			r->status = 4;
			free(tmp);
			continue;
		}
		struct stat st;
		if (stat(files[i], &st) == 0)
			fchmod(fd, st.st_mode & 07777);
		r->out = out;
		r->files = files + i;
		r->nfiles = 1;
		r->next_file = 0;
		r->lineno = 0;
		r->quit = false;
		r->missing_nl = false;
		int before = r->status;
		sed_run_all(r);
		if (fclose(out) != 0 || r->status != before || rename(tmp, files[i]) != 0)
			unlink(tmp);
		free(tmp);
	}
}

/* Adds a script piece (from -e, -f or the operand) to the script. */
static bool sed_add_script(struct buf *script, const char *text, size_t n)
{
	if (script->len && !buf_add(script, "\n", 1))
		return false;
	return buf_add(script, text, n);
}

/* Reads a -f script file, without its final newline. */
static bool sed_script_file(const char *name, struct buf *script, const char *path)
{
	FILE *f = file_open(name, path);
	struct buf b = { 0 };
	char chunk[4096];
	size_t n;

	if (!f)
		return false;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	file_close(f);
	if (b.len && b.s[b.len - 1] == '\n')
		b.len--;
	bool ok = sed_add_script(script, b.s ? b.s : "", b.len);
	free(b.s);
	return ok;
}

/* Releases the run's buffers; returns the exit status (q's code first). */
static int sed_finish(struct sed_run *r)
{
	free(r->ps.s);
	free(r->hold.s);
	free(r->appended.s);
	line_free(&r->ahead);
	if (r->in)
		file_close(r->in);
	return r->code ? r->code : r->status;
}

int cmd_sed(int argc, char **argv)
{
	struct sed_prog prog = { 0 };
	struct sed_run r = { .name = argv[0], .prog = &prog, .out = stdout };
	struct buf script = { 0 };
	bool have_script = false, in_place = false;
	static char *dash[] = { "-", NULL };
	char err[512];
	struct opt o;
	int c, n;

	opt_init(&o, argc, argv, "ne:f:Eris",
		 "[-inrE] [-e SCRIPT]... [-f FILE]... [SCRIPT] [FILE]...");
	while ((c = opt_next(&o)) != -1) {
		if (c == '?' || (c == 'f' && !sed_script_file(argv[0], &script, o.arg))) {
			free(script.s);
			return 1;
		}
		r.quiet |= c == 'n';
		prog.extended |= c == 'E' || c == 'r';
		in_place |= c == 'i';
		if (c == 'e' && !sed_add_script(&script, o.arg, strlen(o.arg)))
			return 1;
		have_script |= c == 'e' || c == 'f';
	}
	char **ops = opt_operands(&o, &n);
	if (!have_script && n == 0) {
		msg_usage(argv[0], o.usage);
		return 1;
	}
	if (!have_script) {
		sed_add_script(&script, ops[0], strlen(ops[0]));
		ops++;
		n--;
	}
	if (!sed_parse(&prog, script.s ? script.s : "", err, sizeof(err))) {
		msg(argv[0], "%s", err);
		sed_prog_free(&prog);
		free(script.s);
		return 1;
	}
	if (in_place && n == 0) {
		msg(argv[0], "no files to edit in place");
		r.status = 1;
	} else if (in_place) {
		sed_in_place(&r, ops, n);
	} else {
		r.files = n ? ops : dash;
		r.nfiles = n ? n : 1;
		sed_run_all(&r);
	}
	sed_prog_free(&prog);
	free(script.s);
	return sed_finish(&r);
}
