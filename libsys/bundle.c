/*
 * bundle.c - the boot bundle on the machine (see keel/spawn.h): a ustar
 * archive in a memory object, read-only, whose files initd reads (the
 * boot list) and whose ELF executables keel_spawn starts, each with its
 * manifest in a .keel.manifest section (libsys/manifest.S). The host
 * port replaces this file with libsys/host/host_bundle.c.
 *
 * keel_spawn builds a task from the outside. A read-only segment of a
 * program in the bundle whose file bytes start on a page of the bundle
 * (image/mkbundle.sh aligns every member's data to a page) is mapped
 * straight from the bundle's memory object: every task running the
 * program shares those pages, and none are copied. Everything else of a
 * new task's memory is one memory object, laid out as
 *
 *   [copied segment pages]...[stack pages][start page]
 *
 * It is mapped read-write into the caller's scratch window to be filled,
 * unmapped there, and then mapped piece by piece into the task with each
 * piece's own protection. The caller's capability to it is deleted at the
 * end: the task's mappings keep it alive, so it dies with the task.
 * A shared segment's last page shows the bundle's bytes after the
 * segment (zero padding of the ELF file or the next member's header)
 * instead of zeros; the bundle holds nothing secret.
 */
#include "keel/spawn.h"
#include "keel/time.h"

#include "lib/elf.h"
#include "lib/ustar.h"

#define STACK_PAGES (KEEL_STACK_SIZE / KEEL_PAGE_SIZE)

_Static_assert(KEEL_STACK_SIZE % KEEL_PAGE_SIZE == 0, "stack is whole pages");
_Static_assert(KEEL_IMAGE_LIMIT % KEEL_PAGE_SIZE == 0, "image limit is page-aligned");

#define MANIFEST_SECTION ".keel.manifest" /* libsys/manifest.S */

/* Everything keel_spawn has made so far, so that a failure can undo it. */
struct spawn_work {
	struct keel_spawner *sp;
	struct elf_info elf;
	const uint8_t *image;
	uint64_t image_pages; /* pages of the segments copied into the memory object */
	uint32_t shared;      /* bit i: segment i is mapped from the bundle */
	cap_handle_t task;
	cap_handle_t memory;
	uint64_t mapped_pages; /* pages of memory mapped at the scratch window */
	struct keel_start start;
};

void keel_spawner_init(struct keel_spawner *sp, const struct keel_start *self)
{
	*sp = (struct keel_spawner){
		.bundle = self->bundle,
		.bundle_bytes = self->bundle_bytes,
		.bundle_addr = KEEL_SPAWN_BUNDLE_ADDR,
		.scratch_addr = KEEL_SPAWN_SCRATCH_ADDR,
		.cpu_count = self->cpu_count,
		.wall_offset_ns = keel_start_wall_offset(self),
		.machine_pages = keel_start_machine_pages(self),
	};
}

static uint64_t pages_for(uint64_t bytes)
{
	return (bytes + KEEL_PAGE_SIZE - 1) / KEEL_PAGE_SIZE;
}

status_t keel_spawner_fini(struct keel_spawner *sp)
{
	status_t st = STATUS_OK;

	if (sp->archive)
		st = sys_memory_unmap(CAP_HANDLE_NONE, sp->bundle_addr,
				      pages_for(sp->bundle_bytes));
	sp->archive = NULL;
	return st;
}

/* Maps the bundle read-only into the caller unless it already is. */
static status_t bundle_map(struct keel_spawner *sp)
{
	status_t st;

	if (sp->archive)
		return STATUS_OK;
	if (sp->bundle_bytes == 0)
		return STATUS_NOT_FOUND;
	st = sys_memory_map(CAP_HANDLE_NONE, sp->bundle, sp->bundle_addr, 0,
			    pages_for(sp->bundle_bytes), RIGHT_READ);
	if (st)
		return st;
	sp->archive = (const void *)(uintptr_t)sp->bundle_addr;
	/* Its rights say which segments may be mapped from it (shareable);
	 * unknown, nothing is: every segment is copied as before. */
	uint64_t info, badge;
	sp->bundle_rights = sys_cap_info(sp->bundle, &info, &badge) == STATUS_OK
				    ? (uint32_t)(info >> 32)
				    : 0;
	return STATUS_OK;
}

