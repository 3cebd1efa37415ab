/*
 * test_classify.c - core classes from benchmark figures: the thresholds,
 * noise, missing and zero figures, one core, and QEMU's identical cores.
 */
#include "check.h"
#include "classify.h"

static struct core_figures fig[CLASSIFY_MAX_CORES + 1];
static struct core_result res[CLASSIFY_MAX_CORES + 1];

static void one_sample(unsigned core, uint64_t score)
{
	fig[core] = (struct core_figures){ .samples = { score }, .count = 1 };
}

TEST(one_core_is_apex)
{
	uint64_t fastest;

	one_sample(0, 12345);
	CHECK_EQ(classify_cores(fig, 1, res, &fastest), STATUS_OK);
	CHECK_EQ(res[0].cls, CORE_APEX);
	CHECK_EQ(fastest, 12345);
	CHECK_EQ(res[0].permille, 1000);
}

TEST(thresholds_relative_to_the_fastest)
{
	uint64_t fastest;
	const uint64_t score[] = { 1000, 900, 899, 650, 649, 350, 349, 1 };
	const uint8_t want[] = { CORE_APEX, CORE_APEX, CORE_FORGE, CORE_FORGE,
				 CORE_MILL, CORE_MILL, CORE_EMBER, CORE_EMBER };

	/* Each score alone with the fastest, so no grouping joins them. */
	for (unsigned i = 0; i < 8; i++) {
		one_sample(0, 1000);
		one_sample(1, score[i]);
		CHECK_EQ(classify_cores(fig, 2, res, &fastest), STATUS_OK);
		CHECK_EQ(res[1].cls, want[i]);
		CHECK_EQ(res[0].cls, CORE_APEX);
	}
}

TEST(hybrid_part_sorts_performance_and_efficiency_cores)
{
	uint64_t fastest;

	for (unsigned i = 0; i < 4; i++)
		one_sample(i, 1000 + i * 7); /* performance cores */
	for (unsigned i = 4; i < 12; i++)
		one_sample(i, 520 + i); /* efficiency cores */
	one_sample(12, 200);            /* a low-power island core */
	one_sample(13, 700);            /* a throttled big core */
	CHECK_EQ(classify_cores(fig, 14, res, &fastest), STATUS_OK);
	CHECK_EQ(fastest, 1021);
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(res[i].cls, CORE_APEX);
	for (unsigned i = 4; i < 12; i++)
		CHECK_EQ(res[i].cls, CORE_MILL);
	CHECK_EQ(res[12].cls, CORE_EMBER);
	CHECK_EQ(res[13].cls, CORE_FORGE);
	CHECK_EQ(res[12].permille, 195);
}

TEST(qemu_vcpus_with_noise_all_land_in_one_class)
{
	uint64_t fastest;
	/* Figures of the shape TCG gives: equal cores, a few percent apart,
	 * one run of core 1 disturbed by the other vCPU. */
	const uint64_t runs[2][5] = {
		{ 48100, 47650, 49020, 48800, 47900 },
		{ 47400, 12000, 48650, 49300, 48010 },
	};

	for (unsigned c = 0; c < 2; c++) {
		fig[c].count = 5;
		for (unsigned r = 0; r < 5; r++)
			fig[c].samples[r] = runs[c][r];
	}
	CHECK_EQ(classify_cores(fig, 2, res, &fastest), STATUS_OK);
	CHECK_EQ(res[0].cls, CORE_APEX);
	CHECK_EQ(res[1].cls, CORE_APEX);
	CHECK_EQ(res[0].score, 48100); /* upper median */
	CHECK_EQ(res[1].score, 48010);
}

TEST(equal_cores_straddling_a_threshold_stay_together)
{
	uint64_t fastest;

	one_sample(0, 1000);
	one_sample(1, 660); /* Forge */
	one_sample(2, 640); /* Mill alone, but within 5% of 660 */
	one_sample(3, 626); /* 660 - 5% = 627: next group, Mill */
	CHECK_EQ(classify_cores(fig, 4, res, &fastest), STATUS_OK);
	CHECK_EQ(res[1].cls, CORE_FORGE);
	CHECK_EQ(res[2].cls, CORE_FORGE);
	CHECK_EQ(res[3].cls, CORE_MILL);
}

