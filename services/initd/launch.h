/*
 * launch.h - initd's side of the launch protocol (keel/launch.h,
 * docs/launch.md): the table of launched apps, the console program and
 * shutdown.
 *
 * Badges on initd's inbox tell the speakers apart (services use their
 * slot + 1, below 2^32). The high 32 bits of a badge give its kind:
 *   LAUNCH_KIND_APP      fault and exit messages of app (gen << 8 | slot)
 *   LAUNCH_KIND_LAUNCHER a launch capability; the low bits name the app
 *                        that holds it (gen << 8 | slot), so its launches
 *                        are its own
 *   LAUNCH_KIND_POWER    a power capability (INITD_SHUTDOWN)
 *   LAUNCH_KIND_TERM     the console terminals' controller events: Ctrl-C
 *                        ends that console's foreground apps (console.c)
 * Each app's launch capability and exit badge are derived for it and
 * revoked when it ends, so a badge is never heard from a dead app's
 * copies. When an app ends, the apps it launched are killed and forgotten.
 */
#ifndef KEEL_INITD_LAUNCH_H
#define KEEL_INITD_LAUNCH_H

#include "diskapps.h"
#include "keel/launch.h"
#include "launch_policy.h"
#include "services.h"

#define LAUNCH_APPS_MAX 64u
#define LAUNCH_PER_LAUNCHER 16u /* entries one launcher may hold */
#define LAUNCH_KIND_APP 1ull
#define LAUNCH_KIND_LAUNCHER 2ull
#define LAUNCH_KIND_POWER 3ull
#define LAUNCH_KIND_TERM 4ull /* the console terminal's events (console.c) */

enum app_state { APP_FREE, APP_PREPARED, APP_RUNNING, APP_ENDED };

struct app {
	enum app_state state;
	uint32_t gen;   /* bumped when the entry is freed: ids and badges go stale */
	uint64_t owner; /* its launcher's badge; 0 for initd's console program */
	char program[LAUNCH_PROGRAM_MAX + 1];
	status_t error; /* the first mistake in a LAUNCH_ARGS or LAUNCH_CAP */
	cap_handle_t block;
	uint32_t block_bytes;
	uint32_t ncaps;
	launch_name_t names[LAUNCH_CAPS_MAX];
	cap_handle_t caps[LAUNCH_CAPS_MAX];
	struct keel_child child;
	cap_handle_t end_cap;  /* initd's inbox, badged for its exit and fault */
	cap_handle_t launcher; /* its own launch capability, if it uses one */
	struct launch_status status;
	cap_handle_t waiter;            /* reply capability of a pending LAUNCH_WAIT on it */
	bool waiter_stops;              /* that wait asked for stops (LAUNCH_WAIT_STOPS) */
	bool stopped;                   /* LAUNCH_STOP or Ctrl-Z: its task is stopped */
	bool stop_unreported;           /* and no LAUNCH_WAIT_STOPS has been told */
	uint64_t stop_detail;           /* LAUNCH_END_STOPPED's detail */
	uint64_t seq;                   /* order of starting */
	char comm[16];                  /* what ps calls it: argv[0]'s last part, or the program */
	char args[INITD_TASK_ARGS_MAX]; /* its command line, cut (INITD_TASK_ARGS) */
	uint64_t task_id;               /* the kernel's id of its task, once started */
	uint64_t started_ns;            /* when it was started */
	uint32_t console;               /* the console whose program it descends from */
	bool background;                /* LAUNCH_JOB_BACKGROUND: interrupts do not reach it */
	bool catches; /* LAUNCH_JOB_CATCH: interrupts pass it by to its launches */
	uint64_t cost_slots, cost_objects; /* of initd's quotas, while it runs */
	cap_handle_t session;              /* head of its vfsd session (appsession.h), or none */
	uint32_t root_rights;              /* of its root, when that was the volume's root */
	bool root_renewable;               /* LAUNCH_ROOT may give it a new one */
	cap_handle_t root_waiter;          /* a LAUNCH_ROOT held while vfsd comes up */
	cap_handle_t go_waiter;            /* its LAUNCH_GO, held likewise */
};

/* A LAUNCH_WAIT for any of one launcher's apps. */
struct any_wait {
	uint64_t owner; /* 0: unused */
	cap_handle_t reply;
	bool stops; /* LAUNCH_WAIT_STOPS */
};

/*
 * A console program (initd.console=PROG,ARG,... on the serial line, or on
 * the debug console without a console service; initd.screen= on the first
 * virtual console of the screen) with what initd fetched for it from the
 * services: a terminal of compd (console.c) and a root directory of vfsd.
 */
#define LAUNCH_CONSOLES 2u
struct console {
	struct launcher *l;
	char program[KEEL_CMDLINE_MAX]; /* empty: none */
	uint32_t term;                  /* compd's terminal index */
	cap_handle_t tty, control;      /* the terminal, while initd holds it */
	uint32_t tty_hellos;            /* the console service's hellos at the open */
	bool tty_live;                  /* the program got the running instance's terminal */
	cap_handle_t root;              /* a vfsd root for the running program */
	uint32_t id;                    /* the program's app id; LAUNCH_ANY if none */
	uint32_t quick;                 /* ends in a row within CONSOLE_QUICK_NS of a start */
	uint32_t waits;                 /* restarts put off: its services are coming up */
	uint64_t started;
};

