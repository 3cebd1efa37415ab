/*
 * power.c - power off and reset for the holder of the power capability.
 *
 * Off: ACPI S5, writing SLP_TYPa (from the DSDT's \_S5_) with SLP_EN to
 * PM1a_CNT (and SLP_TYPb to PM1b_CNT when the FADT has one). Reset: the
 * FADT's reset register when it is usable and in I/O space, then the
 * i8042's pulse of the reset line. Only I/O-space registers are written
 * (QEMU's pc and q35 have nothing else); the others are skipped.
 */
#include "keel/sys.h"
#include "topod.h"

#define SLP_EN (1u << 13)
#define SLP_TYP_SHIFT 10
#define I8042_CMD 0x64
#define I8042_PULSE_RESET 0xfe
#define SETTLE_NS 100000000ull /* wait this long for the machine to act */

/* Writes a 16-bit PM1 control value to an I/O-space register. */
static status_t pm1_write(struct topo *t, const struct acpi_gas *g, uint16_t val)
{
	if (g->space != ACPI_SPACE_IO || !g->address || g->address > 0xfffe)
		return STATUS_NOT_FOUND;
	status_t st = topo_ports_enable(t, (uint16_t)g->address, 2);
	if (st == STATUS_OK)
		topo_out((uint16_t)g->address, 2, val);
	return st;
}

static void settle(void)
{
	uint64_t pending;
	sys_signal_wait(1ull << 63, SETTLE_NS, &pending);
}

static status_t power_off(struct topo *t)
{
	if (!t->has_fadt || !t->has_s5)
		return STATUS_NOT_FOUND;
	uint16_t a = (uint16_t)(t->s5.slp_typ_a << SLP_TYP_SHIFT | SLP_EN);
	uint16_t b = (uint16_t)(t->s5.slp_typ_b << SLP_TYP_SHIFT | SLP_EN);
	status_t st = pm1_write(t, &t->fadt.pm1a_cnt, a);
	if (st == STATUS_OK && t->fadt.pm1b_cnt.address)
		pm1_write(t, &t->fadt.pm1b_cnt, b);
	if (st == STATUS_OK)
		settle();
	return st ? st : STATUS_DEAD; /* still here: S5 did not take */
}

static status_t reset(struct topo *t)
{
	const struct acpi_gas *r = &t->fadt.reset_reg;
	if (t->has_fadt && t->fadt.reset_supported && r->space == ACPI_SPACE_IO &&
	    r->address <= 0xffff && topo_ports_enable(t, (uint16_t)r->address, 1) == STATUS_OK) {
		topo_out((uint16_t)r->address, 1, t->fadt.reset_value);
		settle();
	}
	if (topo_ports_enable(t, I8042_CMD, 1) == STATUS_OK) {
		topo_out(I8042_CMD, 1, I8042_PULSE_RESET);
		settle();
	}
	return STATUS_DEAD;
}

status_t topo_power(struct topo *t, uint32_t action)
{
	if (action == TOPO_POWER_OFF)
		return power_off(t);
	if (action == TOPO_POWER_RESET)
		return reset(t);
	return STATUS_INVALID;
}
