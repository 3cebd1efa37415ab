/*
 * pci_model.c - the configuration-space model (pci_model.h).
 */
#include "pci_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct model_fn *model_find(struct pci_model *m, uint8_t bus, uint8_t dev, uint8_t fn)
{
	for (unsigned i = 0; i < m->count; i++)
		if (m->fns[i].bus == bus && m->fns[i].dev == dev && m->fns[i].fn == fn)
			return &m->fns[i];
	return NULL;
}

struct model_fn *model_add(struct pci_model *m, uint8_t bus, uint8_t dev, uint8_t fn)
{
	struct model_fn *f;

	if (m->count >= MODEL_MAX_FNS)
		return NULL;
	f = &m->fns[m->count++];
	memset(f, 0, sizeof *f);
	f->bus = bus;
	f->dev = dev;
	f->fn = fn;
	f->cfg_size = 256;
	return f;
}

static bool load_config(FILE *in, struct model_fn *f)
{
	char line[256];
	unsigned n = 0;

	while (fgets(line, sizeof line, in) && strncmp(line, "resource", 8) != 0) {
		char *p = line, *end;

		for (;;) {
			unsigned long v = strtoul(p, &end, 16);

			if (end == p)
				break;
			if (n >= sizeof f->cfg || v > 0xff)
				return false;
			f->cfg[n++] = (uint8_t)v;
			p = end;
		}
	}
	f->cfg_size = (uint16_t)n;
	return n == 256 || n == 4096;
}

static bool load_resources(FILE *in, struct model_fn *f)
{
	char line[256];
	unsigned i = 0;

	while (fgets(line, sizeof line, in) && strncmp(line, "end", 3) != 0) {
		unsigned long long start, end, flags;

		if (sscanf(line, "%llx %llx %llx", &start, &end, &flags) != 3)
			return false;
		/* IORESOURCE_PCI_FIXED (0x10) on a BAR: a legacy range Linux
		 * filled in (compatibility-mode IDE), not an implemented BAR.
		 * On the ROM it marks a shadowed copy of the right size. */
		if (i < 6 && (flags & 0x10))
			end = 0;
		if (i < 6)
			f->bar_size[i] = end ? end - start + 1 : 0;
		else if (i == 6)
			f->rom_size = end ? end - start + 1 : 0;
		i++;
	}
	return i >= 7;
}

bool model_load(struct pci_model *m, const char *path)
{
	FILE *in = fopen(path, "r");
	char line[256];
	bool ok = in != NULL;

	memset(m, 0, sizeof *m);
	while (ok && fgets(line, sizeof line, in)) {
		unsigned bus, dev, fn;
		struct model_fn *f;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "function %x:%x.%x", &bus, &dev, &fn) != 3 ||
		    !(f = model_add(m, (uint8_t)bus, (uint8_t)dev, (uint8_t)fn)) ||
		    !fgets(line, sizeof line, in) || strncmp(line, "config", 6) != 0 ||
		    !load_config(in, f) || !load_resources(in, f)) {
			ok = false;
			break;
		}
		memcpy(f->orig, f->cfg, sizeof f->cfg);
	}
	if (in)
		fclose(in);
	return ok && m->count > 0;
}

bool model_unchanged(const struct pci_model *m)
{
	for (unsigned i = 0; i < m->count; i++)
		if (memcmp(m->fns[i].cfg, m->fns[i].orig, m->fns[i].cfg_size) != 0)
			return false;
	return true;
}

static uint32_t get(const struct model_fn *f, uint16_t off, unsigned width)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < width; i++)
		v |= (uint32_t)f->cfg[off + i] << (8 * i);
	return v;
}

