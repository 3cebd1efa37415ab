/* imgdev.c - the in-memory image block device (see imgdev.h). */
#include "imgdev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static status_t img_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
	struct imgdev *d = ctx;
	uint64_t req = d->read_reqs++;

	if (req == d->fail_read_at)
		return d->fail_status;
	if (!count || block >= d->bytes / d->block_size ||
	    count > d->bytes / d->block_size - block) {
		fprintf(stderr, "imgdev: read outside the device: %llu+%u\n",
			(unsigned long long)block, count);
		abort();
	}
	memcpy(buf, d->mem + block * d->block_size, (size_t)count * d->block_size);
	return STATUS_OK;
}

static status_t img_write(void *ctx, uint64_t block, uint32_t count, const void *buf)
{
	struct imgdev *d = ctx;
	uint64_t req = d->write_reqs++;

	if (!count || block >= d->bytes / d->block_size ||
	    count > d->bytes / d->block_size - block) {
		fprintf(stderr, "imgdev: write outside the device: %llu+%u\n",
			(unsigned long long)block, count);
		abort();
	}
	if (req == d->fail_write_at)
		return d->fail_status;
	for (uint32_t i = 0; i < count; i++) {
		if (d->cut || d->blocks_written >= d->write_limit) {
			d->cut = true;
			return STATUS_DEAD;
		}
		memcpy(d->mem + (block + i) * d->block_size,
		       (const uint8_t *)buf + (size_t)i * d->block_size, d->block_size);
		d->touched[(block + i) / 8] |= (uint8_t)(1u << (block + i) % 8);
		d->blocks_written++;
	}
	return STATUS_OK;
}

static status_t img_flush(void *ctx)
{
	struct imgdev *d = ctx;

	d->flushes++;
	return d->cut ? STATUS_DEAD : STATUS_OK;
}

void imgdev_reset_faults(struct imgdev *d)
{
	d->write_limit = IMGDEV_NEVER;
	d->fail_read_at = d->fail_write_at = IMGDEV_NEVER;
	d->fail_status = STATUS_TIMEOUT;
	d->cut = false;
	d->read_reqs = d->write_reqs = d->blocks_written = d->flushes = 0;
}

static int setup(struct imgdev *d, uint32_t block_size)
{
	d->touched = calloc(1, d->bytes / block_size / 8 + 1);
	if (!d->touched)
		return -1;
	d->block_size = block_size;
	imgdev_reset_faults(d);
	d->dev.read = img_read;
	d->dev.write = img_write;
	d->dev.flush = img_flush;
	d->dev.ctx = d;
	d->dev.block_size = block_size;
	d->dev.flags = 0;
	d->dev.block_count = d->bytes / block_size;
	return 0;
}

int imgdev_zero(struct imgdev *d, uint64_t bytes, uint32_t block_size)
{
	memset(d, 0, sizeof *d);
	d->mem = calloc(1, bytes ? bytes : 1);
	if (!d->mem)
		return -1;
	d->bytes = bytes;
	return setup(d, block_size);
}

int imgdev_load(struct imgdev *d, const char *path, uint32_t block_size)
{
	FILE *f = fopen(path, "rb");
	long n;

	memset(d, 0, sizeof *d);
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "imgdev: cannot open %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	d->mem = malloc(n ? (size_t)n : 1);
	if (!d->mem || fread(d->mem, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "imgdev: cannot read %s\n", path);
		fclose(f);
		free(d->mem);
		return -1;
	}
	fclose(f);
	d->bytes = (uint64_t)n;
	return setup(d, block_size);
}

int imgdev_copy(struct imgdev *d, const struct imgdev *src)
{
	memset(d, 0, sizeof *d);
	d->mem = malloc(src->bytes ? src->bytes : 1);
	if (!d->mem)
		return -1;
	memcpy(d->mem, src->mem, src->bytes);
	d->bytes = src->bytes;
	return setup(d, src->block_size);
}

int imgdev_save(const struct imgdev *d, const char *path)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(d->mem, 1, d->bytes, f) == d->bytes;

	if (f && fclose(f))
		ok = 0;
	if (!ok)
		fprintf(stderr, "imgdev: cannot write %s\n", path);
	return ok ? 0 : -1;
}

int imgdev_patch_file(const struct imgdev *d, const struct imgdev *base, const char *path,
		      int restore)
{
	FILE *f = fopen(path, "r+b");
	const uint8_t *src = restore ? base->mem : d->mem;
	uint64_t blocks = d->bytes / d->block_size;
	int ok = f != NULL;

	for (uint64_t b = 0; ok && b < blocks; b++) {
		if (!(d->touched[b / 8] & (1u << b % 8)))
			continue;
		ok = fseek(f, (long)(b * d->block_size), SEEK_SET) == 0 &&
		     fwrite(src + b * d->block_size, 1, d->block_size, f) == d->block_size;
	}
	if (f && fclose(f))
		ok = 0;
	if (!ok)
		fprintf(stderr, "imgdev: cannot patch %s\n", path);
	return ok ? 0 : -1;
}

void imgdev_revert(struct imgdev *d, const struct imgdev *base)
{
	uint64_t blocks = d->bytes / d->block_size;

	for (uint64_t b = 0; b < blocks; b++) {
		if (d->touched[b / 8] & (1u << b % 8))
			memcpy(d->mem + b * d->block_size, base->mem + b * d->block_size,
			       d->block_size);
	}
	memset(d->touched, 0, blocks / 8 + 1);
	imgdev_reset_faults(d);
}

void imgdev_free(struct imgdev *d)
{
	free(d->mem);
	free(d->touched);
	d->mem = NULL;
	d->touched = NULL;
}