/* FNV-1a, 64 bits, of the string s. */
static uint64_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 0x100000001b3ull;
	return h;
}

/* Adds a regular file's header offset to the index; false when the index
 * is full or another name has the same hash (a name stored twice too). */
static bool index_add(struct keel_spawner *sp, const struct ustar_entry *e, uint64_t offset)
{
	uint64_t h = name_hash(e->name);

	if (sp->index_count == KEEL_BUNDLE_INDEX_MAX)
		return false;
	for (uint32_t i = 0; i < sp->index_count; i++)
		if (sp->index[i].hash == h)
			return false;
	sp->index[sp->index_count++] = (struct keel_bundle_file){ .hash = h,
								  .offset = offset,
								  .size = e->size };
	return true;
}

/* Walks the whole archive once, checking every member as ustar_find
 * does, and records its regular files; sets sp->index_state. */
static void index_build(struct keel_spawner *sp)
{
	struct ustar_iter it;
	struct ustar_entry e;
	uint64_t offset = 0;
	bool fits = true;
	status_t st;

	sp->index_count = 0;
	ustar_iter_init(&it, sp->archive, sp->bundle_bytes);
	while ((st = ustar_next(&it, &e)) == STATUS_OK) {
		if (e.type == USTAR_REGULAR || e.type == USTAR_REGULAR_OLD)
			fits = fits && index_add(sp, &e, offset);
		offset = it.off;
	}
	sp->index_status = st;
	if (st != STATUS_NOT_FOUND)
		sp->index_state = KEEL_BUNDLE_BAD;
	else
		sp->index_state = fits ? KEEL_BUNDLE_INDEXED : KEEL_BUNDLE_SEARCH;
}

/* Whether the n-byte header field f holds exactly the n0 bytes at s (a
 * field that fills its width has no NUL, as ustar.h says). */
static bool field_is(const uint8_t *f, size_t n, const char *s, size_t n0)
{
	return n0 <= n && memcmp(f, s, n0) == 0 && (n0 == n || f[n0] == 0);
}

/* Whether the ustar header h stores the full name name: its name field
 * alone, or its prefix field, "/" and its name field. */
static bool header_names(const uint8_t *h, const char *name)
{
	enum { NAME = 0, NAME_LEN = 100, PREFIX = 345, PREFIX_LEN = 155 };
	size_t len = strlen(name);

	if (h[PREFIX] == 0)
		return field_is(h + NAME, NAME_LEN, name, len);
	for (size_t cut = 1; cut < len && cut <= PREFIX_LEN; cut++)
		if (name[cut] == '/' && field_is(h + PREFIX, PREFIX_LEN, name, cut) &&
		    field_is(h + NAME, NAME_LEN, name + cut + 1, len - cut - 1))
			return len - cut - 1 > 0;
	return false;
}

/* Looks name up in the index: the one member with its hash, if its stored
 * name is name (the member's header was checked when the index was built,
 * and the bundle is read-only). */
static status_t index_find(struct keel_spawner *sp, const char *name, const void **data,
			   size_t *size)
{
	uint64_t h = name_hash(name);

	for (uint32_t i = 0; i < sp->index_count; i++) {
		const uint8_t *hdr = (const uint8_t *)sp->archive + sp->index[i].offset;
		if (sp->index[i].hash != h)
			continue;
		if (!header_names(hdr, name))
			break;
		*data = hdr + USTAR_BLOCK;
		*size = (size_t)sp->index[i].size;
		return STATUS_OK;
	}
	return STATUS_NOT_FOUND;
}

status_t keel_spawner_file(struct keel_spawner *sp, const char *name, const void **data,
			   size_t *size)
{
	status_t st = bundle_map(sp);

	*data = NULL;
	*size = 0;
	if (st)
		return st;
	if (!name)
		return STATUS_INVALID;
	if (sp->index_state == KEEL_BUNDLE_UNCHECKED)
		index_build(sp);
	if (sp->index_state == KEEL_BUNDLE_BAD)
		return sp->index_status;
	if (sp->index_state == KEEL_BUNDLE_INDEXED)
		return index_find(sp, name, data, size);
	return ustar_find(sp->archive, sp->bundle_bytes, name, data, size);
}

