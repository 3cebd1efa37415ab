/*
 * fttest.c - FreeType on Keel and on the host: loads a TrueType font from
 * a file (argv[1]; in Keel /bundle/Go-Regular.ttf), renders a set of
 * glyphs at several sizes, anti-aliased and monochrome, and prints each
 * glyph's metrics and a hash of its bitmap, and one glyph as text art.
 * Identical output means byte-identical bitmaps.
 */
#include <stdint.h>
#include <stdio.h>

#include <ft2build.h>
#include FT_FREETYPE_H

static uint64_t fnv(const unsigned char *p, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* The hash of a bitmap's rows (pitch padding excluded). */
static uint64_t bitmap_hash(const FT_Bitmap *b)
{
	uint64_t h = 0xcbf29ce484222325ull;
	int bytes = b->pixel_mode == FT_PIXEL_MODE_MONO ? ((int)b->width + 7) / 8 : (int)b->width;
	for (unsigned r = 0; r < b->rows; r++) {
		const unsigned char *row = b->buffer +
					   (b->pitch >= 0
						    ? (int)r * b->pitch
						    : ((int)b->rows - 1 - (int)r) * -b->pitch);
		h = fnv(row, (size_t)bytes, h);
	}
	return h;
}

static void art(const FT_Bitmap *b)
{
	static const char shades[] = " .:-=+*#%@";
	for (unsigned r = 0; r < b->rows; r++) {
		char line[256];
		unsigned w = b->width < sizeof line - 1 ? b->width : sizeof line - 1;
		for (unsigned c = 0; c < w; c++)
			line[c] = shades[b->buffer[r * (unsigned)b->pitch + c] * 9 / 255];
		line[w] = 0;
		printf("  |%s|\n", line);
	}
}

int main(int argc, char **argv)
{
	static const char text[] = "Keel AaBbgQqy0123@&%";
	static const int sizes[] = { 9, 12, 16, 24, 48 };
	FT_Library lib;
	FT_Face face;
	const char *path = argc > 1 ? argv[1] : "/bundle/Go-Regular.ttf";
	int err = FT_Init_FreeType(&lib);
	if (!err)
		err = FT_New_Face(lib, path, 0, &face);
	if (err) {
		printf("cannot load %s: FreeType error %d\n", path, err);
		return 1;
	}
	printf("%s %s: %ld glyphs, %d units per em\n", face->family_name, face->style_name,
	       face->num_glyphs, face->units_per_EM);
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		FT_Set_Pixel_Sizes(face, 0, (FT_UInt)sizes[s]);
		for (int mono = 0; mono < 2; mono++) {
			uint64_t all = 0xcbf29ce484222325ull;
			for (const char *c = text; *c; c++) {
				FT_Int32 flags = FT_LOAD_RENDER | (mono ? FT_LOAD_TARGET_MONO : 0);
				if ((err = FT_Load_Char(face, (FT_ULong)(unsigned char)*c,
							flags))) {
					printf("  '%c': error %d\n", *c, err);
					continue;
				}
				const FT_GlyphSlot g = face->glyph;
				uint64_t h = bitmap_hash(&g->bitmap);
				all = fnv((const unsigned char *)&h, sizeof h, all);
				if (sizes[s] == 16)
					printf("  %2dpx %s '%c': advance %ld, %ux%u at (%d,%d), "
					       "hash %016llx\n",
					       sizes[s], mono ? "mono" : "gray", *c,
					       g->advance.x >> 6, g->bitmap.width, g->bitmap.rows,
					       g->bitmap_left, g->bitmap_top,
					       (unsigned long long)h);
			}
			printf("%2dpx %s: all glyphs hash %016llx\n", sizes[s],
			       mono ? "mono" : "gray", (unsigned long long)all);
		}
	}
	FT_Set_Pixel_Sizes(face, 0, 24);
	if (!FT_Load_Char(face, 'K', FT_LOAD_RENDER)) {
		printf("'K' at 24px:\n");
		art(&face->glyph->bitmap);
	}
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
	return 0;
}
