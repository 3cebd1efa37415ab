/*
 * devclient.c - a driver of the disk's PCI function (1af4:1042) for the
 * devices test: checks that initd started it with exactly what topod
 * handed out (configuration capability, interrupt line, BARs), that its
 * configuration writes are gated, that it cannot reach another function
 * or other physical memory, and that the registry answers. Prints
 * "devclient: N passed, M failed" and then idles as a service.
 */
#include <string.h>

#include "keel/codec.h"
#include "keel/map.h"
#include "keel/service.h"
#include "keel/spawn.h"
#include "keel/sys.h"
#include "topod/protocol.h"

#define TIMEOUT_NS 1000000000ull

struct dc {
	const struct keel_start *s;
	cap_handle_t cfg, topo;
	uint8_t bus, dev, fn;
	unsigned passed, failed;
};

static void check(struct dc *c, bool ok, const char *what)
{
	if (ok)
		c->passed++;
	else
		c->failed++;
	keel_print(c->s->witness, "devclient: %s %s\n", ok ? "PASS" : "FAIL", what);
}

/* A call whose answer is either the label or an error status. */
static status_t call(cap_handle_t to, struct keel_msg *m)
{
	uint32_t label = m->label;
	status_t st = sys_msg_call(to, m, TIMEOUT_NS), err;
	uint32_t l;
	if (st == STATUS_OK && m->label != label)
		st = loop_error_parse(m, &err, &l) == STATUS_OK ? err : STATUS_BAD_FORMAT;
	return st;
}

static status_t cfg_io(struct dc *c, uint32_t label, uint8_t bus, uint8_t dev, uint8_t fn,
		       uint16_t off, uint8_t width, uint32_t *val)
{
	struct keel_msg m;
	struct codec_writer w;
	uint8_t b[4] = { bus, dev, fn, width };
	codec_msg_begin(&w, &m, label);
	codec_put_bytes(&w, b, 4);
	codec_put_u16(&w, off);
	if (label == TOPO_CFG_WRITE)
		codec_put_u32(&w, *val);
	codec_msg_end(&w, &m);
	status_t st = call(c->cfg, &m);
	if (st == STATUS_OK && label == TOPO_CFG_READ)
		memcpy(val, m.payload, 4);
	return st;
}

static uint32_t cap_type(cap_handle_t h)
{
	uint64_t info = 0, badge;
	return sys_cap_info(h, &info, &badge) ? 0xffffffffu : (uint32_t)info;
}

/* The configuration capability: who it is for, reads, gated writes. */
static void config_checks(struct dc *c)
{
	struct keel_msg m = { .label = TOPO_CFG_INFO };
	uint32_t v = 0;
	check(c, cap_type(c->cfg) == OBJ_INBOX,
	      "start capability 0 is the configuration capability");
	check(c, call(c->cfg, &m) == STATUS_OK && m.payload[4] == 0xf4 && m.payload[5] == 0x1a,
	      "it names a 1af4 function");
	c->bus = m.payload[0], c->dev = m.payload[1], c->fn = m.payload[2];
	check(c,
	      cfg_io(c, TOPO_CFG_READ, c->bus, c->dev, c->fn, 0, 4, &v) == STATUS_OK &&
		      v == 0x10421af4,
	      "reading its own vendor and device id");
	check(c, cfg_io(c, TOPO_CFG_READ, 0, 0, 0, 0, 4, &v) == STATUS_NO_RIGHTS,
	      "reading another function's configuration is refused");
	v = 0xffffffff;
	check(c, cfg_io(c, TOPO_CFG_WRITE, 0, 0, 0, 4, 2, &v) == STATUS_NO_RIGHTS,
	      "writing another function's configuration is refused");
	check(c, cfg_io(c, TOPO_CFG_WRITE, c->bus, c->dev, c->fn, 0x20, 4, &v) == STATUS_NO_RIGHTS,
	      "moving its own BAR is refused");
	v = 0x0006;
	check(c, cfg_io(c, TOPO_CFG_WRITE, c->bus, c->dev, c->fn, 4, 2, &v) == STATUS_NO_RIGHTS,
	      "bus mastering without `busmaster` is refused");
	v = 0x0002;
	check(c, cfg_io(c, TOPO_CFG_WRITE, c->bus, c->dev, c->fn, 4, 2, &v) == STATUS_OK,
	      "enabling memory decoding is allowed");
	check(c, cfg_io(c, TOPO_CFG_READ, c->bus, c->dev, c->fn, 0x1000, 4, &v) != STATUS_OK,
	      "a read past configuration space is refused");
}

/* The BARs: mapped within their range only; nothing else reachable. */
static void bar_checks(struct dc *c)
{
	cap_handle_t bar4 = keel_start_cap(c->s, 3), part;
	void *va = NULL;
	check(c, cap_type(keel_start_cap(c->s, 1)) == OBJ_IRQ,
	      "start capability 1 is its interrupt");
	check(c, cap_type(keel_start_cap(c->s, 2)) == OBJ_MMIO, "start capability 2 is BAR 1");
	check(c, cap_type(bar4) == OBJ_MMIO, "start capability 3 is BAR 4");
	check(c, keel_map(bar4, 0, 4, RIGHT_READ | RIGHT_WRITE, &va) == STATUS_OK,
	      "BAR 4 (16 KiB) maps");
	check(c, keel_map(bar4, 4, 1, RIGHT_READ, &va) == STATUS_RANGE,
	      "a page past BAR 4 does not map");
	check(c, sys_device_split(bar4, 0xfec00000, 4096, &part) != STATUS_OK,
	      "the BAR capability cannot reach other physical memory");
}

/* Asks topod for the vector of MSI-X table entry; *table_size and
 * *table_bar from the answer, the vector capability in *vec. */