status_t keel_spawner_manifest(struct keel_spawner *sp, const char *name, const void **text,
			       size_t *size)
{
	const void *elf;
	size_t elf_size;
	status_t st = keel_spawner_file(sp, name, &elf, &elf_size);
	if (st)
		return st;
	return elf_find_section(elf, elf_size, MANIFEST_SECTION, text, size);
}

/* RIGHT_* protection of a segment with ELF_SEG_* flags. */
static uint32_t seg_prot(uint32_t flags)
{
	return ((flags & ELF_SEG_R) ? RIGHT_READ : 0) | ((flags & ELF_SEG_W) ? RIGHT_WRITE : 0) |
	       ((flags & ELF_SEG_X) ? RIGHT_EXEC : 0);
}

/* The bundle's page holding the first byte of seg of w's image (which is
 * in the bundle). */
static uint64_t bundle_page(const struct spawn_work *w, const struct elf_segment *seg)
{
	return ((uint64_t)(w->image - (const uint8_t *)w->sp->archive) + seg->offset) /
	       KEEL_PAGE_SIZE;
}

/* Whether seg of w's image, a file in the bundle, can be mapped from the
 * bundle: read-only, all of it file bytes, page-aligned both in memory
 * and in the bundle, and the bundle capability allows its protection. */
static bool shareable(const struct spawn_work *w, const struct elf_segment *seg)
{
	uint64_t at = (uint64_t)(w->image - (const uint8_t *)w->sp->archive) + seg->offset;
	uint32_t need = seg_prot(seg->flags) | RIGHT_MAP;

	return !(seg->flags & ELF_SEG_W) && (w->sp->bundle_rights & need) == need &&
	       seg->memsz != 0 && seg->filesz == seg->memsz &&
	       (seg->vaddr & (KEEL_PAGE_SIZE - 1)) == 0 && (at & (KEEL_PAGE_SIZE - 1)) == 0;
}

/* Finds and checks the executable (a's image, or its name in the bundle);
 * sets w->image, w->elf, w->image_pages. */
static status_t find_image(struct spawn_work *w, const struct keel_spawn_args *a)
{
	const void *data = a->image;
	size_t size = a->image_bytes;
	status_t st = STATUS_OK;

	if (!data)
		st = keel_spawner_file(w->sp, a->name, &data, &size);
	if (st)
		return st;
	st = elf_parse(data, size, KEEL_IMAGE_LIMIT, &w->elf);
	if (st)
		return st;
	w->image = data;
	w->image_pages = 0;
	w->shared = 0;
	for (uint32_t i = 0; i < w->elf.segment_count; i++) {
		if (!a->image && shareable(w, &w->elf.segments[i]))
			w->shared |= 1u << i;
		else
			w->image_pages += elf_segment_pages(&w->elf.segments[i]);
	}
	return STATUS_OK;
}

/* Copies every segment's file bytes and the start page into the window. */
static status_t fill(struct spawn_work *w)
{
	uint8_t *base = (uint8_t *)(uintptr_t)w->sp->scratch_addr;
	uint64_t page = 0;

	for (uint32_t i = 0; i < w->elf.segment_count; i++) {
		const struct elf_segment *seg = &w->elf.segments[i];
		uint64_t n = elf_segment_pages(seg);
		if (w->shared & (1u << i))
			continue;
		for (uint64_t j = 0; j < n; j++, page++) {
			struct elf_page pg;
			status_t st = elf_segment_page(seg, j, &pg);
			if (st)
				return st;
			if (pg.copy_len)
				memcpy(base + page * KEEL_PAGE_SIZE + pg.dst_offset,
				       w->image + pg.src_offset, pg.copy_len);
		}
	}
	page += STACK_PAGES;
	memcpy(base + page * KEEL_PAGE_SIZE, &w->start, sizeof(w->start));
	return STATUS_OK;
}

