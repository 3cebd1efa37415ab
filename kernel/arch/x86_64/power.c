/* power.c - power-off, panic and backtraces on x86-64. */
#include <stdarg.h>

#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/power.h"
#include "core/arch.h"
#include "core/console.h"
#include "core/panic.h"
#include <string.h>

#define DEBUG_EXIT_PORT 0xf4
#define BACKTRACE_DEPTH 16

static bool debug_exit_enabled;
static volatile int panicking;
static volatile bool apic_ready;

bool panic_in_progress(void)
{
	return panicking;
}

void power_apic_ready(void)
{
	apic_ready = true;
}

/* Stops the other CPUs with an NMI, which reaches them even with interrupts off. */
static void stop_others(void)
{
	if (apic_ready)
		lapic_nmi_others();
}

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

/* A frame pointer worth following: kernel half, aligned, both words mapped. */
static bool frame_ok(uint64_t rbp)
{
	if (rbp < DIRECT_MAP_BASE || (rbp & 7) || rbp + 16 < rbp)
		return false;
	uint64_t root = read_cr3() & PTE_ADDR;
	return pt_lookup(root, rbp) && pt_lookup(root, rbp + 15);
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

void panic_begin(void)
{
	irq_disable();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST) == 0)
		stop_others();
	console_break_lock();
}

void panic_stop(uint64_t rbp)
{
	panic_begin();
	backtrace(rbp);
	kprintf("Keel stopped: cpu %d\n", arch_cpu_id());
	power_off(EXIT_CODE_PANIC);
}

/* The registers of a panic() call: the callee-saved ones as the caller
 * left them, the stack and frame pointers, flags and control registers. */
static void panic_registers(void *caller)
{
	uint64_t r[8];
	__asm__ volatile("mov %%rbx, 0(%0); mov %%r12, 8(%0); mov %%r13, 16(%0);"
			 "mov %%r14, 24(%0); mov %%r15, 32(%0); mov %%rsp, 40(%0);"
			 "pushfq; popq 48(%0)"
			 :
			 : "r"(r)
			 : "memory");
	r[7] = (uint64_t)__builtin_frame_address(0);
	kprintf("  called from %p\n", caller);
	kprintf("  rbx=%016lx r12=%016lx r13=%016lx r14=%016lx\n", r[0], r[1], r[2], r[3]);
	kprintf("  r15=%016lx rsp=%016lx rbp=%016lx rflags=%#lx\n", r[4], r[5], r[7], r[6]);
	kprintf("  cr0=%#lx cr2=%#lx cr3=%#lx cr4=%#lx\n", read_cr0(), read_cr2(), read_cr3(),
		read_cr4());
}

void panic(const char *fmt, ...)
{
	va_list ap;
	panic_begin();
	kprintf("\nKERNEL PANIC on cpu %d: ", arch_cpu_id());
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	struct thread *t = this_cpu() ? this_cpu()->sched.current : NULL;
	kprintf("  thread %s (id %lu)\n", t ? t->name : "(none)", t ? t->id : 0);
	panic_registers(__builtin_return_address(0));
	panic_stop((uint64_t)__builtin_frame_address(0));
}

void arch_power_off(uint8_t code)
{
	power_off(code);
}

/* Recurses until the stack runs into its guard gap (depth is never 0 again). */
static void recurse_deep(volatile uint64_t *depth)
{
	volatile char pad[512];
	pad[0] = (char)*depth;
	if (++*depth != 0)
		recurse_deep(depth);
	pad[1] = 0;
}

bool arch_selftest_action(const char *name)
{
	if (!strcmp(name, "pagefault")) {
		volatile uint64_t *bad = (volatile uint64_t *)0xffff8000dead0000ull;
		*bad = 0x6b65656c;
	} else if (!strcmp(name, "ud")) {
		__asm__ volatile("ud2");
	} else if (!strcmp(name, "stackoverflow")) {
		volatile uint64_t depth = 0;
		recurse_deep(&depth);
	} else {
		return false;
	}
	return true;
}
