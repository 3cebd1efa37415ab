/*
 * redir.c - redirections applied to the shell's own descriptor table.
 *
 * A frame records the descriptors a command redirected, keeping the old
 * ones as close-on-exec copies at 10 and above; popping the frame puts them
 * back.  External programs and child shells then receive the redirected
 * descriptors through os_spawn's descriptor map, so the same code serves
 * builtins, functions and spawned commands.
 */
#define _DEFAULT_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

#define USER_FDS 10 /* the shell keeps its own descriptors at 10 and above */

/* Moves one of the shell's own long-lived descriptors (a script being
 * read) out of the way of the descriptors scripts commonly use. */
int fd_move_high(int fd)
{
	int n = fcntl(fd, F_DUPFD_CLOEXEC, OS_MAXFD);

	if (n >= 0)
		close(fd);
	return n;
}

void redir_push(struct shell *sh)
{
	struct redir_frame *f = xmalloc(sizeof(*f));

	f->prev = sh->redir;
	f->saved = NULL;
	f->n = f->cap = 0;
	sh->redir = f;
}

static void frame_free(struct redir_frame *f)
{
	free(f->saved);
	free(f);
}

/* Restores the descriptors saved by the top frame and removes it. */
void redir_pop(struct shell *sh)
{
	struct redir_frame *f = sh->redir;

	if (!f)
		return;
	out_flush(sh);
	for (int i = f->n - 1; i >= 0; i--) {
		struct saved_fd *s = &f->saved[i];

		if (s->copy >= 0) {
			dup2(s->copy, s->fd);
			close(s->copy);
		} else {
			close(s->fd);
		}
	}
	sh->redir = f->prev;
	frame_free(f);
}

void redir_pop_to(struct shell *sh, struct redir_frame *target)
{
	while (sh->redir && sh->redir != target)
		redir_pop(sh);
}

/* Makes the top frame's redirections permanent (exec with no command). */
void redir_forget(struct shell *sh)
{
	struct redir_frame *f = sh->redir;

	for (int i = 0; i < f->n; i++)
		if (f->saved[i].copy >= 0)
			close(f->saved[i].copy);
	f->n = 0;
}

/* Remembers fd's current state in the top frame, once per frame. */
static void save_fd(struct shell *sh, int fd)
{
	struct redir_frame *f = sh->redir;

	for (int i = 0; i < f->n; i++)
		if (f->saved[i].fd == fd)
			return;
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 4;
		f->saved = xrealloc(f->saved, sizeof(*f->saved) * (size_t)f->cap);
	}
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, USER_FDS);

	f->saved[f->n].fd = fd;
	f->saved[f->n].copy = copy;
	f->n++;
}

/* dash's wording for open failures. */
static const char *open_error(int err, bool create)
{
	switch (err) {
	case ENOENT:
		return create ? "Directory nonexistent" : "No such file";
	case ENOTDIR:
		return create ? "Directory nonexistent" : "No such file";
	case EACCES:
		return "Permission denied";
	case EISDIR:
		return "Is a directory";
	case EEXIST:
		return "File exists";
	default:
		return strerror(err);
	}
}

/* Opens the file of a file redirection; returns the fd or -1 (reported). */
static int open_target(struct shell *sh, struct redir *r, const char *name)
{
	int flags, fd;
	bool create = r->type != R_IN;

	switch (r->type) {
	case R_IN:
		flags = O_RDONLY;
		break;
	case R_RDWR:
		flags = O_RDWR | O_CREAT;
		break;
	case R_APPEND:
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	case R_OUT:
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		if (sh->opt[OPT_C]) {
			struct stat st;

			if (stat(name, &st) == 0 && S_ISREG(st.st_mode)) {
				sh_warn_cmd(sh, "cannot create %s: File exists", name);
				return -1;
			}
		}
		break;
	default:
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	}
	do
		fd = open(name, flags | O_CLOEXEC, 0666);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		sh_warn_cmd(sh, "cannot %s %s: %s", create ? "create" : "open", name,
			    open_error(errno, create));
	return fd;
}

/* Writes a here-document body into a pipe (or a temporary file when it
 * would not fit) and returns the read end. */
int redir_open_heredoc(struct shell *sh, const char *body, size_t len)
{
	int p[2];

	(void)sh;
	if (len <= 4096) {
		if (os_pipe(p) != 0)
			return -1;
		if (xwrite_all(p[1], body, len) < 0) {
			close(p[0]);
			close(p[1]);
			return -1;
		}
		close(p[1]);
		return p[0];
	}
	char tmpl[] = "/tmp/sh-hereXXXXXX";
	int fd = mkstemp(tmpl);

	if (fd < 0)
		return -1;
	unlink(tmpl);
	if (xwrite_all(fd, body, len) < 0 || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

/* <&n >&n <&- >&-: returns 0 or 1 after a message. */
static int apply_dup(struct shell *sh, struct redir *r, const char *word)
{
	if (strcmp(word, "-") == 0) {
		save_fd(sh, r->fd);
		close(r->fd);
		return 0;
	}
	char *end;
	long src = strtol(word, &end, 10);

	if (!*word || *end || src < 0 || src >= 1024) {
		if (!*word || *end)
			sh_error(sh, "Syntax error: Bad fd number");
		sh_warn_cmd(sh, "%s: Bad file descriptor", word);
		return 1;
	}
	if (src == r->fd)
		return fcntl(r->fd, F_GETFD) < 0
			       ? (sh_warn_cmd(sh, "%s: Bad file descriptor", word), 1)
			       : 0;
	if (fcntl((int)src, F_GETFD) < 0) {
		sh_warn_cmd(sh, "%s: Bad file descriptor", word);
		return 1;
	}
	save_fd(sh, r->fd);
	dup2((int)src, r->fd);
	return 0;
}

static int apply_one(struct shell *sh, struct redir *r)
{
	int fd;

	if (r->fd >= 1024) {
		sh_warn_cmd(sh, "%d: Bad file descriptor", r->fd);
		return 1;
	}
	if (r->type == R_HEREDOC) {
		char *body = !r->target       ? ""
			     : r->here_quoted ? r->target->parts->text
					      : expand_heredoc(sh, r->target);

		fd = redir_open_heredoc(sh, body, strlen(body));
		if (fd < 0) {
			sh_warn_cmd(sh, "cannot create here-document: %s", strerror(errno));
			return 1;
		}
		save_fd(sh, r->fd);
	} else {
		char *word = expand_word_str(sh, r->target, 0);

		if (r->type == R_DUPIN || r->type == R_DUPOUT)
			return apply_dup(sh, r, word);
		save_fd(sh, r->fd);
		fd = open_target(sh, r, word);
		if (fd < 0)
			return 1;
	}
	if (fd != r->fd) {
		dup2(fd, r->fd);
		close(fd);
	} else {
		fcntl(fd, F_SETFD, 0);
	}
	return 0;
}

int redir_apply(struct shell *sh, struct redir *r)
{
	out_flush(sh);
	for (; r; r = r->next) {
		int e = apply_one(sh, r);

		if (e)
			return e;
	}
	return 0;
}

/* Points fd at src in the top frame (pipeline plumbing). */
void redir_dup_into(struct shell *sh, int src, int fd)
{
	out_flush(sh);
	save_fd(sh, fd);
	if (src < 0)
		close(fd);
	else
		dup2(src, fd);
}
