/*
 * unit.c - unit tests of the shell's parts: the parser (trees printed back,
 * error messages and their lines), arithmetic, pattern matching and
 * globbing, field splitting, the child-shell state encoding, job states
 * (stopped, running, done) from their processes' states and the order of
 * the job list, and the line editor driven by key bytes against a fake
 * terminal.
 */
#define _DEFAULT_SOURCE 1
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "../edit.h"
#include "../exec.h"

/* --- helpers --- */

static char printed[4096];

/* Parses s and prints the tree back (or "ERR line: msg"). */
static const char *roundtrip(const char *s)
{
	struct arena a;
	struct node *n;
	struct parse_error err;
	struct strbuf b;

	arena_init(&a);
	sb_init(&b);
	if (parse_string(s, 1, &a, &n, &err) != PARSE_OK)
		sb_printf(&b, "ERR %d: %s", err.line, err.msg);
	else
		node_print(&b, n);
	snprintf(printed, sizeof(printed), "%s", b.s ? sb_cstr(&b) : "");
	sb_free(&b);
	arena_free(&a);
	return printed;
}

static struct shell *new_shell(void)
{
	static char *env[] = { "HOME=/home/test", NULL };
	char *argv[] = { "sh", NULL };
	struct shell *sh = xmalloc(sizeof(*sh));

	shell_init(sh, 1, argv, env);
	return sh;
}

/* Expands the arguments of the simple command s; returns the fields
 * joined with '|'. */
static const char *fields(struct shell *sh, const char *s)
{
	struct arena a;
	struct node *n;
	struct parse_error err;
	int argc;

	arena_init(&a);
	if (parse_string(s, 1, &a, &n, &err) != PARSE_OK || n->type != N_SIMPLE) {
		arena_free(&a);
		return "PARSE ERROR";
	}
	char **argv = expand_words(sh, n->u.simple.args, &argc);
	size_t len = 0;

	printed[0] = '\0';
	for (int i = 0; i < argc; i++)
		len += (size_t)snprintf(printed + len, sizeof(printed) - len, "%s%s", i ? "|" : "",
					argv[i]);
	arena_free(&a);
	return printed;
}

/* --- parser --- */

TEST(parser_prints_lists_and_pipelines)
{
	CHECK_STR(roundtrip("a b|c&&d||e;f&"), "a b | c && d || e; f &");
	CHECK_STR(roundtrip("! a | b"), "! a | b");
	CHECK_STR(roundtrip("x=1 y=2 cmd >out 2>&1 <in"), "x=1 y=2 cmd >out 2>&1 <in");
}

TEST(parser_prints_compound_commands)
{
	CHECK_STR(roundtrip("if a; then b; elif c; then d; else e; fi"),
		  "if a; then b; elif c; then d; else e; fi");
	CHECK_STR(roundtrip("while a; do b; done"), "while a; do b; done");
	CHECK_STR(roundtrip("for i in 1 2; do echo $i; done"), "for i in 1 2; do echo ${i}; done");
	CHECK_STR(roundtrip("case x in a|b) c;; *) d;; esac"),
		  "case x in (a | b) c ;; (\\*) d ;; esac");
	CHECK_STR(roundtrip("f() { a; b & }"), "f() { a; b & }");
	CHECK_STR(roundtrip("(a; b) >f"), "(a; b) >f");
}

TEST(parser_keeps_quoting_in_words)
{
	CHECK_STR(roundtrip("echo 'a b' \"c $d\" e\\ f"), "echo 'a b' 'c '\"${d}\" e' 'f");
	/* what is printed parses back to the same tree */
	char again[4096];

	snprintf(again, sizeof(again), "%s", roundtrip("echo \"a'b\" \"$x\"y ${z-'q'}"));
	CHECK_STR(roundtrip(again), again);
	CHECK_STR(roundtrip("echo ${x:-y} ${#x} ${x%%.*} $(a) $((1+2))"),
		  "echo ${x:-y} ${#x} ${x%%.\\*} $(a) $((1+2))");
}

TEST(parser_treats_keywords_only_in_command_position)
{
	CHECK_STR(roundtrip("echo if then fi"), "echo if then fi");
	CHECK_STR(roundtrip("{ echo }; }"), "{ echo \\}; }");
}

