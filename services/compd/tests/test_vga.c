/* Host tests for the screen contract (screen_flush) and the VGA text-mode
 * conversion of cells. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "screen.h"
#include "vga_text.h"
#include "vt.h"

static struct vt vt;
static struct vt_cell prim[80 * 25], alt[80 * 25];
static uint16_t buffer[80 * 25];
static struct vga_text vga;
static struct screen screen = { &vga_text_ops, &vga };

static void feed(const char *s)
{
	vt_write(&vt, (const uint8_t *)s, strlen(s));
}

static void setup(unsigned rows, unsigned cols, unsigned srows, unsigned scols)
{
	CHECK_EQ(vt_init(&vt, prim, alt, 80 * 25, rows, cols), STATUS_OK);
	memset(buffer, 0, sizeof(buffer));
	vga.buffer = buffer;
	vga.rows = srows;
	vga.cols = scols;
}

static uint16_t word(unsigned r, unsigned c)
{
	return buffer[r * vga.cols + c];
}

static uint16_t cell_word(const char *seq)
{
	setup(2, 10, 2, 10);
	feed(seq);
	return vga_cell(&vt_row(&vt, 0)[0], false);
}

TEST(ascii_and_code_page_437_characters)
{
	CHECK_EQ(vga_cp437('A'), 'A');
	CHECK_EQ(vga_cp437('~'), '~');
	CHECK_EQ(vga_cp437(0xe9), 0x82);   /* é */
	CHECK_EQ(vga_cp437(0xc7), 0x80);   /* Ç */
	CHECK_EQ(vga_cp437(0x2500), 0xc4); /* ─ */
	CHECK_EQ(vga_cp437(0x2502), 0xb3); /* │ */
	CHECK_EQ(vga_cp437(0x250c), 0xda); /* ┌ */
	CHECK_EQ(vga_cp437(0x2588), 0xdb); /* █ */
	CHECK_EQ(vga_cp437(0x03c0), 0xe3); /* π */
	CHECK_EQ(vga_cp437(0x00a0), 0xff); /* no-break space */
	CHECK_EQ(vga_cp437(0x263a), 0x01); /* ☺ */
	CHECK_EQ(vga_cp437(0x2302), 0x7f); /* ⌂ */
	CHECK_EQ(vga_cp437(0x2019), '\'');
	CHECK_EQ(vga_cp437(0x25c6), 0x04); /* ◆ as ♦ */
}

TEST(characters_without_a_glyph_show_the_fallback)
{
	CHECK_EQ(vga_cp437(0x4e00), VGA_FALLBACK);
	CHECK_EQ(vga_cp437(0x1f600), VGA_FALLBACK);
	CHECK_EQ(vga_cp437(0xfffd), VGA_FALLBACK);
	CHECK_EQ(vga_cp437(0), VGA_FALLBACK);
	CHECK_EQ(vga_cp437(0x7f), VGA_FALLBACK);
	CHECK_EQ(vga_cp437(0x110000), VGA_FALLBACK);
}

TEST(every_cp437_glyph_maps_back_to_itself)
{
	/* Decode the whole code page through the vga's own tables: every
	 * byte but 0x00 and 0x20..0x7E must come back from its character. */
	for (unsigned b = 0x80; b < 0x100; b++) {
		uint32_t cp = 0;
		for (uint32_t x = 0xa0; x < 0x2600 && !cp; x++)
			if (vga_cp437(x) == b && x != 0x2022)
				cp = x;
		CHECK(cp != 0);
	}
}

TEST(colours_follow_the_vga_order)
{
	CHECK_EQ(vga_color(VT_COLOR_DEFAULT, 7), 7);
	CHECK_EQ(vga_color(VT_COLOR_INDEX(0), 7), 0);
	CHECK_EQ(vga_color(VT_COLOR_INDEX(1), 7), 4); /* red */
	CHECK_EQ(vga_color(VT_COLOR_INDEX(2), 7), 2); /* green */
	CHECK_EQ(vga_color(VT_COLOR_INDEX(3), 7), 6); /* yellow: brown */
	CHECK_EQ(vga_color(VT_COLOR_INDEX(4), 7), 1); /* blue */
	CHECK_EQ(vga_color(VT_COLOR_INDEX(5), 7), 5); /* magenta */
	CHECK_EQ(vga_color(VT_COLOR_INDEX(6), 7), 3); /* cyan */
	CHECK_EQ(vga_color(VT_COLOR_INDEX(7), 7), 7);
	CHECK_EQ(vga_color(VT_COLOR_INDEX(9), 7), 12);   /* bright red */
	CHECK_EQ(vga_color(VT_COLOR_INDEX(12), 7), 9);   /* bright blue */
	CHECK_EQ(vga_color(VT_COLOR_INDEX(196), 7), 12); /* 256-colour red */
	CHECK_EQ(vga_color(VT_COLOR_RGB(0, 0, 200), 7), 1);
}

