/* print.c - formatted output to the kernel console (see keel/sys.h). */
#include "keel/sys.h"

#include "lib/fmt.h"

#define PRINT_CHUNK 512

/* The output of one keel_vprint call, gathered on the caller's stack. */
struct print_buf {
	cap_handle_t witness;
	status_t status;
	size_t len;
	char text[PRINT_CHUNK];
};

/* Writes out what has been gathered; keeps the first failure. */
static void print_flush(struct print_buf *p)
{
	status_t st;

	if (p->len == 0)
		return;
	st = sys_debug_write(p->witness, p->text, p->len);
	if (p->status == STATUS_OK)
		p->status = st;
	p->len = 0;
}

/* fmt sink: appends n bytes, flushing whenever the buffer fills. */
static void print_sink(void *ctx, const char *s, size_t n)
{
	struct print_buf *p = ctx;

	while (n) {
		size_t k = PRINT_CHUNK - p->len;
		if (k > n)
			k = n;
		memcpy(p->text + p->len, s, k);
		p->len += k;
		s += k;
		n -= k;
		if (p->len == PRINT_CHUNK)
			print_flush(p);
	}
}

status_t keel_vprint(cap_handle_t witness, const char *fmt, va_list ap)
{
	struct print_buf p = { .witness = witness, .status = STATUS_OK };

	fmt_vformat(print_sink, &p, fmt, ap);
	print_flush(&p);
	return p.status;
}

status_t keel_print(cap_handle_t witness, const char *fmt, ...)
{
	va_list ap;
	status_t st;

	va_start(ap, fmt);
	st = keel_vprint(witness, fmt, ap);
	va_end(ap);
	return st;
}