TEST(parser_reports_errors_with_their_line)
{
	CHECK_STR(roundtrip("echo )"), "ERR 1: Syntax error: \")\" unexpected");
	CHECK_STR(roundtrip("if true; then\necho x\n"),
		  "ERR 3: Syntax error: end of file unexpected (expecting \"fi\")");
	CHECK_STR(roundtrip("a\nb\nwhile x; do done"), "ERR 3: Syntax error: \"done\" unexpected");
	CHECK_STR(roundtrip("echo 'abc"), "ERR 1: Syntax error: Unterminated quoted string");
	CHECK_STR(roundtrip("for 1 in a; do :; done"),
		  "ERR 1: Syntax error: Bad for loop variable");
	CHECK_STR(roundtrip("echo > >"), "ERR 1: Syntax error: redirection unexpected");
	CHECK_STR(roundtrip("case x in"),
		  "ERR 1: Syntax error: end of file unexpected (expecting \")\")");
	CHECK_STR(roundtrip("set() { :; }"), "ERR 1: Syntax error: Bad function name");
}

TEST(parser_reads_here_documents_after_the_line)
{
	struct arena a;
	struct node *n;
	struct parse_error err;

	arena_init(&a);
	CHECK_EQ(parse_string("cat <<E; echo x\nbody $v\nE\n", 1, &a, &n, &err), PARSE_OK);
	struct node *cat = n->u.bin.left;

	CHECK_EQ(cat->redirs->type, R_HEREDOC);
	CHECK(!cat->redirs->here_quoted);
	CHECK_STR(cat->redirs->target->parts->text, "body ");
	CHECK_EQ(cat->redirs->target->parts->next->type, WP_PARAM);
	arena_free(&a);
}

TEST(parser_survives_deep_nesting)
{
	char buf[6000];
	size_t n = 0;

	for (int i = 0; i < 2000; i++)
		buf[n++] = '(';
	buf[n] = '\0';
	CHECK(strncmp(roundtrip(buf), "ERR 1: Syntax error: nesting too deep", 37) == 0);
}

/* --- arithmetic --- */

static const char *avars[8][2];

static const char *aget(void *ctx, const char *name)
{
	(void)ctx;
	for (int i = 0; i < 8 && avars[i][0]; i++)
		if (strcmp(avars[i][0], name) == 0)
			return avars[i][1];
	return NULL;
}

static char aset_buf[8][32];

static bool aset(void *ctx, const char *name, const char *value)
{
	(void)ctx;
	for (int i = 0; i < 8; i++) {
		if (!avars[i][0] || strcmp(avars[i][0], name) == 0) {
			avars[i][0] = name[0] == 'x' ? "x" : name[0] == 'y' ? "y" : "z";
			snprintf(aset_buf[i], sizeof(aset_buf[i]), "%s", value);
			avars[i][1] = aset_buf[i];
			return true;
		}
	}
	return false;
}

static intmax_t ar(const char *e, int *ok)
{
	struct arith_ops ops = { aget, aset, NULL };
	char err[256];
	intmax_t v = 0;

	*ok = arith_eval(e, &ops, &v, err, sizeof(err)) == 0;
	return v;
}

TEST(arith_follows_c_precedence)
{
	int ok;

	CHECK_EQ(ar("2+3*4", &ok), 14);
	CHECK_EQ(ar("(2+3)*4", &ok), 20);
	CHECK_EQ(ar("1+2<<1", &ok), 6);
	CHECK_EQ(ar("7&3|8", &ok), 11);
	CHECK_EQ(ar("1?2:0?3:4", &ok), 2);
	CHECK_EQ(ar("-7/2", &ok), -3);
	CHECK_EQ(ar("-7%3", &ok), -1);
	CHECK_EQ(ar("!0+~0", &ok), 0);
	CHECK_EQ(ar("0x1f+010", &ok), 39);
	CHECK(ok);
}

TEST(arith_short_circuits_without_errors)
{
	int ok;

	CHECK_EQ(ar("0&&1/0", &ok), 0);
	CHECK(ok);
	CHECK_EQ(ar("1||1/0", &ok), 1);
	CHECK(ok);
	CHECK_EQ(ar("1?2:1/0", &ok), 2);
	CHECK(ok);
}

