/* wide.c - multibyte and wide characters in the C.UTF-8 locale and in
 * the C locale: mbrtowc and wcrtomb over valid and invalid UTF-8,
 * mbstowcs/wcstombs, wcwidth, wide classification and case mapping,
 * swprintf and wcstol. Output is compared with the host build. */
#define _GNU_SOURCE
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

static void decode(const char *label, const char *s, size_t n)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	printf("%s:", label);
	for (size_t i = 0; i < n;) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, s + i, n - i, &st);
		if (r == (size_t)-1) {
			printf(" EILSEQ@%zu", i);
			memset(&st, 0, sizeof st);
			i++;
		} else if (r == (size_t)-2) {
			printf(" INCOMPLETE");
			break;
		} else if (r == 0) {
			printf(" NUL");
			i++;
		} else {
			printf(" U+%04X/%zu", (unsigned)wc, r);
			i += r;
		}
	}
	printf("\n");
}

static void encode(wchar_t wc)
{
	char buf[MB_LEN_MAX];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t r = wcrtomb(buf, wc, &st);
	printf("wcrtomb U+%X:", (unsigned)wc);
	if (r == (size_t)-1)
		printf(" EILSEQ");
	for (size_t i = 0; r != (size_t)-1 && i < r; i++)
		printf(" %02x", (unsigned char)buf[i]);
	printf(" | wcwidth %d alpha %d upper U+%X lower U+%X\n", wcwidth(wc), !!iswalpha(wc),
	       (unsigned)towupper(wc), (unsigned)towlower(wc));
}

static void samples(void)
{
	static const char *texts[] = {
		"plain",    "caf\xc3\xa9", "\xe2\x82\xac 100", "\xf0\x9f\x98\x80!", "\xc3",
		"\xc3\x28", "\xe2\x82",    "\xed\xa0\x80",     "\xf4\x90\x80\x80",  "\xc0\xaf",
		"\xff\xfe", "a\0b",
	};
	static const size_t lens[] = { 5, 5, 7, 5, 1, 2, 2, 3, 4, 2, 2, 3 };
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		char label[16];
		snprintf(label, sizeof label, "text %zu", i);
		decode(label, texts[i], lens[i]);
	}
	static const wchar_t wcs[] = { 'A',    0xe9,   0x20ac,   0x4e2d, 0x1f600, 0x3b1,
				       0x0301, 0xd800, 0x110000, 0x7f,   0 };
	for (size_t i = 0; i < sizeof wcs / sizeof wcs[0]; i++)
		encode(wcs[i]);
	wchar_t w[32];
	size_t n = mbstowcs(w, "gr\xc3\xbc\xc3\x9f dich", 32);
	printf("mbstowcs %zu, wcslen %zu\n", n, n == (size_t)-1 ? 0 : wcslen(w));
	char back[64];
	printf("wcstombs %zu \"%s\"\n", wcstombs(back, w, sizeof back), back);
	wchar_t out[64];
	int k = swprintf(out, 64, L"%ls|%5d|%lc|%s", L"wide", 42, (wint_t)0x20ac, "narrow");
	printf("swprintf %d:", k);
	for (int i = 0; i < k; i++)
		printf(" %x", (unsigned)out[i]);
	printf("\n");
	wchar_t *end;
	printf("wcstol %ld, wcstod %g\n", wcstol(L"  -0x1F zz", &end, 0), wcstod(L"2.5e3", NULL));
	printf("MB_CUR_MAX %zu\n", (size_t)MB_CUR_MAX);
}

int main(void)
{
	printf("locale C: %s\n", setlocale(LC_ALL, "C"));
	samples();
	const char *l = setlocale(LC_ALL, "C.UTF-8");
	printf("locale C.UTF-8: %s\n", l ? l : "(null)");
	samples();
	return 0;
}
