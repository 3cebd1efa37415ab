/*
 * legacy.c - hand-out of the platform's legacy devices (the UART, the
 * i8042, ...) to their drivers, as PCI functions are handed out: initd
 * asks for a device by its registry name for a driver whose manifest says
 * `device legacy NAME`, and gets its I/O ports and its interrupt line,
 * split off topod's roots. One driver holds a device; a second claim is
 * refused. A driver that is gone (TOPO_GONE) or restarted loses what it
 * was given before.
 */
#include <string.h>

#include "keel/codec.h"
#include "keel/sys.h"
#include "topod.h"

/* The legacy device with this NUL-padded name, or NULL. */
static struct topo_legacy *find_legacy(struct topo *t, const char name[TOPO_DEVICE_NAME])
{
	if (memchr(name, 0, TOPO_DEVICE_NAME) == NULL)
		return NULL;
	for (uint32_t i = 0; i < t->nlegacy; i++)
		if (!strcmp(t->legacy[i].name, name))
			return &t->legacy[i];
	return NULL;
}

/* Revokes what the device's driver was given. */
static void legacy_end(struct topo_legacy *l)
{
	for (uint32_t k = 0; k < l->nparts; k++) {
		sys_cap_revoke(l->parts[k]);
		sys_cap_delete(l->parts[k]);
	}
	l->nparts = 0;
}

/* Splits [first, first + count) off root for l's driver. */
static status_t legacy_part(struct topo_legacy *l, cap_handle_t root, uint64_t first,
			    uint64_t count, uint32_t rights, cap_handle_t *out)
{
	cap_handle_t part;
	if (l->nparts == 3)
		return STATUS_FULL;
	status_t st = sys_device_split(root, first, count, &part);
	if (st)
		return st;
	l->parts[l->nparts++] = part;
	return sys_cap_derive(part, rights | RIGHT_GRANT, 0, out);
}

/* Item 0 claims l for driver slot: refused if another holds it. */
static status_t legacy_claim(struct topo *t, struct topo_legacy *l, uint8_t slot)
{
	if (l->owner && l->owner != slot + 1u) {
		keel_print(t->start->witness,
			   "topod: refused: %s is held by driver slot %u, wanted by slot %u (%s)\n",
			   l->name, l->owner - 1, slot, status_name(STATUS_BUSY));
		return STATUS_BUSY;
	}
	legacy_end(l);
	l->owner = slot + 1u;
	return STATUS_OK;
}

static status_t on_handout_legacy(struct loop *loop, const struct keel_msg *m,
				  struct loop_reply *reply, void *ctx)
{
	struct topo *t = ctx;
	struct codec_writer w;
	(void)loop;
	if (m->badge != 0)
		return STATUS_NO_RIGHTS;
	if (m->len < 2 + TOPO_DEVICE_NAME)
		return STATUS_INVALID;
	uint8_t item = m->payload[0], slot = m->payload[1], kind;
	struct topo_legacy *l = find_legacy(t, (const char *)m->payload + 2);
	if (!l)
		return STATUS_NOT_FOUND;
	status_t st = item == 0               ? legacy_claim(t, l, slot)
		      : l->owner != slot + 1u ? STATUS_NO_RIGHTS
					      : STATUS_OK;
	if (st)
		return st;
	uint64_t base = l->port, size = l->ports;
	uint8_t irq_item = l->port2 ? 2 : 1;
	if (item < irq_item) {
		kind = TOPO_ITEM_BAR_IO;
		if (item == 1)
			base = l->port2, size = 1;
		st = legacy_part(l, t->ports_root, base, size, RIGHT_READ | RIGHT_WRITE,
				 &reply->cap);
	} else if (item == irq_item && l->irq != 0xff) {
		kind = TOPO_ITEM_IRQ, base = l->irq, size = 1;
		st = legacy_part(l, t->irq_root, base, 1, RIGHT_RECEIVE, &reply->cap);
	} else {
		return STATUS_NOT_FOUND;
	}
	if (st)
		return st;
	uint8_t hdr[8] = { kind };
	codec_msg_begin(&w, &reply->msg, TOPO_HANDOUT_LEGACY);
	codec_put_bytes(&w, hdr, sizeof hdr);
	codec_put_u64(&w, base), codec_put_u64(&w, size);
	reply->mode = CAP_MOVE;
	return codec_msg_end(&w, &reply->msg);
}

void topo_legacy_gone(struct topo *t, uint32_t slot)
{
	for (uint32_t i = 0; i < t->nlegacy; i++)
		if (t->legacy[i].owner == slot + 1u)
			legacy_end(&t->legacy[i]); /* it stays the slot's, for the restart */
}

status_t topo_legacy_register(struct topo *t)
{
	return loop_on_msg(&t->loop, TOPO_HANDOUT_LEGACY, on_handout_legacy, t);
}
