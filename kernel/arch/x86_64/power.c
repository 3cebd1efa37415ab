/* power.c - power-off, panic and backtraces on x86-64. */
#include <stdarg.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/power.h"
#include "core/arch.h"
#include "core/console.h"
#include "core/panic.h"

#define DEBUG_EXIT_PORT 0xf4
#define BACKTRACE_DEPTH 16

static bool debug_exit_enabled;

void power_enable_debug_exit(void)
{
	debug_exit_enabled = true;
}

void power_off(uint8_t code)
{
	if (debug_exit_enabled)
		outb(DEBUG_EXIT_PORT, code);
	kprintf("Keel halted (code %u). It is safe to turn the machine off.\n", code);
	cpu_halt_forever();
}

/* A frame pointer worth following: in the kernel's half and 8-byte aligned. */
static bool frame_ok(uint64_t rbp)
{
	return rbp >= KERNEL_VMA && (rbp & 7) == 0 && rbp + 16 > rbp;
}

/* Prints return addresses by walking saved frame pointers from rbp. */
static void backtrace(uint64_t rbp)
{
	kprintf("  backtrace:\n");
	for (int i = 0; i < BACKTRACE_DEPTH && frame_ok(rbp); i++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		if (!frame[1])
			break;
		kprintf("    #%d %#018lx\n", i, frame[1]);
		if (frame[0] <= rbp)
			break; /* stacks grow down: a caller's frame is above */
		rbp = frame[0];
	}
}

void panic_stop(uint64_t rbp)
{
	backtrace(rbp);
	kprintf("Keel stopped: cpu %d\n", arch_cpu_id());
	power_off(EXIT_CODE_PANIC);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	irq_disable();
	kprintf("\nKERNEL PANIC on cpu %d: ", arch_cpu_id());
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	panic_stop((uint64_t)__builtin_frame_address(0));
}
