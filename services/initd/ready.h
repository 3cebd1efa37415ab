/*
 * ready.h - when a service may start: start gating over the dependency
 * table, as a pure function with no system calls and no clock.
 *
 * A service depends on every service it is `after` in the boot list and
 * on every service whose inbox its manifest says it `sends` to: initd can
 * grant a send capability to an inbox only once that service has said
 * hello, and `after` asks for the same order. initd keeps the table
 * (struct ready_graph, one node per boot list slot) and, after every event
 * that changes a service's state, asks ready_settle() what each service
 * held back by its dependencies ("gated") should do now:
 *
 *   GO       every dependency is up: start it now
 *   WAIT     some dependency is not up yet but may still come up
 *   BLOCKED  some dependency will never come up on its own: it was
 *            refused, is quarantined, stopped for good, names a service
 *            nobody provides (READY_NOBODY), is itself blocked, or the
 *            services wait for each other in a cycle
 *
 * The rule: a gated service will eventually start if each of its
 * dependencies is up, is starting on its own (not gated: the supervisor
 * has it in hand, and if it fails for good it becomes GONE and the next
 * settle blocks its dependents), or is gated and will eventually start by
 * the same rule. That is a least fixpoint, so services that wait for each
 * other in a cycle never qualify and are BLOCKED, as are those behind
 * them, instead of waiting forever. Blocking is not final: a dependency
 * that comes back (an operator releases it from quarantine) unblocks its
 * dependents at the next settle.
 */
#ifndef KEEL_INITD_READY_H
#define KEEL_INITD_READY_H

#include <stdbool.h>
#include <stdint.h>

#include "abi/status.h"
#include "manifest.h"

#define READY_NODES_MAX BOOTLIST_MAX
#define READY_DEPS_MAX (BOOTLIST_AFTER_MAX + MANIFEST_MAX_SENDS)
#define READY_NOBODY UINT32_MAX /* a dependency no service provides */

/* A service as the services that depend on it see it. */
enum ready_peer {
	READY_PEER_UP,     /* running and has said hello: its inbox can be granted */
	READY_PEER_COMING, /* starting or in backoff: it may come up */
	READY_PEER_GONE,   /* refused, quarantined or stopped: it will not come up */
};

enum ready_verdict {
	READY_GO,
	READY_WAIT,
	READY_BLOCKED,
};

/* Who depends on whom: node i waits for dep[i][0..ndeps[i]), each a node
 * index or READY_NOBODY. */
struct ready_graph {
	uint32_t count;
	uint32_t ndeps[READY_NODES_MAX];
	uint32_t dep[READY_NODES_MAX][READY_DEPS_MAX];
};

/* Empties g and sizes it for count nodes. STATUS_RANGE past READY_NODES_MAX. */
status_t ready_init(struct ready_graph *g, uint32_t count);

/* Node waits for dep (a node or READY_NOBODY); a dependency given twice
 * is kept once. STATUS_RANGE for a node or dep past the count,
 * STATUS_INVALID for a node that depends on itself, STATUS_FULL past
 * READY_DEPS_MAX. */
status_t ready_add(struct ready_graph *g, uint32_t node, uint32_t dep);

/*
 * Decides every gated node (gated[i]): verdict[i] and blocker[i], the
 * dependency that holds it back (for WAIT, the first one not up; for
 * BLOCKED, the first one that will not come up, possibly READY_NOBODY).
 * For GO, and for nodes not gated, verdict is GO and blocker READY_NOBODY.
 * peer[i] is read only for nodes not gated.
 */
void ready_settle(const struct ready_graph *g, const enum ready_peer *peer, const bool *gated,
		  enum ready_verdict *verdict, uint32_t *blocker);

/* "go", "waiting", "blocked". */
const char *ready_verdict_name(enum ready_verdict v);

#endif
