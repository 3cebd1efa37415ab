/* roottask.c - the root task from the boot bundle (see roottask.h). */
#include "abi/start.h"
#include "core/arch.h"
#include "lib/cmdline.h"
#include "core/console.h"
#include "lib/elf.h"
#include "core/klock.h"
#include "core/mm/kmem.h"
#include "core/object/memory.h"
#include "core/boot/roottask.h"
#include <string.h>
#include "core/object/task.h"
#include "core/object/thread.h"
#include "lib/ustar.h"
#include "core/object/witness_log.h"

#define MEM_RIGHTS (RIGHT_READ | RIGHT_WRITE | RIGHT_MAP | RIGHT_GRANT | RIGHT_CONTROL)

static struct task *root;

struct loader {
	struct task *task;
	struct keel_start *start;
	const uint8_t *image;
	uint64_t image_phys; /* where image is in physical memory (in the bundle) */
	size_t image_len;
};

/* Maps a fresh memory object of pages pages at va; returns its kernel view
 * of page 0 through *page0 when asked (objects are separate frames). */
static status_t map_new(struct loader *ld, uint64_t va, uint64_t pages, uint32_t prot,
			struct memory **out)
{
	struct memory *m;
	status_t st = memory_create(&ld->task->quota, pages, false, &m);
	if (st)
		return st;
	st = task_map(ld->task, va, &m->obj, 0, pages, prot);
	if (st == STATUS_OK && out)
		*out = m;
	kobj_put(&m->obj); /* the mapping keeps it */
	return st;
}

/* Loads one ELF segment: fresh pages filled from the image, then mapped. */
static status_t load_segment(struct loader *ld, const struct elf_segment *seg)
{
	uint64_t pages = elf_segment_pages(seg);
	uint32_t prot = (seg->flags & ELF_SEG_R ? VM_READ : 0) |
			(seg->flags & ELF_SEG_W ? VM_WRITE : 0) |
			(seg->flags & ELF_SEG_X ? VM_EXEC : 0);
	struct memory *m;
	status_t st = map_new(ld, seg->vaddr & ~(PAGE_SIZE - 1), pages, prot | VM_READ, &m);
	for (uint64_t i = 0; st == STATUS_OK && i < pages; i++) {
		struct elf_page pg;
		st = elf_segment_page(seg, i, &pg);
		if (st == STATUS_OK && pg.copy_len)
			memcpy((uint8_t *)arch_phys_to_virt(memory_page_fill(m, i)) + pg.dst_offset,
			       ld->image + pg.src_offset, pg.copy_len);
	}
	return st;
}

/* Maps a read-only segment straight from the bundle when its file bytes
 * start on a page there (image/mkbundle.sh aligns members), rather than
 * copy it; *done says whether it did. Its last page shows the bundle's
 * bytes after the segment instead of zeros. */
static status_t map_shared(struct loader *ld, const struct elf_segment *seg, bool *done)
{
	uint64_t pa = ld->image_phys + seg->offset;
	uint64_t pages = elf_segment_pages(seg);
	uint32_t prot = VM_READ | (seg->flags & ELF_SEG_X ? VM_EXEC : 0);
	struct memory *m;

	*done = false;
	if ((seg->flags & ELF_SEG_W) || seg->memsz == 0 || seg->filesz != seg->memsz ||
	    (seg->vaddr & (PAGE_SIZE - 1)) || (pa & (PAGE_SIZE - 1)))
		return STATUS_OK;
	status_t st = memory_create_borrowed(pa, pages, &m);
	if (st)
		return st;
	st = task_map(ld->task, seg->vaddr, &m->obj, 0, pages, prot);
	kobj_put(&m->obj); /* the mapping keeps it */
	*done = st == STATUS_OK;
	return st;
}

/* The start page (mapped read-only) and the stack; *s gets the kernel's
 * view of the start page. */
static status_t map_start(struct loader *ld, unsigned cpus, const char *cmdline,
			  struct keel_start **s)
{
	struct memory *sp;
	status_t st = map_new(ld, KEEL_START_ADDR, 1, VM_READ, &sp);
	if (st == STATUS_OK)
		st = map_new(ld, KEEL_STACK_TOP - KEEL_STACK_SIZE, KEEL_STACK_SIZE / PAGE_SIZE,
			     VM_READ | VM_WRITE, NULL);
	if (st)
		return st;
	*s = ld->start = arch_phys_to_virt(memory_page_fill(sp, 0));
	**s = (struct keel_start){ .magic = KEEL_START_MAGIC,
				   .version = KEEL_START_VERSION,
				   .size = sizeof **s,
				   .cpu_count = cpus,
				   .machine_pages = kmem_total_pages() };
	size_t n = strlen(cmdline);
	memcpy((*s)->cmdline, cmdline, n < KEEL_CMDLINE_MAX - 1 ? n : KEEL_CMDLINE_MAX - 1);
	return STATUS_OK;
}

