/*
 * Host tests for keel_spawn and the bundle reader (libsys/bundle.c,
 * libsys/spawn.c).
 *
 * The system calls go to a small fake kernel below (the stubs' host route,
 * KEEL_HOST_SYSCALL): memory objects are memfds, mappings into the calling
 * process are real mmaps at the addresses asked for, and mappings, grants
 * and threads of child tasks are recorded. The tests check what a spawned
 * task would find - every page of its image, its stack and its start page,
 * the protections, the grants and the first thread - and, by failing the
 * N-th system call for every N, that a failed spawn leaves no capability,
 * task or mapping behind.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "keel/spawn.h"

#define PAGE 4096u

/* ---------------------------------------------------------------- fake kernel */

#define NCAPS 64
#define NOBJS 64
#define NMAPS 16

struct fcap {
	int obj; /* index in objs, -1 when the slot is empty */
	uint32_t rights;
	uint64_t badge;
};

struct fmap {
	uint64_t addr, first, pages;
	int obj;
	uint32_t prot;
};

struct fobj {
	int type;          /* OBJ_*, OBJ_NONE when free */
	int fd;            /* memory */
	uint64_t pages;    /* memory */
	int killed;        /* task */
	uint64_t quota[3]; /* task: slots, objects, pages */
	cap_handle_t supervisor;
	struct fcap cspace[NCAPS]; /* task: handles 0x100 + index */
	struct fmap maps[NMAPS];   /* task */
	int nmaps;
	uint64_t entry, stack, arg, affinity; /* thread */
	uint32_t tier;
	int task; /* thread: its task */
};

static struct fake {
	struct fcap caps[NCAPS]; /* the caller's CSpace: handle = index + 1 */
	struct fobj objs[NOBJS];
	struct fmap self[NMAPS]; /* mappings in this process */
	int nself;
	unsigned calls;   /* system calls so far */
	unsigned fail_at; /* this call fails (0: none) */
	status_t fail_with;
	unsigned bundle_maps; /* maps of the bundle object */
	int bundle_obj;
} fk;

static int new_obj(int type)
{
	for (int i = 0; i < NOBJS; i++)
		if (fk.objs[i].type == OBJ_NONE) {
			fk.objs[i] = (struct fobj){ .type = type, .fd = -1 };
			for (int j = 0; j < NCAPS; j++)
				fk.objs[i].cspace[j].obj = -1;
			return i;
		}
	abort();
}

static cap_handle_t new_cap(int obj, uint32_t rights, uint64_t badge)
{
	for (int i = 0; i < NCAPS; i++)
		if (fk.caps[i].obj < 0) {
			fk.caps[i] = (struct fcap){ obj, rights, badge };
			return (cap_handle_t)(i + 1);
		}
	abort();
}

/* The caller's cap named by h if it is of type (OBJ_NONE: any), else NULL. */
static struct fcap *cap(uint64_t h, int type)
{
	if (h == 0 || h > NCAPS || fk.caps[h - 1].obj < 0)
		return NULL;
	if (type != OBJ_NONE && fk.objs[fk.caps[h - 1].obj].type != type)
		return NULL;
	return &fk.caps[h - 1];
}

static int live_caps(void)
{
	int n = 0;

	for (int i = 0; i < NCAPS; i++)
		n += fk.caps[i].obj >= 0;
	return n;
}

static int live_tasks(void)
{
	int n = 0;

	for (int i = 0; i < NOBJS; i++)
		n += fk.objs[i].type == OBJ_TASK && !fk.objs[i].killed;
	return n;
}

static status_t f_memory_create(uint64_t pages, uint64_t ret[2])
{
	int o = new_obj(OBJ_MEMORY);

	fk.objs[o].fd = memfd_create("keel-memory", 0);
	fk.objs[o].pages = pages;
	if (fk.objs[o].fd < 0 || ftruncate(fk.objs[o].fd, (off_t)(pages * PAGE)))
		abort();
	ret[0] = new_cap(o, RIGHTS_ALL, 0);
	return STATUS_OK;
}

