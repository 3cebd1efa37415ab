/*
 * keymap.c - the US layout and xterm's key sequences (keymap.h).
 *
 * Special keys follow xterm's PC-style function keys: CSI or SS3 plus a
 * final byte, or CSI n ~; a modifier adds the parameter 1 + shift(1) +
 * alt(2) + ctrl(4), as CSI 1;m X or CSI n;m ~. Alt before anything else
 * is an ESC prefix (xterm's metaSendsEscape).
 */
#include <string.h>

#include "keymap.h"

/* Characters of the main block, unshifted and shifted, by set 1 code. */
static const char plain[0x59] = {
	[KEY_1] = '1',
	'2',
	'3',
	'4',
	'5',
	'6',
	'7',
	'8',
	'9',
	'0',
	'-',
	'=',
	[KEY_Q] = 'q',
	'w',
	'e',
	'r',
	't',
	'y',
	'u',
	'i',
	'o',
	'p',
	'[',
	']',
	[KEY_A] = 'a',
	's',
	'd',
	'f',
	'g',
	'h',
	'j',
	'k',
	'l',
	';',
	'\'',
	'`',
	[KEY_BACKSLASH] = '\\',
	[KEY_Z] = 'z',
	'x',
	'c',
	'v',
	'b',
	'n',
	'm',
	',',
	'.',
	'/',
	[KEY_SPACE] = ' ',
	[KEY_102ND] = '\\',
};

static const char shifted[0x59] = {
	[KEY_1] = '!',
	'@',
	'#',
	'$',
	'%',
	'^',
	'&',
	'*',
	'(',
	')',
	'_',
	'+',
	[KEY_Q] = 'Q',
	'W',
	'E',
	'R',
	'T',
	'Y',
	'U',
	'I',
	'O',
	'P',
	'{',
	'}',
	[KEY_A] = 'A',
	'S',
	'D',
	'F',
	'G',
	'H',
	'J',
	'K',
	'L',
	':',
	'"',
	'~',
	[KEY_BACKSLASH] = '|',
	[KEY_Z] = 'Z',
	'X',
	'C',
	'V',
	'B',
	'N',
	'M',
	'<',
	'>',
	'?',
	[KEY_SPACE] = ' ',
	[KEY_102ND] = '|',
};

/* How a special key is sent: CSI/SS3 + final, or CSI code ~. */
struct special {
	uint16_t key;
	uint8_t final; /* 0: a tilde key */
	uint8_t code;  /* the tilde key's number */
	uint8_t ss3;   /* sent with SS3 when unmodified (F1-F4), or in cursor mode (2) */
};

static const struct special specials[] = {
	{ KEY_UP, 'A', 0, 2 },     { KEY_DOWN, 'B', 0, 2 }, { KEY_RIGHT, 'C', 0, 2 },
	{ KEY_LEFT, 'D', 0, 2 },   { KEY_HOME, 'H', 0, 2 }, { KEY_END, 'F', 0, 2 },
	{ KEY_INSERT, 0, 2, 0 },   { KEY_DELETE, 0, 3, 0 }, { KEY_PAGEUP, 0, 5, 0 },
	{ KEY_PAGEDOWN, 0, 6, 0 }, { KEY_F1, 'P', 0, 1 },   { KEY_F2, 'Q', 0, 1 },
	{ KEY_F3, 'R', 0, 1 },     { KEY_F4, 'S', 0, 1 },   { KEY_F5, 0, 15, 0 },
	{ KEY_F6, 0, 17, 0 },      { KEY_F7, 0, 18, 0 },    { KEY_F8, 0, 19, 0 },
	{ KEY_F9, 0, 20, 0 },      { KEY_F10, 0, 21, 0 },   { KEY_F11, 0, 23, 0 },
	{ KEY_F12, 0, 24, 0 },
};