/* Maps the segments, the stack and the start page into the task. */
static status_t map_child(struct spawn_work *w)
{
	uint64_t first = 0;
	status_t st;

	for (uint32_t i = 0; i < w->elf.segment_count; i++) {
		const struct elf_segment *seg = &w->elf.segments[i];
		uint64_t n = elf_segment_pages(seg);
		uint64_t addr = seg->vaddr & ~(uint64_t)(KEEL_PAGE_SIZE - 1);
		if (w->shared & (1u << i)) {
			st = sys_memory_map(w->task, w->sp->bundle, addr, bundle_page(w, seg), n,
					    seg_prot(seg->flags));
			if (st)
				return st;
			continue;
		}
		st = sys_memory_map(w->task, w->memory, addr, first, n, seg_prot(seg->flags));
		if (st)
			return st;
		first += n;
	}
	st = sys_memory_map(w->task, w->memory, KEEL_STACK_TOP - KEEL_STACK_SIZE, first,
			    STACK_PAGES, RIGHT_READ | RIGHT_WRITE);
	if (st)
		return st;
	return sys_memory_map(w->task, w->memory, KEEL_START_ADDR, first + STACK_PAGES, 1,
			      RIGHT_READ);
}

/* Creates, fills and maps the task's memory object. */
static status_t load(struct spawn_work *w)
{
	uint64_t total = w->image_pages + STACK_PAGES + 1;
	status_t st;

	st = sys_memory_create(total, 0, &w->memory);
	if (st)
		return st;
	st = sys_memory_map(CAP_HANDLE_NONE, w->memory, w->sp->scratch_addr, 0, total,
			    RIGHT_READ | RIGHT_WRITE);
	if (st)
		return st;
	w->mapped_pages = total;
	st = fill(w);
	if (st)
		return st;
	st = sys_memory_unmap(CAP_HANDLE_NONE, w->sp->scratch_addr, total);
	if (st)
		return st;
	w->mapped_pages = 0;
	return map_child(w);
}

/* Undoes whatever of the spawn exists. Statuses are ignored: each step
 * either works or there is nothing left to undo. */
static void undo(struct spawn_work *w)
{
	if (w->mapped_pages)
		sys_memory_unmap(CAP_HANDLE_NONE, w->sp->scratch_addr, w->mapped_pages);
	if (w->memory != CAP_HANDLE_NONE)
		sys_cap_delete(w->memory);
	if (w->task != CAP_HANDLE_NONE) {
		sys_task_kill(w->task, 0);
		sys_cap_delete(w->task);
	}
}

/*
 * The start page cannot name the first thread (self_thread): the thread
 * exists only once sys_thread_create has made it runnable, and by then the
 * child may already be reading its start page. So self_thread stays
 * CAP_HANDLE_NONE in spawned tasks.
 */
status_t keel_spawn(struct keel_spawner *sp, const struct keel_spawn_args *a,
		    struct keel_child *out)
{
	struct spawn_work w = { .sp = sp };
	cap_handle_t thread;
	status_t st;

	if ((st = keel_spawn_check(a)) || (st = find_image(&w, a)))
		return st;
	st = sys_task_create(a->quota_slots, a->quota_objects, a->quota_pages, a->fault_inbox,
			     &w.task);
	if (st)
		return st;
	keel_spawn_start_fill(a, sp->cpu_count, &w.start);
	w.start.wall_offset_ns = sp->wall_offset_ns;
	w.start.machine_pages = sp->machine_pages;
	if ((st = keel_spawn_grant(w.task, a, &w.start)) || (st = load(&w)))
		goto fail;
	sys_cap_delete(w.memory);
	w.memory = CAP_HANDLE_NONE;
	st = sys_thread_create(w.task, w.elf.entry, KEEL_STACK_TOP, KEEL_START_ADDR, a->tier,
			       a->affinity, &thread);
	if (st)
		goto fail;
	out->task = w.task;
	out->thread = thread;
	return STATUS_OK;
fail:
	undo(&w);
	return st;
}
