/*
 * keys.c - the input decoder (see keys.h). Every state has a bounded
 * amount of data; any byte that cannot continue a sequence ends it.
 */
#include "keys.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

#define CSI_MAX_LEN 32
#define PARAM_MAX 9999

void keys_init(struct keys *k)
{
	memset(k, 0, sizeof *k);
}

/* Applies a pending Alt prefix to key and returns to the ground state. */
static keycode_t finish(struct keys *k, keycode_t key)
{
	if (k->alt)
		key |= KEY_ALT;
	k->alt = 0;
	k->state = KS_GROUND;
	return key;
}

/* Modifier bits from an xterm modifier parameter (1 + shift|alt<<1|ctrl<<2). */
static keycode_t xterm_mods(unsigned p)
{
	keycode_t m = 0;

	if (p < 2)
		return 0;
	p--;
	if (p & 1)
		m |= KEY_SHIFT;
	if (p & 2)
		m |= KEY_ALT;
	if (p & 4)
		m |= KEY_CTRLMOD;
	return m;
}

/* The key of a letter-final cursor/function sequence (CSI or SS3). */
static keycode_t letter_key(unsigned char c)
{
	switch (c) {
	case 'A':
		return KEY_UP;
	case 'B':
		return KEY_DOWN;
	case 'C':
		return KEY_RIGHT;
	case 'D':
		return KEY_LEFT;
	case 'H':
		return KEY_HOME;
	case 'F':
		return KEY_END;
	case 'P':
		return KEY_F1;
	case 'Q':
		return KEY_F2;
	case 'R':
		return KEY_F3;
	case 'S':
		return KEY_F4;
	case 'Z':
		return KEY_BACKTAB;
	default:
		return KEY_UNKNOWN;
	}
}

/* The key of CSI n ~. */
static keycode_t tilde_key(unsigned n)
{
	static const keycode_t fkeys[] = {
		[11] = KEY_F1, [12] = KEY_F2,  [13] = KEY_F3,  [14] = KEY_F4,
		[15] = KEY_F5, [17] = KEY_F6,  [18] = KEY_F7,  [19] = KEY_F8,
		[20] = KEY_F9, [21] = KEY_F10, [23] = KEY_F11, [24] = KEY_F12,
	};

	switch (n) {
	case 1:
	case 7:
		return KEY_HOME;
	case 2:
		return KEY_INSERT;
	case 3:
		return KEY_DELETE;
	case 4:
	case 8:
		return KEY_END;
	case 5:
		return KEY_PGUP;
	case 6:
		return KEY_PGDN;
	case 200:
		return KEY_PASTE_BEGIN;
	case 201:
		return KEY_PASTE_END;
	}
	if (n < sizeof fkeys / sizeof fkeys[0] && fkeys[n])
		return fkeys[n];
	return KEY_UNKNOWN;
}

/* Handles one byte inside a CSI sequence. */
static size_t feed_csi(struct keys *k, unsigned char c, keycode_t *out)
{
	keycode_t key;

	if (++k->seqlen > CSI_MAX_LEN) {
		k->state = KS_GROUND;
		k->alt = 0;
		return 0;
	}
	if (c == '[' && k->seqlen == 1) {
		k->state = KS_LINUX_F;
		return 0;
	}
	if (c >= '0' && c <= '9') {
		unsigned *p = &k->params[k->nparams ? k->nparams - 1 : 0];
		if (k->nparams == 0)
			k->nparams = 1;
		if (k->nparams <= 4 && *p <= PARAM_MAX)
			*p = *p * 10 + (c - '0');
		return 0;
	}
	if (c == ';') {
		if (k->nparams == 0)
			k->nparams = 1;
		if (k->nparams < 4)
			k->params[k->nparams] = 0;
		k->nparams++;
		return 0;
	}
	if (c >= 0x20 && c < 0x40)
		return 0; /* private markers and intermediates: ignored */
	if (c < 0x20 || c > 0x7e) {
		k->state = KS_GROUND; /* not a sequence after all: drop it */
		k->alt = 0;
		return 0;
	}
	key = c == '~' ? tilde_key(k->params[0]) : letter_key(c);
	if (k->nparams >= 2)
		key |= xterm_mods(k->params[1]);
	out[0] = finish(k, key);
	return 1;
}

/* Starts collecting a CSI sequence. */
static void start_csi(struct keys *k)
{
	k->state = KS_CSI;
	k->nparams = 0;
	k->seqlen = 0;
	memset(k->params, 0, sizeof k->params);
}