/* The keypad with Num Lock off: the navigation key each one is. */
static uint16_t keypad_navigation(uint16_t key)
{
	static const uint16_t nav[13] = {
		KEY_HOME, KEY_UP,   KEY_PAGEUP,   0,          KEY_LEFT,   0, KEY_RIGHT, 0,
		KEY_END,  KEY_DOWN, KEY_PAGEDOWN, KEY_INSERT, KEY_DELETE,
	};
	return key >= KEY_KP7 && key <= KEY_KPDOT ? nav[key - KEY_KP7] : 0;
}

/* The character a keypad key types with Num Lock on, and the final byte
 * of its SS3 code in application keypad mode; 0 if it is not one. */
static char keypad_char(uint16_t key, char *app)
{
	static const char chars[14] = "789-456+1230.";
	static const char codes[14] = "wxymtuvkqrspn";

	if (key >= KEY_KP7 && key <= KEY_KPDOT) {
		*app = codes[key - KEY_KP7];
		return chars[key - KEY_KP7];
	}
	switch (key) {
	case KEY_KPASTERISK:
		*app = 'j';
		return '*';
	case KEY_KPSLASH:
		*app = 'o';
		return '/';
	case KEY_KPENTER:
		*app = 'M';
		return '\r';
	default:
		return 0;
	}
}

/* Appends n bytes; a result never outgrows KEYMAP_BYTES_MAX (the longest
 * sequence, CSI 24;8~, is 7 bytes). */
static void put(struct keymap_result *res, const char *s, size_t n)
{
	if (res->len + n > KEYMAP_BYTES_MAX)
		return;
	memcpy(res->bytes + res->len, s, n);
	res->len = (uint8_t)(res->len + n);
	res->kind = KEYMAP_BYTES;
}

static void put_char(struct keymap_result *res, char c)
{
	put(res, &c, 1);
}

