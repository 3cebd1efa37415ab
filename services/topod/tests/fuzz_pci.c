/*
 * fuzz_pci.c - libFuzzer target for PCI enumeration over hostile devices.
 *
 * The input is the configuration space of up to four functions (256 bytes
 * each) placed at 00:00.0, 00:00.1, 00:01.0 and a function on the bus the
 * first one names as a bridge's secondary bus. Writes land in the buffer
 * as on a plain register file, so BAR sizing sees whatever the input
 * holds. Enumeration must end, stay inside its table and record only
 * well-formed capabilities.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I kernel -I services/topod \
 *       services/topod/tests/fuzz_pci.c services/topod/pci.c -o fuzz_pci
 *   ./fuzz_pci -max_total_time=60
 */
#include <stdlib.h>
#include <string.h>

#include "pci.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct space {
	uint8_t cfg[4][256];
	uint8_t sec_bus;
};

static int slot(const struct space *s, uint8_t bus, uint8_t dev, uint8_t fn)
{
	if (bus == 0 && dev == 0 && fn <= 1)
		return fn;
	if (bus == 0 && dev == 1 && fn == 0)
		return 2;
	if (bus && bus == s->sec_bus && dev == 0 && fn == 0)
		return 3;
	return -1;
}

static uint32_t f_read(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, unsigned w)
{
	struct space *s = ctx;
	int i = slot(s, bus, dev, fn);
	uint32_t v = 0;

	if (i < 0 || off + w > 256)
		return 0xffffffffu;
	for (unsigned k = 0; k < w; k++)
		v |= (uint32_t)s->cfg[i][off + k] << (8 * k);
	return v;
}

static void f_write(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, unsigned w,
		    uint32_t v)
{
	struct space *s = ctx;
	int i = slot(s, bus, dev, fn);

	if (i < 0 || off + w > 256)
		return;
	for (unsigned k = 0; k < w; k++)
		s->cfg[i][off + k] = (uint8_t)(v >> (8 * k));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct space s;
	static struct pci_function fns[16];
	struct pci_enum e = { .fns = fns, .cap = 16 };
	struct pci_cfg cfg = { f_read, f_write, &s };

	memset(&s, 0xff, sizeof s.cfg);
	memcpy(s.cfg, data, size < sizeof s.cfg ? size : sizeof s.cfg);
	s.sec_bus = s.cfg[0][PCI_BRIDGE_SECONDARY];
	pci_enumerate(&cfg, 0, &e);
	if (e.count > e.cap)
		abort();
	for (size_t i = 0; i < e.count; i++) {
		const struct pci_caps *k = &fns[i].caps;

		if (k->count > 48 || k->virtio_count > PCI_MAX_VENDOR_CAPS)
			abort();
		if (k->msix && (k->msix < 0x40 || k->msix_size == 0 || k->msix_size > 2048))
			abort();
		for (unsigned b = 0; b < fns[i].bar_count; b++)
			if (fns[i].bars[b].size & (fns[i].bars[b].size - 1))
				abort();
	}
	return 0;
}