static status_t f_memory_map(const uint64_t *a)
{
	struct fcap *m = cap(a[1], OBJ_MEMORY);
	uint32_t prot = (uint32_t)a[5];
	struct fobj *mo;

	if (!m)
		return STATUS_BAD_CAP;
	mo = &fk.objs[m->obj];
	if (!(m->rights & RIGHT_MAP) || (prot & ~m->rights & 7))
		return STATUS_NO_RIGHTS;
	if ((prot & RIGHT_WRITE) && (prot & RIGHT_EXEC))
		return STATUS_INVALID;
	if (a[3] + a[4] > mo->pages || a[4] == 0)
		return STATUS_RANGE;
	if (a[2] % PAGE)
		return STATUS_BAD_ADDRESS;
	if (m->obj == fk.bundle_obj)
		fk.bundle_maps++;
	if (a[0] == CAP_HANDLE_NONE) {
		int p = ((prot & RIGHT_READ) ? PROT_READ : 0) |
			((prot & RIGHT_WRITE) ? PROT_WRITE : 0);
		void *v = mmap((void *)(uintptr_t)a[2], a[4] * PAGE, p, MAP_SHARED | MAP_FIXED,
			       mo->fd, (off_t)(a[3] * PAGE));
		if (v == MAP_FAILED)
			abort();
		fk.self[fk.nself++] = (struct fmap){ a[2], a[3], a[4], m->obj, prot };
		return STATUS_OK;
	}
	struct fcap *t = cap(a[0], OBJ_TASK);
	if (!t)
		return STATUS_BAD_CAP;
	struct fobj *to = &fk.objs[t->obj];
	if (to->killed)
		return STATUS_STALE;
	for (int i = 0; i < to->nmaps; i++)
		if (a[2] < to->maps[i].addr + to->maps[i].pages * PAGE &&
		    to->maps[i].addr < a[2] + a[4] * PAGE)
			return STATUS_EXISTS;
	to->maps[to->nmaps++] = (struct fmap){ a[2], a[3], a[4], m->obj, prot };
	return STATUS_OK;
}

static status_t f_memory_unmap(const uint64_t *a)
{
	if (a[0] != CAP_HANDLE_NONE)
		return STATUS_INVALID; /* spawn never unmaps in a child */
	for (int i = 0; i < fk.nself; i++) {
		if (fk.self[i].addr == a[1] && fk.self[i].pages == a[2]) {
			munmap((void *)(uintptr_t)a[1], a[2] * PAGE);
			fk.self[i] = fk.self[--fk.nself];
			return STATUS_OK;
		}
	}
	return STATUS_OK; /* unmapped pages are skipped */
}

static status_t f_task_grant(const uint64_t *a, uint64_t ret[2])
{
	struct fcap *t = cap(a[0], OBJ_TASK), *c = cap(a[1], OBJ_NONE);
	struct fobj *to;

	if (!t || !c)
		return STATUS_BAD_CAP;
	to = &fk.objs[t->obj];
	if (to->killed)
		return STATUS_STALE;
	if (!(c->rights & RIGHT_GRANT) || (a[2] & ~c->rights))
		return STATUS_NO_RIGHTS;
	for (int i = 0; i < NCAPS; i++)
		if (to->cspace[i].obj < 0) {
			to->cspace[i] = (struct fcap){ c->obj, (uint32_t)a[2],
						       a[3] ? a[3] : c->badge };
			ret[0] = 0x100 + i;
			return STATUS_OK;
		}
	return STATUS_FULL;
}

static status_t f_thread_create(const uint64_t *a, uint64_t ret[2])
{
	struct fcap *t = cap(a[0], OBJ_TASK);
	int o;

	if (!t)
		return STATUS_BAD_CAP;
	o = new_obj(OBJ_THREAD);
	fk.objs[o].task = t->obj;
	fk.objs[o].entry = a[1];
	fk.objs[o].stack = a[2];
	fk.objs[o].arg = a[3];
	fk.objs[o].tier = (uint32_t)a[4];
	fk.objs[o].affinity = a[5];
	ret[0] = new_cap(o, RIGHTS_ALL, 0);
	return STATUS_OK;
}

uint64_t keel_host_syscall(uint64_t nr, const uint64_t a[8], uint64_t ret[7])
{
	struct fcap *c;

	ret[0] = ret[1] = 0;
	if (++fk.calls == fk.fail_at)
		return fk.fail_with;
	switch (nr) {
	case SYS_CAP_DELETE:
		if (!(c = cap(a[0], OBJ_NONE)))
			return STATUS_BAD_CAP;
		c->obj = -1;
		return STATUS_OK;
	case SYS_TASK_CREATE: {
		int o = new_obj(OBJ_TASK);
		fk.objs[o].quota[0] = a[0];
		fk.objs[o].quota[1] = a[1];
		fk.objs[o].quota[2] = a[2];
		fk.objs[o].supervisor = (cap_handle_t)a[3];
		ret[0] = new_cap(o, RIGHTS_ALL, 0);
		return STATUS_OK;
	}
	case SYS_TASK_GRANT:
		return f_task_grant(a, ret);
	case SYS_TASK_KILL:
		if (!(c = cap(a[0], OBJ_TASK)))
			return STATUS_BAD_CAP;
		fk.objs[c->obj].killed = 1;
		return STATUS_OK;
	case SYS_THREAD_CREATE:
		return f_thread_create(a, ret);
	case SYS_MEMORY_CREATE:
		return f_memory_create(a[0], ret);
	case SYS_MEMORY_MAP:
		return f_memory_map(a);
	case SYS_MEMORY_UNMAP:
		return f_memory_unmap(a);
	default:
		return STATUS_NO_SYSCALL;
	}
}