/* Writes v in decimal. */
static void put_number(struct keymap_result *res, unsigned v)
{
	char d[3];
	size_t n = 0;

	do {
		d[2 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < 3);
	put(res, d + 3 - n, n);
}

/* xterm's modifier parameter, 1 when there is none. */
static unsigned modifier_param(uint8_t mods)
{
	return 1 + ((mods & KEY_MOD_SHIFT) ? 1 : 0) + ((mods & KEY_MOD_ALT) ? 2 : 0) +
	       ((mods & KEY_MOD_CTRL) ? 4 : 0);
}

/* Sends special key s with the modifiers and modes. */
static void send_special(const struct special *s, uint8_t mods, unsigned modes,
			 struct keymap_result *res)
{
	unsigned m = modifier_param(mods);

	if (!s->final) {
		put(res, "\033[", 2);
		put_number(res, s->code);
		if (m > 1) {
			put_char(res, ';');
			put_number(res, m);
		}
		put_char(res, '~');
	} else if (m > 1) {
		put(res, "\033[1;", 4);
		put_number(res, m);
		put_char(res, (char)s->final);
	} else {
		bool ss3 = s->ss3 == 1 || (s->ss3 == 2 && (modes & KEYMAP_CURSOR_APP));
		put(res, ss3 ? "\033O" : "\033[", 2);
		put_char(res, (char)s->final);
	}
}

/* The special key entry for key, or NULL. */
static const struct special *find_special(uint16_t key)
{
	for (size_t i = 0; i < sizeof(specials) / sizeof(specials[0]); i++)
		if (specials[i].key == key)
			return &specials[i];
	return NULL;
}

/* Applies Ctrl to character c the way xterm does (Ctrl-A..Z, Ctrl-@ and
 * the punctuation and digit forms of the other control characters). */
static char control_of(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return (char)(c & 0x1f);
	switch (c) {
	case '@':
	case ' ':
	case '2':
		return 0x00;
	case '[':
	case '{':
	case '3':
		return 0x1b;
	case '\\':
	case '|':
	case '4':
		return 0x1c;
	case ']':
	case '}':
	case '5':
		return 0x1d;
	case '^':
	case '~':
	case '6':
		return 0x1e;
	case '_':
	case '-':
	case '/':
	case '7':
		return 0x1f;
	case '?':
	case '8':
		return 0x7f;
	default:
		return c;
	}
}

/* A key of the main block that types a character. */
static bool send_character(uint16_t key, uint8_t mods, struct keymap_result *res)
{
	char c;

	if (key >= sizeof(plain) || !plain[key])
		return false;
	c = (mods & KEY_MOD_SHIFT) ? shifted[key] : plain[key];
	if ((mods & KEY_MOD_CAPS) && plain[key] >= 'a' && plain[key] <= 'z')
		c = (mods & KEY_MOD_SHIFT) ? plain[key] : shifted[key];
	if (mods & KEY_MOD_CTRL)
		c = control_of(c);
	if (mods & KEY_MOD_ALT)
		put_char(res, '\033');
	put_char(res, c);
	return true;
}

/* Enter, Backspace, Tab and Escape. */
static bool send_editing(uint16_t key, uint8_t mods, struct keymap_result *res)
{
	char c;

	switch (key) {
	case KEY_ENTER:
		c = '\r';
		break;
	case KEY_BACKSPACE:
		c = (mods & KEY_MOD_CTRL) ? 0x08 : 0x7f;
		break;
	case KEY_TAB:
		if (mods & KEY_MOD_SHIFT) {
			put(res, "\033[Z", 3);
			return true;
		}
		c = '\t';
		break;
	case KEY_ESC:
		c = 0x1b;
		break;
	default:
		return false;
	}
	if (mods & KEY_MOD_ALT)
		put_char(res, '\033');
	put_char(res, c);
	return true;
}

/* The keypad: navigation with Num Lock off; characters, or SS3 codes in
 * application keypad mode, with it on (operators and Enter always). */
static bool send_keypad(uint16_t key, uint8_t mods, unsigned modes, struct keymap_result *res)
{
	char app = 0, c;
	uint16_t nav = keypad_navigation(key);

	if (!(mods & KEY_MOD_NUM) && key == KEY_KP5) {
		put(res, (modes & KEYMAP_CURSOR_APP) ? "\033OE" : "\033[E", 3);
		return true;
	}
	if (!(mods & KEY_MOD_NUM) && nav) {
		send_special(find_special(nav), mods, modes, res);
		return true;
	}
	c = keypad_char(key, &app);
	if (!c)
		return false;
	if ((modes & KEYMAP_KEYPAD_APP) && !(mods & KEY_MOD_SHIFT)) {
		put(res, "\033O", 2);
		put_char(res, app);
		return true;
	}
	if (mods & KEY_MOD_ALT)
		put_char(res, '\033');
	put_char(res, c);
	return true;
}

/* Console actions: Alt+F1..F4 (with or without Ctrl), Ctrl+Alt+Delete. */
static bool console_action(uint16_t key, uint8_t mods, struct keymap_result *res)
{
	if (!(mods & KEY_MOD_ALT) || (mods & KEY_MOD_SHIFT))
		return false;
	if (key >= KEY_F1 && key <= KEY_F4) {
		res->kind = KEYMAP_CONSOLE;
		res->console = (uint8_t)(key - KEY_F1 + 1);
		return true;
	}
	if ((key == KEY_DELETE || key == KEY_KPDOT) && (mods & KEY_MOD_CTRL)) {
		res->kind = KEYMAP_RESET;
		return true;
	}
	return false;
}

void keymap_translate(const struct key_event *ev, unsigned modes, struct keymap_result *res)
{
	const struct special *s;

	memset(res, 0, sizeof(*res));
	if (!(ev->flags & KEY_PRESSED) || console_action(ev->key, ev->mods, res))
		return;
	if ((s = find_special(ev->key)))
		send_special(s, ev->mods, modes, res);
	else if (!send_editing(ev->key, ev->mods, res) &&
		 !send_keypad(ev->key, ev->mods, modes, res))
		send_character(ev->key, ev->mods, res);
}
