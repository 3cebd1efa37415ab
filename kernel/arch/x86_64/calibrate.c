/*
 * calibrate.c - the rates of the TSC and the local APIC timer, learnt at
 * boot without a long busy wait (see apic.h).
 *
 * Sources, best first:
 *   1. the hypervisor timing leaf 0x40000010 (TSC and APIC bus in kHz),
 *      where a hypervisor offers it: exact to its 1 kHz resolution;
 *   2. CPUID leaf 0x15 (TSC / crystal ratio and crystal frequency) on bare
 *      metal when it names the crystal: exact, and the local APIC timer
 *      counts that crystal;
 *   3. the ACPI PM timer (3.579545 MHz): both counters are read at two
 *      edges of the PM timer at least PM_MIN_TICKS (about 100 us) apart,
 *      longer while the bound on the error is above ERROR_GOAL_PPM. Each
 *      edge is placed in the middle of the two reads of the timer port
 *      around it, so the error is at most half of each of those two poll
 *      intervals over the window (printed as "error <= N ppm"), plus the
 *      PM timer crystal's own tolerance (ACPI asks +-100 ppm of real
 *      hardware). The local APIC counter is measured against the TSC over
 *      the same window, each read bracketed by two TSC reads (the best of
 *      four); its bound adds to the TSC's in the one printed;
 *   4. PIT channel 2 over 10 ms, where there is no PM timer.
 * Under QEMU's -icount a busy wait costs guest instructions one for one,
 * so the 10 ms wait that used to be the only way was 10 M instructions.
 */
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "core/console.h"

#define PIT_HZ 1193182u
#define PIT_MS 10u
#define PM_MIN_TICKS 358u   /* 100 us of the PM timer */
#define PM_MAX_TICKS 35796u /* 10 ms: the bound on the measurement */
#define ERROR_GOAL_PPM 500u
#define CPUID_HYPERVISOR (1u << 31) /* CPUID.1:ECX */
#define APIC_TIMER_DIVIDE 16u

struct rates {
	uint64_t tsc_hz;   /* TSC ticks a second */
	uint64_t lapic_hz; /* local APIC timer counts a second at divide-by-16 */
	uint64_t error_ppm;
	const char *source;
};

/* Source 1: the timing leaf of a hypervisor that offers it. */
static bool from_hypervisor(struct rates *r)
{
	uint32_t v[4];
	cpuid(1, 0, v);
	if (!(v[2] & CPUID_HYPERVISOR))
		return false;
	cpuid(0x40000000, 0, v);
	if (v[0] < 0x40000010)
		return false;
	cpuid(0x40000010, 0, v);
	if (!v[0] || !v[1])
		return false;
	*r = (struct rates){ (uint64_t)v[0] * 1000, (uint64_t)v[1] * 1000 / APIC_TIMER_DIVIDE,
			     1000000 / v[0] + 1, "hypervisor leaf 0x40000010" };
	return true;
}

/* Source 2: CPUID leaf 0x15 on bare metal, when it names the crystal. A
 * hypervisor may pass the host's leaf through while its virtual APIC timer
 * runs at another rate, so it is not trusted there. */
static bool from_cpuid(struct rates *r)
{
	uint32_t v[4];
	cpuid(1, 0, v);
	if (v[2] & CPUID_HYPERVISOR)
		return false;
	cpuid(0, 0, v);
	if (v[0] < 0x15)
		return false;
	cpuid(0x15, 0, v);
	if (!v[0] || !v[1] || !v[2])
		return false;
	*r = (struct rates){ (uint64_t)v[2] * v[1] / v[0], v[2] / APIC_TIMER_DIVIDE, 0,
			     "CPUID leaf 0x15" };
	return true;
}

struct pm_poll {
	uint16_t port;
	uint32_t mask;
};

/* Polls the PM timer until its value changes; returns the new value. The
 * change happened between the last two reads: *tsc gets the middle of
 * that interval and *halfwidth half its length, in TSC ticks. */