/* The boot bundle as read-only memory the root task may map, run and lend. */
static status_t grant_bundle(struct loader *ld, const struct mb2_module *bundle,
			     struct keel_start *s)
{
	struct memory *bm;
	uint64_t pages = (bundle->end - bundle->start + PAGE_SIZE - 1) / PAGE_SIZE;
	status_t st = memory_create_borrowed(bundle->start, pages, &bm);
	if (st) {
		kprintf("roottask: cannot make the bundle's memory object: %s\n",
			status_message(st));
		return st;
	}
	/* Executable too: initd maps programs' code from it rather than copy it. */
	st = roottask_grant(ld->task, &bm->obj, RIGHT_READ | RIGHT_EXEC | RIGHT_MAP | RIGHT_GRANT,
			    &s->bundle);
	kobj_put(&bm->obj);
	s->bundle_bytes = bundle->end - bundle->start;
	return st;
}

/* The first thread, at entry on every CPU, with a capability to itself. */
static status_t start_thread(struct loader *ld, uint64_t entry, unsigned cpus, struct keel_start *s)
{
	struct thread *th;
	status_t st = thread_create_user(ld->task, entry, KEEL_STACK_TOP, KEEL_START_ADDR,
					 TIER_MATTER, ~0ull >> (64 - cpus), &th);
	if (st)
		return st;
	st = roottask_grant(ld->task, &th->obj, RIGHTS_ALL, &s->self_thread);
	if (st) {
		thread_kill(th);
		return st;
	}
	task_thread_added(ld->task, th);
	thread_start(th);
	return STATUS_OK;
}

/* Start page, stack and capabilities; then the first thread. */
static status_t populate(struct loader *ld, const struct mb2_module *bundle, const char *cmdline,
			 unsigned cpus, uint64_t entry)
{
	struct keel_start *s;
	status_t st = map_start(ld, cpus, cmdline, &s);
	if (st == STATUS_OK)
		st = roottask_grant_all(ld->task, s);
	if (st == STATUS_OK)
		st = grant_bundle(ld, bundle, s);
	if (st == STATUS_OK)
		st = start_thread(ld, entry, cpus, s);
	return st;
}

static const struct mb2_module *find_bundle(const struct mb2_info *mi)
{
	for (uint32_t i = 0; i < mi->module_count; i++)
		if (!strcmp(mi->modules[i].cmdline, "bundle"))
			return &mi->modules[i];
	return NULL;
}

/* Parses the program and builds the task; lock held. */
static status_t load(struct loader *ld, const struct mb2_module *bundle, const char *name,
		     const char *cmdline, unsigned cpus)
{
	const void *data;
	size_t size;
	struct elf_info info;
	const void *archive = arch_phys_to_virt(bundle->start);
	status_t st = ustar_find(archive, bundle->end - bundle->start, name, &data, &size);
	if (st) {
		kprintf("roottask: no program \"%s\" in the boot bundle: %s\n", name,
			status_message(st));
		return st;
	}
	if ((st = elf_parse(data, size, USER_TOP & ~(PAGE_SIZE - 1), &info))) {
		kprintf("roottask: %s is not a Keel executable: %s\n", name, info.reason);
		return st;
	}
	if ((st = roottask_create(&ld->task)))
		return st;
	ld->image = data;
	ld->image_phys = bundle->start +
			 (uint64_t)((const uint8_t *)data - (const uint8_t *)archive);
	ld->image_len = size;
	for (uint32_t i = 0; st == STATUS_OK && i < info.segment_count; i++) {
		bool shared;
		st = map_shared(ld, &info.segments[i], &shared);
		if (st == STATUS_OK && !shared)
			st = load_segment(ld, &info.segments[i]);
	}
	if (st == STATUS_OK)
		st = populate(ld, bundle, cmdline, cpus, info.entry);
	return st;
}

status_t roottask_start(const struct mb2_info *mi, unsigned cpu_count)
{
	char name[64] = "initd";
	const struct mb2_module *bundle = find_bundle(mi);
	if (!bundle) {
		/* A loader that had no room for the bundle loads the kernel
		 * alone: say what is missing and how much memory there is. */
		kprintf("roottask: Keel needs its boot bundle, which the loader did not load (too "
			"big for this machine?); this one has %lu KiB managed\n",
			kmem_total_pages() * 4);
		return STATUS_NOT_FOUND;
	}
	cmdline_get(mi->cmdline, "keel.init", name, sizeof name);
	struct loader ld = { 0 };
	bool irq = klock();
	status_t st = load(&ld, bundle, name, mi->cmdline, cpu_count);
	if (st == STATUS_OK) {
		root = ld.task;
		witness_note(WITNESS_SPAWN, 0, root->id, 0, 0);
		kprintf("roottask: started %s as task %lu\n", name, root->id);
	} else {
		kprintf("roottask: cannot start %s: %s\n", name, status_message(st));
		if (ld.task)
			task_kill(ld.task);
	}
	kunlock(irq);
	return st;
}

void task_root_exited(struct task *t)
{
	if (t != root)
		return;
	kprintf("Keel: root task %s with code %lu\n", t->faulted ? "faulted" : "exited",
		t->faulted ? 0 : t->exit_code);
	arch_power_off(t->faulted || t->exit_code ? 2 : 0);
}
