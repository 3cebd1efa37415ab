/* apic.c - local APIC, IO APIC, PIC and timer calibration (see apic.h). */
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/memory.h"
#include "core/console.h"
#include "core/object/thread.h"
#include "core/panic.h"

enum {
	LAPIC_ID = 0x20,
	LAPIC_TPR = 0x80,
	LAPIC_EOI = 0xb0,
	LAPIC_SVR = 0xf0,
	LAPIC_ESR = 0x280,
	LAPIC_ICR_LO = 0x300,
	LAPIC_ICR_HI = 0x310,
	LAPIC_LVT_TIMER = 0x320,
	LAPIC_LVT_LINT0 = 0x350,
	LAPIC_LVT_LINT1 = 0x360,
	LAPIC_TIMER_INIT = 0x380,
	LAPIC_TIMER_CUR = 0x390,
	LAPIC_TIMER_DIV = 0x3e0,
};

#define ICR_PENDING (1u << 12)
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_INIT 0x500u
#define ICR_STARTUP 0x600u
#define ICR_NMI 0x400u
#define ICR_ALL_BUT_SELF (3u << 18)
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define TIMER_DIV_16 0x3

#define SIPI_DELAY_US 10

static volatile uint32_t *lapic;
static uint32_t lapic_boot_id;
static uint64_t tsc_per_sec;
static uint64_t tsc_at_boot;
static uint64_t ns_mult; /* nanoseconds per TSC tick, times 2^32 */
static uint32_t lapic_ticks_per_tick;

static uint32_t lapic_read(uint32_t reg)
{
	return lapic[reg / 4];
}

static void lapic_write(uint32_t reg, uint32_t v)
{
	lapic[reg / 4] = v;
	(void)lapic[LAPIC_ID / 4]; /* reads back to order the write */
}

void pic_disable(void)
{
	/* ICW1-4: move the PICs to VEC_PIC_BASE so stray IRQs are not exceptions. */
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, VEC_PIC_BASE);
	outb(0xa1, VEC_PIC_BASE + 8);
	outb(0x21, 4);
	outb(0xa1, 2);
	outb(0x21, 1);
	outb(0xa1, 1);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

void lapic_map(uint64_t pa)
{
	lapic = memory_map_mmio(pa, 4096);
	if (!lapic)
		panic("apic: cannot map the local APIC at %#lx", pa);
}

void lapic_enable(void)
{
	wrmsr(0x1b, rdmsr(0x1b) | (1u << 11)); /* global enable in IA32_APIC_BASE */
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void lapic_count_start(void)
{
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
}

uint32_t lapic_count_elapsed(void)
{
	return 0xffffffff - lapic_read(LAPIC_TIMER_CUR);
}

void lapic_count_stop(void)
{
	lapic_write(LAPIC_TIMER_INIT, 0);
}

_Static_assert(1000000000ull / TIMER_HZ == THREAD_TICK_NS, "the tick the scheduler counts on");

void timer_set_rates(uint64_t tsc_hz, uint64_t lapic_hz, uint64_t tsc_zero)
{
	tsc_per_sec = tsc_hz;
	lapic_ticks_per_tick = (uint32_t)(lapic_hz / TIMER_HZ);
	tsc_at_boot = tsc_zero;
	if (!tsc_per_sec || !lapic_ticks_per_tick)
		panic("timer: calibration failed (TSC %lu Hz, local APIC timer %lu Hz)", tsc_hz,
		      lapic_hz);
	ns_mult = (uint64_t)(((unsigned __int128)1000000000ull << 32) / tsc_per_sec);
}

uint32_t lapic_ticks_per_ms(void)
{
	return lapic_ticks_per_tick * TIMER_HZ / 1000;
}

void lapic_wake_every_us(uint32_t us)
{
	uint32_t count = (uint32_t)((uint64_t)lapic_ticks_per_tick * us / (1000000 / TIMER_HZ));
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_WAKE);
	lapic_write(LAPIC_TIMER_INIT, count ? count : 1);
}

void lapic_timer_start(void)
{
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, lapic_ticks_per_tick);
}

uint64_t tsc_hz(void)
{
	return tsc_per_sec;
}

/* ns = ticks * ns_mult >> 32, computed in 128 bits: exact to a part in
 * 2^32 and a handful of instructions on the scheduler's hot path. */
uint64_t time_ns(void)
{
	uint64_t t = rdtsc() - tsc_at_boot;
	return (uint64_t)(((unsigned __int128)t * ns_mult) >> 32);
}

void delay_us(uint64_t us)
{
	uint64_t end = time_ns() + us * 1000;
	while (time_ns() < end)
		cpu_relax();
}

