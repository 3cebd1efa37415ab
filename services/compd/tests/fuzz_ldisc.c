/*
 * fuzz_ldisc.c - libFuzzer target for the line discipline.
 *
 * The input is a script of steps, each a control byte: 0xff sets the
 * flags from the next byte; 0xfe reads (at most the next byte's value + 1
 * bytes); 0xfd passes the next byte's worth of bytes through the output
 * processing; anything else types the next (control & 0x1f) + 1 bytes.
 * The sizes of the edit line and the queue come from the first two bytes.
 * After every step: the line and the queue stay within their memory, the
 * queued lines add up to the queued bytes in cooked mode, reads return no
 * more than asked, the echo is bounded by what the input can cause.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Ikernel -Iservices/compd \
 *       services/compd/tests/fuzz_ldisc.c services/compd/ldisc.c services/compd/uwidth*.c \
 *       -o fuzz_ldisc
 *   ./fuzz_ldisc -max_total_time=60
 */
#include <stdlib.h>
#include <string.h>

#include "ldisc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t echoed;

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void on_echo(void *ctx, const uint8_t *p, size_t n)
{
	(void)ctx;
	(void)p;
	check(n <= 64);
	echoed += n;
}

static void check_invariants(const struct ldisc *ld)
{
	check(ld->line_len < ld->line_cap);
	check(ld->count <= ld->queue_cap && ld->head < ld->queue_cap);
	check(ld->rec_count <= LDISC_RECORDS_MAX);
	if (ld->flags & LDISC_ICANON) {
		size_t sum = 0;
		for (unsigned i = 0; i < ld->rec_count; i++)
			sum += ld->rec[(ld->rec_head + i) % LDISC_RECORDS_MAX];
		check(sum == ld->count);
	} else {
		check(ld->rec_count == 0);
	}
}

/* One step of the script at data[*i]. */
static void step(struct ldisc *ld, const uint8_t *data, size_t size, size_t *i)
{
	uint8_t op = data[(*i)++], arg = *i < size ? data[*i] : 0;
	uint8_t buf[2 * 256];
	size_t n, used;

	if (op == 0xff) {
		ldisc_set_flags(ld, arg);
		(*i)++;
	} else if (op == 0xfe) {
		enum ldisc_read_result r = ldisc_read(ld, buf, (size_t)arg + 1, &n);
		check(n <= (size_t)arg + 1);
		check((r == LDISC_READ_DATA) == (n > 0));
		(*i)++;
	} else if (op == 0xfd) {
		n = arg < size - *i ? arg : size - *i;
		size_t k = ldisc_output(ld, data + *i, n, buf, sizeof(buf), &used);
		check(used == n && k <= 2 * n);
		*i += n;
	} else {
		n = (size_t)(op & 0x1f) + 1;
		if (n > size - *i)
			n = size - *i;
		size_t before = echoed;
		ldisc_input(ld, data + *i, n);
		/* At worst every byte erases a line of tabs (8 backspaces each;
		 * wide and control characters take 6 bytes: "\b \b" twice). */
		check(echoed - before <= n * (ld->line_cap * 8 + 8));
		*i += n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t line[4096], queue[65535];
	struct ldisc ld;
	size_t i = 2;

	if (size < 2)
		return 0;
	size_t line_cap = 2 + data[0] % 200, queue_cap = line_cap + data[1] * 4u;
	if (ldisc_init(&ld, LDISC_COOKED, line, line_cap, queue, queue_cap, on_echo, NULL))
		abort();
	echoed = 0;
	while (i < size) {
		step(&ld, data, size, &i);
		check_invariants(&ld);
	}
	return 0;
}
