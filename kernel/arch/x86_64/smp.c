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

/* Low pages for the trampoline's own page tables (in the first 64 KiB, never managed). */
#define TRAMP_PML4 0x9000
#define TRAMP_PDPT 0xa000
#define TRAMP_PD 0xb000
#define TRAMP_TABLE 0xc000 /* 256 struct cpu pointers, then 256 stack tops */
#define AP_TIMEOUT_NS 1000000000ull
#define AP_SLICE_US 10
#define APIC_IDS 256

#define CR4_PGE (1u << 7)

extern const char trampoline_start[], trampoline_end[], trampoline_params[];

struct tramp_params {
	uint64_t cr3, table, unused, entry;
};

void cpu_local_init(void)
{
	write_cr4(read_cr4() | CR4_PGE);
	user_cpu_init();
	lapic_enable();
}

/* Halts until an interrupt (VEC_WAKE) arrives; interrupts are off before
 * and after. "sti; hlt" leaves no gap for a wake-up to be lost in. */
static void halt_for_wake(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

/*
 * Runs on the new CPU, on the stack smp_start gave it, with interrupts off.
 * A waiting CPU halts rather than spins: under QEMU's -icount a spinning
 * CPU burns guest instructions, and the one it waits for may not run
 * until the spinner's time slice ends.
 */
static __attribute__((noreturn)) void ap_entry(struct cpu *c)
{
	write_cr3(memory_kernel_root());
	percpu_init(c, c->id, lapic_id());
	cpu_local_init();
	thread_init_cpu_idle(c->boot_stack_slot, c->boot_stack_top);
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	lapic_send_ipi(cpus[0]->apic_id, VEC_WAKE);
	while (__atomic_load_n(&cpu_count, __ATOMIC_ACQUIRE) <= c->id)
		halt_for_wake();
	lapic_timer_start();
	thread_idle_loop();
}

/* Copies the trampoline and builds its page tables: the low 2 MiB
 * identity-mapped, plus the kernel's upper half. Clears the AP table. */
static void trampoline_install(void)
{
	size_t n = (size_t)(trampoline_end - trampoline_start);
	memcpy(phys_to_virt(TRAMPOLINE_PHYS), trampoline_start, n);
	uint64_t *pml4 = phys_to_virt(TRAMP_PML4), *kroot = phys_to_virt(memory_kernel_root());
	uint64_t *pdpt = phys_to_virt(TRAMP_PDPT), *pd = phys_to_virt(TRAMP_PD);
	memset(pml4, 0, 4096);
	memset(pdpt, 0, 4096);
	memset(pd, 0, 4096);
	memset(phys_to_virt(TRAMP_TABLE), 0, 2 * APIC_IDS * sizeof(uint64_t));
	pml4[0] = TRAMP_PDPT | PTE_P | PTE_W;
	pdpt[0] = TRAMP_PD | PTE_P | PTE_W;
	pd[0] = PTE_P | PTE_W | PTE_PS;
	for (int i = 256; i < 512; i++)
		pml4[i] = kroot[i];
	struct tramp_params *p = phys_to_virt(TRAMPOLINE_PHYS +
					      (trampoline_params - trampoline_start));
	p->cr3 = TRAMP_PML4;
	p->table = TRAMP_TABLE;
	p->entry = (uint64_t)ap_entry;
}

/* Gives the AP with apic_id the index id: its struct cpu and stack, found
 * by the trampoline through the table. */
static void prepare_ap(uint32_t id, uint32_t apic_id)
{
	uint64_t *table = phys_to_virt(TRAMP_TABLE);
	struct cpu *c = percpu_alloc(id);
	if (!c)
		panic("smp: no memory for cpu %u", id);
	c->id = id;
	c->apic_id = apic_id;
	if (arch_kstack_alloc(&c->boot_stack_slot, &c->boot_stack_top))
		panic("smp: no stack for cpu %u", id);
	table[apic_id] = (uint64_t)c;
	table[APIC_IDS + apic_id] = c->boot_stack_top;
}

/* The APs to start: enabled MADT entries other than the caller, xAPIC ids
 * only, as many as fit. Returns how many CPUs there will be in all. */
static uint32_t choose_aps(const struct acpi_madt_info *madt)
{
	uint32_t self = lapic_id(), n = 1;
	for (uint32_t i = 0; i < madt->cpu_count && n < MAX_CPUS; i++) {
		const struct acpi_cpu *ac = &madt->cpus[i];
		if (!ac->enabled || ac->apic_id == self)
			continue;
		if (ac->apic_id >= APIC_IDS) {
			kprintf("smp: cpu with x2APIC id %u needs x2APIC mode; skipped\n",
				ac->apic_id);
			continue;
		}
		prepare_ap(n++, ac->apic_id);
	}
	return n;
}

/*
 * Waits until CPUs 1 to n - 1 are online or the time is up; returns how
 * many CPUs, from 0, are online without a gap. This CPU spins (a halt
 * would let QEMU's -icount warp the clock to the next timer while the APs
 * are still between INIT and their first instruction), with its timer
 * raising VEC_WAKE every AP_SLICE_US from before the INIT (smp_start):
 * under -icount that bounds how long the spinning CPU runs before the
 * starting ones get their turn. The
 * interrupt stays pending while interrupts are off and is taken, an EOI
 * and nothing else, once they are on.
 */
static uint32_t wait_online(uint32_t n)
{
	uint64_t deadline = time_ns() + AP_TIMEOUT_NS;
	uint32_t up = 1;
	while (up < n && time_ns() < deadline) {
		if (__atomic_load_n(&cpus[up]->online, __ATOMIC_ACQUIRE))
			up++;
		else
			cpu_relax();
	}
	lapic_count_stop();
	for (uint32_t i = up; i < n; i++)
		kprintf("smp: cpu with APIC id %u did not start%s\n", cpus[i]->apic_id,
			cpus[i]->online ? " in order; left idle" : "");
	return up;
}

/*
 * Starts the APs together: INIT to each, then two start-up IPIs to each
 * (lapic_start_aps has the timing), then one wait for all of them. Each AP
 * finds its own struct cpu and stack, so none waits for another.
 */
void smp_start(const struct acpi_madt_info *madt)
{
	trampoline_install();
	uint32_t n = choose_aps(madt);
	if (n == 1)
		return;
	uint32_t apic_ids[MAX_CPUS];
	for (uint32_t i = 1; i < n; i++)
		apic_ids[i - 1] = cpus[i]->apic_id;
	lapic_wake_every_us(AP_SLICE_US); /* see wait_online */
	lapic_start_aps(apic_ids, n - 1, TRAMPOLINE_PHYS);
	uint32_t up = wait_online(n);
	__atomic_store_n(&cpu_count, up, __ATOMIC_RELEASE);
	for (uint32_t i = 1; i < up; i++)
		lapic_send_ipi(cpus[i]->apic_id, VEC_WAKE);
}