static status_t msix_ask(struct dc *c, uint16_t entry, uint16_t *table_size, uint8_t *table_bar,
			 uint64_t *msg, cap_handle_t *vec)
{
	struct keel_msg m = { .label = TOPO_CFG_MSIX, .len = 4 };
	uint16_t cpu = TOPO_CPU_ANY;
	memcpy(m.payload, &entry, 2);
	memcpy(m.payload + 2, &cpu, 2);
	status_t st = call(c->cfg, &m);
	if (st == STATUS_OK && (m.len < 24 || !(m.flags & MSG_FLAG_CAP)))
		st = STATUS_BAD_FORMAT;
	if (st == STATUS_OK) {
		*table_bar = m.payload[0];
		memcpy(table_size, m.payload + 4, 2);
		memcpy(msg, m.payload + 16, 8);
		*vec = m.cap;
	}
	return st;
}

/* MSI-X vectors and DMA memory from topod, and their limits. */
static void msix_checks(struct dc *c)
{
	uint16_t size = 0, e;
	uint8_t bar = 0xff;
	uint64_t msg = 0;
	cap_handle_t vec = CAP_HANDLE_NONE;
	status_t st = msix_ask(c, 0, &size, &bar, &msg, &vec);
	check(c, st == STATUS_OK && cap_type(vec) == OBJ_IRQ && bar == 1 && size >= 2,
	      "an MSI-X vector for entry 0, its table in BAR 1");
	check(c, (msg >> 52) == 0xfee, "its message goes to the interrupt window");
	check(c, msix_ask(c, 0, &size, &bar, &msg, &vec) == STATUS_BUSY,
	      "a second vector for the same entry is BUSY");
	check(c, msix_ask(c, size, &size, &bar, &msg, &vec) == STATUS_RANGE,
	      "an entry past the table is RANGE");
	for (e = 1, st = STATUS_OK; st == STATUS_OK && e < size; e++)
		st = msix_ask(c, e, &size, &bar, &msg, &vec);
	check(c, size > 4 ? st == STATUS_FULL && e == 5 : st == STATUS_OK,
	      "at most 4 vectors per hand-out");
	struct keel_msg m = { .label = TOPO_CFG_DMA, .len = 4, .payload = { 1 } };
	check(c, call(c->cfg, &m) == STATUS_NO_RIGHTS,
	      "no DMA memory for a driver without busmaster");
	m = (struct keel_msg){ .label = TOPO_GONE, .len = 1 };
	check(c, call(c->topo, &m) == STATUS_NO_RIGHTS, "a client cannot say a driver is gone");
}

/* The registry through `sends topo`, and what only initd may ask. */
static void registry_checks(struct dc *c)
{
	struct keel_msg m = { .label = TOPO_DEVICE, .len = 4 };
	uint32_t n = 0, found = 0, cores = 0;
	status_t st = call(c->topo, &m);
	if (st == STATUS_OK)
		memcpy(&n, m.payload + 4, 4);
	for (uint32_t i = 0; st == STATUS_OK && i < n; i++) {
		m = (struct keel_msg){ .label = TOPO_DEVICE, .len = 4 };
		memcpy(m.payload, &i, 4);
		st = call(c->topo, &m);
		found += st == STATUS_OK && !strcmp((char *)m.payload + 24, "virtio-blk");
	}
	check(c, st == STATUS_OK && n > 4 && found == 1, "the registry lists one virtio-blk");
	m = (struct keel_msg){ .label = TOPO_CORE, .len = 4 };
	if (call(c->topo, &m) == STATUS_OK)
		memcpy(&cores, m.payload + 4, 4);
	check(c, cores == c->s->cpu_count, "the registry lists every CPU");
	m = (struct keel_msg){ .label = TOPO_DEVICE, .len = 4 };
	memcpy(m.payload, &n, 4);
	check(c, call(c->topo, &m) == STATUS_NOT_FOUND, "past the last device is NOT_FOUND");
	m = (struct keel_msg){ .label = TOPO_HANDOUT, .len = 7 };
	memcpy(m.payload, "\xf4\x1a\x42\x10\x00\x00\x00", 7);
	check(c, call(c->topo, &m) == STATUS_NO_RIGHTS, "a client cannot ask for a hand-out");
	m = (struct keel_msg){ .label = TOPO_POWER, .len = 4 };
	check(c, call(c->topo, &m) == STATUS_NO_RIGHTS, "a client cannot power off");
	m = (struct keel_msg){ .label = TOPO_WATCH, .len = 8 };
	uint32_t w[2] = { 0, 12345 };
	memcpy(m.payload, w, 8);
	check(c, call(c->topo, &m) == STATUS_OK, "a watch on a moved generation answers at once");
}

int keel_main(const struct keel_start *s)
{
	struct dc c = { .s = s, .cfg = keel_start_cap(s, 0) };
	uint32_t last = 0;
	for (uint32_t i = 0; i < KEEL_START_CAPS; i++)
		if (keel_start_cap(s, i) != CAP_HANDLE_NONE)
			last = i;
	c.topo = keel_start_cap(s, last); /* `sends` come after the devices */
	config_checks(&c);
	bar_checks(&c);
	registry_checks(&c);
	msix_checks(&c);
	keel_print(s->witness, "devclient: %u passed, %u failed\n", c.passed, c.failed);
	struct loop loop;
	struct inbox_ring *ring;
	cap_handle_t inbox;
	if (loop_inbox_open(16, 0, &inbox, &ring) || loop_init(&loop, &sysops_kernel, ring, 0) ||
	    service_hello(s, inbox))
		return 1;
	return loop_run(&loop) == STATUS_OK ? 0 : 2;
}