TEST(a_long_chain_of_close_scores_does_not_drift_into_one_class)
{
	uint64_t fastest;

	/* 1000, 970, 941, ... each 3% below the previous: grouping is
	 * anchored at each group's top, so the chain still spans classes. */
	uint64_t s = 1000;
	for (unsigned i = 0; i < 40; i++) {
		one_sample(i, s);
		s = s * 97 / 100;
	}
	CHECK_EQ(classify_cores(fig, 40, res, &fastest), STATUS_OK);
	CHECK_EQ(res[0].cls, CORE_APEX);
	CHECK_EQ(res[39].cls, CORE_EMBER);
	for (unsigned i = 1; i < 40; i++)
		CHECK(res[i].cls >= res[i - 1].cls);
}

TEST(zero_and_missing_figures_are_unmeasured)
{
	uint64_t fastest;

	one_sample(0, 500);
	fig[1] = (struct core_figures){ .count = 0 };
	fig[2] = (struct core_figures){ .samples = { 0, 0, 0 }, .count = 3 };
	fig[3] = (struct core_figures){ .samples = { 0, 480, 0 }, .count = 3 };
	CHECK_EQ(classify_cores(fig, 4, res, &fastest), STATUS_OK);
	CHECK_EQ(res[0].cls, CORE_APEX);
	CHECK_EQ(res[1].cls, CORE_UNMEASURED);
	CHECK_EQ(res[2].cls, CORE_UNMEASURED);
	CHECK_EQ(res[3].cls, CORE_APEX);
	CHECK_EQ(res[3].score, 480);
	CHECK_EQ(res[1].permille, 0);
}

TEST(nothing_measured_leaves_every_core_unmeasured)
{
	uint64_t fastest = 7;

	fig[0] = (struct core_figures){ .count = 0 };
	fig[1] = (struct core_figures){ .samples = { 0 }, .count = 1 };
	CHECK_EQ(classify_cores(fig, 2, res, &fastest), STATUS_OK);
	CHECK_EQ(fastest, 0);
	CHECK_EQ(res[0].cls, CORE_UNMEASURED);
	CHECK_EQ(res[1].cls, CORE_UNMEASURED);
}

TEST(huge_scores_do_not_overflow)
{
	uint64_t fastest;

	one_sample(0, UINT64_MAX);
	one_sample(1, UINT64_MAX / 2);
	one_sample(2, UINT64_MAX - UINT64_MAX / 20);
	CHECK_EQ(classify_cores(fig, 3, res, &fastest), STATUS_OK);
	CHECK_EQ(res[0].cls, CORE_APEX);
	CHECK_EQ(res[1].cls, CORE_MILL);
	CHECK_EQ(res[2].cls, CORE_APEX);
	CHECK_EQ(res[1].permille, 500);
}

TEST(bad_arguments_are_refused)
{
	uint64_t fastest;

	CHECK_EQ(classify_cores(fig, 0, res, &fastest), STATUS_INVALID);
	for (unsigned i = 0; i <= CLASSIFY_MAX_CORES; i++)
		one_sample(i, 100);
	CHECK_EQ(classify_cores(fig, CLASSIFY_MAX_CORES + 1, res, &fastest), STATUS_RANGE);
	CHECK_EQ(classify_cores(fig, CLASSIFY_MAX_CORES, res, &fastest), STATUS_OK);
	fig[3].count = CLASSIFY_MAX_SAMPLES + 1;
	CHECK_EQ(classify_cores(fig, 4, res, &fastest), STATUS_INVALID);
}

TEST(class_names)
{
	CHECK_STR(classify_name(CORE_APEX), "Apex");
	CHECK_STR(classify_name(CORE_FORGE), "Forge");
	CHECK_STR(classify_name(CORE_MILL), "Mill");
	CHECK_STR(classify_name(CORE_EMBER), "Ember");
	CHECK_STR(classify_name(CORE_UNMEASURED), "unmeasured");
}

int main(void)
{
	RUN(one_core_is_apex);
	RUN(thresholds_relative_to_the_fastest);
	RUN(hybrid_part_sorts_performance_and_efficiency_cores);
	RUN(qemu_vcpus_with_noise_all_land_in_one_class);
	RUN(equal_cores_straddling_a_threshold_stay_together);
	RUN(a_long_chain_of_close_scores_does_not_drift_into_one_class);
	RUN(zero_and_missing_figures_are_unmeasured);
	RUN(nothing_measured_leaves_every_core_unmeasured);
	RUN(huge_scores_do_not_overflow);
	RUN(bad_arguments_are_refused);
	RUN(class_names);
	return check_summary();
}
