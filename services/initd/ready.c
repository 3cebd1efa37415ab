/* ready.c - start gating over the dependency table (see ready.h). */
#include "ready.h"

status_t ready_init(struct ready_graph *g, uint32_t count)
{
	if (count > READY_NODES_MAX)
		return STATUS_RANGE;
	*g = (struct ready_graph){ .count = count };
	return STATUS_OK;
}

status_t ready_add(struct ready_graph *g, uint32_t node, uint32_t dep)
{
	if (node >= g->count || (dep >= g->count && dep != READY_NOBODY))
		return STATUS_RANGE;
	if (dep == node)
		return STATUS_INVALID;
	for (uint32_t k = 0; k < g->ndeps[node]; k++)
		if (g->dep[node][k] == dep)
			return STATUS_OK;
	if (g->ndeps[node] == READY_DEPS_MAX)
		return STATUS_FULL;
	g->dep[node][g->ndeps[node]++] = dep;
	return STATUS_OK;
}

/* True if every dependency of node is in set (READY_NOBODY never is). On
 * false, *missing is the first that is not. */
static bool deps_in(const struct ready_graph *g, uint32_t node, const bool *set, uint32_t *missing)
{
	for (uint32_t k = 0; k < g->ndeps[node]; k++) {
		uint32_t d = g->dep[node][k];
		if (d == READY_NOBODY || !set[d]) {
			*missing = d;
			return false;
		}
	}
	return true;
}

/* The nodes that will eventually be up: the least fixpoint of ready.h's
 * rule, grown one sweep at a time until a sweep adds nothing. */
static void eventually_up(const struct ready_graph *g, const enum ready_peer *peer,
			  const bool *gated, bool *will)
{
	uint32_t unused;
	bool grew = true;
	for (uint32_t i = 0; i < g->count; i++)
		will[i] = !gated[i] && peer[i] != READY_PEER_GONE;
	while (grew) {
		grew = false;
		for (uint32_t i = 0; i < g->count; i++)
			if (gated[i] && !will[i] && deps_in(g, i, will, &unused))
				will[i] = grew = true;
	}
}

void ready_settle(const struct ready_graph *g, const enum ready_peer *peer, const bool *gated,
		  enum ready_verdict *verdict, uint32_t *blocker)
{
	bool will[READY_NODES_MAX], up[READY_NODES_MAX];
	eventually_up(g, peer, gated, will);
	for (uint32_t i = 0; i < g->count; i++)
		up[i] = !gated[i] && peer[i] == READY_PEER_UP;
	for (uint32_t i = 0; i < g->count; i++) {
		verdict[i] = READY_GO;
		blocker[i] = READY_NOBODY;
		if (!gated[i])
			continue;
		if (!will[i]) {
			deps_in(g, i, will, &blocker[i]);
			verdict[i] = READY_BLOCKED;
		} else if (!deps_in(g, i, up, &blocker[i])) {
			verdict[i] = READY_WAIT;
		}
	}
}

const char *ready_verdict_name(enum ready_verdict v)
{
	switch (v) {
	case READY_GO:
		return "go";
	case READY_WAIT:
		return "waiting";
	case READY_BLOCKED:
		return "blocked";
	}
	return "?";
}