TEST(arith_assigns_variables)
{
	int ok;

	memset(avars, 0, sizeof(avars));
	CHECK_EQ(ar("x=5", &ok), 5);
	CHECK_EQ(ar("x+=2", &ok), 7);
	CHECK_EQ(ar("y=x<<=1", &ok), 14);
	CHECK_STR(aget(NULL, "x"), "14");
	CHECK_STR(aget(NULL, "y"), "14");
	CHECK(ok);
}

TEST(arith_reports_errors)
{
	int ok;

	ar("1/0", &ok);
	CHECK(!ok);
	ar("1+", &ok);
	CHECK(!ok);
	ar("1 2", &ok);
	CHECK(!ok);
	ar("", &ok);
	CHECK(!ok);
	ar("(1", &ok);
	CHECK(!ok);
	CHECK_EQ(ar("9223372036854775807+1", &ok), INTMAX_MIN);
	CHECK(ok);
}

/* --- patterns --- */

TEST(pattern_matches_stars_and_questions)
{
	CHECK(pattern_match("*", ""));
	CHECK(pattern_match("a*b*c", "aXbYbc"));
	CHECK(!pattern_match("a*b", "abc"));
	CHECK(pattern_match("??", "ab"));
	CHECK(!pattern_match("??", "abc"));
	CHECK(pattern_match("\\*", "*"));
	CHECK(!pattern_match("\\*", "a"));
}

TEST(pattern_matches_bracket_expressions)
{
	CHECK(pattern_match("[a-c]", "b"));
	CHECK(!pattern_match("[!a-c]", "b"));
	CHECK(pattern_match("[]]", "]"));
	CHECK(pattern_match("[!]]", "a"));
	CHECK(pattern_match("[[:digit:]x]", "7"));
	CHECK(pattern_match("[[:upper:]]", "Q"));
	CHECK(pattern_match("[a\\-c]", "-"));
	CHECK(!pattern_match("[a\\-c]", "b"));
	CHECK(pattern_match("[^a]", "^"));
	CHECK(pattern_match("[ab", "[ab"));
}

TEST(pattern_prefix_and_suffix_lengths)
{
	CHECK_EQ(pattern_prefix("*.", "a.b.c", false), 2);
	CHECK_EQ(pattern_prefix("*.", "a.b.c", true), 4);
	CHECK_EQ(pattern_suffix(".*", "a.b.c", false), 2);
	CHECK_EQ(pattern_suffix(".*", "a.b.c", true), 4);
	CHECK_EQ(pattern_prefix("z", "abc", false), -1);
	CHECK_EQ(pattern_prefix("*", "abc", false), 0);
	/* A longest suffix for a pattern led by '*', and a longest prefix
	 * for one that ends with '*', are the whole string or nothing. */
	CHECK_EQ(pattern_suffix("*a", "xaya", true), 4);
	CHECK_EQ(pattern_suffix("*y", "xaya", true), -1);
	CHECK_EQ(pattern_suffix("*", "", true), 0);
	CHECK_EQ(pattern_prefix("x*", "xaya", true), 4);
	CHECK_EQ(pattern_prefix("a*", "xaya", true), -1);
	CHECK_EQ(pattern_prefix("x\\*", "x*ya", true), 2);
	CHECK_EQ(pattern_prefix("[*", "[*ya", true), 4);
	CHECK_EQ(pattern_suffix("\\*a", "x*a", true), 2);
}

static char globbed[512];

static void glob_collect(void *ctx, const char *p)
{
	(void)ctx;
	if (globbed[0])
		strcat(globbed, " ");
	strcat(globbed, p);
}

