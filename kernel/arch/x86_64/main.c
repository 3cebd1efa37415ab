/*
 * main.c - the x86-64 kernel entry: from boot.S to a running kernel.
 *
 * kernel_main receives the multiboot2 magic and the physical address of the
 * boot information. At this stage the first 1 GiB of physical memory is
 * mapped at KERNEL_VMA by boot.S.
 */
#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/power.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/trap.h"
#include "core/cmdline.h"
#include "core/console.h"
#include "core/mb2.h"
#include "core/panic.h"
#include "core/string.h"
#include "core/version.h"

#define BOOT_MAP_LIMIT 0x40000000ull /* what boot.S maps: the first 1 GiB */
#define IST_STACK_SIZE 4096

extern uint64_t boot_tsc;

static struct gdt boot_gdt;
static struct tss boot_tss;
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

/* Returns a kernel pointer to physical address pa while boot.S's map is live. */
static const void *early_phys(uint64_t pa)
{
	return (const void *)(KERNEL_VMA + pa);
}

static void cpu_tables_init(void)
{
	uint64_t tops[3];
	for (int i = 0; i < 3; i++)
		tops[i] = (uint64_t)(ist_stacks[i] + IST_STACK_SIZE);
	gdt_setup(&boot_gdt, &boot_tss, tops);
	gdt_load(&boot_gdt);
	idt_init();
	idt_load();
}

/* Validates and decodes the boot information, or stops with the reason. */
static void boot_info_read(uint32_t magic, uint64_t info_pa, struct mb2_info *mi)
{
	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("not started by a multiboot2 loader (magic %#x)", magic);
	if (info_pa == 0 || info_pa >= BOOT_MAP_LIMIT - 8)
		panic("boot information at %#lx is outside the boot map", info_pa);
	status_t st = mb2_parse(early_phys(info_pa), BOOT_MAP_LIMIT - info_pa, mi);
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
	kprintf("boot: %lu KiB usable memory in %u map entries\n", usable / 1024,
		mi->mmap_count);
	for (uint32_t i = 0; i < mi->module_count; i++)
		kprintf("boot: module %u at %#x-%#x \"%s\"\n", i, mi->modules[i].start,
			mi->modules[i].end, mi->modules[i].cmdline);
	if (mi->rsdp)
		kprintf("boot: ACPI %s RSDP (%u bytes)\n",
			mi->rsdp_revision == 2 ? "2.0+" : "1.0", mi->rsdp_len);
	else
		kprintf("boot: no ACPI RSDP from the loader\n");
	if (mi->has_framebuffer)
		kprintf("boot: framebuffer %ux%u, %u bpp, type %u, at %#lx\n",
			mi->fb.width, mi->fb.height, mi->fb.bpp, mi->fb.type, mi->fb.addr);
}

/* Test hooks selected by keel.test=NAME; they exist only to be exercised by tests/. */
static void run_boot_test(const char *name)
{
	if (name[0] == '\0')
		return;
	kprintf("test: %s\n", name);
	if (!strcmp(name, "pagefault")) {
		volatile uint64_t *bad = (volatile uint64_t *)0xffff8000dead0000ull;
		*bad = 0x6b65656c;
	} else if (!strcmp(name, "ud")) {
		__asm__ volatile("ud2");
	} else if (!strcmp(name, "panic")) {
		panic("deliberate panic for keel.test=panic");
	} else {
		kprintf("test: unknown test \"%s\"\n", name);
	}
}

/* Entered from boot.S on the boot CPU, interrupts off; never returns. */
void kernel_main(uint32_t magic, uint64_t info_pa);

void kernel_main(uint32_t magic, uint64_t info_pa)
{
	uint64_t entry_tsc = boot_tsc;
	serial_init();
	kprintf("\nKeel %s (x86_64) - a capability microkernel\n", KEEL_VERSION);
	uint64_t banner_tsc = rdtsc();

	cpu_tables_init();
	struct mb2_info mi;
	boot_info_read(magic, info_pa, &mi);
	char exit_mode[16];
	if (cmdline_get(mi.cmdline, "keel.exit", exit_mode, sizeof exit_mode) == STATUS_OK &&
	    !strcmp(exit_mode, "debug"))
		power_enable_debug_exit();
	boot_info_print(&mi);

	if (cmdline_has(mi.cmdline, "keel.bench")) {
		kprintf("bench: reset_to_entry_insns=%lu\n", entry_tsc);
		kprintf("bench: entry_to_banner_insns=%lu\n", banner_tsc - entry_tsc);
	}
	char test[32];
	if (cmdline_get(mi.cmdline, "keel.test", test, sizeof test) == STATUS_OK)
		run_boot_test(test);
	kprintf("Keel: boot complete\n");
	power_off(EXIT_CODE_SUCCESS);
}