/* ---------------------------------------------------------------- test images */

#define TEXT_VA 0x400000ull
#define RO_VA 0x402000ull
#define DATA_VA 0x403010ull /* not page-aligned: the page starts with zeros */
#define DATA_FILESZ 0x20ull
#define DATA_MEMSZ 0x3000ull /* bss runs over two more pages */
#define ENTRY 0x400010ull
#define IMAGE_LEN 0x4030u

static uint8_t file_byte(uint64_t off)
{
	return (uint8_t)(off * 7 + 3);
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}
static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}
static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void phdr(uint8_t *p, uint32_t flags, uint64_t off, uint64_t va, uint64_t filesz,
		 uint64_t memsz)
{
	put32(p, 1); /* PT_LOAD */
	put32(p + 4, flags);
	put64(p + 8, off);
	put64(p + 16, va);
	put64(p + 24, va);
	put64(p + 32, filesz);
	put64(p + 40, memsz);
	put64(p + 48, PAGE);
}

/* A static executable: text R-X, rodata R, data RW with bss. */
static void make_elf(uint8_t *img, uint32_t data_flags)
{
	for (uint32_t i = 0; i < IMAGE_LEN; i++)
		img[i] = file_byte(i);
	memset(img, 0, 64 + 3 * 56);
	memcpy(img, "\177ELF\2\1\1", 7);
	put16(img + 16, 2);  /* ET_EXEC */
	put16(img + 18, 62); /* EM_X86_64 */
	put32(img + 20, 1);
	put64(img + 24, ENTRY);
	put64(img + 32, 64); /* phoff */
	put16(img + 52, 64);
	put16(img + 54, 56);
	put16(img + 56, 3);
	phdr(img + 64, 5, 0x0000, TEXT_VA, 0x1234, 0x1234);
	phdr(img + 120, 4, 0x2000, RO_VA, 0x100, 0x100);
	phdr(img + 176, data_flags, 0x3010, DATA_VA, DATA_FILESZ, DATA_MEMSZ);
}

static size_t tar_member(uint8_t *out, const char *name, const uint8_t *data, size_t len)
{
	uint8_t *h = out;
	unsigned sum = 0;

	memset(h, 0, 512);
	strcpy((char *)h, name);
	memcpy(h + 100, "0000755", 8);
	memcpy(h + 108, "0000000", 8);
	memcpy(h + 116, "0000000", 8);
	snprintf((char *)h + 124, 12, "%011zo", len);
	memcpy(h + 136, "00000000000", 12);
	memset(h + 148, ' ', 8);
	h[156] = '0';
	memcpy(h + 257,
	       "ustar\0"
	       "00",
	       8);
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
	memcpy(out + 512, data, len);
	return 512 + (len + 511) / 512 * 512;
}

/* A service's executable reduced to what keel_spawner_manifest reads: an
 * ELF header and a section table with .shstrtab and .keel.manifest. */
#define SVC_MANIFEST "name svc\nheartbeat 50\n"
static size_t make_svc(uint8_t *out)
{
	static const char names[] = "\0.shstrtab\0.keel.manifest";
	size_t names_at = 64, text_at = names_at + sizeof names, sh_at = 256;
	size_t text_len = strlen(SVC_MANIFEST);
	memset(out, 0, sh_at + 3 * 64);
	memcpy(out, "\177ELF\2\1\1", 7);
	put64(out + 40, sh_at); /* e_shoff */
	put16(out + 58, 64);    /* e_shentsize */
	put16(out + 60, 3);     /* e_shnum */
	put16(out + 62, 1);     /* e_shstrndx */
	memcpy(out + names_at, names, sizeof names);
	memcpy(out + text_at, SVC_MANIFEST, text_len);
	put32(out + sh_at + 64, 1); /* .shstrtab */
	put64(out + sh_at + 64 + 24, names_at);
	put64(out + sh_at + 64 + 32, sizeof names);
	put32(out + sh_at + 128, 11); /* .keel.manifest */
	put64(out + sh_at + 128 + 24, text_at);
	put64(out + sh_at + 128 + 32, text_len);
	return sh_at + 3 * 64;
}

