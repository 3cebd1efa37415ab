/* acpi_root.c - the RSDP and the root table (acpi_root.h). */
#include "acpi_root.h"
#include "acpi_tables.h"

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* Checks one RSDP candidate at p with avail bytes behind it. */
static status_t rsdp_check(const uint8_t *p, size_t avail, uint64_t phys, struct acpi_root *out)
{
	static const char sig[8] = { 'R', 'S', 'D', ' ', 'P', 'T', 'R', ' ' };
	for (int i = 0; i < 8; i++)
		if (p[i] != (uint8_t)sig[i])
			return STATUS_NOT_FOUND;
	if (avail < ACPI_RSDP_V1_LEN || sum(p, ACPI_RSDP_V1_LEN))
		return STATUS_NOT_FOUND;
	out->rsdp_phys = phys;
	out->revision = p[15];
	out->root_phys = rd32(p + 16);
	out->entry_size = 4;
	if (p[15] >= 2 && avail >= ACPI_RSDP_V2_LEN) {
		uint32_t len = rd32(p + 20);
		if (len < ACPI_RSDP_V2_LEN || len > avail || sum(p, len))
			return STATUS_NOT_FOUND;
		if (rd64(p + 24)) {
			out->root_phys = rd64(p + 24);
			out->entry_size = 8;
		}
	}
	return out->root_phys ? STATUS_OK : STATUS_NOT_FOUND;
}

status_t acpi_rsdp_scan(const uint8_t *area, size_t len, uint64_t base, struct acpi_root *out)
{
	for (size_t off = 0; off + 8 <= len; off += 16)
		if (rsdp_check(area + off, len - off, base + off, out) == STATUS_OK)
			return STATUS_OK;
	return STATUS_NOT_FOUND;
}

status_t acpi_table_at(uint64_t phys, const char *sig, acpi_map_fn map, void *ctx,
		       const uint8_t **table, uint32_t *table_len)
{
	const uint8_t *h = map(ctx, phys, ACPI_HEADER_LEN);
	if (!h)
		return STATUS_BAD_ADDRESS;
	uint32_t n = rd32(h + 4);
	if (n < ACPI_HEADER_LEN || n > (1u << 24))
		return STATUS_BAD_FORMAT;
	const uint8_t *t = map(ctx, phys, n);
	if (!t)
		return STATUS_BAD_ADDRESS;
	status_t st = acpi_table_check(t, n, sig, table_len);
	if (st == STATUS_OK)
		*table = t;
	return st;
}

status_t acpi_root_find(const struct acpi_root *root, const char *sig, acpi_map_fn map, void *ctx,
			const uint8_t **table, uint32_t *table_len)
{
	const uint8_t *rt;
	uint32_t rlen;
	status_t st = acpi_table_at(root->root_phys, root->entry_size == 8 ? "XSDT" : "RSDT", map,
				    ctx, &rt, &rlen);
	if (st)
		return st;
	uint32_t n = (rlen - ACPI_HEADER_LEN) / root->entry_size;
	if (n > ACPI_ROOT_MAX_ENTRIES)
		n = ACPI_ROOT_MAX_ENTRIES;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = rt + ACPI_HEADER_LEN + i * root->entry_size;
		uint64_t pa = root->entry_size == 8 ? rd64(e) : rd32(e);
		const uint8_t *h = pa ? map(ctx, pa, ACPI_HEADER_LEN) : NULL;
		if (!h || h[0] != (uint8_t)sig[0] || h[1] != (uint8_t)sig[1] ||
		    h[2] != (uint8_t)sig[2] || h[3] != (uint8_t)sig[3])
			continue;
		if (acpi_table_at(pa, sig, map, ctx, table, table_len) == STATUS_OK)
			return STATUS_OK;
	}
	return STATUS_NOT_FOUND;
}
