/* trap.c - the IDT, CPU exception reports and trap dispatch. */
#include <stdbool.h>

#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/power.h"
#include "core/arch.h"
#include "arch/x86_64/trap.h"
#include "core/console.h"
#include "core/object/device.h"
#include "core/klock.h"
#include "core/object/task.h"
#include "core/object/thread.h"

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 16, "IDT gates are 16 bytes");

#define GATE_INTERRUPT 0x8e /* present, ring 0, 64-bit interrupt gate */
#define STUB_SIZE 16

static struct idt_gate idt[256];
extern const char trap_stubs[];

static const char *const exception_names[32] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM device not available",
	"#DF double fault",
	"coprocessor segment overrun",
	"#TS invalid TSS",
	"#NP segment not present",
	"#SS stack fault",
	"#GP general protection",
	"#PF page fault",
	"reserved",
	"#MF x87 floating point",
	"#AC alignment check",
	"#MC machine check",
	"#XM SIMD floating point",
	"#VE virtualization",
	"#CP control protection",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"#HV hypervisor injection",
	"#VC VMM communication",
	"#SX security",
	"reserved",
};

/* The running thread, or NULL before threads exist on this CPU. */
static struct thread *thread_current_or_null(void)
{
	struct cpu *c = this_cpu();
	return c ? c->sched.current : NULL;
}

static void trap_handle(struct trap_frame *f);

static void set_gate(int vec, uint8_t ist)
{
	uint64_t addr = (uint64_t)(trap_stubs + vec * STUB_SIZE);
	idt[vec] = (struct idt_gate){
		.offset_lo = addr & 0xffff,
		.selector = SEL_KCODE,
		.ist = ist,
		.type_attr = GATE_INTERRUPT,
		.offset_mid = (addr >> 16) & 0xffff,
		.offset_hi = addr >> 32,
	};
}

void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		set_gate(v, 0);
	/* Faults that may strike with a broken stack get known-good ones. */
	set_gate(8, IST_DOUBLE_FAULT);
	set_gate(2, IST_NMI);
	set_gate(18, IST_MACHINE_CHECK);
}

void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) ptr = { sizeof idt - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" : : "m"(ptr));
}

/* Describes a page-fault error code in words. */
static void describe_pf(uint64_t err)
{
	kprintf("  page fault: %s, %s, %s mode%s%s, address cr2=%#018lx\n",
		err & 1 ? "protection violation" : "page not present", err & 2 ? "write" : "read",
		err & 4 ? "user" : "kernel", err & 8 ? ", reserved bit set" : "",
		err & 16 ? ", instruction fetch" : "", read_cr2());
}