/* Archive: "wx" (a writable and executable segment), "prog" (good), "svc"
 * (a manifest only), "boot.list" (a plain file). */
#define ARCHIVE_PAGES 64
static uint8_t archive[ARCHIVE_PAGES * PAGE];
static size_t archive_len;

static struct keel_start self_start;
static struct keel_spawner sp;
static cap_handle_t witness, shared;

/* Fresh fake kernel holding the bundle, a witness and a memory object. */
static uint8_t img[IMAGE_LEN]; /* "prog" as stored */

/* A fresh fake kernel and the standard archive in archive[], not yet
 * loaded (bundle_load): a test may change or extend it first. */
static void setup_archive(void)
{
	for (int i = 0; i < fk.nself; i++)
		munmap((void *)(uintptr_t)fk.self[i].addr, fk.self[i].pages * PAGE);
	for (int i = 0; i < NOBJS; i++)
		if (fk.objs[i].fd >= 0 && fk.objs[i].type == OBJ_MEMORY)
			close(fk.objs[i].fd);
	memset(&fk, 0, sizeof(fk));
	for (int i = 0; i < NCAPS; i++)
		fk.caps[i].obj = -1;
	fk.bundle_obj = -1;

	memset(archive, 0, sizeof(archive));
	make_elf(img, 7);
	archive_len = tar_member(archive, "wx", img, IMAGE_LEN);
	make_elf(img, 6);
	archive_len += tar_member(archive + archive_len, "prog", img, IMAGE_LEN);
	archive_len += tar_member(archive + archive_len, "svc", img, make_svc(img));
	archive_len += tar_member(archive + archive_len, "boot.list", (const uint8_t *)"svc\n", 4);
	make_elf(img, 6);
}

/* Puts archive[] (with its two zero blocks) in a memory object as the
 * bundle, makes a witness and a memory object, and starts the spawner. */
static void bundle_load(void)
{
	uint64_t ret[2];

	archive_len += 1024;
	f_memory_create(ARCHIVE_PAGES, ret);
	fk.bundle_obj = fk.caps[ret[0] - 1].obj;
	if (pwrite(fk.objs[fk.bundle_obj].fd, archive, archive_len, 0) != (ssize_t)archive_len)
		abort();
	fk.caps[ret[0] - 1].rights = RIGHT_READ | RIGHT_MAP;
	self_start = (struct keel_start){ .bundle = (cap_handle_t)ret[0],
					  .bundle_bytes = archive_len,
					  .cpu_count = 3,
					  .size = sizeof self_start,
					  .wall_offset_ns = 1796378400000000000ll };
	witness = new_cap(new_obj(OBJ_WITNESS), RIGHTS_ALL, 0);
	f_memory_create(1, ret);
	shared = (cap_handle_t)ret[0];
	keel_spawner_init(&sp, &self_start);
}

/* Fresh fake kernel holding the standard bundle, a witness and a memory object. */
static void setup(void)
{
	setup_archive();
	bundle_load();
}

static struct keel_spawn_args args(void)
{
	struct keel_spawn_args a = {
		.name = "prog",
		.cmdline = "mode=test",
		.arg = 0xfeedface,
		.witness = { witness, RIGHT_WRITE, 0 },
		.cap_count = 2,
		.quota_slots = 10,
		.quota_objects = 11,
		.quota_pages = 12,
		.tier = THREAD_TIER_GRAVITY,
		.affinity = 6,
	};
	a.caps[0] = (struct keel_grant){ shared, RIGHT_READ | RIGHT_MAP, 0x77 };
	a.caps[1] = (struct keel_grant){ witness, RIGHT_READ, 0 };
	return a;
}

/* The child mapping that covers addr, or NULL. */
static const struct fmap *child_map(const struct fobj *t, uint64_t addr)
{
	for (int i = 0; i < t->nmaps; i++)
		if (addr >= t->maps[i].addr && addr < t->maps[i].addr + t->maps[i].pages * PAGE)
			return &t->maps[i];
	return NULL;
}

