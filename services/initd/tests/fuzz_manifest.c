/*
 * fuzz_manifest.c - libFuzzer target for manifest_parse() and bootlist_parse().
 *
 * Every input goes to both parsers, as an exact-size heap copy so that
 * ASan flags any read past its end. A success must be well-formed by the
 * rules in manifest.h (and a manifest's policy must satisfy the supervisor
 * it will be handed to); a failure must carry a class, a status matching
 * it, a line inside the text and a non-empty message. Parsing twice must
 * give the same bytes.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I services/initd -I kernel \
 *       services/initd/tests/fuzz_manifest.c services/initd/manifest.c \
 *       services/initd/supervise.c -o fuzz_manifest
 *   ./fuzz_manifest -dict=services/initd/tests/fuzz_manifest.dict -max_total_time=20
 */
#include <stdlib.h>
#include <string.h>

#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
	if (!ok)
		abort();
}

static bool name_ok(const char *s)
{
	size_t n = strnlen(s, MANIFEST_NAME_MAX + 1);
	if (n < 1 || n > MANIFEST_NAME_MAX || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static void check_error(status_t st, const struct manifest_error *e, const char *text, size_t n)
{
	size_t lines = 1;
	for (size_t i = 0; i < n; i++)
		lines += text[i] == '\n';
	check(e->code != MANIFEST_ERR_NONE && e->code <= MANIFEST_ERR_CYCLE);
	check(st == manifest_err_status(e->code));
	check(e->line <= lines);
	size_t len = strnlen(e->msg, sizeof e->msg);
	check(len > 0 && len < sizeof e->msg);
}

static void check_manifest(const struct manifest *m)
{
	check(name_ok(m->name) && name_ok(m->provides));
	check(supervise_policy_check(&m->policy) == STATUS_OK);
	check(m->tier <= MANIFEST_TIER_VOID);
	check(m->quota_pages >= 1 && m->quota_pages <= MANIFEST_PAGES_MAX);
	check(m->quota_objects >= 1 && m->quota_objects <= MANIFEST_OBJECTS_MAX);
	check(m->quota_slots >= 1 && m->quota_slots <= MANIFEST_SLOTS_MAX);
	check(m->port_count <= MANIFEST_MAX_PORTS && m->irq_count <= MANIFEST_MAX_IRQS);
	check(m->mmio_count <= MANIFEST_MAX_MMIO && m->send_count <= MANIFEST_MAX_SENDS);
	for (uint32_t i = 0; i < m->port_count; i++) {
		const struct manifest_ports *a = &m->ports[i];
		check(a->first <= a->last && a->last <= MANIFEST_PORT_MAX);
		for (uint32_t j = 0; j < i; j++)
			check(a->last < m->ports[j].first || m->ports[j].last < a->first);
	}
	for (uint32_t i = 0; i < m->irq_count; i++) {
		check(m->irqs[i] <= MANIFEST_IRQ_MAX);
		for (uint32_t j = 0; j < i; j++)
			check(m->irqs[i] != m->irqs[j]);
	}
	for (uint32_t i = 0; i < m->mmio_count; i++) {
		const struct manifest_mmio *a = &m->mmio[i];
		check(a->base % MANIFEST_MMIO_ALIGN == 0 && a->size % MANIFEST_MMIO_ALIGN == 0);
		check(a->size > 0 && a->base < MANIFEST_PHYS_LIMIT);
		check(a->size <= MANIFEST_PHYS_LIMIT - a->base);
		for (uint32_t j = 0; j < i; j++)
			check(a->base + a->size <= m->mmio[j].base ||
			      m->mmio[j].base + m->mmio[j].size <= a->base);
	}
	for (uint32_t i = 0; i < m->send_count; i++) {
		check(name_ok(m->sends[i]));
		for (uint32_t j = 0; j < i; j++)
			check(strcmp(m->sends[i], m->sends[j]) != 0);
	}
}

static void check_bootlist(const struct bootlist *b)
{
	bool placed[BOOTLIST_MAX] = { false };
	check(b->count >= 1 && b->count <= BOOTLIST_MAX);
	for (uint32_t i = 0; i < b->count; i++) {
		check(name_ok(b->entries[i].name));
		for (uint32_t j = 0; j < i; j++)
			check(strcmp(b->entries[i].name, b->entries[j].name) != 0);
	}
	for (uint32_t k = 0; k < b->count; k++) {
		uint32_t i = b->order[k];
		check(i < b->count && !placed[i]);
		const struct bootlist_entry *e = &b->entries[i];
		check(e->after_count <= BOOTLIST_AFTER_MAX);
		for (uint32_t d = 0; d < e->after_count; d++)
			check(e->after[d] < b->count && placed[e->after[d]]);
		placed[i] = true;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	if (!text)
		abort();
	memcpy(text, data, size);

	static struct manifest m1, m2;
	static struct bootlist b1, b2;
	struct manifest_error e1, e2;

	status_t st = manifest_parse(text, size, &m1, &e1);
	check(manifest_parse(text, size, &m2, &e2) == st);
	if (st == STATUS_OK) {
		check(e1.code == MANIFEST_ERR_NONE);
		check_manifest(&m1);
		check(memcmp(&m1, &m2, sizeof m1) == 0);
	} else {
		check_error(st, &e1, text, size);
		check(memcmp(&e1, &e2, sizeof e1) == 0);
	}

	st = bootlist_parse(text, size, &b1, &e1);
	check(bootlist_parse(text, size, &b2, NULL) == st);
	if (st == STATUS_OK) {
		check_bootlist(&b1);
		check(memcmp(&b1, &b2, sizeof b1) == 0);
	} else {
		check_error(st, &e1, text, size);
	}
	free(text);
	return 0;
}
