/* thread_arch.c - the x86-64 side of core/object/thread.h. */
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "core/object/thread.h"

extern char thread_entry_asm[];

unsigned arch_cpu_count(void)
{
	return cpu_count;
}

void arch_thread_setup(struct thread *t)
{
	uint64_t *sp = (uint64_t *)t->kstack_top;
	*--sp = (uint64_t)thread_entry_asm;
	for (int i = 0; i < 6; i++)
		*--sp = 0; /* rbp rbx r12 r13 r14 r15 */
	t->ctx_sp = (uint64_t)sp;
}

void arch_kick_cpu(unsigned cpu)
{
	if (cpu < cpu_count)
		lapic_send_ipi(cpus[cpu]->apic_id, VEC_KICK);
}

uint64_t arch_time_ns(void)
{
	return time_ns();
}

void arch_idle_halt(void)
{
	struct cpu *c = this_cpu();
	c->idle_since = rdtsc();
	__asm__ volatile("sti; hlt; cli" ::: "memory");
	idle_end(c);
}

uint64_t arch_idle_ticks(void)
{
	uint64_t sum = 0;
	for (unsigned i = 0; i < cpu_count; i++)
		sum += __atomic_load_n(&cpus[i]->idle_ticks, __ATOMIC_RELAXED);
	return sum;
}
