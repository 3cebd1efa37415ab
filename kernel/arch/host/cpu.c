/*
 * cpu.c - the host's one CPU: interrupt flag, console, per-CPU scheduler
 * state, the TLB epoch, panics, and the device hooks of core/object/device.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "arch/host/host.h"
#include "core/console.h"
#include "core/object/device.h"
#include "core/mm/kmem.h"
#include "core/panic.h"
#include "core/mm/reclaim.h"
#include <string.h>
#include "core/object/task.h"
#include "core/object/thread.h"
#include "host_kernel.h"

#define HOST_IRQ_LINES 24   /* as many as one IO APIC has */
#define HOST_MSI_VECTORS 32 /* per CPU, as on x86-64 */

struct sched_cpu host_sched_cpu;
struct runq runqs[1];

/* The emulated interrupt flag. Interrupts (timer ticks) are only ever
 * delivered by the idle CPU, so the flag is bookkeeping for klock. */
static bool irq_enabled;
static uint64_t tlb_epoch, tlb_flushed;

bool arch_irq_save(void)
{
	bool was = irq_enabled;
	irq_enabled = false;
	return was;
}

void arch_irq_restore(bool enabled)
{
	irq_enabled = enabled;
}

void arch_cpu_relax(void)
{
	/* One CPU: a spinning thread could wait for nobody. A spin lock is
	 * never contended here, so reaching this is a kernel bug. */
	panic("host: spinning on a lock with one CPU");
}

/* What the console printed, for host_console_text(). Written under the
 * kernel lock and read by the one running thread, so it needs no lock. */
static struct {
	char text[HOST_CONSOLE_KEEP + 1];
	size_t len;
} console;

/* Appends s[0..n) to the kept text, dropping the oldest bytes it has no
 * room for. */
static void console_keep(const char *s, size_t n)
{
	if (n > HOST_CONSOLE_KEEP) {
		s += n - HOST_CONSOLE_KEEP;
		n = HOST_CONSOLE_KEEP;
	}
	if (console.len + n > HOST_CONSOLE_KEEP) {
		size_t drop = console.len + n - HOST_CONSOLE_KEEP;
		memmove(console.text, console.text + drop, console.len - drop);
		console.len -= drop;
	}
	memcpy(console.text + console.len, s, n);
	console.len += n;
	console.text[console.len] = 0;
}

void arch_console_write(const char *s, size_t n)
{
	fwrite(s, 1, n, stderr);
	console_keep(s, n);
}

const char *host_console_text(void)
{
	return console.text;
}

void host_console_clear(void)
{
	console.len = 0;
	console.text[0] = 0;
}

uint64_t arch_timestamp(void)
{
	return arch_time_ns();
}

void arch_power_off(uint8_t code)
{
	host_finish(code);
}

bool arch_selftest_action(const char *name)
{
	(void)name;
	return false;
}

unsigned arch_cpu_count(void)
{
	return 1;
}

void arch_kick_cpu(unsigned cpu)
{
	/* Only CPU 0 exists and it never kicks itself. */
	(void)cpu;
}

/* There is no TLB: every pass "flushes" to the newest epoch, so deferred
 * frees (core/mm/reclaim.h) run on the next scheduling pass, as on a
 * one-CPU machine. */
uint64_t arch_tlb_epoch_bump(void)
{
	return ++tlb_epoch;
}

uint64_t arch_tlb_epoch_safe(void)
{
	return tlb_flushed;
}

void arch_sched_pass(void)
{
	tlb_flushed = tlb_epoch;
}

__attribute__((noreturn)) void panic(const char *fmt, ...)
{
	va_list ap;
	struct thread *t = host_sched_cpu.current;
	console_break_lock();
	kprintf("\npanic (host, thread %s): ", t ? t->name : "boot");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	fflush(stdout);
	_exit(70);
}

/* --- devices: what the host can emulate honestly --- */

uint32_t arch_irq_lines(void)
{
	return HOST_IRQ_LINES;
}

/* No interrupt controller: a line fires only when a test raises it
 * (host_irq_raise). A line is masked from its firing to its acknowledgement
 * (core/object/device.c); a raise meanwhile is kept and delivered at the unmask,
 * as a level-triggered line would be. Lock held. */
static bool line_masked[HOST_IRQ_LINES], line_pending[HOST_IRQ_LINES];

void arch_irq_mask(uint32_t gsi, bool masked)
{
	if (gsi >= HOST_IRQ_LINES)
		return;
	line_masked[gsi] = masked;
	if (!masked && line_pending[gsi]) {
		line_pending[gsi] = false;
		device_irq_fired(gsi);
	}
}

status_t host_irq_fire(uint32_t gsi)
{
	if (gsi >= HOST_IRQ_LINES)
		return STATUS_RANGE;
	if (line_masked[gsi])
		line_pending[gsi] = true;
	else
		device_irq_fired(gsi);
	return STATUS_OK;
}

uint32_t arch_msi_vectors(void)
{
	return HOST_MSI_VECTORS;
}

/* A made-up but distinct message per vector: CPU in the address, slot in
 * the data. Tests deliver it with host_msi_fire. */
status_t arch_msi_message(uint32_t cpu, uint32_t slot, uint64_t *message)
{
	if (cpu >= arch_cpu_count() || slot >= HOST_MSI_VECTORS)
		return STATUS_INVALID;
	*message = (uint64_t)(0xfee00000u | cpu << 12) << 32 | (0xc0 + slot);
	return STATUS_OK;
}

void host_msi_fire(uint32_t cpu, uint32_t slot)
{
	device_msi_fired(cpu, slot);
}

/* A user thread's port instructions always fault on the host (Linux does
 * not give a test process port access), so there is nothing to open: the
 * core has checked the capability, which is what tests of grants see. */
status_t arch_ioports_open(struct task *t, uint64_t first, uint64_t count)
{
	(void)t, (void)first, (void)count;
	return STATUS_OK;
}

void arch_task_release(struct task *t)
{
	(void)t;
}

/* Registers live on each thread's pthread: nothing to reset. */
void arch_thread_user_init(struct thread *t)
{
	(void)t;
}
