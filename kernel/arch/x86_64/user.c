/*
 * user.c - the x86-64 side of user mode: SYSCALL set-up, entering user
 * mode, per-switch hand-over (address space, kernel stack, FPU state, FS
 * and GS bases, I/O permission bitmap), and device interrupt routing.
 *
 * User threads set their own FS base (thread-local storage) with WRFSBASE:
 * CR4.FSGSBASE is enabled where the CPU has it, and each switch saves the
 * outgoing thread's FS and GS bases and loads the incoming one's, so they
 * are per thread; a new thread starts with both zero.
 */
#include <stddef.h>
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/trap.h"
#include "core/object/device.h"
#include "core/mm/kmem.h"
#include <string.h>
#include "core/inline.h"
#include "core/klock.h"
#include "core/sys/syscall.h"
#include "core/object/task.h"
#include "core/object/thread.h"

#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_KERNEL_GS_BASE 0xc0000102 /* the user's GS base while in the kernel */
#define EFER_SCE (1u << 0)
#define RFLAGS_IF (1u << 9)
#define RFLAGS_TF (1u << 8)
#define RFLAGS_DF (1u << 10)
#define RFLAGS_AC (1u << 18)
#define CR0_MP (1u << 1)
#define CR0_EM (1u << 2)
#define CR4_OSFXSR (1u << 9)
#define CR4_OSXMMEXCPT (1u << 10)
#define CR4_FSGSBASE (1u << 16)
#define CR4_SMEP (1u << 20)
#define CR4_SMAP (1u << 21)

extern char syscall_entry[];

/* Per-CPU: which task's ports are open in this CPU's TSS bitmap, and
 * whether that bitmap must be rewritten before the next user thread runs
 * there (the task's ports changed, or it died while they were open);
 * iomap_busy is either, the one test a switch to a task without ports
 * makes. */
static struct task *iomap_loaded[MAX_CPUS];
/* The bytes of each CPU's bitmap that may allow a port (the rest is all
 * ones): a switch resets and copies those only, not all 8 KiB. */
static uint32_t iomap_open_lo[MAX_CPUS], iomap_open_hi[MAX_CPUS];
static bool iomap_stale[MAX_CPUS];
static bool iomap_busy[MAX_CPUS];

void user_cpu_init(void)
{
	uint32_t r[4];
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* SYSCALL: CS 0x08, SS 0x10. SYSRET: CS 0x18+16 = 0x2b, SS 0x18+8 = 0x23. */
	wrmsr(MSR_STAR, (uint64_t)SEL_KCODE << 32 | (uint64_t)(0x18 | 3) << 48);
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC);
	uint64_t cr0 = (read_cr0() | CR0_MP) & ~(uint64_t)CR0_EM;
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
	cpuid(7, 0, r);
	if (r[1] & (1u << 0))
		cr4 |= CR4_FSGSBASE;
	if (r[1] & (1u << 7))
		cr4 |= CR4_SMEP;
	if (r[1] & (1u << 20))
		cr4 |= CR4_SMAP;
	write_cr4(cr4);
}

void arch_syscall(struct trap_frame *f);

/* The arguments are read where the entry saved them: rdi to r12 lie in
 * the frame in the order of struct syscall_args. A register-form call's
 * results past the second go straight into the frame too (struct
 * syscall_ret), read by the way back. */
#define ARG_SLOT(reg) ((offsetof(struct trap_frame, reg) - offsetof(struct trap_frame, rdi)) / 8)
_Static_assert(ARG_SLOT(rsi) == 1 && ARG_SLOT(rdx) == 2 && ARG_SLOT(r10) == 3 &&
		       ARG_SLOT(r8) == 4 && ARG_SLOT(r9) == 5 && ARG_SLOT(rbx) == 6 &&
		       ARG_SLOT(r12) == 7 && sizeof(struct syscall_args) == 8 * 8,
	       "struct syscall_args: rdi, rsi, rdx, r10, r8, r9, rbx and r12 in a row");
_Static_assert(ARG_SLOT(r10) == SYSCALL_RET3_SLOT && ARG_SLOT(r9) == SYSCALL_RET4_SLOT &&
		       ARG_SLOT(rsi) == SYSCALL_RET5_SLOT && ARG_SLOT(rdi) == SYSCALL_RET6_SLOT &&
		       ARG_SLOT(rbx) == SYSCALL_RET7_SLOT && SYSCALL_MORE_SLOTS == 7,
	       "struct syscall_ret: results 3 to 7 in the saved r10, r9, rsi, rdi and rbx");

void arch_syscall(struct trap_frame *f)
{
	const struct syscall_args *a = (const struct syscall_args *)&f->rdi;
	struct syscall_ret r = { { 0, 0 }, &f->rdi };
	status_t st = syscall_invoke(f->rax, a, &r);
	if (__builtin_expect(st == STATUS_RELOCK, 0)) {
		/* Run again: back to the 2-byte SYSCALL, every register as the
		 * caller left it (rcx and r11 are the call's to clobber; the
		 * results that go straight into the frame are written on OK
		 * only). */
		f->rip -= 2;
		return;
	}
	f->rax = st;
	f->rdx = r.r[0];
	f->r8 = r.r[1];
}

/* switch.S: builds the user frame at the top of the kernel stack and irets. */
__attribute__((noreturn)) void enter_user(uint64_t entry, uint64_t stack, uint64_t arg,
					  uint64_t kstack_top);

void arch_enter_user(uint64_t entry, uint64_t stack, uint64_t arg)
{
	irq_disable();
	enter_user(entry, stack, arg, thread_current()->kstack_top);
}