/* Emits the collected UTF-8 bytes as raw byte keys. */
static size_t flush_utf8(struct keys *k, keycode_t *out)
{
	size_t n = k->u8len;

	for (size_t i = 0; i < n; i++)
		out[i] = KEY_BYTE(k->u8[i]) | (k->alt && i == 0 ? KEY_ALT : 0);
	k->u8len = 0;
	k->alt = 0;
	k->state = KS_GROUND;
	return n;
}

static size_t feed_ground(struct keys *k, unsigned char c, keycode_t *out);

/* Handles a byte while a UTF-8 sequence is incomplete. */
static size_t feed_utf8(struct keys *k, unsigned char c, keycode_t *out)
{
	uint32_t cp;
	size_t n;

	if (!utf8_is_cont(c)) {
		n = flush_utf8(k, out);
		return n + feed_ground(k, c, out + n);
	}
	k->u8[k->u8len++] = c;
	if (k->u8len < k->u8need)
		return 0;
	if (utf8_decode(k->u8, k->u8len, &cp) != k->u8len)
		return flush_utf8(k, out);
	k->u8len = 0;
	out[0] = finish(k, (keycode_t)cp);
	return 1;
}

static size_t feed_ground(struct keys *k, unsigned char c, keycode_t *out)
{
	if (c == 0x1b) {
		k->state = KS_ESC;
		return 0;
	}
	if (c < 0x80) {
		out[0] = finish(k, c);
		return 1;
	}
	k->u8[0] = c;
	k->u8len = 1;
	k->u8need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	if (c < 0xc2 || c > 0xf4)
		return flush_utf8(k, out);
	k->state = KS_UTF8;
	return 0;
}

/* Handles the byte after an ESC. */
static size_t feed_esc(struct keys *k, unsigned char c, keycode_t *out)
{
	if (c == '[') {
		start_csi(k);
		return 0;
	}
	if (c == 'O') {
		k->state = KS_SS3;
		return 0;
	}
	if (c == 0x1b) {
		out[0] = KEY_ESC; /* the first ESC stands alone */
		return 1;
	}
	k->state = KS_GROUND;
	k->alt = 1;
	return feed_ground(k, c, out);
}

size_t keys_feed(struct keys *k, unsigned char c, keycode_t *out)
{
	switch (k->state) {
	case KS_ESC:
		return feed_esc(k, c, out);
	case KS_CSI:
		return feed_csi(k, c, out);
	case KS_SS3:
		out[0] = finish(k, c >= 0x40 && c <= 0x7e ? letter_key(c) : KEY_UNKNOWN);
		return 1;
	case KS_LINUX_F:
		out[0] = finish(k, c >= 'A' && c <= 'E' ? KEY_F1 + (c - 'A') : KEY_UNKNOWN);
		return 1;
	case KS_UTF8:
		return feed_utf8(k, c, out);
	default:
		return feed_ground(k, c, out);
	}
}

size_t keys_idle(struct keys *k, keycode_t *out)
{
	switch (k->state) {
	case KS_ESC:
		out[0] = finish(k, KEY_ESC);
		return 1;
	default:
		/* ESC [ and ESC O wait for the rest of their sequence however
		 * long it takes: a serial line splits sequences anywhere, and
		 * nobody types Esc and [ as one burst. */
		return 0;
	}
}

bool keys_partial(const struct keys *k)
{
	return k->state == KS_ESC;
}

static const char *const special_names[] = {
	"Up",   "Down",  "Right", "Left", "Home", "End",        "Insert",   "Delete",  "PgUp",
	"PgDn", "S-Tab", "F1",    "F2",   "F3",   "F4",         "F5",       "F6",      "F7",
	"F8",   "F9",    "F10",   "F11",  "F12",  "PasteBegin", "PasteEnd", "Unknown",
};

void keys_name(keycode_t key, char *out, size_t size)
{
	keycode_t base = KEY_BASE(key);
	char body[16];

	if (base >= KEY_SPECIAL && base <= KEY_UNKNOWN)
		snprintf(body, sizeof body, "%s", special_names[base - KEY_SPECIAL]);
	else if (KEY_IS_BYTE(key))
		snprintf(body, sizeof body, "\\x%02x", (unsigned)(key & 0xff));
	else if (base < 0x20)
		snprintf(body, sizeof body, "^%c", (char)(base + '@'));
	else if (base == 0x7f)
		snprintf(body, sizeof body, "^?");
	else if (base < 0x7f)
		snprintf(body, sizeof body, "%c", (char)base);
	else
		snprintf(body, sizeof body, "U+%04X", (unsigned)base);
	snprintf(out, size, "%s%s%s%s", key & KEY_CTRLMOD ? "C-" : "", key & KEY_ALT ? "M-" : "",
		 key & KEY_SHIFT ? "S-" : "", body);
}