/* Reads the child's byte at addr through its mapping. */
static int child_byte(const struct fobj *t, uint64_t addr)
{
	const struct fmap *m = child_map(t, addr);
	uint8_t b;

	if (!m)
		return -1;
	if (pread(fk.objs[m->obj].fd, &b, 1, (off_t)(m->first * PAGE + addr - m->addr)) != 1)
		abort();
	return b;
}

static const struct fobj *spawned_task(const struct keel_child *c)
{
	return &fk.objs[fk.caps[c->task - 1].obj];
}

/* ---------------------------------------------------------------- tests */

TEST(spawn_maps_every_segment_with_its_bytes_and_protection)
{
	struct keel_spawn_args a = args();
	struct keel_child c;
	const struct fobj *t;

	setup();
	CHECK_EQ(keel_spawn(&sp, &a, &c), STATUS_OK);
	t = spawned_task(&c);
	CHECK_EQ(child_map(t, TEXT_VA)->prot, RIGHT_READ | RIGHT_EXEC);
	CHECK_EQ(child_map(t, TEXT_VA)->pages, 2);
	CHECK_EQ(child_map(t, RO_VA)->prot, RIGHT_READ);
	CHECK_EQ(child_map(t, DATA_VA)->prot, RIGHT_READ | RIGHT_WRITE);
	CHECK_EQ(child_map(t, DATA_VA)->pages, 4);
	for (uint64_t off = 0; off < 0x1234; off++)
		CHECK_EQ(child_byte(t, TEXT_VA + off), img[off]);
	CHECK_EQ(child_byte(t, TEXT_VA + 0x1234), 0); /* rest of the last text page */
	for (uint64_t off = 0; off < 0x100; off++)
		CHECK_EQ(child_byte(t, RO_VA + off), file_byte(0x2000 + off));
	CHECK_EQ(child_byte(t, DATA_VA - 1), 0); /* page head before vaddr */
	for (uint64_t off = 0; off < DATA_FILESZ; off++)
		CHECK_EQ(child_byte(t, DATA_VA + off), file_byte(0x3010 + off));
	for (uint64_t off = DATA_FILESZ; off < DATA_MEMSZ; off++)
		CHECK_EQ(child_byte(t, DATA_VA + off), 0); /* bss */
	for (int i = 0; i < t->nmaps; i++)
		CHECK(!((t->maps[i].prot & RIGHT_WRITE) && (t->maps[i].prot & RIGHT_EXEC)));
}

TEST(spawn_gives_stack_start_page_and_first_thread)
{
	struct keel_spawn_args a = args();
	struct keel_child c;
	const struct fobj *t, *th;
	const struct fmap *m;
	struct keel_start s;

	setup();
	CHECK_EQ(keel_spawn(&sp, &a, &c), STATUS_OK);
	t = spawned_task(&c);
	m = child_map(t, KEEL_STACK_TOP - 1);
	CHECK(m && m->addr == KEEL_STACK_TOP - KEEL_STACK_SIZE &&
	      m->pages == KEEL_STACK_SIZE / PAGE);
	CHECK_EQ(m->prot, RIGHT_READ | RIGHT_WRITE);
	CHECK(child_map(t, KEEL_STACK_TOP) == NULL ||
	      child_map(t, KEEL_STACK_TOP)->addr != m->addr);
	m = child_map(t, KEEL_START_ADDR);
	CHECK(m && m->pages == 1 && m->prot == RIGHT_READ);
	CHECK_EQ(pread(fk.objs[m->obj].fd, &s, sizeof(s), (off_t)(m->first * PAGE)), sizeof(s));
	CHECK_EQ(s.magic, KEEL_START_MAGIC);
	CHECK_EQ(s.version, KEEL_START_VERSION);
	CHECK_EQ(s.size, sizeof(s));
	CHECK_EQ(t->cspace[s.self_task - 0x100].obj, fk.caps[c.task - 1].obj);
	CHECK_EQ(s.self_thread, CAP_HANDLE_NONE);
	CHECK_EQ(s.supervisor, CAP_HANDLE_NONE);
	CHECK_EQ(t->cspace[s.witness - 0x100].rights, RIGHT_WRITE);
	CHECK_EQ(t->cspace[keel_start_cap(&s, 0) - 0x100].badge, 0x77);
	CHECK_EQ(t->cspace[keel_start_cap(&s, 0) - 0x100].rights, RIGHT_READ | RIGHT_MAP);
	CHECK_EQ(t->cspace[keel_start_cap(&s, 1) - 0x100].rights, RIGHT_READ);
	CHECK_EQ(keel_start_cap(&s, 2), CAP_HANDLE_NONE);
	CHECK_EQ(keel_start_arg(&s), 0xfeedface);
	CHECK_STR(s.cmdline, "mode=test");
	CHECK_EQ(s.cpu_count, 3);
	CHECK_EQ(s.size, sizeof s);
	CHECK_EQ(s.wall_offset_ns, 1796378400000000000ll); /* the spawner's own, passed on */
	CHECK_EQ(s.quota_slots, 10);
	CHECK_EQ(s.quota_objects, 11);
	CHECK_EQ(s.quota_pages, 12);
	CHECK_EQ(s.bundle, CAP_HANDLE_NONE);
	CHECK_EQ(t->quota[0], 10);
	th = &fk.objs[fk.caps[c.thread - 1].obj];
	CHECK_EQ(th->entry, ENTRY);
	CHECK_EQ(th->stack, KEEL_STACK_TOP);
	CHECK_EQ(th->arg, KEEL_START_ADDR);
	CHECK_EQ(th->tier, THREAD_TIER_GRAVITY);
	CHECK_EQ(th->affinity, 6);
}