void trap_dump(const struct trap_frame *f)
{
	kprintf("  rip=%#018lx cs=%#lx rflags=%#lx rsp=%#018lx ss=%#lx\n", f->rip, f->cs, f->rflags,
		f->rsp, f->ss);
	kprintf("  rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
	kprintf("  rsi=%016lx rdi=%016lx rbp=%016lx r8 =%016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
	kprintf("  r9 =%016lx r10=%016lx r11=%016lx r12=%016lx\n", f->r9, f->r10, f->r11, f->r12);
	kprintf("  r13=%016lx r14=%016lx r15=%016lx\n", f->r13, f->r14, f->r15);
	kprintf("  cr0=%#lx cr3=%#lx cr4=%#lx\n", read_cr0(), read_cr3(), read_cr4());
}

/* An exception in the kernel is a kernel bug: report everything and stop. */
static __attribute__((noreturn)) void kernel_exception(struct trap_frame *f)
{
	panic_begin();
	kprintf("\nKERNEL PANIC: CPU exception %lu (%s), error code %#lx\n", f->vector,
		exception_names[f->vector], f->error);
	if (f->vector == 14)
		describe_pf(f->error);
	if ((f->vector == 14 || f->vector == 8) && kstack_guard_hit(read_cr2()))
		kprintf("  the address is in a kernel stack guard gap: stack overflow\n");
	struct thread *t = thread_current_or_null();
	kprintf("  cpu %d, thread %s (id %lu)\n", arch_cpu_id(), t ? t->name : "(none)",
		t ? t->id : 0);
	trap_dump(f);
	panic_stop(f->rbp);
}

/* A CPU exception in user mode stops the task, not the kernel. */
static __attribute__((noreturn)) void user_exception(struct trap_frame *f)
{
	struct thread *t = thread_current();
	uint64_t addr = f->vector == 14 ? read_cr2() : 0;
	kprintf("task %lu thread %lu: CPU exception %lu (%s), error %#lx, address %#lx\n",
		t->task->id, t->id, f->vector, exception_names[f->vector], f->error, addr);
	trap_dump(f);
	task_fault((uint32_t)f->vector, (uint32_t)f->error, f->rip, addr, f->rsp);
}

/* A user fault on a page not present: if it is a page mapped but not made
 * yet (demand zero), make it and let the access run again. Only this
 * CPU's lock: every-lock holders (mapping, unmapping) are excluded, and
 * other CPUs filling pages are serialised where they meet (memory.c). */
static bool user_page_made(uint64_t addr)
{
	struct thread *t = thread_current();
	klock_take_own();
	bool made = vspace_fault_in(&t->task->vs, addr);
	klock_drop();
	return made;
}

/* An interrupt from a device line: mask it, signal its holder, then EOI. */
static void device_interrupt(uint64_t vector)
{
	klock_take();
	device_irq_fired((uint32_t)(vector - VEC_DEVICE_BASE));
	klock_drop();
	lapic_eoi();
}

/* A message-signalled interrupt: signal the vector's holder, then EOI. */
static void msi_interrupt(uint64_t vector)
{
	klock_take();
	device_msi_fired((uint32_t)arch_cpu_id(), (uint32_t)(vector - VEC_MSI_BASE));
	klock_drop();
	lapic_eoi();
}

/* On the way back to user mode a killed thread exits instead, and one of
 * a stopped task waits (thread_user_return_check). */
static void user_return(void)
{
	if (thread_current()->return_work) {
		klock_take();
		thread_user_return_check();
		klock_drop();
	}
}

void trap_dispatch(struct trap_frame *f)
{
	idle_end(this_cpu());
	trap_handle(f);
	if (f->cs & 3)
		user_return();
}

static void trap_handle(struct trap_frame *f)
{
	switch (f->vector) {
	case VEC_TIMER:
		lapic_eoi();
		thread_tick();
		return;
	case VEC_KICK:
		lapic_eoi();
		thread_kick_received();
		return;
	case VEC_STOP:
		cpu_halt_forever();
	case VEC_WAKE:
		lapic_eoi();
		return;
	case VEC_SPURIOUS:
		return; /* spurious interrupts take no EOI */
	case 2:
		if (panic_in_progress())
			cpu_halt_forever();
		kprintf("warning: NMI on cpu %d\n", arch_cpu_id());
		return;
	}
	if (f->vector == 14 && (f->cs & 3) && !(f->error & 1) && user_page_made(read_cr2()))
		return;
	if (f->vector < 32 && (f->cs & 3) && f->vector != 2 && f->vector != 18)
		user_exception(f);
	if (f->vector < 32)
		kernel_exception(f);
	if (f->vector >= VEC_MSI_BASE && f->vector < VEC_MSI_BASE + VEC_MSI_COUNT) {
		msi_interrupt(f->vector);
		return;
	}
	if (f->vector >= VEC_DEVICE_BASE && f->vector < VEC_PIC_BASE) {
		device_interrupt(f->vector);
		return;
	}
	if (f->vector >= VEC_PIC_BASE && f->vector < VEC_PIC_BASE + 16)
		return; /* a masked legacy PIC's spurious IRQ 7 or 15 */
	lapic_eoi();
	kprintf("warning: unexpected interrupt vector %lu on cpu %d\n", f->vector, arch_cpu_id());
}
