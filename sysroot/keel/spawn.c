/*
 * spawn.c - processes over the launch protocol (keel/launch.h,
 * docs/launch.md): posix_spawn (musl's is replaced by a call here),
 * wait4 and kill for the children it started.
 *
 * posix_spawn(path): the program is the last component of path, looked
 * up in the boot bundle by initd; a name the bundle lacks is retried as
 * the toolbox, which runs the command its argv[0] names. The child gets
 * argv, envp, the working directory and these named capabilities of the
 * caller's, each only if its manifest declares it: "tty", "root",
 * "witness" (the debug console), "launch", "power", "operator" (initd's
 * INITD_CONTROL), "bundle" (the boot bundle's files under /bundle), and
 * for each pipe end and vfsd file the file actions leave on descriptor N
 * (manifest name "fds"): "fdN-pr"/"fdN-pw" for a pipe's read or write
 * end; "fdN-fM" for a file, M its access mode (r, w, b: both; a, c: w
 * and b with O_APPEND). A file goes as a duplicate of its vfsd record
 * without a buffer (VFS_DUP_BARE), so the child attaches its own, and
 * sharing the description's offset, which vfsd keeps for both from then
 * on (VFS_DUP_SHARE_POS; docs/libc.md). The duplicate is closed when
 * wait4 reaps the child. A descriptor on /dev/null or /dev/zero goes
 * in the argument block's devices string ("N=null"), since no capability
 * stands behind it. Descriptors 0-2 on the debug console need
 * nothing: a child with the witness has them. Other kinds of descriptor
 * (directories, the bundle's files) are not inherited.
 *
 * A child's pid is the kernel's id of its task, the one `ps` shows and
 * getpid returns in the child (LAUNCH_GO's answer), mapped to its launch
 * id; a child whose id did not come (an older initd) gets a number of
 * this task's own above KID_OWN_PIDS. wait4 waits for one child or any; the status is an exit
 * code, or a signal: SIGKILL (or the signal kill() asked for) for a
 * killed child, SIGINT or SIGQUIT for one an interrupt typed on the
 * console ended, the signal of its CPU fault for a crash (SIGSEGV, SIGILL,
 * SIGFPE, SIGTRAP), with the core flag.
 *
 * Interrupts (docs/launch.md, "Interrupts and jobs"): a child that starts
 * with SIGINT ignored, or in a process group of its own
 * (POSIX_SPAWN_SETPGROUP), is launched in the background, where Ctrl-C on
 * the console does not reach it; keel_spawn_job moves a child to the
 * foreground or back, and lets the caller catch interrupts itself.
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend.h"
#include "dev.h"
#include "fdsys.h"
#include "fs.h"
#include "keel/launch.h"
#include "pipe.h"
#include "vfsfile.h"

#define KIDS_MAX 64
#define KID_OWN_PIDS 0x40000000 /* pids of this task's own start here */
#define FDOP_CLOSE 1            /* musl's file actions (src/process/fdop.h) */
#define FDOP_DUP2 2
#define FDOP_OPEN 3
#define FDOP_CHDIR 4

/* musl's file action record, as its posix_spawn_file_actions_* make them:
 * a list from the newest; they apply oldest first. */
struct fdop {
	struct fdop *next, *prev;
	int cmd, fd, srcfd, oflag;
	mode_t mode;
	char path[];
};

struct kid {
	pid_t pid; /* 0: free */
	uint32_t id;
	int kill_sig; /* the signal kill() was asked for, reported at its end */
	int stop_sig; /* the stop signal kill() was asked for, reported at the stop */
	cap_handle_t files[LAUNCH_CAPS_MAX]; /* vfsd records passed to it, closed when it is reaped */
};

static struct {
	volatile int lock;
	pid_t next;
	struct kid kid[KIDS_MAX];
} kids = { 0, 2, { { 0 } } };

int __keel_posix_spawn(pid_t *, const char *, const posix_spawn_file_actions_t *,
		       const posix_spawnattr_t *, char *const[], char *const[]);

