/*
 * witness_fmt.c - the witness log in words, and the check of its hash
 * chain (keeltools.h). The hash of one record is lib/witness_chain.c's,
 * the kernel's own; the walk over a log read in batches is here, so that
 * it can say which record is bad and why.
 */
#include "keeltools.h"

#include <stdio.h>
#include <string.h>

#include "abi/rights.h"
#include "lib/witness_chain.h"

static const char *const action_names[WITNESS_ACTION_COUNT] = {
	[WITNESS_SPAWN] = "spawn",
	[WITNESS_GRANT] = "grant",
	[WITNESS_DERIVE] = "derive",
	[WITNESS_REVOKE] = "revoke",
	[WITNESS_REVOKE_ALL] = "revoke-all",
	[WITNESS_FAULT] = "fault",
	[WITNESS_KILL] = "kill",
	[WITNESS_DEVICE_GRANT] = "device-grant",
	[WITNESS_RESTART] = "restart",
	[WITNESS_QUARANTINE] = "quarantine",
};

static const char *const object_names[OBJ_TYPE_COUNT] = {
	[OBJ_TASK] = "task",     [OBJ_THREAD] = "thread",   [OBJ_INBOX] = "inbox",
	[OBJ_MEMORY] = "memory", [OBJ_IRQ] = "irq",         [OBJ_IOPORTS] = "ioports",
	[OBJ_MMIO] = "mmio",     [OBJ_WITNESS] = "witness", [OBJ_REPLY] = "reply",
};

static const char *const right_names[8] = { "read",    "write", "exec",  "send",
					    "receive", "map",   "grant", "control" };

const char *witness_action_name(uint32_t action)
{
	return action < WITNESS_ACTION_COUNT ? action_names[action] : NULL;
}

/* "a memory capability", or "an object of type 12". */
static void object_words(uint64_t type, char *buf, size_t n)
{
	const char *name = type < OBJ_TYPE_COUNT ? object_names[type] : NULL;
	if (!name)
		snprintf(buf, n, "a capability to an object of type %llu",
			 (unsigned long long)type);
	else
		snprintf(buf, n, "%s %s capability", strchr("aeiou", name[0]) ? "an" : "a", name);
}

/* The rights in arg as words ("read map grant"), or "no rights". */
static void rights_words(uint64_t rights, char *buf, size_t n)
{
	size_t k = 0;
	buf[0] = 0;
	for (int i = 0; i < 8; i++)
		if (rights & (1ull << i) && k < n)
			k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? " " : "", right_names[i]);
	if (rights >> 8 && k < n)
		snprintf(buf + k, n - k, "%s0x%llx", k ? " " : "",
			 (unsigned long long)(rights >> 8 << 8));
	else if (!rights)
		snprintf(buf, n, "no rights");
}

/* "the kernel" or "task 12". */
static void actor_words(uint32_t actor, char *buf, size_t n)
{
	if (actor == 0)
		snprintf(buf, n, "the kernel");
	else
		snprintf(buf, n, "task %u", actor);
}

/* The sentence for a grant, derive or revoke record. */
static void cap_sentence(const struct witness_record *r, const char *who, char *buf, size_t n)
{
	char obj[64], rights[80];
	object_words(r->object, obj, sizeof obj);
	rights_words(r->arg, rights, sizeof rights);
	unsigned long long subject = (unsigned long long)r->subject;
	switch (r->action) {
	case WITNESS_GRANT:
	case WITNESS_DEVICE_GRANT:
		snprintf(buf, n, "%s gave task %llu %s (%s)", who, subject, obj, rights);
		break;
	case WITNESS_DERIVE:
		snprintf(buf, n, "%s derived %s (%s)", who, obj, rights);
		break;
	case WITNESS_REVOKE:
		snprintf(buf, n, "%s revoked what was derived from %s", who, obj);
		break;
	default:
		snprintf(buf, n, "%s revoked every copy of %s", who, obj);
		break;
	}
}

/* The sentence saying what record r means. */
static void sentence(const struct witness_record *r, char *buf, size_t n)
{
	char who[32];
	unsigned long long subject = (unsigned long long)r->subject;
	unsigned long long arg = (unsigned long long)r->arg;
	actor_words(r->actor, who, sizeof who);
	switch (r->action) {
	case WITNESS_SPAWN:
		snprintf(buf, n, "%s started task %llu", who, subject);
		break;
	case WITNESS_GRANT:
	case WITNESS_DEVICE_GRANT:
	case WITNESS_DERIVE:
	case WITNESS_REVOKE:
	case WITNESS_REVOKE_ALL:
		cap_sentence(r, who, buf, n);
		break;
	case WITNESS_FAULT:
		snprintf(buf, n, "task %llu faulted: CPU exception %llu", subject, arg);
		break;
	case WITNESS_KILL:
		if (r->actor == 0)
			snprintf(buf, n, "task %llu ended: exit code %llu", subject, arg);
		else
			snprintf(buf, n, "%s killed task %llu", who, subject);
		break;
	case WITNESS_RESTART:
		snprintf(buf, n, "%s restarted service slot %llu (restart %llu)", who, subject,
			 arg);
		break;
	case WITNESS_QUARANTINE:
		snprintf(buf, n, "%s quarantined service slot %llu after %llu strikes", who,
			 subject, arg);
		break;
	default:
		snprintf(buf, n, "actor %u, subject %llu, object %llu, arg %llu", r->actor, subject,
			 (unsigned long long)r->object, arg);
		break;
	}
}

void witness_format(const struct witness_record *r, char *buf, size_t n)
{
	char words[320], unknown[24];
	const char *name = witness_action_name(r->action);
	if (!name) {
		snprintf(unknown, sizeof unknown, "action-%u", r->action);
		name = unknown;
	}
	sentence(r, words, sizeof words);
	snprintf(buf, n, "%6llu %6llu.%06llu  %-12s %s", (unsigned long long)r->seq,
		 (unsigned long long)(r->time / 1000000000ull),
		 (unsigned long long)(r->time % 1000000000ull / 1000), name, words);
}

/* Why record r does not follow the chain so far, or NULL if it does. */
static const char *record_fault(const struct wchain *c, const struct witness_record *r)
{
	uint8_t h[WITNESS_HASH_SIZE];
	if (c->started && r->seq != c->next_seq)
		return "sequence number out of order";
	if (c->started && memcmp(r->prev_hash, c->prev, WITNESS_HASH_SIZE) != 0)
		return "does not link to the record before it";
	witness_record_hash(r, h);
	if (memcmp(h, r->hash, WITNESS_HASH_SIZE) != 0)
		return "hash does not match its fields";
	return NULL;
}

bool wchain_feed(struct wchain *c, const struct witness_record *r, size_t n)
{
	for (size_t i = 0; i < n && !c->broken; i++) {
		const char *why = record_fault(c, &r[i]);
		if (why) {
			c->broken = true;
			c->bad_seq = r[i].seq;
			c->why = why;
			break;
		}
		if (!c->started && c->count == 0)
			c->first_seq = r[i].seq;
		c->started = true;
		c->next_seq = r[i].seq + 1;
		memcpy(c->prev, r[i].hash, WITNESS_HASH_SIZE);
		c->count++;
	}
	return !c->broken;
}

void wchain_resume(struct wchain *c)
{
	c->started = false;
}
