/*
 * fuzz_keys.c - libFuzzer target for the input decoder: any byte stream,
 * with input pauses wherever a byte has its low five bits all set, must
 * decode without overrunning the output and only into valid keys.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const keycode_t *k, size_t n)
{
	if (n > KEYS_MAX_OUT)
		abort();
	for (size_t i = 0; i < n; i++) {
		keycode_t base = KEY_BASE(k[i]);
		if (base < 0 || (base > KEY_UNKNOWN && !KEY_IS_BYTE(k[i])))
			abort();
		if (base >= 0xd800 && base <= 0xdfff)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keys k;
	keycode_t out[KEYS_MAX_OUT + 1];

	keys_init(&k);
	for (size_t i = 0; i < size; i++) {
		check(out, keys_feed(&k, data[i], out));
		if ((data[i] & 0x1f) == 0x1f)
			check(out, keys_idle(&k, out));
	}
	check(out, keys_idle(&k, out));
	return 0;
}
