/*
 * text.c - UTF-8 aware measurement and movement (see text.h).
 */
#include "text.h"

#include "utf8.h"

size_t text_decode(const struct buf *b, size_t pos, uint32_t *cp)
{
	unsigned char s[4];
	size_t n = buf_get(b, pos, sizeof s, (char *)s);

	if (n == 0) {
		*cp = UTF8_INVALID;
		return 0;
	}
	return utf8_decode(s, n, cp);
}

unsigned text_width(uint32_t cp, size_t col, unsigned tabw)
{
	int w;

	if (cp == '\t')
		return tabw - (unsigned)(col % tabw);
	if (cp == UTF8_INVALID)
		return 4;
	w = utf8_width(cp);
	if (w >= 0)
		return (unsigned)w;
	return cp < 0x80 ? 2 : 4;
}

/* True if the character at pos is a zero-width mark that belongs to the
 * character before it. */
static int is_mark_at(const struct buf *b, size_t pos)
{
	uint32_t cp;

	if (text_decode(b, pos, &cp) == 0 || cp == UTF8_INVALID)
		return 0;
	return utf8_width(cp) == 0;
}

size_t text_next_char(const struct buf *b, size_t pos)
{
	uint32_t cp;
	size_t n = text_decode(b, pos, &cp);

	if (n == 0)
		return pos;
	pos += n;
	if (cp == '\n')
		return pos;
	while (is_mark_at(b, pos))
		pos += text_decode(b, pos, &cp);
	return pos;
}

/* The start of the code point (or invalid byte) that ends at pos. */
static size_t prev_code_point(const struct buf *b, size_t pos)
{
	size_t start = pos - 1;
	uint32_t cp;

	while (start > 0 && pos - start < 4 && buf_byte(b, start) >= 0 &&
	       utf8_is_cont((unsigned char)buf_byte(b, start)))
		start--;
	if (start + text_decode(b, start, &cp) == pos)
		return start;
	return pos - 1;
}

size_t text_prev_char(const struct buf *b, size_t pos)
{
	if (pos == 0)
		return 0;
	pos = prev_code_point(b, pos);
	while (pos > 0 && is_mark_at(b, pos) && buf_byte(b, pos - 1) != '\n')
		pos = prev_code_point(b, pos);
	return pos;
}

enum { CLASS_SPACE, CLASS_WORD, CLASS_PUNCT };

static int char_class(uint32_t cp)
{
	if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r')
		return CLASS_SPACE;
	if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
	    cp == '_' || (cp >= 0x80 && cp != UTF8_INVALID))
		return CLASS_WORD;
	return CLASS_PUNCT;
}

static int class_at(const struct buf *b, size_t pos)
{
	uint32_t cp;

	text_decode(b, pos, &cp);
	return char_class(cp);
}

size_t text_next_word(const struct buf *b, size_t pos)
{
	size_t len = buf_len(b);
	int c = pos < len ? class_at(b, pos) : CLASS_SPACE;

	if (c != CLASS_SPACE)
		while (pos < len && class_at(b, pos) == c)
			pos = text_next_char(b, pos);
	while (pos < len && class_at(b, pos) == CLASS_SPACE)
		pos = text_next_char(b, pos);
	return pos;
}

size_t text_prev_word(const struct buf *b, size_t pos)
{
	size_t p;
	int c;

	while (pos > 0 && class_at(b, (p = text_prev_char(b, pos))) == CLASS_SPACE)
		pos = p;
	if (pos == 0)
		return 0;
	c = class_at(b, text_prev_char(b, pos));
	while (pos > 0 && class_at(b, (p = text_prev_char(b, pos))) == c)
		pos = p;
	return pos;
}

size_t text_col(const struct buf *b, size_t pos, unsigned tabw)
{
	size_t p = buf_line_start(b, buf_line_of(b, pos)), col = 0;
	uint32_t cp;

	while (p < pos) {
		size_t n = text_decode(b, p, &cp);
		col += text_width(cp, col, tabw);
		p += n;
	}
	return col;
}

size_t text_pos_at_col(const struct buf *b, size_t line, size_t col, unsigned tabw)
{
	size_t p = buf_line_start(b, line), end = buf_line_end(b, line), c = 0;
	uint32_t cp;

	while (p < end) {
		size_t q = text_next_char(b, p);
		text_decode(b, p, &cp);
		c += text_width(cp, c, tabw);
		if (c > col)
			break;
		p = q;
	}
	return p;
}