/* The child's descriptors after the file actions: child[i] is the
 * parent's descriptor that becomes i, or -1. Returns 0 or an errno. */
static int child_fds(const posix_spawn_file_actions_t *fa, int child[KEEL_FD_MAX], const char **cwd)
{
	for (int i = 0; i < KEEL_FD_MAX; i++)
		child[i] = i;
	struct fdop *op = fa ? (struct fdop *)fa->__actions : NULL; /* musl's list */
	while (op && op->next)
		op = op->next;
	for (; op; op = op->prev) {
		if (op->cmd != FDOP_CHDIR && (op->fd < 0 || op->fd >= KEEL_FD_MAX))
			return EBADF;
		if (op->cmd == FDOP_CLOSE)
			child[op->fd] = -1;
		else if (op->cmd == FDOP_DUP2 && op->srcfd >= 0 && op->srcfd < KEEL_FD_MAX)
			child[op->fd] = child[op->srcfd];
		else if (op->cmd == FDOP_CHDIR)
			*cwd = op->path;
		else
			return ENOSYS; /* opening files for a child needs vfsd */
	}
	return 0;
}

struct passing {
	uint32_t n;
	const char *names[LAUNCH_CAPS_MAX];
	char text[LAUNCH_CAPS_MAX][LAUNCH_CAP_NAME_MAX + 1];
	cap_handle_t caps[LAUNCH_CAPS_MAX];
	struct keel_file *files[LAUNCH_CAPS_MAX]; /* pipe ends, counted for the child */
	cap_handle_t dups[LAUNCH_CAPS_MAX];       /* vfsd files' duplicates made for it */
	char devices[KEEL_FD_MAX * 10];           /* "N=null ...": its descriptors on devices */
};

static void pass(struct passing *p, const char *name, cap_handle_t cap)
{
	if (cap == CAP_HANDLE_NONE || p->n == LAUNCH_CAPS_MAX)
		return;
	memcpy(p->text[p->n], name, strlen(name) + 1);
	p->names[p->n] = p->text[p->n];
	p->caps[p->n++] = cap;
}

/* Adds descriptor i of the child, the parent's description f, if it is a
 * vfsd file; 0, or an errno. */
static int pass_file(struct passing *p, int i, struct keel_file *f)
{
	char name[LAUNCH_CAP_NAME_MAX + 1];
	snprintf(name, sizeof name, "fd%d-f%c", i, keel_vfsfile_mode_letter(f->status));
	if (p->n == LAUNCH_CAPS_MAX)
		return EMFILE;
	cap_handle_t dup;
	long r = keel_vfsfile_pass(f, &dup);
	if (r)
		return (int)-r; /* the child would write or read elsewhere: refuse */
	if (dup == CAP_HANDLE_NONE)
		return 0; /* not a vfsd file */
	p->dups[p->n] = dup;
	pass(p, name, dup);
	return 0;
}

/* Adds the pipe ends and vfsd files of the child's descriptor table. */
static int pass_fds(struct passing *p, const int child[KEEL_FD_MAX])
{
	for (int i = 0; i < KEEL_FD_MAX; i++) {
		struct keel_file *f = child[i] >= 0 ? fdt_get(keel_fdt(), child[i]) : NULL;
		int write, err;
		cap_handle_t cap;
		if (!f)
			continue;
		if (f->kind == KEEL_FD_DEVICE) {
			const char *dev = keel_dev_name(f);
			size_t at = strlen(p->devices);
			if (dev)
				snprintf(p->devices + at, sizeof p->devices - at, "%s%d=%s",
					 at ? " " : "", i, dev);
			fdt_put(keel_fdt(), f);
			continue;
		}
		if (f->kind == KEEL_FD_FILE) {
			err = pass_file(p, i, f);
			fdt_put(keel_fdt(), f);
			if (err)
				return err;
			continue;
		}
		if (f->kind == KEEL_FD_PIPE && p->n == LAUNCH_CAPS_MAX) {
			fdt_put(keel_fdt(), f);
			return EMFILE;
		}
		if ((cap = keel_pipe_pass(f, &write)) == CAP_HANDLE_NONE) {
			fdt_put(keel_fdt(), f);
			continue;
		}
		char name[LAUNCH_CAP_NAME_MAX + 1];
		snprintf(name, sizeof name, "fd%d-p%c", i, write ? 'w' : 'r');
		p->files[p->n] = f; /* the reference is dropped after the launch */
		pass(p, name, cap);
	}
	return 0;
}