static void put(struct model_fn *f, uint16_t off, unsigned width, uint32_t v)
{
	for (unsigned i = 0; i < width; i++)
		f->cfg[off + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t model_read(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off,
			   unsigned width)
{
	struct model_fn *f = model_find(ctx, bus, dev, fn);

	if (!f || off + width > f->cfg_size)
		return width == 4 ? 0xffffffffu : (1u << (8 * width)) - 1;
	return get(f, off, width);
}

/* True when BAR slot i is the upper half of a 64-bit BAR: scanned from
 * slot 0, since type bits survive every write. */
static bool bar_is_high(const struct model_fn *f, unsigned i)
{
	for (unsigned j = 0; j < i; j++) {
		uint32_t v = get(f, (uint16_t)(0x10 + 4 * j), 4);

		if (!(v & 1) && ((v >> 1) & 3) == 2) {
			if (j + 1 == i)
				return true;
			j++;
		}
	}
	return false;
}

/* The writable address bits of BAR i and, in *fixed, its read-only type
 * bits. */
static uint32_t bar_mask(const struct model_fn *f, unsigned i, uint32_t *fixed)
{
	uint32_t cur = get(f, (uint16_t)(0x10 + 4 * i), 4);

	*fixed = 0;
	if (bar_is_high(f, i))
		return f->bar_size[i - 1] ? (uint32_t)(~(f->bar_size[i - 1] - 1) >> 32) : 0;
	if (!f->bar_size[i])
		return 0;
	*fixed = cur & ((cur & 1) ? 0x3u : 0xfu);
	return (uint32_t) ~(f->bar_size[i] - 1) & ((cur & 1) ? ~0x3u : ~0xfu);
}

static bool bar_write(struct pci_model *m, struct model_fn *f, uint16_t off, uint32_t v)
{
	unsigned nbars = (f->cfg[0x0e] & 0x7f) == 0 ? 6 : (f->cfg[0x0e] & 0x7f) == 1 ? 2 : 0;
	uint16_t rom = (f->cfg[0x0e] & 0x7f) == 1 ? 0x38 : 0x30;
	uint16_t cmd = (uint16_t)get(f, 0x04, 2);
	uint32_t fixed, mask;

	if (off == rom && nbars) {
		if ((v & 0xfffff800u) == 0xfffff800u && (cmd & 2))
			m->violations++;
		mask = f->rom_size ? (uint32_t) ~(f->rom_size - 1) & 0xfffff801u : 0;
		put(f, off, 4, v & mask);
		return true;
	}
	if (off < 0x10 || off >= 0x10 + 4 * nbars)
		return false;
	mask = bar_mask(f, (off - 0x10) / 4, &fixed);
	if (v == 0xffffffffu && (cmd & 3))
		m->violations++;
	put(f, off, 4, (v & mask) | fixed);
	return true;
}

static void model_write(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off,
			unsigned width, uint32_t val)
{
	struct pci_model *m = ctx;
	struct model_fn *f = model_find(m, bus, dev, fn);

	m->writes++;
	if (!f || off + width > f->cfg_size)
		return;
	if (width == 4 && bar_write(m, f, off, val))
		return;
	put(f, off, width, val);
}

struct pci_cfg model_cfg(struct pci_model *m)
{
	return (struct pci_cfg){ model_read, model_write, m };
}

/* Legacy ports over the model: 0xCF8 latches the address, 0xCFC-0xCFF
 * move data when its enable bit is set. */
static bool port_target(struct pci_model *m, uint16_t port, uint8_t *b, uint8_t *d, uint8_t *f,
			uint16_t *off)
{
	if (port < 0xcfc || port > 0xcff || !(m->cf8 & 0x80000000u))
		return false;
	*b = (uint8_t)(m->cf8 >> 16);
	*d = (m->cf8 >> 11) & 31;
	*f = (m->cf8 >> 8) & 7;
	*off = (uint16_t)((m->cf8 & 0xfc) + (port - 0xcfc));
	return true;
}

static uint32_t port_in(void *ctx, uint16_t port, unsigned width)
{
	struct pci_model *m = ctx;
	uint8_t b, d, f;
	uint16_t off;

	m->port_accesses++;
	if (port == 0xcf8 && width == 4)
		return m->cf8;
	if (!port_target(m, port, &b, &d, &f, &off))
		return 0xffffffffu;
	return model_read(m, b, d, f, off, width);
}

static void port_out(void *ctx, uint16_t port, unsigned width, uint32_t val)
{
	struct pci_model *m = ctx;
	uint8_t b, d, f;
	uint16_t off;

	m->port_accesses++;
	if (port == 0xcf8 && width == 4) {
		m->cf8 = val;
		return;
	}
	if (port_target(m, port, &b, &d, &f, &off))
		model_write(m, b, d, f, off, width, val);
}

struct pci_ports model_ports(struct pci_model *m)
{
	return (struct pci_ports){ port_in, port_out, m };
}
