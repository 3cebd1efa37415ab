/*
 * fuzz_acpi_tables.c - libFuzzer target for the MCFG, SRAT, FADT and \_S5_
 * parsers (acpi_tables.h).
 *
 * The first input byte picks the table; the rest becomes its body behind
 * a header with the right signature, length and checksum, so the fuzzer
 * spends its time past the header checks. The raw input also goes to
 * every parser as is. Inputs are exact-size heap copies, so ASan flags any
 * read past the end; results must satisfy the documented invariants.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I kernel -I services/topod \
 *       services/topod/tests/fuzz_acpi_tables.c services/topod/acpi_tables.c -o fuzz_acpi
 *   ./fuzz_acpi -max_total_time=60
 */
#include <stdlib.h>
#include <string.h>

#include "acpi_tables.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void run_all(const uint8_t *t, size_t n)
{
	struct acpi_mcfg m;
	struct acpi_srat s;
	struct acpi_fadt f;
	struct acpi_sleep_type st;

	if (acpi_parse_mcfg(t, n, &m) == STATUS_OK)
		for (uint32_t i = 0; i < m.count; i++)
			check(m.entries[i].bus_start <= m.entries[i].bus_end && m.entries[i].base &&
			      !(m.entries[i].base & 0xfffff));
	if (acpi_parse_srat(t, n, &s) == STATUS_OK)
		check(s.cpu_count <= ACPI_MAX_SRAT_CPUS && s.mem_count <= ACPI_MAX_SRAT_MEM);
	if (acpi_parse_fadt(t, n, &f) == STATUS_OK)
		check(f.dsdt && f.pm1a_cnt.address);
	if (acpi_find_s5(t, n, &st) == STATUS_OK)
		check(st.slp_typ_a < 8 && st.slp_typ_b < 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sigs[] = { "MCFG", "SRAT", "FACP", "DSDT", "SSDT" };
	uint8_t *raw = malloc(size ? size : 1), *t;
	size_t n = ACPI_HEADER_LEN + (size ? size - 1 : 0);
	uint8_t sum = 0;

	memcpy(raw, data, size);
	run_all(raw, size);
	free(raw);
	if (!size || n > 0xffffff)
		return 0;
	t = calloc(1, n);
	memcpy(t, sigs[data[0] % 5], 4);
	t[4] = (uint8_t)n;
	t[5] = (uint8_t)(n >> 8);
	t[6] = (uint8_t)(n >> 16);
	t[8] = data[0] / 5;
	memcpy(t + ACPI_HEADER_LEN, data + 1, size - 1);
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + t[i]);
	t[9] = (uint8_t)-sum;
	run_all(t, n);
	free(t);
	return 0;
}
