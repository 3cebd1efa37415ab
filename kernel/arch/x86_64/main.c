/*
 * main.c - the x86-64 kernel entry: from boot.S to every CPU scheduling.
 *
 * kernel_main runs on the boot CPU with boot.S's temporary map (the first
 * 1 GiB at 0, at DIRECT_MAP_BASE and at KERNEL_VMA). It sets up this CPU,
 * reads the boot information, builds the real address space, finds the
 * interrupt controllers through ACPI, starts the timer and the other CPUs,
 * and then becomes CPU 0's idle thread.
 */
#include <stdint.h>

#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/power.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/trap.h"
#include "lib/acpi.h"
#include "core/init.h"
#include "lib/cmdline.h"
#include "core/console.h"
#include "core/mm/kmem.h"
#include "core/boot/mb2.h"
#include "core/object/device.h"
#include "core/ipc.h"
#include "core/object/memory.h"
#include "core/panic.h"
#include "core/boot/roottask.h"
#include "core/boot/selftest.h"
#include "core/sys/syscall.h"
#include "core/object/task.h"
#include "core/object/witness_log.h"
#include <string.h>
#include "core/object/thread.h"
#include "core/version.h"

#define BOOT_MAP_LIMIT 0x40000000ull /* what boot.S maps: the first 1 GiB */

extern uint64_t boot_tsc;

static struct mb2_info boot_info;
static struct acpi_madt_info madt;
static uint64_t entry_tsc, banner_tsc;

/* Validates and decodes the boot information, or stops with the reason. */
static void boot_info_read(uint32_t magic, uint64_t info_pa, struct mb2_info *mi)
{
	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("not started by a multiboot2 loader (magic %#x)", magic);
	if (info_pa == 0 || info_pa >= BOOT_MAP_LIMIT - 8)
		panic("boot information at %#lx is outside the boot map", info_pa);
	status_t st = mb2_parse(phys_to_virt(info_pa), BOOT_MAP_LIMIT - info_pa, mi);
	if (st)
		panic("malformed multiboot2 boot information: %s", status_message(st));
}

static void boot_info_print(const struct mb2_info *mi)
{
	uint64_t usable = 0;
	kprintf("boot: loader \"%s\", command line \"%s\"\n", mi->loader_name, mi->cmdline);
	for (uint32_t i = 0; i < mi->mmap_count; i++) {
		struct mb2_mmap_entry e;
		mb2_mmap_entry(mi, i, &e);
		kprintf("  memory 0x%012lx-0x%012lx %s\n", e.base, e.base + e.len,
			mb2_mem_type_name(e.type));
		if (e.type == MB2_MEM_AVAILABLE)
			usable += e.len;
	}
	kprintf("boot: %lu KiB usable memory in %u map entries\n", usable / 1024, mi->mmap_count);
	for (uint32_t i = 0; i < mi->module_count; i++)
		kprintf("boot: module %u at %#x-%#x \"%s\"\n", i, mi->modules[i].start,
			mi->modules[i].end, mi->modules[i].cmdline);
	if (mi->rsdp)
		kprintf("boot: ACPI %s RSDP (%u bytes)\n", mi->rsdp_revision == 2 ? "2.0+" : "1.0",
			mi->rsdp_len);
	if (mi->has_framebuffer)
		kprintf("boot: framebuffer %ux%u, %u bpp, type %u, at %#lx\n", mi->fb.width,
			mi->fb.height, mi->fb.bpp, mi->fb.type, mi->fb.addr);
}

/* ACPI's view of physical memory: only what the kernel has mapped. */
static const void *acpi_map(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	if (len == 0 || pa + len < pa)
		return NULL;
	for (uint64_t p = pa & ~0xfffull; p < pa + len; p += 4096)
		if (!pt_lookup(memory_kernel_root(), DIRECT_MAP_BASE + p))
			return NULL;
	return phys_to_virt(pa);
}

static void madt_read(const struct mb2_info *mi)
{
	const uint8_t *table;
	uint32_t len;
	if (!mi->rsdp)
		panic("no ACPI RSDP from the boot loader: cannot find the CPUs");
	status_t st = acpi_find_madt(mi->rsdp, mi->rsdp_len, acpi_map, NULL, &table, &len);
	if (st == STATUS_OK)
		st = acpi_parse_madt(table, len, &madt);
	if (st)
		panic("ACPI MADT unusable: %s", status_message(st));
	kprintf("acpi: %u CPUs, %u IO APICs, local APIC at %#lx\n", madt.cpu_count,
		madt.ioapic_count, madt.lapic_addr);
}

/* Interrupt controllers and the clock of the boot CPU. */
static void interrupts_init(void)
{
	pic_disable();
	lapic_map(madt.lapic_addr);
	lapic_enable();
	cpus[0]->apic_id = lapic_id();
	power_apic_ready();
	ioapic_init(&madt);
	struct acpi_pm_timer pm;
	if (acpi_find_pm_timer(boot_info.rsdp, boot_info.rsdp_len, acpi_map, NULL, &pm))
		pm.port = 0;
	timer_calibrate(&pm);
}

/* Entered from boot.S on the boot CPU, interrupts off; never returns. */
void kernel_main(uint32_t magic, uint64_t info_pa);

void kernel_main(uint32_t magic, uint64_t info_pa)
{
	entry_tsc = boot_tsc;
	idt_init();
	percpu_init(cpus[0], 0, 0);
	cpu_count = 1;
	serial_init();
	kprintf("\nKeel %s (x86_64) - a capability microkernel\n", KEEL_VERSION);
	banner_tsc = rdtsc();

	boot_info_read(magic, info_pa, &boot_info);
	char exit_mode[16];
	if (cmdline_get(boot_info.cmdline, "keel.exit", exit_mode, sizeof exit_mode) == STATUS_OK &&
	    !strcmp(exit_mode, "debug"))
		power_enable_debug_exit();
	boot_info_print(&boot_info);
	memory_init(&boot_info, info_pa);
	madt_read(&boot_info);
	interrupts_init();
	core_init();
	cpu_local_init();
	smp_start(&madt);
	lapic_timer_start();
	uint64_t online_tsc = rdtsc();
	kprintf("smp: %u of %u CPUs online\n", cpu_count, madt.cpu_count);

	if (cmdline_has(boot_info.cmdline, "keel.bench")) {
		kprintf("bench: reset_to_entry_insns=%lu\n", entry_tsc);
		kprintf("bench: entry_to_banner_insns=%lu\n", banner_tsc - entry_tsc);
		kprintf("bench: entry_to_all_cpus_online_insns=%lu\n", online_tsc - entry_tsc);
		kprintf("bench: kernel_pools_boot_kib=%lu\n", kmem_pool_pages() * 4);
	}
	console_stamp_task_lines(cmdline_has(boot_info.cmdline, "keel.stamp"));
	if (!selftest_start(boot_info.cmdline)) {
		status_t st = roottask_start(&boot_info, cpu_count);
		if (st)
			panic("cannot start the root task: %s", status_message(st));
	}
	thread_idle_loop();
}