/* Drops the pipe references; on failure takes the counts back and closes
 * the files' duplicates, which otherwise go to the child's record, kid. */
static void pass_done(struct passing *p, int failed, struct kid *kid)
{
	for (uint32_t i = 0; i < p->n; i++) {
		if (p->dups[i] != CAP_HANDLE_NONE && (failed || !kid))
			keel_vfsfile_unpass(p->dups[i]);
		else if (p->dups[i] != CAP_HANDLE_NONE)
			kid->files[i] = p->dups[i];
		if (!p->files[i])
			continue;
		if (failed)
			keel_pipe_unpass(p->files[i]);
		fdt_put(keel_fdt(), p->files[i]);
	}
}

/* Closes the vfsd files passed to a child that has ended. */
static void kid_files_close(struct kid *k)
{
	for (uint32_t i = 0; i < LAUNCH_CAPS_MAX; i++)
		if (k->files[i] != CAP_HANDLE_NONE) {
			keel_vfsfile_unpass(k->files[i]);
			k->files[i] = CAP_HANDLE_NONE;
		}
}

/* Records a started child (task: its kernel id, 0 if unknown); returns
 * its pid. */
static pid_t kid_add(uint32_t id, uint32_t task)
{
	pid_t pid = 0;
	keel_lock(&kids.lock);
	for (int i = 0; i < KIDS_MAX && !pid; i++)
		if (!kids.kid[i].pid) {
			if (task > 1 && task < KID_OWN_PIDS) {
				pid = (pid_t)task;
			} else {
				pid = (pid_t)(KID_OWN_PIDS + (kids.next++ & 0x3fffffff));
			}
			kids.kid[i] = (struct kid){ .pid = pid, .id = id };
		}
	keel_unlock(&kids.lock);
	return pid;
}

static struct kid *kid_find(pid_t pid, uint32_t id)
{
	for (int i = 0; i < KIDS_MAX; i++)
		if (kids.kid[i].pid && (pid > 0 ? kids.kid[i].pid == pid : kids.kid[i].id == id))
			return &kids.kid[i];
	return NULL;
}

/* Launches name with the prepared capabilities. */
static status_t launch_named(cap_handle_t launch, const char *name, struct passing *p,
			     char *const argv[], char *const envp[], const char *cwd,
			     uint32_t flags, uint32_t *id, uint32_t *task)
{
	struct launch_req req = { name, argv, envp, cwd, p->n, p->names, p->caps, p->devices };
	status_t st = launch_start_job(launch, &req, flags, id, task);
	if (st == STATUS_NOT_FOUND && strcmp(name, "toolbox")) {
		req.program = "toolbox"; /* the everyday commands are one program */
		st = launch_start_job(launch, &req, flags, id, task);
	}
	return st;
}

/* After a launch refused with STALE - the root passed went stale on its
 * way, vfsd having restarted after keel_fs_fresh_root checked it - puts
 * the renewed root in its place: true if there is a new one to try. */
static bool pass_root_renew(struct passing *p)
{
	for (uint32_t i = 0; i < p->n; i++)
		if (!strcmp(p->names[i], "root")) {
			cap_handle_t root = keel_fs_fresh_root();
			if (root == CAP_HANDLE_NONE || root == p->caps[i])
				return false;
			p->caps[i] = root;
			return true;
		}
	return false;
}