TEST(cells_become_attribute_words)
{
	CHECK_EQ(cell_word("A"), 0x0741);
	CHECK_EQ(cell_word("\033[31;44mA"), 0x1441);
	CHECK_EQ(cell_word("\033[1mA"), 0x0f41); /* bold is bright */
	CHECK_EQ(cell_word("\033[1;32mA"), 0x0a41);
	CHECK_EQ(cell_word("\033[2mA"), 0x0841); /* dim default: dark grey */
	CHECK_EQ(cell_word("\033[2;91mA"), 0x0441);
	CHECK_EQ(cell_word("\033[7mA"), 0x7041);       /* inverse */
	CHECK_EQ(cell_word("\033[7;1mA"), 0x7041);     /* bright bg is not shown */
	CHECK_EQ(cell_word("\033[8;43mA"), 0x6641);    /* hidden */
	CHECK_EQ(cell_word("\033[101mA"), 0x4741);     /* bright bg: normal */
	CHECK_EQ(cell_word("\033[4;5;3;9mA"), 0x0741); /* not shown */
	CHECK_EQ(cell_word("\033[38;2;255;255;0mA"), 0x0e41);
	CHECK_EQ(cell_word("\xc3\xa9"), 0x0782);
}

TEST(reverse_video_swaps_again)
{
	setup(2, 10, 2, 10);
	feed("A\033[7mB");
	CHECK_EQ(vga_cell(&vt_row(&vt, 0)[0], true), 0x7041);
	CHECK_EQ(vga_cell(&vt_row(&vt, 0)[1], true), 0x0742);
}

TEST(a_wide_character_is_the_fallback_and_a_blank)
{
	setup(2, 10, 2, 10);
	feed("\xe4\xb8\x80");
	screen_flush(&vt, &screen, false);
	CHECK_EQ(word(0, 0), 0x0700 | VGA_FALLBACK);
	CHECK_EQ(word(0, 1), 0x0720);
}

TEST(flush_draws_only_dirty_rows_and_places_the_cursor)
{
	setup(3, 10, 3, 10);
	screen_flush(&vt, &screen, false);
	CHECK_EQ(word(2, 9), 0x0720);
	buffer[2 * 10 + 9] = 0xdead;
	feed("\033[2;3Hxy");
	screen_flush(&vt, &screen, false);
	CHECK_EQ(word(1, 2), 0x0778);
	CHECK_EQ(word(1, 3), 0x0779);
	CHECK_EQ(word(2, 9), 0xdead); /* row 3 was not dirty */
	CHECK_EQ(vga.cursor_row, 1);
	CHECK_EQ(vga.cursor_col, 4);
	CHECK(vga.cursor_shown);
	feed("\033[?25l");
	screen_flush(&vt, &screen, false);
	CHECK(!vga.cursor_shown);
	screen_flush(&vt, &screen, true);
	CHECK_EQ(word(2, 9), 0x0720);
}

TEST(flush_draws_what_fits_a_smaller_screen)
{
	setup(4, 12, 3, 10);
	feed("0123456789AB\033[4;1Hlast");
	screen_flush(&vt, &screen, false);
	CHECK_EQ(word(0, 9), 0x0739);
	CHECK(!vga.cursor_shown); /* the cursor is on row 4, off the screen */
	setup(2, 12, 2, 11);
	feed("0123456789\xe4\xb8\x80");
	screen_flush(&vt, &screen, false);
	CHECK_EQ(word(0, 10), 0); /* half a wide character is not drawn */
}

TEST(reverse_video_mode_reaches_the_screen)
{
	setup(2, 10, 2, 10);
	feed("A\033[?5h");
	screen_flush(&vt, &screen, false);
	CHECK_EQ(word(0, 0), 0x7041);
}

int main(void)
{
	RUN(ascii_and_code_page_437_characters);
	RUN(characters_without_a_glyph_show_the_fallback);
	RUN(every_cp437_glyph_maps_back_to_itself);
	RUN(colours_follow_the_vga_order);
	RUN(cells_become_attribute_words);
	RUN(reverse_video_swaps_again);
	RUN(a_wide_character_is_the_fallback_and_a_blank);
	RUN(flush_draws_only_dirty_rows_and_places_the_cursor);
	RUN(flush_draws_what_fits_a_smaller_screen);
	RUN(reverse_video_mode_reaches_the_screen);
	return check_summary();
}
