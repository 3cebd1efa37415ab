/*
 * fuzz_cspace.c - fuzz target for capability spaces.
 *
 * The input is a stream of operations (insert, derive, transfer, delete,
 * revoke, revoke-all, consume, kill, lookup) on three small CSpaces and a
 * few objects, with handles taken either from those issued so far or raw
 * from the input. After every operation the target checks the structural
 * invariants: cspace_check on every CSpace, each object's refcount equal to
 * the slots holding it plus the harness's reference, and slot quota equal
 * to occupied slots. At the end everything is released and must return to
 * baseline. Any violation aborts.
 *
 * libFuzzer:  clang -g -fsanitize=fuzzer,address,undefined -I kernel
 *             kernel/core/tests/fuzz_cspace.c kernel/core/object/cspace.c
 *             kernel/core/object/object.c -o fuzz_cspace
 * Standalone: add -DFUZZ_STANDALONE to run 2000 pseudo-random inputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/object/cspace.h"

#define NCS 3
#define NSLOTS 16
#define NOBJ 4
#define NHANDLES 64

struct input {
	const uint8_t *p;
	size_t n;
};

static struct cslot slots[NCS][NSLOTS];
static struct cspace cs[NCS];
static struct quota quota[NCS], objq;
static struct kobj obj[NOBJ];
static cap_handle_t handles[NHANDLES];
static uint8_t handle_cs[NHANDLES];
static unsigned nhandles;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond)                                                                              \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "invariant failed: %s (line %d)\n", #cond, __LINE__);      \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static uint8_t byte(struct input *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t word(struct input *in)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | byte(in);
	return v;
}

/* Picks a CSpace and a handle: an issued one, or raw bits. */
static cap_handle_t pick(struct input *in, int *c)
{
	uint8_t b = byte(in);

	if ((b & 0x80) || nhandles == 0) {
		*c = b % NCS;
		return word(in);
	}
	b %= nhandles < NHANDLES ? nhandles : NHANDLES;
	*c = handle_cs[b];
	return handles[b];
}

static void issued(int c, status_t st, cap_handle_t h)
{
	if (st != STATUS_OK)
		return;
	REQUIRE(h != CAP_HANDLE_NONE);
	handles[nhandles % NHANDLES] = h;
	handle_cs[nhandles % NHANDLES] = (uint8_t)c;
	nhandles++;
}

static void check_invariants(void)
{
	uint32_t holders[NOBJ] = { 0 };

	for (int c = 0; c < NCS; c++) {
		REQUIRE(cspace_check(&cs[c]));
		REQUIRE(quota[c].used[QUOTA_SLOTS] == cs[c].used);
		REQUIRE(quota[c].underflows == 0);
		for (uint32_t i = 0; i < cs[c].fresh; i++) /* the rest is never read */
			if (slots[c][i].obj)
				holders[slots[c][i].obj - obj]++;
	}
	for (int o = 0; o < NOBJ; o++)
		REQUIRE(obj[o].refs == holders[o] + 1);
}

static void step(struct input *in)
{
	int c, d = byte(in) % NCS;
	uint8_t op = byte(in) % 10, o = byte(in) % NOBJ;
	uint32_t rights = byte(in);
	uint64_t badge = byte(in) & 1 ? word(in) : 0;
	cap_handle_t h = pick(in, &c), out = CAP_HANDLE_NONE;
	struct cap cap;
	status_t st;

	switch (op) {
	case 0:
		st = cspace_insert(&cs[d], &obj[o], rights, badge, 0, &out);
		issued(d, st, out);
		break;
	case 1:
		st = cspace_derive(&cs[c], h, &cs[d], rights, badge, &out);
		issued(d, st, out);
		break;
	case 2:
		st = cspace_transfer(&cs[c], h, &cs[d], (enum cap_mode)(o % 4), rights, &out);
		issued(d, st, out);
		break;
	case 3:
		cspace_delete(&cs[c], h);
		break;
	case 4:
		cspace_revoke(&cs[c], h);
		break;
	case 5:
		cspace_revoke_all(&cs[c], h);
		break;
	case 6:
		cspace_consume_once(&cs[c], h);
		break;
	case 7:
		if (rights == 0xff)
			kobj_kill(&obj[o]);
		break;
	default:
		st = cspace_lookup(&cs[c], h, (enum obj_type)(o % 4), rights, &cap);
		REQUIRE(st != STATUS_OK || (cap.rights & rights) == rights);
		break;
	}
}

static void setup(void)
{
	static const enum obj_type types[NOBJ] = { OBJ_INBOX, OBJ_MEMORY, OBJ_REPLY, OBJ_TASK };

	quota_init(&objq, 0, NOBJ, 0);
	for (int c = 0; c < NCS; c++) {
		quota_init(&quota[c], c == 1 ? 6 : NSLOTS, 0, 0);
		memset(slots[c], 0xa5, sizeof slots[c]); /* uncleared, as in the kernel */
		REQUIRE(cspace_init(&cs[c], slots[c], NSLOTS, &quota[c]) == STATUS_OK);
	}
	for (int o = 0; o < NOBJ; o++)
		REQUIRE(kobj_init(&obj[o], types[o], NULL, &objq, 0) == STATUS_OK);
	nhandles = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	setup();
	while (in.n > 0) {
		step(&in);
		check_invariants();
	}
	for (int c = 0; c < NCS; c++) {
		cspace_clear(&cs[c]);
		REQUIRE(quota[c].used[QUOTA_SLOTS] == 0);
	}
	for (int o = 0; o < NOBJ; o++) {
		REQUIRE(obj[o].refs == 1);
		kobj_put(&obj[o]);
	}
	REQUIRE(objq.used[QUOTA_OBJECTS] == 0);
	return 0;
}

#ifdef FUZZ_STANDALONE
int main(void)
{
	static uint8_t buf[4096];
	uint64_t rng = 0x2545f4914f6cdd1dull;

	for (int run = 0; run < 2000; run++) {
		size_t n = (size_t)(run * 2) % sizeof buf;

		for (size_t i = 0; i < n; i++) {
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			buf[i] = (uint8_t)rng;
		}
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("fuzz_cspace: 2000 inputs, invariants held\n");
	return 0;
}
#endif