struct launcher {
	struct initd *d;
	struct app apps[LAUNCH_APPS_MAX];
	struct any_wait any[LAUNCH_APPS_MAX];
	cap_handle_t power;        /* initd's power capability, handed to the console program */
	cap_handle_t operator_cap; /* the operator capability (control.h), likewise */
	struct diskapps disk;      /* /apps on the disk (diskapps.h) */
	uint64_t used_slots, used_objects;  /* taken by running apps (launch_budget.c) */
	char script_copy[LAUNCH_BLOCK_MAX]; /* a script launch's block, read once */
	bool reset; /* the shutdown ends in a reset (INITD_SHUTDOWN_RESET) */
	/* The console programs: started at boot, restarted when they end. */
	struct console consoles[LAUNCH_CONSOLES];
	cap_handle_t events; /* initd's inbox, badged LAUNCH_KIND_TERM */
	uint64_t seq;        /* apps started so far */
	/* Shutdown: services are stopped one by one, last started first. */
	bool shutting_down;
	uint32_t stop_next; /* index into d->order, counting down */
	uint32_t stopping;  /* slot being stopped, or INITD_MAX_SERVICES */
};

/* Registers the launch and shutdown messages on d->loop and records the
 * console programs named by initd.console= and initd.screen= (PROG,ARG,...;
 * none if absent).
 * Returns the first failing status. */
status_t launch_register(struct launcher *l, struct initd *d);

/* Starts the console programs that are named. Called once all services
 * are up (or at boot if there are none). */
void launch_console_start(struct launcher *l);

/* True if badge is one of the launch kinds; then the message is the
 * launcher's: launch_on_end handles exit and fault messages. */
bool launch_owns(uint64_t badge);
/* INITD_TASKS' program number i (tasks.c): false past the last. Fills
 * out but for the kernel's figures, and args with its command line; *task
 * is its task to ask them of, or CAP_HANDLE_NONE once it has ended.
 * initd_id is the parent of a console program. */
bool launch_task_at(struct launcher *l, uint32_t i, uint32_t initd_id, struct initd_task *out,
		    char args[INITD_TASK_ARGS_MAX], cap_handle_t *task);
status_t launch_on_end(struct launcher *l, const struct keel_msg *m);

/* A service ended during shutdown (services.c tells): stop the next one. */
void launch_service_ended(struct launcher *l, struct service *s);

/* Kills every running app and forgets every entry (shutdown). */
void launch_kill_all(struct launcher *l);

/* The live entry named by id (or a launcher badge's low 32 bits), or NULL. */
struct app *launch_app(struct launcher *l, uint32_t id);

/* After every event (services.c, settle): answers the LAUNCH_GO and
 * LAUNCH_ROOT calls held while the file service was on its way back, now
 * that it is up (the app starts with a session of the new instance; a new
 * root) or will not come back (the app starts without one; DEAD). */
void launch_settled(struct launcher *l);

/* console.c: the apps an interrupt typed on console k ends (at most
 * LAUNCH_APPS_MAX, into out); returns how many. */
uint32_t console_intr_targets(struct launcher *l, uint32_t k, struct app **out);

/* console.c: fetches a console program's terminal and root directory from
 * the services providing "console" and "vfs", where they run (each left
 * out if its provider is missing or fails); releases the root when the
 * program has ended. */
void console_caps_get(struct console *c);
void console_caps_release(struct console *c);

/* console.c: whether the ended program of c had its terminal taken away:
 * it got one of a console service instance that has since ended or been
 * replaced (compd restarted under it). Such an end is not the program's
 * doing, and does not count as a quick end. */
bool console_terminal_lost(struct console *c);

/* True if the service providing name is on its way up: starting, due to
 * restart, or running but not yet heard from (console.c). */
bool console_provider_coming(struct initd *d, const char *name);

/* True if the service providing name is on its way back: on its way up
 * (above), or in a graceful stop for the operator's stop or restart, not
 * yet ended (console.c). */
bool console_provider_back(struct initd *d, const char *name);

/* True if the service providing name runs or will run again
 * (services_returns; console.c). */
bool console_provider_returns(struct initd *d, const char *name);

/* launch_script.c: turns prepared app a, a "#!" script at path, into a
 * launch of interp with path as its first argument (its argv[0] gives
 * way to it). Returns STATUS_OK, RANGE for too many arguments, or the
 * status of reading the launcher's block or making the new one. */
status_t launch_script(struct launcher *l, struct app *a, const char *interp, const char *path);
/* Sets a's comm and args from the argument block (launch_script.c). */
void launch_comm(struct app *a);

/* launch_budget.c: apps launched by apps may take at most half of the
 * slots and objects initd has beyond the services' need. take reserves
 * app a's (manifest mf) or returns QUOTA; give returns them when a ends. */
status_t launch_budget_take(struct launcher *l, struct app *a, const struct manifest *mf);
void launch_budget_give(struct launcher *l, struct app *a);

/* shutdown.c: begins the shutdown (INITD_SHUTDOWN). */
void shutdown_begin(struct launcher *l);
void shutdown_next(struct launcher *l);

#endif