TEST(glob_sorts_and_hides_dot_files)
{
	char dir[] = "/tmp/sh-unit-XXXXXX";
	char cwd[1024];

	CHECK(mkdtemp(dir) != NULL);
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK_EQ(chdir(dir), 0);
	const char *names[] = { "b", "a", "c1", ".hidden", "sub" };

	for (int i = 0; i < 5; i++) {
		if (i == 4)
			mkdir(names[i], 0755);
		else
			close(creat(names[i], 0644));
	}
	close(creat("sub/x", 0644));
	globbed[0] = '\0';
	CHECK_EQ(glob_expand("*", glob_collect, NULL), 4);
	CHECK_STR(globbed, "a b c1 sub");
	globbed[0] = '\0';
	CHECK_EQ(glob_expand(".*", glob_collect, NULL), 3);
	globbed[0] = '\0';
	CHECK_EQ(glob_expand("*/x", glob_collect, NULL), 1);
	CHECK_STR(globbed, "sub/x");
	CHECK_EQ(glob_expand("nomatch*", glob_collect, NULL), 0);
	CHECK_EQ(system("rm -rf sub a b c1 .hidden"), 0);
	CHECK_EQ(chdir(cwd), 0);
	rmdir(dir);
}

/* --- field splitting --- */

TEST(split_uses_ifs_whitespace_and_delimiters)
{
	struct shell *sh = new_shell();

	var_set(sh, "x", "  a  b\tc ", 0);
	CHECK_STR(fields(sh, "echo $x"), "echo|a|b|c");
	var_set(sh, "IFS", ":", 0);
	var_set(sh, "x", "a::b:", 0);
	CHECK_STR(fields(sh, "echo $x"), "echo|a||b");
	var_set(sh, "IFS", " :", 0);
	var_set(sh, "x", " a : b ", 0);
	CHECK_STR(fields(sh, "echo $x"), "echo|a|b");
	var_set(sh, "IFS", "", 0);
	var_set(sh, "x", "a b", 0);
	CHECK_STR(fields(sh, "echo $x"), "echo|a b");
	shell_free(sh);
}

TEST(split_keeps_quoted_text_and_empty_quotes)
{
	struct shell *sh = new_shell();

	var_set(sh, "x", "a b", 0);
	CHECK_STR(fields(sh, "echo \"$x\" '' $empty \"\""), "echo|a b||");
	CHECK_STR(fields(sh, "echo pre$x\"q\""), "echo|prea|bq");
	char *p[] = { "1", "2 3" };

	params_set(sh, p, 2);
	CHECK_STR(fields(sh, "echo \"$@\" x\"$@\"y"), "echo|1|2 3|x1|2 3y");
	CHECK_STR(fields(sh, "echo \"$*\""), "echo|1 2 3");
	shell_free(sh);
}

TEST(expand_parameter_operators)
{
	struct shell *sh = new_shell();

	var_set(sh, "f", "dir/file.tar.gz", 0);
	CHECK_STR(fields(sh, "echo ${f##*/} ${f%%.*} ${f#*.} ${f%.*} ${#f}"),
		  "echo|file.tar.gz|dir/file|tar.gz|dir/file.tar|15");
	CHECK_STR(fields(sh, "echo ${u:-d} ${u-e} ${f:+set} ${u=new} $u"), "echo|d|e|set|new|new");
	CHECK_STR(fields(sh, "echo ~ ~/x $((2*21))"), "echo|/home/test|/home/test/x|42");
	shell_free(sh);
}

/* --- state serialisation --- */

