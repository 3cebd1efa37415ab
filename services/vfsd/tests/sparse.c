/*
 * sparse.c - converts a disk image into fuzz_fat's input form: the size in
 * 512-byte blocks, then every block that is not all zeros with its number
 * (see fuzz_fat.c). Used by fuzz_seeds.sh.
 *
 *   sparse IMAGE OUTPUT
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void put32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	fwrite(b, 1, 4, f);
}

int main(int argc, char **argv)
{
	static const uint8_t zero[512];
	uint8_t block[512];
	uint32_t n = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: sparse IMAGE OUTPUT\n");
		return 2;
	}
	FILE *in = fopen(argv[1], "rb"), *out = fopen(argv[2], "wb");
	if (!in || !out) {
		perror("sparse");
		return 1;
	}
	fseek(in, 0, SEEK_END);
	put32(out, (uint32_t)(ftell(in) / 512));
	fseek(in, 0, SEEK_SET);
	while (fread(block, 1, 512, in) == 512) {
		if (memcmp(block, zero, 512) != 0) {
			put32(out, n);
			fwrite(block, 1, 512, out);
		}
		n++;
	}
	fclose(in);
	return fclose(out) ? 1 : 0;
}
