/* smp.c - INIT-SIPI-SIPI start-up of application processors (see smp.h). */
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/smp.h"
#include "core/console.h"
#include "core/mm/kmem.h"
#include "core/panic.h"
#include <string.h>
#include "core/object/thread.h"

/* Low pages for the trampoline's own page tables (below 1 MiB, never allocated). */
#define TRAMP_PML4 0x9000
#define TRAMP_PDPT 0xa000
#define TRAMP_PD 0xb000
#define AP_TIMEOUT_NS 1000000000ull

#define CR4_PGE (1u << 7)

extern const char trampoline_start[], trampoline_end[], trampoline_params[];

struct tramp_params {
	uint64_t cr3, stack, cpu, entry;
};

void cpu_local_init(void)
{
	write_cr4(read_cr4() | CR4_PGE);
	user_cpu_init();
	lapic_enable();
	lapic_timer_start();
}

/* Runs on the new CPU, on the stack smp_start gave it, with interrupts off. */
static __attribute__((noreturn)) void ap_entry(struct cpu *c)
{
	write_cr3(memory_kernel_root());
	percpu_init(c, c->id, lapic_id());
	cpu_local_init();
	thread_init_cpu_idle(c->boot_stack_slot, c->boot_stack_top);
	c->online = true;
	while (__atomic_load_n(&cpu_count, __ATOMIC_ACQUIRE) <= c->id)
		cpu_relax();
	thread_idle_loop();
}

/* Copies the trampoline and builds its page tables: the low 2 MiB
 * identity-mapped, plus the kernel's upper half. */
static struct tramp_params *trampoline_install(void)
{
	size_t n = (size_t)(trampoline_end - trampoline_start);
	memcpy(phys_to_virt(TRAMPOLINE_PHYS), trampoline_start, n);
	uint64_t *pml4 = phys_to_virt(TRAMP_PML4), *kroot = phys_to_virt(memory_kernel_root());
	uint64_t *pdpt = phys_to_virt(TRAMP_PDPT), *pd = phys_to_virt(TRAMP_PD);
	memset(pml4, 0, 4096);
	memset(pdpt, 0, 4096);
	memset(pd, 0, 4096);
	pml4[0] = TRAMP_PDPT | PTE_P | PTE_W;
	pdpt[0] = TRAMP_PD | PTE_P | PTE_W;
	pd[0] = PTE_P | PTE_W | PTE_PS;
	for (int i = 256; i < 512; i++)
		pml4[i] = kroot[i];
	struct tramp_params *p = phys_to_virt(TRAMPOLINE_PHYS +
					      (trampoline_params - trampoline_start));
	p->cr3 = TRAMP_PML4;
	p->entry = (uint64_t)ap_entry;
	return p;
}

/* Starts one AP as cpus[id]; returns whether it came online. */
static bool start_one(struct tramp_params *p, uint32_t id, uint32_t apic_id)
{
	struct cpu *c = &cpus[id];
	c->id = id;
	c->apic_id = apic_id;
	if (arch_kstack_alloc(&c->boot_stack_slot, &c->boot_stack_top))
		panic("smp: no stack for cpu %u", id);
	p->stack = c->boot_stack_top;
	p->cpu = (uint64_t)c;
	lapic_start_ap(apic_id, TRAMPOLINE_PHYS);
	uint64_t deadline = time_ns() + AP_TIMEOUT_NS;
	while (!c->online && time_ns() < deadline)
		cpu_relax();
	return c->online;
}

void smp_start(const struct acpi_madt_info *madt)
{
	struct tramp_params *p = trampoline_install();
	uint32_t self = lapic_id();
	for (uint32_t i = 0; i < madt->cpu_count && cpu_count < MAX_CPUS; i++) {
		const struct acpi_cpu *ac = &madt->cpus[i];
		if (!ac->enabled || ac->apic_id == self)
			continue;
		if (ac->apic_id > 255) {
			kprintf("smp: cpu with x2APIC id %u needs x2APIC mode; skipped\n",
				ac->apic_id);
			continue;
		}
		uint32_t id = cpu_count;
		if (start_one(p, id, ac->apic_id))
			__atomic_store_n(&cpu_count, id + 1, __ATOMIC_RELEASE);
		else
			kprintf("smp: cpu with APIC id %u did not start\n", ac->apic_id);
	}
}
