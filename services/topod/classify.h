/*
 * classify.h - CPU classes from per-core benchmark figures.
 *
 * At boot topod runs a short benchmark on every core and hands the figures
 * to classify_cores(), a pure function: each core gets a class relative to
 * the fastest core of this machine, not to any absolute scale, so the same
 * code sorts a laptop's performance and efficiency cores and leaves the
 * identical cores of a server (or of QEMU) in one class.
 *
 *   Apex   score >= 90% of the fastest: the fastest cores, within noise
 *   Forge  >= 65%: clearly slower but still full-size cores (a
 *          performance core at a lower clock, a core sharing its
 *          SMT sibling with a busy thread)
 *   Mill   >= 35%: efficiency cores (typical big/little ratios measure
 *          between 0.4 and 0.6 on integer work)
 *   Ember  below 35%: the slowest, tiny or heavily throttled cores, fit
 *          for background work only
 *
 * The 10% band of Apex absorbs run-to-run noise of a short benchmark
 * (timer ticks, cache warm-up, a host stealing time from a virtual CPU),
 * which measures a few percent; 65% and 35% sit between the ratios real
 * hybrid parts show, away from where those ratios cluster.
 *
 * Robustness: each core may report several samples; its score is the upper
 * median, so one disturbed run (slower) or one glitched timer (faster)
 * does not move it. Cores whose scores lie within CLASSIFY_SAME_PCT of the
 * top of a group are grouped, and the group takes the class of its top,
 * so two equal cores on either side of a threshold are not split by noise.
 * A core with no usable sample (none, or all zero) is CORE_UNMEASURED; if
 * no core has one, every core is.
 */
#ifndef KEEL_TOPOD_CLASSIFY_H
#define KEEL_TOPOD_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define CLASSIFY_MAX_SAMPLES 8
#define CLASSIFY_MAX_CORES 256
#define CLASSIFY_APEX_PCT 90
#define CLASSIFY_FORGE_PCT 65
#define CLASSIFY_MILL_PCT 35
#define CLASSIFY_SAME_PCT 5

enum core_class {
	CORE_APEX = 0,
	CORE_FORGE,
	CORE_MILL,
	CORE_EMBER,
	CORE_UNMEASURED,
};

/* One core's benchmark runs: work units per unit of time, higher is faster;
 * zero means the run failed. */
struct core_figures {
	uint64_t samples[CLASSIFY_MAX_SAMPLES];
	uint32_t count; /* samples used; more than the array is an error */
};

struct core_result {
	uint8_t cls;       /* enum core_class */
	uint64_t score;    /* the representative score, 0 if unmeasured */
	uint32_t permille; /* score relative to the fastest, 0-1000 */
};

/*
 * Classifies n cores (n <= CLASSIFY_MAX_CORES) into out[0..n). Stores the
 * fastest score in *fastest (0 when nothing was measured). Returns
 * STATUS_INVALID for n == 0 or a core with count > CLASSIFY_MAX_SAMPLES,
 * STATUS_RANGE for n > CLASSIFY_MAX_CORES.
 */
status_t classify_cores(const struct core_figures *in, size_t n, struct core_result *out,
			uint64_t *fastest);

/* The class's name ("Apex", ...). */
const char *classify_name(enum core_class c);

#endif