static uint32_t pm_next_edge(const struct pm_poll *p, uint64_t *tsc, uint64_t *halfwidth)
{
	uint32_t first = inl(p->port) & p->mask, v;
	uint64_t before = rdtsc(), after = before;
	do {
		before = after;
		v = inl(p->port) & p->mask;
		after = rdtsc();
	} while (v == first);
	*halfwidth = (after - before + 1) / 2;
	*tsc = before + (after - before) / 2;
	return v;
}

/* The local APIC counter and the TSC at (nearly) the same moment: of a
 * few tries, the one whose TSC reads around the counter's read are closest;
 * *half gets half that gap, the uncertainty of *tsc. */
static uint32_t lapic_sample(uint64_t *tsc, uint64_t *half)
{
	uint32_t best = 0;
	*half = UINT64_MAX;
	for (int i = 0; i < 4; i++) {
		uint64_t a = rdtsc();
		uint32_t v = lapic_count_elapsed();
		uint64_t b = rdtsc();
		if ((b - a + 1) / 2 < *half) {
			*half = (b - a + 1) / 2;
			*tsc = a + (b - a) / 2;
			best = v;
		}
	}
	return best;
}

/* Source 3: the TSC between two edges of the PM timer, and the local APIC
 * counter against the TSC over the same window. */
static bool from_pm_timer(const struct acpi_pm_timer *pm, struct rates *r)
{
	if (!pm || !pm->port)
		return false;
	struct pm_poll p = { pm->port, pm->bits == 32 ? 0xffffffffu : 0xffffffu };
	uint64_t t0, t1, h0, h1, s0, s1, g0, g1, err;
	uint32_t ticks;
	lapic_count_start();
	uint32_t start = pm_next_edge(&p, &t0, &h0);
	uint32_t l0 = lapic_sample(&s0, &g0), l1;
	do {
		ticks = (pm_next_edge(&p, &t1, &h1) - start) & p.mask;
		l1 = lapic_sample(&s1, &g1);
		uint64_t span = t1 - t0 + 1, e_tsc = (h0 + h1) * 1000000 / span,
			 e_lapic = (g0 + g1) * 1000000 / (s1 - s0 + 1);
		err = e_tsc + e_lapic + 1; /* the APIC's rate is measured through the TSC's */
	} while (ticks < PM_MAX_TICKS && (ticks < PM_MIN_TICKS || err > ERROR_GOAL_PPM));
	lapic_count_stop();
	uint64_t tsc_hz = (t1 - t0) * ACPI_PM_TIMER_HZ / ticks;
	uint64_t ns = (s1 - s0) * 1000000000ull / tsc_hz + 1; /* < 2^64 for windows < 4 s */
	uint64_t lapic_hz = (uint64_t)(l1 - l0) * 1000000000ull / ns;
	*r = (struct rates){ tsc_hz, lapic_hz, err, "ACPI PM timer" };
	return true;
}

/* Source 4: PIT channel 2 for PIT_MS in one-shot mode, polling its output. */
static void from_pit(struct rates *r)
{
	uint16_t count = PIT_HZ / (1000 / PIT_MS);
	lapic_count_start();
	outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(0x43, 0xb0);                       /* channel 2, lo/hi byte, mode 0 */
	uint64_t t0 = rdtsc();
	uint32_t l0 = lapic_count_elapsed();
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	while (!(inb(0x61) & 0x20))
		cpu_relax();
	uint64_t t1 = rdtsc();
	uint32_t l1 = lapic_count_elapsed();
	lapic_count_stop();
	*r = (struct rates){ (t1 - t0) * (1000 / PIT_MS), (uint64_t)(l1 - l0) * (1000 / PIT_MS),
			     1000000 / count + 1, "PIT" };
}

void timer_calibrate(const struct acpi_pm_timer *pm)
{
	struct rates r;
	uint64_t zero = rdtsc();
	if (!from_hypervisor(&r) && !from_cpuid(&r) && !from_pm_timer(pm, &r))
		from_pit(&r);
	timer_set_rates(r.tsc_hz, r.lapic_hz, zero);
	kprintf("timer: TSC %lu kHz, local APIC timer %u ticks per ms (%s, error <= %lu ppm)\n",
		r.tsc_hz / 1000, lapic_ticks_per_ms(), r.source, r.error_ppm);
}