TEST(spawn_keeps_only_task_and_thread_caps_and_the_bundle_mapping)
{
	struct keel_spawn_args a = args();
	struct keel_child c, d;
	int before;

	setup();
	before = live_caps();
	CHECK_EQ(keel_spawn(&sp, &a, &c), STATUS_OK);
	CHECK_EQ(live_caps(), before + 2); /* the memory object's cap is gone */
	CHECK_EQ(fk.nself, 1);             /* the bundle; the scratch window is unmapped */
	CHECK_EQ(fk.self[0].addr, KEEL_SPAWN_BUNDLE_ADDR);
	CHECK_EQ(fk.self[0].prot, RIGHT_READ);
	CHECK_EQ(keel_spawn(&sp, &a, &d), STATUS_OK);
	CHECK_EQ(fk.bundle_maps, 1); /* mapped once, then reused */
	CHECK(c.task != d.task);
	CHECK_EQ(keel_spawner_fini(&sp), STATUS_OK);
	CHECK_EQ(fk.nself, 0);
}

TEST(spawn_refuses_bad_names_images_and_arguments)
{
	struct keel_spawn_args a = args();
	struct keel_child c = { 0 };
	char long_cmd[KEEL_CMDLINE_MAX + 1];
	int before;

	setup();
	before = live_caps();
	a.name = "missing";
	CHECK_EQ(keel_spawn(&sp, &a, &c), STATUS_NOT_FOUND);
	a.name = "wx";
	CHECK_EQ(keel_spawn(&sp, &a, &c), STATUS_NO_RIGHTS);
	a.name = NULL;
	CHECK_EQ(keel_spawn(&sp, &a, &c), STATUS_INVALID);
	a = args();
	a.cap_count = KEEL_SPAWN_CAPS_MAX + 1;
	CHECK_EQ(keel_spawn(&sp, &a, &c), STATUS_INVALID);
	a = args();
	memset(long_cmd, 'x', KEEL_CMDLINE_MAX);
	long_cmd[KEEL_CMDLINE_MAX] = 0;
	a.cmdline = long_cmd;
	CHECK_EQ(keel_spawn(&sp, &a, &c), STATUS_RANGE);
	long_cmd[KEEL_CMDLINE_MAX - 1] = 0;
	CHECK_EQ(keel_spawn(&sp, &a, &c), STATUS_OK);
	CHECK_EQ(live_caps(), before + 2);
	CHECK_EQ(live_tasks(), 1);
}

/* Fails each system call of a good spawn in turn: the failure is returned
 * and nothing the spawn made survives it. */
TEST(spawn_undoes_everything_when_any_call_fails)
{
	struct keel_spawn_args a = args();
	struct keel_child c;
	unsigned total;

	setup();
	CHECK_EQ(keel_spawn(&sp, &a, &c), STATUS_OK);
	fk.calls = 0;
	CHECK_EQ(keel_spawn(&sp, &a, &c), STATUS_OK); /* bundle already mapped */
	total = fk.calls;
	CHECK(total >= 10);
	for (unsigned n = 1; n <= total; n++) {
		struct keel_child none = { 0x5a5a, 0x5a5a };
		int caps, tasks, maps;
		setup();
		CHECK_EQ(keel_spawn(&sp, &a, &c), STATUS_OK);
		caps = live_caps();
		tasks = live_tasks();
		maps = fk.nself;
		fk.calls = 0;
		fk.fail_at = n;
		fk.fail_with = STATUS_QUOTA;
		status_t st = keel_spawn(&sp, &a, &none);
		/* Deleting the filled memory object's cap is the one call whose
		 * failure does not matter: the task is complete without it. */
		if (st == STATUS_OK)
			continue;
		CHECK_EQ(st, STATUS_QUOTA);
		CHECK_EQ(none.task, 0x5a5a);
		CHECK_EQ(live_caps(), caps);
		CHECK_EQ(live_tasks(), tasks);
		CHECK_EQ(fk.nself, maps);
	}
}