/* Whether the child goes to the background: it starts with SIGINT ignored
 * (ignored here and not reset by POSIX_SPAWN_SETSIGDEF) or in a process
 * group of its own (POSIX_SPAWN_SETPGROUP). */
static int spawn_background(const posix_spawnattr_t *attr)
{
	struct sigaction now;
	sigset_t def;
	short flags = 0;
	if (attr && posix_spawnattr_getflags(attr, &flags))
		flags = 0;
	if (flags & POSIX_SPAWN_SETPGROUP)
		return 1;
	if (sigaction(SIGINT, NULL, &now) || now.sa_handler != SIG_IGN)
		return 0;
	if (!(flags & POSIX_SPAWN_SETSIGDEF) || posix_spawnattr_getsigdefault(attr, &def))
		return 1;
	return !sigismember(&def, SIGINT);
}

int __keel_posix_spawn(pid_t *res, const char *path, const posix_spawn_file_actions_t *fa,
		       const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	const struct keel_start *s = keel_start_page();
	cap_handle_t launch = launch_cap(s, "launch");
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path, *cwd = NULL;
	int child[KEEL_FD_MAX], err;
	char here[4096];
	struct passing p = { 0 };
	uint32_t id, flags = spawn_background(attr) ? LAUNCH_JOB_BACKGROUND : 0;
	if (launch == CAP_HANDLE_NONE)
		return ENOSYS;
	if ((err = child_fds(fa, child, &cwd)))
		return err;
	if (!cwd)
		cwd = getcwd(here, sizeof here) ? here : "/";
	pass(&p, "witness", s->witness);
	static const char *const mine[] = { "tty", "root", "launch", "power", "operator", "bundle" };
	for (unsigned i = 0; i < sizeof mine / sizeof mine[0]; i++)
		pass(&p, mine[i],
		     strcmp(mine[i], "root") ? launch_cap(s, mine[i]) : keel_fs_fresh_root());
	if ((err = pass_fds(&p, child)))
		return pass_done(&p, 1, NULL), err;
	uint32_t task = 0;
	status_t st = launch_named(launch, name, &p, argv, envp, cwd, flags, &id, &task);
	if (st == STATUS_STALE && pass_root_renew(&p))
		st = launch_named(launch, name, &p, argv, envp, cwd, flags, &id, &task);
	if (st)
		pass_done(&p, 1, NULL);
	if (st == STATUS_BAD_FORMAT)
		return ENOEXEC; /* not a program: a shell may run it as a script */
	if (st)
		return keel_errno(st);
	pid_t pid = kid_add(id, task);
	if (!pid) {
		launch_kill(launch, id);
		pass_done(&p, 0, NULL);
		return EAGAIN;
	}
	pass_done(&p, 0, kid_find(pid, 0));
	if (res)
		*res = pid;
	return 0;
}

/* The signal a CPU exception vector is reported as. */
static int fault_signal(uint64_t vector)
{
	switch (vector) {
	case 0:
	case 16:
	case 19:
		return SIGFPE;
	case 1:
	case 3:
		return SIGTRAP;
	case 6:
		return SIGILL;
	default:
		return SIGSEGV;
	}
}

/* True if this task has a child it has not waited for. */
static int kids_any(void)
{
	for (int i = 0; i < KIDS_MAX; i++)
		if (kids.kid[i].pid)
			return 1;
	return 0;
}