/* Makes this CPU's TSS bitmap allow exactly t's ports (none for NULL). */
/* Out of line: the switch path calls it only for tasks with ports. */
static __attribute__((noinline)) void iomap_load(struct cpu *c, struct task *t)
{
	if (iomap_loaded[c->id] == t && !iomap_stale[c->id])
		return;
	uint32_t lo = iomap_open_lo[c->id], hi = iomap_open_hi[c->id];
	if (hi > lo)
		memset(c->iomap + lo, 0xff, hi - lo);
	lo = hi = 0;
	if (t && t->arch.iomap && t->arch.iomap_hi > t->arch.iomap_lo) {
		lo = t->arch.iomap_lo;
		hi = t->arch.iomap_hi;
		memcpy(c->iomap + lo, t->arch.iomap + lo, hi - lo);
	}
	iomap_open_lo[c->id] = lo;
	iomap_open_hi[c->id] = hi;
	iomap_loaded[c->id] = t && t->arch.iomap ? t : NULL;
	iomap_stale[c->id] = false;
	iomap_busy[c->id] = iomap_loaded[c->id] != NULL;
}

/* Inlined into the switch (core/inline.h): it runs twice a round trip. */
LTO_INLINE void arch_switch_prepare(struct thread *prev, struct thread *next)
{
	struct cpu *c = this_cpu();
	if (prev->task) {
		__asm__ volatile("fxsave64 %0" : "=m"(*(uint8_t(*)[512])prev->arch.fpu));
		prev->arch.user_fs = rdmsr(MSR_FS_BASE);
		prev->arch.user_gs = rdmsr(MSR_KERNEL_GS_BASE);
	}
	c->kstack_top = next->kstack_top;
	c->tss.rsp[0] = next->kstack_top;
	vspace_activate(next->task ? &next->task->vs : NULL);
	if (next->task) {
		__asm__ volatile("fxrstor64 %0" : : "m"(*(uint8_t(*)[512])next->arch.fpu));
		wrmsr(MSR_FS_BASE, next->arch.user_fs);
		wrmsr(MSR_KERNEL_GS_BASE, next->arch.user_gs);
		if (next->task->arch.iomap || iomap_busy[c->id])
			iomap_load(c, next->task);
	}
}

void arch_thread_user_init(struct thread *t)
{
	/* FXSAVE image of a freshly reset FPU: x87 control word, MXCSR. */
	memset(t->arch.fpu, 0, sizeof t->arch.fpu);
	t->arch.fpu[0] = 0x7f;
	t->arch.fpu[1] = 0x03;
	t->arch.fpu[24] = 0x80;
	t->arch.fpu[25] = 0x1f;
	t->arch.user_fs = 0;
	t->arch.user_gs = 0;
}

status_t arch_ioports_open(struct task *t, uint64_t first, uint64_t count)
{
	if (!t->arch.iomap) {
		uint64_t pa;
		if (kmem_alloc(1, &pa))
			return STATUS_NO_MEMORY;
		t->arch.iomap = phys_to_virt(pa);
		t->arch.iomap_pa = pa;
		memset(t->arch.iomap, 0xff, IOMAP_BYTES);
		t->arch.iomap_lo = IOMAP_BYTES;
		t->arch.iomap_hi = 0;
	}
	for (uint64_t p = first; p < first + count && p < 0x10000; p++)
		t->arch.iomap[p / 8] &= (uint8_t) ~(1u << (p % 8));
	if (count && first < 0x10000) {
		uint64_t last = first + count - 1 < 0xffff ? first + count - 1 : 0xffff;
		if (first / 8 < t->arch.iomap_lo)
			t->arch.iomap_lo = (uint32_t)(first / 8);
		if (last / 8 + 1 > t->arch.iomap_hi)
			t->arch.iomap_hi = (uint32_t)(last / 8 + 1);
	}
	/* Other CPUs rewrite their bitmaps at their next switch to t. */
	for (unsigned i = 0; i < cpu_count; i++)
		if (iomap_loaded[i] == t)
			iomap_stale[i] = iomap_busy[i] = true;
	iomap_load(this_cpu(), t);
	return STATUS_OK;
}

void arch_task_release(struct task *t)
{
	/* t runs nowhere now; every CPU that had its ports open closes them
	 * before the next user thread runs there. */
	for (unsigned i = 0; i < cpu_count; i++)
		if (iomap_loaded[i] == t) {
			iomap_loaded[i] = NULL;
			iomap_stale[i] = iomap_busy[i] = true;
		}
	if (t->arch.iomap) {
		kmem_free(t->arch.iomap_pa, 1);
		t->arch.iomap = NULL;
	}
}

uint32_t arch_irq_lines(void)
{
	return ioapic_lines();
}

void arch_irq_mask(uint32_t gsi, bool masked)
{
	ioapic_route(gsi, (uint8_t)(VEC_DEVICE_BASE + gsi), masked);
}

uint32_t arch_msi_vectors(void)
{
	return VEC_MSI_COUNT;
}

/* Fixed delivery, edge-triggered (data = the vector), physical destination. */
status_t arch_msi_message(uint32_t cpu, uint32_t slot, uint64_t *message)
{
	if (cpu >= cpu_count || slot >= VEC_MSI_COUNT || cpus[cpu]->apic_id > 255)
		return STATUS_INVALID;
	*message = (uint64_t)MSI_ADDRESS(cpus[cpu]->apic_id) << 32 | (VEC_MSI_BASE + slot);
	return STATUS_OK;
}
