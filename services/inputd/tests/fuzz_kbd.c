/*
 * fuzz_kbd.c - libFuzzer target for the scancode decoder and the key
 * translation: every byte goes to the decoder; every event it makes is
 * translated under modes taken from the first input byte. Events must
 * name a key, releases send nothing, results fit their buffer, and a
 * console switch names console 1..4.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iservices/inputd \
 *       services/inputd/tests/fuzz_kbd.c services/inputd/scancode.c \
 *       services/inputd/keymap.c -o fuzz_kbd
 *   ./fuzz_kbd -max_total_time=60
 */
#include <stdlib.h>

#include "keymap.h"
#include "scancode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kbd kbd;
	struct key_event ev;
	struct keymap_result res;
	unsigned modes = size ? data[0] & 3 : 0;

	kbd_init(&kbd);
	for (size_t i = 0; i < size; i++) {
		if (!kbd_feed(&kbd, data[i], &ev))
			continue;
		check(ev.key > KEY_NONE && ev.key < KEY_COUNT);
		check(!(ev.flags & KEY_REPEAT) || (ev.flags & KEY_PRESSED));
		keymap_translate(&ev, modes, &res);
		check(res.len <= KEYMAP_BYTES_MAX);
		check((res.kind == KEYMAP_BYTES) == (res.len > 0));
		check(res.kind != KEYMAP_CONSOLE || (res.console >= 1 && res.console <= 4));
		check(ev.flags & KEY_PRESSED || res.kind == KEYMAP_NOTHING);
	}
	check(kbd_leds(&kbd) <= 7);
	return 0;
}