TEST(spawner_finds_plain_files_and_embedded_manifests_in_the_one_mapping)
{
	const void *data;
	size_t size;
	struct keel_spawn_args a = args();
	struct keel_child c;

	setup();
	CHECK_EQ(keel_spawner_file(&sp, "boot.list", &data, &size), STATUS_OK);
	CHECK_EQ(size, 4);
	CHECK(!memcmp(data, "svc\n", 4));
	CHECK_EQ(keel_spawner_manifest(&sp, "svc", &data, &size), STATUS_OK);
	CHECK_EQ(size, strlen(SVC_MANIFEST));
	CHECK(!memcmp(data, SVC_MANIFEST, size));
	CHECK_EQ(keel_spawn(&sp, &a, &c), STATUS_OK);
	CHECK_EQ(fk.bundle_maps, 1); /* files, manifests and programs share it */
	CHECK_EQ(keel_spawner_fini(&sp), STATUS_OK);
	CHECK_EQ(fk.nself, 0);
}

TEST(spawner_reports_missing_files_and_manifests)
{
	const void *data;
	size_t size;
	struct keel_start none = { .cpu_count = 1 };

	setup();
	CHECK_EQ(keel_spawner_file(&sp, "missing", &data, &size), STATUS_NOT_FOUND);
	CHECK_EQ(keel_spawner_manifest(&sp, "missing", &data, &size), STATUS_NOT_FOUND);
	/* A plain file is no executable; "prog" has no section table. */
	CHECK_EQ(keel_spawner_manifest(&sp, "boot.list", &data, &size), STATUS_BAD_FORMAT);
	CHECK_EQ(keel_spawner_manifest(&sp, "prog", &data, &size), STATUS_BAD_FORMAT);
	keel_spawner_init(&sp, &none); /* a task given no bundle */
	CHECK_EQ(keel_spawner_file(&sp, "boot.list", &data, &size), STATUS_NOT_FOUND);
	CHECK_EQ(fk.bundle_maps, 1);
}

/* Appends an empty regular file called name to archive[]. */
static void add_empty(const char *name)
{
	archive_len += tar_member(archive + archive_len, name, (const uint8_t *)"", 0);
}

TEST(spawner_finds_every_file_of_a_bundle_too_big_for_its_index)
{
	const void *data;
	size_t size;
	char name[16];

	setup_archive();
	for (int i = 0; i < KEEL_BUNDLE_INDEX_MAX; i++) {
		snprintf(name, sizeof name, "f%d", i);
		add_empty(name);
	}
	bundle_load();
	CHECK_EQ(keel_spawner_file(&sp, "boot.list", &data, &size), STATUS_OK);
	CHECK_EQ(sp.index_state, KEEL_BUNDLE_SEARCH);
	CHECK_EQ(keel_spawner_file(&sp, "f127", &data, &size), STATUS_OK);
	CHECK_EQ(size, 0);
	CHECK_EQ(keel_spawner_file(&sp, "f128", &data, &size), STATUS_NOT_FOUND);
	CHECK_EQ(keel_spawner_manifest(&sp, "svc", &data, &size), STATUS_OK);
}

TEST(spawner_index_answers_as_a_walk_of_the_archive_would)
{
	const void *data;
	size_t size;

	setup();
	CHECK_EQ(keel_spawner_file(&sp, "prog", &data, &size), STATUS_OK);
	CHECK_EQ(sp.index_state, KEEL_BUNDLE_INDEXED);
	CHECK_EQ(sp.index_count, 4);
	CHECK_EQ(size, IMAGE_LEN);
	CHECK(data == (const uint8_t *)sp.archive + 512 + (IMAGE_LEN + 511) / 512 * 512 + 512);
	/* Names that differ from a stored one only in their end or case. */
	CHECK_EQ(keel_spawner_file(&sp, "pro", &data, &size), STATUS_NOT_FOUND);
	CHECK(data == NULL);
	CHECK_EQ(size, 0);
	CHECK_EQ(keel_spawner_file(&sp, "progx", &data, &size), STATUS_NOT_FOUND);
	CHECK_EQ(keel_spawner_file(&sp, "PROG", &data, &size), STATUS_NOT_FOUND);
	CHECK_EQ(keel_spawner_file(&sp, "", &data, &size), STATUS_NOT_FOUND);
	CHECK_EQ(keel_spawner_file(&sp, NULL, &data, &size), STATUS_INVALID);
}

