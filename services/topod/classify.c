/*
 * classify.c - core classes from benchmark figures (classify.h: the
 * thresholds and the reasons for them).
 */
#include "classify.h"

/* pct percent of v, without overflow. */
static uint64_t percent_of(uint64_t v, uint64_t pct)
{
	return v / 100 * pct + v % 100 * pct / 100;
}

/* score relative to best (score <= best, best > 0), in thousandths. */
static uint32_t permille(uint64_t score, uint64_t best)
{
	if (best <= UINT64_MAX / 1000)
		return (uint32_t)(score * 1000 / best);
	return (uint32_t)(score / (best / 1000));
}

/* The upper median of a core's non-zero samples, or 0. */
static uint64_t representative(const struct core_figures *f)
{
	uint64_t s[CLASSIFY_MAX_SAMPLES];
	uint32_t n = 0;

	for (uint32_t i = 0; i < f->count; i++)
		if (f->samples[i])
			s[n++] = f->samples[i];
	for (uint32_t i = 1; i < n; i++) /* insertion sort, n <= 8 */
		for (uint32_t j = i; j > 0 && s[j - 1] > s[j]; j--) {
			uint64_t t = s[j];

			s[j] = s[j - 1];
			s[j - 1] = t;
		}
	return n ? s[n / 2] : 0;
}

static enum core_class class_of(uint64_t top, uint64_t fastest)
{
	if (top >= percent_of(fastest, CLASSIFY_APEX_PCT))
		return CORE_APEX;
	if (top >= percent_of(fastest, CLASSIFY_FORGE_PCT))
		return CORE_FORGE;
	if (top >= percent_of(fastest, CLASSIFY_MILL_PCT))
		return CORE_MILL;
	return CORE_EMBER;
}

/* The highest score below ceiling (exclusive), or 0. */
static uint64_t next_below(const struct core_result *out, size_t n, uint64_t ceiling)
{
	uint64_t best = 0;

	for (size_t i = 0; i < n; i++)
		if (out[i].score < ceiling && out[i].score > best)
			best = out[i].score;
	return best;
}

/* Groups scores from the top down: a group is its top score and every
 * score within CLASSIFY_SAME_PCT below it; all take the top's class. */
static void assign_groups(struct core_result *out, size_t n, uint64_t fastest)
{
	uint64_t top = fastest;

	while (top) {
		uint64_t floor = top - percent_of(top, CLASSIFY_SAME_PCT);
		enum core_class c = class_of(top, fastest);

		for (size_t i = 0; i < n; i++)
			if (out[i].score && out[i].score <= top && out[i].score >= floor)
				out[i].cls = (uint8_t)c;
		top = floor ? next_below(out, n, floor) : 0;
	}
}

status_t classify_cores(const struct core_figures *in, size_t n, struct core_result *out,
			uint64_t *fastest)
{
	uint64_t best = 0;

	*fastest = 0;
	if (n == 0)
		return STATUS_INVALID;
	if (n > CLASSIFY_MAX_CORES)
		return STATUS_RANGE;
	for (size_t i = 0; i < n; i++)
		if (in[i].count > CLASSIFY_MAX_SAMPLES)
			return STATUS_INVALID;
	for (size_t i = 0; i < n; i++) {
		out[i].score = representative(&in[i]);
		out[i].cls = CORE_UNMEASURED;
		out[i].permille = 0;
		if (out[i].score > best)
			best = out[i].score;
	}
	for (size_t i = 0; i < n && best; i++)
		out[i].permille = permille(out[i].score, best);
	assign_groups(out, n, best);
	*fastest = best;
	return STATUS_OK;
}

const char *classify_name(enum core_class c)
{
	switch (c) {
	case CORE_APEX:
		return "Apex";
	case CORE_FORGE:
		return "Forge";
	case CORE_MILL:
		return "Mill";
	case CORE_EMBER:
		return "Ember";
	default:
		return "unmeasured";
	}
}