TEST(serial_round_trips_every_byte_but_nul)
{
	struct shell *a = new_shell(), *b = new_shell();
	char all[256];

	for (int i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	var_set(a, "ALL", all, V_EXPORT);
	var_set(a, "NL", "line1\nline2\n", 0);
	var_set(a, "Q", "it's \"quoted\" $x `y` \\", V_READONLY);
	var_set(a, "EMPTY", "", 0);
	var_set(a, "DECL", NULL, V_EXPORT);
	char *params[] = { "p 1", "", "p\n3" };

	params_set(a, params, 3);
	struct arena pa;
	struct node *fn;
	struct parse_error err;

	arena_init(&pa);
	CHECK_EQ(parse_string("f() { echo \"$1\" | cat <<'E'\nbody\nE\n}", 1, &pa, &fn, &err),
		 PARSE_OK);
	a->lineno = 1;
	exec_node(a, fn, 0);
	a->status = 42;
	a->lastbg = 1234;
	a->opt[OPT_e] = a->opt[OPT_u] = true;
	struct strbuf s;

	sb_init(&s);
	serial_state(a, fn, &s);
	struct arena da;
	const char *derr;

	arena_init(&da);
	struct node *back = deserial_state(b, s.s, s.len, &da, &derr);

	CHECK(derr == NULL);
	CHECK(back != NULL);
	CHECK_STR(var_get(b, "ALL"), all);
	CHECK_STR(var_get(b, "NL"), "line1\nline2\n");
	CHECK_STR(var_get(b, "Q"), "it's \"quoted\" $x `y` \\");
	CHECK_STR(var_get(b, "EMPTY"), "");
	CHECK(var_lookup(b, "DECL") && !var_lookup(b, "DECL")->value);
	CHECK_EQ(var_lookup(b, "Q")->flags, V_READONLY);
	CHECK_EQ(var_lookup(b, "ALL")->flags, V_EXPORT);
	CHECK_EQ(b->nparams, 3);
	CHECK_STR(b->params[2], "p\n3");
	CHECK_EQ(b->status, 42);
	CHECK_EQ(b->lastbg, 1234);
	CHECK(b->opt[OPT_e] && b->opt[OPT_u] && !b->opt[OPT_x]);
	struct func *f = func_lookup(b, "f");

	CHECK(f != NULL);
	struct strbuf p1, p2;

	sb_init(&p1);
	sb_init(&p2);
	node_print(&p1, fn);
	node_print(&p2, back);
	CHECK_STR(sb_cstr(&p1), sb_cstr(&p2));
	sb_free(&p1);
	sb_free(&p2);
	sb_free(&s);
	arena_free(&pa);
	arena_free(&da);
	shell_free(a);
	shell_free(b);
}

TEST(serial_rejects_truncated_and_corrupt_state)
{
	struct shell *a = new_shell(), *b = new_shell();
	struct strbuf s;
	struct arena da;
	const char *derr;

	sb_init(&s);
	var_set(a, "V", "value", 0);
	serial_state(a, NULL, &s);
	arena_init(&da);
	for (size_t cut = 0; cut < s.len; cut++) {
		deserial_state(b, s.s, cut, &da, &derr);
		CHECK(derr != NULL);
	}
	s.s[4] = (char)0xff;
	deserial_state(b, s.s, s.len, &da, &derr);
	CHECK(derr != NULL);
	CHECK(!serial_complete(s.s, 3));
	sb_free(&s);
	arena_free(&da);
	shell_free(a);
	shell_free(b);
}

/* --- jobs --- */

/* Process ids above any pid_max: the SIGCONT a test's job_continue sends
 * reaches no process. */
#define FAKE_PID 0x7fff0000

static struct os_status stopped_by(int sig)
{
	struct os_status st = { 0, 0, sig, false };

	return st;
}

static struct os_status exited(int code)
{
	struct os_status st = { code, 0, 0, false };

	return st;
}

/* The line job_print gives j, taken from the shell's stdout buffer. */
static const char *job_line(struct shell *sh, struct job *j)
{
	sh->out1.len = 0;
	job_print(sh, 1, j);
	snprintf(printed, sizeof(printed), "%.*s", (int)sh->out1.len, sh->out1.buf);
	sh->out1.len = 0;
	return printed;
}

TEST(job_stops_when_each_process_has_stopped_or_ended)
{
	struct shell *sh = new_shell();
	pid_t p[3] = { FAKE_PID + 1, FAKE_PID + 2, FAKE_PID + 3 };
	struct job *j = job_new(sh, p, 3, "a | b | c", true);
	struct os_status st;

	st = stopped_by(SIGTSTP);
	job_record(sh, p[0], &st);
	CHECK_EQ(job_stop_signal(j), 0); /* b and c still run */
	st = exited(0);
	job_record(sh, p[1], &st);
	CHECK_EQ(job_stop_signal(j), 0);
	st = stopped_by(SIGTTIN);
	job_record(sh, p[2], &st);
	CHECK_EQ(job_stop_signal(j), SIGTTIN); /* the last stopped process's */
	CHECK(!j->done);
	CHECK_EQ(status_from(&j->st[2]), 128 + SIGTTIN);
	CHECK_STR(job_line(sh, j), "[1] + Stopped (tty input)        a | b | c\n");
	job_continue(sh, j);
	CHECK_EQ(job_stop_signal(j), 0);
	CHECK_STR(job_line(sh, j), "[1] + Running                    a | b | c\n");
	st = exited(3);
	job_record(sh, p[0], &st);
	job_record(sh, p[2], &st);
	CHECK(j->done);
	CHECK_EQ(job_stop_signal(j), 0);
	CHECK_STR(job_line(sh, j), "[1] + Done(3)                    a | b | c\n");
	job_free(sh, j);
	shell_free(sh);
}

TEST(job_stopped_with_its_last_process_ended_keeps_that_status)
{
	struct shell *sh = new_shell();
	pid_t p[2] = { FAKE_PID + 1, FAKE_PID + 2 };
	struct job *j = job_new(sh, p, 2, "sleep 30 | true", true);
	struct os_status st = exited(0);

	job_record(sh, p[1], &st);
	st = stopped_by(SIGTSTP);
	job_record(sh, p[0], &st);
	CHECK_EQ(job_stop_signal(j), SIGTSTP);
	CHECK_EQ(status_from(&j->st[1]), 0); /* $? as dash: true's */
	CHECK_STR(job_line(sh, j), "[1] + Stopped                    sleep 30 | true\n");
	job_free(sh, j);
	shell_free(sh);
}

TEST(job_stopped_for_ctrl_z_by_sigstop_counts_as_sigtstp)
{
	struct shell *sh = new_shell();
	pid_t p = FAKE_PID + 1;
	struct job *j = job_new(sh, &p, 1, "sleep 30", true);
	struct os_status st = stopped_by(SIGSTOP);

	j->ctrl_z = true;
	job_record(sh, p, &st);
	CHECK_EQ(job_stop_signal(j), SIGTSTP);
	CHECK_EQ(status_from(&j->st[0]), 148);
	job_continue(sh, j);
	CHECK(!j->ctrl_z);
	job_record(sh, p, &st); /* kill -STOP from elsewhere */
	CHECK_EQ(job_stop_signal(j), SIGSTOP);
	CHECK_STR(job_line(sh, j), "[1] + Stopped (signal)           sleep 30\n");
	job_free(sh, j);
	shell_free(sh);
}

TEST(job_list_puts_stopped_jobs_first_as_current)
{
	struct shell *sh = new_shell();
	pid_t p[3] = { FAKE_PID + 1, FAKE_PID + 2, FAKE_PID + 3 };
	struct job *a = job_new(sh, &p[0], 1, "a", true);
	struct job *b = job_new(sh, &p[1], 1, "b", true);
	struct os_status st = stopped_by(SIGTSTP);

	CHECK(job_find(sh, "%+") == b && job_find(sh, "%-") == a);
	job_record(sh, p[0], &st);
	CHECK(job_find(sh, "%+") == a && job_find(sh, "%-") == b);
	struct job *c = job_new(sh, &p[2], 1, "c", true);

	CHECK(sh->jobs == a && a->next == c && c->next == b); /* new: after the stopped */
	CHECK_EQ(c->id, 3);
	job_continue(sh, a); /* bg: the first of the running jobs */
	CHECK(sh->jobs == a && a->next == c && c->next == b);
	job_record(sh, p[2], &st);
	job_record(sh, p[1], &st);
	CHECK(sh->jobs == b && b->next == c && c->next == a); /* the last stopped first */
	CHECK_STR(job_line(sh, c), "[3] - Stopped                    c\n");
	job_free(sh, a);
	job_free(sh, b);
	job_free(sh, c);
	shell_free(sh);
}

/* --- line editor --- */

struct fake {
	const char *keys;
	size_t pos, len;
	struct strbuf out;
};

static int fake_read(void *ctx)
{
	struct fake *f = ctx;

	return f->pos < f->len ? (unsigned char)f->keys[f->pos++] : EDIT_EOF;
}

static void fake_write(void *ctx, const char *s, size_t n)
{
	struct fake *f = ctx;

	sb_put(&f->out, s, n);
}

static int fake_cols(void *ctx)
{
	(void)ctx;
	return 40;
}

static void fake_complete(void *ctx, const char *line, size_t pos, struct completion *c)
{
	size_t start = pos;

	(void)ctx;
	while (start > 0 && line[start - 1] != ' ')
		start--;
	c->start = start;
	const char *words[] = { "echo", "exit", "export", "dir/" };

	for (int i = 0; i < 4; i++)
		if (strncmp(words[i], line + start, pos - start) == 0)
			completion_add(c, words[i]);
}

/* Feeds keys to a fresh readline; returns the line (or "<EOF>"/"<INT>"). */
static const char *edit(struct editor **edp, struct fake *f, const char *keys, size_t n)
{
	static char result[256];
	struct term_ops ops = { fake_read, fake_write, fake_cols, f };
	struct strbuf line;

	if (!*edp) {
		*edp = editor_new(&ops, 10);
		editor_set_completer(*edp, fake_complete, NULL);
	}
	f->keys = keys;
	f->pos = 0;
	f->len = n ? n : strlen(keys);
	sb_init(&line);
	int r = editor_readline(*edp, "$ ", &line);

	snprintf(result, sizeof(result), "%s",
		 r == 1   ? (line.s ? sb_cstr(&line) : "")
		 : r == 0 ? "<EOF>"
			  : "<INT>");
	sb_free(&line);
	return result;
}

TEST(editor_moves_the_cursor_and_edits)
{
	struct editor *ed = NULL;
	struct fake f;

	sb_init(&f.out);
	CHECK_STR(edit(&ed, &f, "abc\x1b[D\x1b[DX\r", 0), "aXbc");
	CHECK_STR(edit(&ed, &f, "abc\x01Z\x05Y\r", 0), "ZabcY");
	CHECK_STR(edit(&ed, &f, "hello world\x01\x06\x06\x0b\r", 0), "he");
	CHECK_STR(edit(&ed, &f, "hello world\x15\r", 0), "");
	CHECK_STR(edit(&ed, &f, "one two three\x17\r", 0), "one two ");
	CHECK_STR(edit(&ed, &f, "abc\x1b[H\x1b[3~\r", 0), "bc");
	CHECK_STR(edit(&ed, &f, "abc\x1b[1~x\x1b[4~y\r", 0), "xabcy");
	CHECK_STR(edit(&ed, &f, "ab\x7f\x7f\x7f\r", 0), "");
	editor_free(ed);
	sb_free(&f.out);
}

TEST(editor_steps_over_utf8_characters)
{
	struct editor *ed = NULL;
	struct fake f;

	sb_init(&f.out);
	CHECK_STR(edit(&ed, &f, "a\xc3\xa9\x7f\r", 0), "a");
	CHECK_STR(edit(&ed, &f, "\xe2\x9c\x93x\x1b[D\x1b[D\x1b[3~\r", 0), "x");
	CHECK_STR(edit(&ed, &f, "\xc3\xa9\x1b[DZ\r", 0), "Z\xc3\xa9");
	editor_free(ed);
	sb_free(&f.out);
}

TEST(editor_recalls_and_searches_history)
{
	struct editor *ed = NULL;
	struct fake f;

	sb_init(&f.out);
	CHECK_STR(edit(&ed, &f, "\r", 0), "");
	editor_history_add(ed, "first");
	editor_history_add(ed, "second");
	editor_history_add(ed, "third");
	CHECK_STR(edit(&ed, &f, "\x1b[A\r", 0), "third");
	CHECK_STR(edit(&ed, &f, "\x1b[A\x1b[A\x1b[B\r", 0), "third");
	CHECK_STR(edit(&ed, &f, "new\x1b[A\x1b[B\r", 0), "new");
	CHECK_STR(edit(&ed, &f, "\x10\x10\x10\x10\r", 0), "first");
	CHECK_STR(edit(&ed, &f, "\x12sec\r", 0), "second");
	CHECK_STR(edit(&ed, &f, "\x12ir\x12\r", 0), "first");
	CHECK_STR(edit(&ed, &f, "keep\x12zzz\x07\r", 0), "keep");
	CHECK_STR(edit(&ed, &f, "\x12thi\x05!\r", 0), "third!");
	editor_free(ed);
	sb_free(&f.out);
}

TEST(editor_keeps_history_bounded_and_deduplicated)
{
	struct editor *ed = NULL;
	struct fake f;
	char line[16];

	sb_init(&f.out);
	edit(&ed, &f, "\r", 0);
	for (int i = 0; i < 25; i++) {
		snprintf(line, sizeof(line), "cmd%d", i);
		editor_history_add(ed, line);
		editor_history_add(ed, line);
	}
	CHECK_EQ(editor_history_count(ed), 10);
	CHECK_STR(editor_history_get(ed, 0), "cmd15");
	CHECK_STR(editor_history_get(ed, 9), "cmd24");
	editor_free(ed);
	sb_free(&f.out);
}

TEST(editor_completes_with_tab)
{
	struct editor *ed = NULL;
	struct fake f;

	sb_init(&f.out);
	CHECK_STR(edit(&ed, &f, "ec\t\r", 0), "echo ");
	CHECK_STR(edit(&ed, &f, "ex\t\r", 0), "ex");
	CHECK_STR(edit(&ed, &f, "exp\tx\r", 0), "export x");
	CHECK_STR(edit(&ed, &f, "cd di\t\r", 0), "cd dir/");
	f.out.len = 0;
	CHECK_STR(edit(&ed, &f, "ex\t\t\r", 0), "ex");
	CHECK(strstr(sb_cstr(&f.out), "exit") && strstr(f.out.s, "export"));
	editor_free(ed);
	sb_free(&f.out);
}

TEST(editor_reports_eof_and_interrupt)
{
	struct editor *ed = NULL;
	struct fake f;

	sb_init(&f.out);
	CHECK_STR(edit(&ed, &f, "\x04", 0), "<EOF>");
	CHECK_STR(edit(&ed, &f, "abc\x03", 0), "<INT>");
	CHECK_STR(edit(&ed, &f, "ab\x04\x1b[D\x04\r", 0), "a");
	CHECK_STR(edit(&ed, &f, "partial", 0), "partial");
	editor_free(ed);
	sb_free(&f.out);
}

TEST(editor_scrolls_long_lines)
{
	struct editor *ed = NULL;
	struct fake f;
	char keys[200];

	memset(keys, 'x', 100);
	keys[100] = '\r';
	keys[101] = '\0';
	sb_init(&f.out);
	CHECK_EQ(strlen(edit(&ed, &f, keys, 0)), 100);
	editor_free(ed);
	sb_free(&f.out);
}

int main(void)
{
	RUN(parser_prints_lists_and_pipelines);
	RUN(parser_prints_compound_commands);
	RUN(parser_keeps_quoting_in_words);
	RUN(parser_treats_keywords_only_in_command_position);
	RUN(parser_reports_errors_with_their_line);
	RUN(parser_reads_here_documents_after_the_line);
	RUN(parser_survives_deep_nesting);
	RUN(arith_follows_c_precedence);
	RUN(arith_short_circuits_without_errors);
	RUN(arith_assigns_variables);
	RUN(arith_reports_errors);
	RUN(pattern_matches_stars_and_questions);
	RUN(pattern_matches_bracket_expressions);
	RUN(pattern_prefix_and_suffix_lengths);
	RUN(glob_sorts_and_hides_dot_files);
	RUN(split_uses_ifs_whitespace_and_delimiters);
	RUN(split_keeps_quoted_text_and_empty_quotes);
	RUN(expand_parameter_operators);
	RUN(serial_round_trips_every_byte_but_nul);
	RUN(serial_rejects_truncated_and_corrupt_state);
	RUN(job_stops_when_each_process_has_stopped_or_ended);
	RUN(job_stopped_with_its_last_process_ended_keeps_that_status);
	RUN(job_stopped_for_ctrl_z_by_sigstop_counts_as_sigtstp);
	RUN(job_list_puts_stopped_jobs_first_as_current);
	RUN(editor_moves_the_cursor_and_edits);
	RUN(editor_steps_over_utf8_characters);
	RUN(editor_recalls_and_searches_history);
	RUN(editor_keeps_history_bounded_and_deduplicated);
	RUN(editor_completes_with_tab);
	RUN(editor_reports_eof_and_interrupt);
	RUN(editor_scrolls_long_lines);
	return check_summary();
}