static void icr_send(uint32_t apic_id, uint32_t lo)
{
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, lo);
	while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING)
		cpu_relax();
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	icr_send(apic_id, vector);
}

void lapic_nmi_others(void)
{
	lapic_write(LAPIC_ICR_HI, 0);
	lapic_write(LAPIC_ICR_LO, ICR_ALL_BUT_SELF | ICR_NMI);
}

/*
 * INIT to every AP, then a start-up IPI to every AP, twice. Current
 * processors (the x2APIC generation on: every CPU this kernel runs on
 * in practice) need no 10 ms INIT settling time and accept a start-up
 * IPI within microseconds; a CPU already running ignores the second. The
 * MP specification's 10 ms wait was for discrete 82489DX APICs.
 */
void lapic_start_aps(const uint32_t *apic_ids, uint32_t n, uint64_t trampoline_pa)
{
	for (uint32_t i = 0; i < n; i++)
		icr_send(apic_ids[i], ICR_INIT | ICR_LEVEL_ASSERT);
	for (int round = 0; round < 2; round++) {
		for (uint32_t i = 0; i < n; i++)
			icr_send(apic_ids[i], ICR_STARTUP | (uint32_t)(trampoline_pa >> 12));
		delay_us(SIPI_DELAY_US);
	}
}

/* IO APIC registers are reached through a select/window pair. */
static void ioapic_write(volatile uint32_t *base, uint32_t reg, uint32_t v)
{
	base[0] = reg;
	base[4] = v;
}

static uint32_t ioapic_read(volatile uint32_t *base, uint32_t reg)
{
	base[0] = reg;
	return base[4];
}

struct ioapic {
	volatile uint32_t *base;
	uint32_t gsi_base, inputs;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static uint32_t ioapic_count, gsi_end;
static const struct acpi_madt_info *madt_info;

uint32_t ioapic_lines(void)
{
	return gsi_end;
}

/* Trigger and polarity bits of a redirection entry for gsi: ISA lines are
 * edge/high unless overridden, PCI lines (16 and up) level/low. */
static uint32_t line_mode(uint32_t gsi)
{
	uint16_t flags = 0;
	bool isa = false;
	for (uint32_t i = 0; i < madt_info->override_count; i++)
		if (madt_info->overrides[i].gsi == gsi) {
			flags = madt_info->overrides[i].flags;
			isa = true;
		}
	if (!isa && gsi < 16)
		return 0;
	uint16_t pol = flags & ACPI_INTI_POLARITY_MASK, trig = flags & ACPI_INTI_TRIGGER_MASK;
	bool low = pol == ACPI_INTI_POLARITY_LOW || (!isa && pol == ACPI_INTI_POLARITY_BUS);
	bool level = trig == ACPI_INTI_TRIGGER_LEVEL || (!isa && trig == ACPI_INTI_TRIGGER_BUS);
	return (low ? 1u << 13 : 0) | (level ? 1u << 15 : 0);
}

void ioapic_route(uint32_t gsi, uint8_t vector, bool masked)
{
	for (uint32_t i = 0; i < ioapic_count; i++) {
		struct ioapic *io = &ioapics[i];
		if (gsi < io->gsi_base || gsi >= io->gsi_base + io->inputs)
			continue;
		uint32_t n = gsi - io->gsi_base;
		ioapic_write(io->base, 0x11 + 2 * n, lapic_boot_id << 24);
		ioapic_write(io->base, 0x10 + 2 * n,
			     vector | line_mode(gsi) | (masked ? LVT_MASKED : 0));
	}
}

void ioapic_init(const struct acpi_madt_info *madt)
{
	madt_info = madt;
	lapic_boot_id = lapic_id();
	for (uint32_t i = 0; i < madt->ioapic_count; i++) {
		volatile uint32_t *base = memory_map_mmio(madt->ioapics[i].addr, 4096);
		if (!base)
			panic("apic: cannot map IO APIC %u", i);
		uint32_t inputs = ((ioapic_read(base, 1) >> 16) & 0xff) + 1;
		ioapics[ioapic_count++] = (struct ioapic){ base, madt->ioapics[i].gsi_base,
							   inputs };
		if (madt->ioapics[i].gsi_base + inputs > gsi_end)
			gsi_end = madt->ioapics[i].gsi_base + inputs;
		for (uint32_t n = 0; n < inputs; n++) {
			ioapic_write(base, 0x10 + 2 * n, LVT_MASKED);
			ioapic_write(base, 0x11 + 2 * n, 0);
		}
		kprintf("apic: IO APIC %u at %#x, GSIs %u-%u, all masked\n", madt->ioapics[i].id,
			madt->ioapics[i].addr, madt->ioapics[i].gsi_base,
			madt->ioapics[i].gsi_base + inputs - 1);
	}
}
