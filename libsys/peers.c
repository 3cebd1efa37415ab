/* peers.c - a service's send capabilities to its peers, kept current (keel/peers.h). */
#include "keel/peers.h"
#include "keel/sys.h"

void peers_init(struct peers *p, const struct sysops *ops)
{
	memset(p, 0, sizeof *p);
	p->ops = ops;
}

static struct peer *find(const struct peers *p, const char *name, size_t len)
{
	for (uint32_t i = 0; i < p->count; i++)
		if (strlen(p->peer[i].name) == len && !memcmp(p->peer[i].name, name, len))
			return (struct peer *)&p->peer[i];
	return NULL;
}

status_t peers_add(struct peers *p, const char *name, cap_handle_t cap)
{
	size_t len = strlen(name);
	if (len == 0 || len > PEER_NAME_MAX)
		return STATUS_INVALID;
	if (find(p, name, len))
		return STATUS_EXISTS;
	if (p->count == PEERS_MAX)
		return STATUS_FULL;
	struct peer *e = &p->peer[p->count++];
	memset(e, 0, sizeof *e);
	memcpy(e->name, name, len);
	e->cap = cap;
	return STATUS_OK;
}

const struct peer *peers_find(const struct peers *p, const char *name)
{
	return find(p, name, strlen(name));
}

cap_handle_t peers_cap(const struct peers *p, const char *name)
{
	const struct peer *e = peers_find(p, name);
	return e ? e->cap : CAP_HANDLE_NONE;
}

/* The length of a NUL-padded name: STATUS_BAD_FORMAT if it is empty or a
 * non-NUL byte follows the padding. */
static status_t name_len(const char *name, size_t *len)
{
	size_t n = 0;
	while (n < PEER_NAME_MAX && name[n])
		n++;
	for (size_t i = n; i < PEER_NAME_MAX; i++)
		if (name[i])
			return STATUS_BAD_FORMAT;
	*len = n;
	return n ? STATUS_OK : STATUS_BAD_FORMAT;
}

status_t peers_update(struct peers *p, const struct keel_msg *m)
{
	struct peer_update u;
	size_t len;
	/* An update carries no capability: one sent along would only linger. */
	if ((m->flags & MSG_FLAG_CAP) && !loop_msg_is_call(m))
		sysops_cap_delete(p->ops, m->cap);
	if (m->badge != 0)
		return STATUS_NO_RIGHTS;
	if (m->len != sizeof u)
		return STATUS_BAD_FORMAT;
	memcpy(&u, m->payload, sizeof u);
	if (u.reserved || u.handle == CAP_HANDLE_NONE || name_len(u.name, &len))
		return STATUS_BAD_FORMAT;
	struct peer *e = find(p, u.name, len);
	if (!e) {
		sysops_cap_delete(p->ops, u.handle);
		return STATUS_NOT_FOUND;
	}
	if (e->cap != CAP_HANDLE_NONE && e->cap != u.handle)
		sysops_cap_delete(p->ops, e->cap);
	e->cap = u.handle;
	e->updates++;
	return STATUS_OK;
}

static status_t on_update(struct loop *loop, const struct keel_msg *m, struct loop_reply *r,
			  void *ctx)
{
	(void)loop, (void)r;
	return peers_update(ctx, m);
}

status_t peers_listen(struct peers *p, struct loop *loop, uint32_t label)
{
	return loop_on_msg(loop, label, on_update, p);
}
