/* percpu.c - per-CPU data set-up (see percpu.h). */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/trap.h"
#include "core/mm/kmem.h"

#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

/* The boot CPU's data is static (it is needed before memory is set up);
 * the others' are allocated for the CPUs that exist (percpu_alloc). */
static struct cpu boot_cpu;
struct cpu *cpus[MAX_CPUS] = { &boot_cpu };
struct runq runqs[MAX_CPUS];
unsigned cpu_count;

void percpu_init(struct cpu *c, uint32_t id, uint32_t apic_id)
{
	uint64_t tops[3];
	c->self = c;
	c->id = id;
	c->apic_id = apic_id;
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	for (int i = 0; i < 3; i++)
		tops[i] = (uint64_t)(c->ist[i] + IST_STACK_SIZE);
	gdt_setup(&c->gdt, &c->tss, tops);
	gdt_load(&c->gdt);
	idt_load();
	runq_init(&runqs[id], id);
}

struct cpu *percpu_alloc(uint32_t id)
{
	uint64_t pa;
	if (id == 0 || id >= MAX_CPUS || kmem_alloc(kmem_order(sizeof(struct cpu)), &pa))
		return NULL;
	cpus[id] = arch_phys_to_virt(pa); /* zeroed */
	return cpus[id];
}
