/* console.c - kprintf over the arch console, buffered per call. */
#include <stdbool.h>

#include "core/console.h"
#include "lib/fmt.h"
#include "core/spinlock.h"

/* Serialises whole kprintf calls across CPUs; taken with interrupts off. */
static struct spinlock console_lock;
static volatile bool lock_broken;

void console_break_lock(void)
{
	lock_broken = true;
}

struct line_buf {
	char buf[256];
	size_t used;
};

static void line_flush(struct line_buf *lb)
{
	arch_console_write(lb->buf, lb->used);
	lb->used = 0;
}

static void line_put(void *ctx, const char *s, size_t n)
{
	struct line_buf *lb = ctx;
	for (size_t i = 0; i < n; i++) {
		if (lb->used == sizeof lb->buf)
			line_flush(lb);
		lb->buf[lb->used++] = s[i];
	}
}

void kvprintf(const char *fmt, va_list ap)
{
	struct line_buf lb;
	lb.used = 0;
	if (lock_broken) {
		fmt_vformat(line_put, &lb, fmt, ap);
		line_flush(&lb);
		return;
	}
	bool flags = spin_lock_irqsave(&console_lock);
	fmt_vformat(line_put, &lb, fmt, ap);
	line_flush(&lb);
	spin_unlock_irqrestore(&console_lock, flags);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}
