/*
 * host_bundle.c - the boot bundle under the host port: keel/spawn.h's
 * spawner reading the table of programs and files that the test gave
 * host_kernel_main (struct host_bundle, host_kernel.h) instead of a ustar
 * archive of ELF executables, which cannot run in this process (their
 * code would issue real SYSCALL instructions). It replaces
 * libsys/bundle.c in the host build; what the spawner does with a program
 * it found is the machine's: keel_spawn's checks, start page and grants
 * (libsys/spawn.c) through host_spawn.
 *
 * A program is no file here: keel_spawner_file finds only the table's
 * files, keel_spawner_manifest and keel_spawn only its programs. As
 * ustar_find does, a name stored twice is STATUS_EXISTS.
 */
#include "host_kernel.h"
#include "keel/time.h"

void keel_spawner_init(struct keel_spawner *sp, const struct keel_start *self)
{
	*sp = (struct keel_spawner){ .bundle = self->bundle,
				     .cpu_count = self->cpu_count,
				     .wall_offset_ns = keel_start_wall_offset(self),
				     .machine_pages = keel_start_machine_pages(self) };
}

status_t keel_spawner_fini(struct keel_spawner *sp)
{
	(void)sp; /* nothing was mapped */
	return STATUS_OK;
}

/* The program called name in the host bundle. */
static status_t find_program(const char *name, const struct host_program **out)
{
	const struct host_bundle *b = host_boot_bundle();
	uint32_t found = 0;
	for (uint32_t i = 0; b && i < b->program_count; i++)
		if (!strcmp(b->programs[i].name, name)) {
			*out = &b->programs[i];
			found++;
		}
	return found == 1 ? STATUS_OK : found ? STATUS_EXISTS : STATUS_NOT_FOUND;
}

status_t keel_spawner_file(struct keel_spawner *sp, const char *name, const void **data,
			   size_t *size)
{
	const struct host_bundle *b = host_boot_bundle();
	const struct host_file *f = NULL;
	uint32_t found = 0;
	(void)sp;
	for (uint32_t i = 0; b && i < b->file_count; i++)
		if (!strcmp(b->files[i].name, name)) {
			f = &b->files[i];
			found++;
		}
	if (found != 1)
		return found ? STATUS_EXISTS : STATUS_NOT_FOUND;
	*data = f->text;
	*size = strlen(f->text);
	return STATUS_OK;
}

status_t keel_spawner_manifest(struct keel_spawner *sp, const char *name, const void **text,
			       size_t *size)
{
	const struct host_program *p;
	status_t st = find_program(name, &p);
	(void)sp;
	if (st)
		return st;
	if (!p->manifest)
		return STATUS_NOT_FOUND; /* as an executable without the section */
	*text = p->manifest;
	*size = strlen(p->manifest);
	return STATUS_OK;
}

status_t keel_spawn(struct keel_spawner *sp, const struct keel_spawn_args *a,
		    struct keel_child *out)
{
	const struct host_program *p;
	struct keel_spawn_args own = *a;
	status_t st = keel_spawn_check(a);
	(void)sp;
	own.wall_offset_ns = sp->wall_offset_ns; /* as the machine's keel_spawn does */
	own.machine_pages = sp->machine_pages;
	if (st == STATUS_OK && a->image)
		st = STATUS_NOT_FOUND; /* no ELF runs here: only the table's programs */
	if (st == STATUS_OK)
		st = find_program(a->name, &p);
	if (st == STATUS_OK)
		st = host_spawn(&own, p->main, out);
	return st;
}