/* Appends a regular file whose full name is prefix "/" name, the prefix
 * in the header's prefix field, its checksum made again. */
static void add_prefixed(const char *prefix, const char *name, const char *text)
{
	uint8_t *h = archive + archive_len;
	unsigned sum = 0;

	archive_len += tar_member(h, name, (const uint8_t *)text, strlen(text));
	memcpy(h + 345, prefix, strlen(prefix));
	memset(h + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
}

TEST(spawner_index_finds_names_split_over_prefix_and_name)
{
	const void *data;
	size_t size;

	setup_archive();
	add_prefixed("etc/keel", "boot.list", "deep\n");
	add_prefixed("a", "b/c", "slash\n");
	bundle_load();
	CHECK_EQ(keel_spawner_file(&sp, "etc/keel/boot.list", &data, &size), STATUS_OK);
	CHECK_EQ(sp.index_state, KEEL_BUNDLE_INDEXED);
	CHECK_EQ(size, 5);
	CHECK(!memcmp(data, "deep\n", 5));
	CHECK_EQ(keel_spawner_file(&sp, "a/b/c", &data, &size), STATUS_OK);
	CHECK(!memcmp(data, "slash\n", 6));
	CHECK_EQ(keel_spawner_file(&sp, "boot.list", &data, &size), STATUS_OK);
	CHECK_EQ(size, 4);
	CHECK_EQ(keel_spawner_file(&sp, "etc/keel/boot.lis", &data, &size), STATUS_NOT_FOUND);
	CHECK_EQ(keel_spawner_file(&sp, "etc/keel", &data, &size), STATUS_NOT_FOUND);
	CHECK_EQ(keel_spawner_file(&sp, "keel/boot.list", &data, &size), STATUS_NOT_FOUND);
}

TEST(spawner_refuses_a_name_stored_twice_and_finds_the_others)
{
	const void *data;
	size_t size;

	setup_archive();
	add_empty("boot.list");
	bundle_load();
	CHECK_EQ(keel_spawner_file(&sp, "boot.list", &data, &size), STATUS_EXISTS);
	CHECK_EQ(keel_spawner_file(&sp, "prog", &data, &size), STATUS_OK);
	CHECK_EQ(size, IMAGE_LEN);
}

TEST(spawner_refuses_every_name_of_a_malformed_bundle)
{
	const void *data;
	size_t size;

	setup_archive();
	size_t bad = archive_len;
	add_empty("late");
	archive[bad + 148] ^= 1; /* its checksum */
	bundle_load();
	CHECK_EQ(keel_spawner_file(&sp, "prog", &data, &size), STATUS_BAD_FORMAT);
	CHECK_EQ(sp.index_state, KEEL_BUNDLE_BAD);
	CHECK_EQ(keel_spawner_file(&sp, "boot.list", &data, &size), STATUS_BAD_FORMAT);
	CHECK(data == NULL);
	CHECK_EQ(keel_spawner_manifest(&sp, "svc", &data, &size), STATUS_BAD_FORMAT);
}

int main(void)
{
	RUN(spawn_maps_every_segment_with_its_bytes_and_protection);
	RUN(spawn_gives_stack_start_page_and_first_thread);
	RUN(spawn_keeps_only_task_and_thread_caps_and_the_bundle_mapping);
	RUN(spawn_refuses_bad_names_images_and_arguments);
	RUN(spawn_undoes_everything_when_any_call_fails);
	RUN(spawner_finds_plain_files_and_embedded_manifests_in_the_one_mapping);
	RUN(spawner_reports_missing_files_and_manifests);
	RUN(spawner_finds_every_file_of_a_bundle_too_big_for_its_index);
	RUN(spawner_index_answers_as_a_walk_of_the_archive_would);
	RUN(spawner_index_finds_names_split_over_prefix_and_name);
	RUN(spawner_refuses_a_name_stored_twice_and_finds_the_others);
	RUN(spawner_refuses_every_name_of_a_malformed_bundle);
	return check_summary();
}
