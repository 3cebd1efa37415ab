/* log.c - the registry on the console at boot, and names of functions. */
#include "keel/sys.h"
#include "topod.h"

const char *topo_fn_name(const struct pci_function *f)
{
	if (f->vendor == PCI_VENDOR_VIRTIO) {
		switch (f->device) {
		case 0x1001:
		case 0x1042:
			return "virtio-blk";
		case 0x1000:
		case 0x1041:
			return "virtio-net";
		default:
			return "virtio";
		}
	}
	static const char *const classes[] = { "unclassified", "storage", "network", "display",
					       "multimedia",   "memory",  "bridge",  "comm",
					       "system",       "input",   "dock",    "processor",
					       "serial-bus" };
	return f->class_code < sizeof classes / sizeof classes[0] ? classes[f->class_code]
								  : "other";
}

static const char *bar_kind(const struct pci_bar *b)
{
	static const char *const k[] = { "none", "mem32", "mem64", "high", "io", "bad" };
	return b->type < 6 ? k[b->type] : "?";
}

/* One line per function, then one per implemented BAR. */
static void log_fn(struct topo *t, uint32_t i)
{
	const struct pci_function *f = &t->fns[i];
	cap_handle_t c = t->start->witness;
	uint8_t line = (uint8_t)t->cfg.read(t->cfg.ctx, f->bus, f->dev, f->fn, 0x3c, 1);
	keel_print(c, "topod: %02x:%02x.%x %04x:%04x class %02x.%02x.%02x %s irq %u%s%s\n", f->bus,
		   f->dev, f->fn, f->vendor, f->device, f->class_code, f->subclass, f->prog_if,
		   topo_fn_name(f), line, f->caps.msix ? " msi-x" : "",
		   f->caps.virtio_count ? " virtio-caps" : "");
	for (uint32_t b = 0; b < f->bar_count; b++)
		if (f->bars[b].size && f->bars[b].type != PCI_BAR_MEM64_HIGH)
			keel_print(c, "topod:   bar%u %s %#lx size %#lx\n", b,
				   bar_kind(&f->bars[b]), (unsigned long)f->bars[b].base,
				   (unsigned long)f->bars[b].size);
}

/* The boot disk: the first virtio-blk function (the image is attached as one). */
static const struct pci_function *boot_disk(const struct topo *t)
{
	for (uint32_t i = 0; i < t->nfns; i++)
		if (t->fns[i].vendor == PCI_VENDOR_VIRTIO &&
		    (t->fns[i].device == 0x1042 || t->fns[i].device == 0x1001))
			return &t->fns[i];
	return NULL;
}

void topo_log(struct topo *t)
{
	cap_handle_t c = t->start->witness;
	const struct pci_function *d = boot_disk(t);
	keel_print(c, "topod: %u devices (%u PCI functions via %s, %u legacy)\n",
		   t->nfns + t->nlegacy, t->nfns, t->ecam ? "ECAM" : "ports 0xcf8", t->nlegacy);
	for (uint32_t i = 0; i < t->nfns; i++)
		log_fn(t, i);
	for (uint32_t i = 0; i < t->nlegacy; i++) {
		const struct topo_legacy *l = &t->legacy[i];
		if (l->port2)
			keel_print(c, "topod: legacy %s ports %#x, %#x irq %u\n", l->name, l->port,
				   l->port2, l->irq);
		else
			keel_print(c, "topod: legacy %s ports %#x-%#x irq %u\n", l->name, l->port,
				   l->port + l->ports - 1, l->irq);
	}
	if (d)
		keel_print(c, "topod: boot disk %02x:%02x.%x %04x:%04x\n", d->bus, d->dev, d->fn,
			   d->vendor, d->device);
	for (uint32_t i = 0; i < t->ncores; i++)
		keel_print(c, "topod: cpu %u apic %u %s (%u per mille of the fastest)\n", i,
			   t->madt.cpus[i].apic_id, classify_name(t->cores[i].cls),
			   t->cores[i].permille);
	keel_print(c, "topod: power off %s, reset %s\n", t->has_s5 ? "ACPI S5" : "none",
		   t->fadt.reset_supported ? "FADT register" : "i8042");
}
