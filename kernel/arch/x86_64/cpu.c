/* cpu.c - the arch hooks the arch-neutral core relies on (core/arch.h). */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/serial.h"
#include "core/arch.h"

bool arch_irq_save(void)
{
	uint64_t rflags;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(rflags) : : "memory");
	return rflags & (1 << 9);
}

void arch_irq_restore(bool enabled)
{
	if (enabled)
		irq_enable();
}

void arch_cpu_relax(void)
{
	cpu_relax();
}

void arch_console_write(const char *s, size_t n)
{
	serial_write(s, n);
}

uint64_t arch_timestamp(void)
{
	return rdtsc();
}