/* wait4(pid, status, options, rusage): pid > 0 or -1 (any child). */
long keel_sys_wait4(const long a[6])
{
	pid_t pid = (pid_t)a[0];
	int *status = (int *)a[1], options = (int)a[2];
	struct launch_status ls;
	if (pid == 0 || pid < -1 || (options & ~(WNOHANG | WUNTRACED | WCONTINUED)))
		return pid == 0 || pid < -1 ? -ECHILD : -EINVAL;
	struct kid *k = pid > 0 ? kid_find(pid, 0) : NULL;
	if ((pid > 0 && !k) || (pid == -1 && !kids_any()))
		return -ECHILD;
	cap_handle_t launch = launch_cap(keel_start_page(), "launch");
	if (launch == CAP_HANDLE_NONE)
		return -ECHILD;
	uint32_t flags = (options & WNOHANG ? LAUNCH_WAIT_POLL : 0) |
			 (options & WUNTRACED ? LAUNCH_WAIT_STOPS : 0);
	status_t st = launch_wait(launch, k ? k->id : LAUNCH_ANY, flags, &ls);
	if (st == STATUS_BUSY && (options & WNOHANG))
		return 0;
	if (st)
		return st == STATUS_NOT_FOUND ? -ECHILD : -keel_errno(st);
	k = kid_find(-1, ls.id);
	if (ls.end == LAUNCH_END_STOPPED) { /* WUNTRACED: a stop, the child is kept */
		int sig = ls.detail == LAUNCH_STOPPED_SUSP ? SIGTSTP
			  : k && k->stop_sig               ? k->stop_sig
							   : SIGSTOP;
		if (status)
			*status = sig << 8 | 0x7f;
		return k ? k->pid : 0;
	}
	int ws = ls.end == LAUNCH_END_EXIT         ? (int)((ls.detail & 0xff) << 8)
		 : ls.end == LAUNCH_END_FAULT      ? fault_signal(ls.detail) | 0x80
		 : k && k->kill_sig                ? k->kill_sig
		 : ls.detail == LAUNCH_KILLED_INTR ? SIGINT
		 : ls.detail == LAUNCH_KILLED_QUIT ? SIGQUIT
						   : SIGKILL;
	pid_t got = k ? k->pid : 0;
	if (k) {
		kid_files_close(k);
		k->pid = 0;
	}
	if (status)
		*status = ws;
	return got;
}

/* kill for a child: the stop signals stop it, SIGCONT lets it go on,
 * SIGCHLD, SIGWINCH and SIGURG do nothing (their default), and any other
 * but 0 ends it (Keel delivers no signal to a handler). */
long keel_spawn_kill(int pid, int sig)
{
	struct kid *k = pid > 0 ? kid_find(pid, 0) : NULL;
	if (!k)
		return -ESRCH;
	if (sig < 0 || sig >= 65)
		return -EINVAL;
	if (sig == 0 || sig == SIGCHLD || sig == SIGWINCH || sig == SIGURG)
		return 0;
	cap_handle_t launch = launch_cap(keel_start_page(), "launch");
	status_t st;
	if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
		k->stop_sig = sig;
		st = launch_stop(launch, k->id, true);
	} else if (sig == SIGCONT) {
		st = launch_stop(launch, k->id, false);
	} else {
		k->kill_sig = sig;
		st = launch_kill(launch, k->id);
	}
	return st ? -keel_errno(st) : 0;
}

/* Job control for children (keel_spawn_job): with pid > 0, moves that
 * child to the background (LAUNCH_JOB_BACKGROUND in flags) or to the
 * foreground (no flag), where an interrupt typed on the console ends it;
 * with pid 0, LAUNCH_JOB_CATCH in flags makes interrupts pass this task
 * by, on to its foreground children (an interactive shell). Returns 0, or
 * ESRCH for a pid that is not a child, ENOSYS without a launch capability. */
int keel_spawn_job(int pid, unsigned flags)
{
	cap_handle_t launch = launch_cap(keel_start_page(), "launch");
	struct kid *k = pid > 0 ? kid_find(pid, 0) : NULL;
	if (launch == CAP_HANDLE_NONE)
		return ENOSYS;
	if (pid < 0 || (pid > 0 && !k))
		return ESRCH;
	status_t st = k ? launch_job(launch, k->id, flags & LAUNCH_JOB_BACKGROUND)
			: launch_job(launch, LAUNCH_ANY, flags & LAUNCH_JOB_CATCH);
	return st ? keel_errno(st) : 0;
}
