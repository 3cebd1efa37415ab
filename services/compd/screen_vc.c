/*
 * screen_vc.c - the virtual consoles on the VGA text screen: four
 * terminals with an emulator each (vt.c), one shown at a time, drawn into
 * the text buffer at 0xB8000 (vga_text.c) with the hardware cursor moved
 * through the CRT controller's ports 0x3d4/0x3d5. Keys from inputd go to
 * the console in front, translated as an xterm would send them
 * (inputd/keymap.c); Alt+F1..F4 switch.
 */
#include "compd.h"
#include "inputd/keymap.h"
#include "keel/map.h"
#include "keel/sys.h"

#define VGA_PAGES 8 /* the mmio range 0xb8000 + 0x8000 */
#define CRTC_INDEX 0x3d4
#define CRTC_DATA 0x3d5

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

status_t vc_init(struct compd *c, cap_handle_t mmio, cap_handle_t crtc)
{
	const size_t cells = COMPD_VC_ROWS * COMPD_VC_COLS;
	for (unsigned i = 0; i < TERM_COUNT - TERM_VC_FIRST; i++) {
		struct vt_cell *grid = compd_alloc(2 * cells * sizeof *grid);
		if (!grid)
			return STATUS_NO_MEMORY;
		status_t st = vt_init(&c->vts[i], grid, grid + cells, cells, COMPD_VC_ROWS,
				      COMPD_VC_COLS);
		if (st)
			return st;
	}
	c->focus = TERM_VC_FIRST;
	c->screen_all = true;
	if (mmio == CAP_HANDLE_NONE || crtc == CAP_HANDLE_NONE || sys_ioports_enable(crtc))
		return STATUS_OK; /* no screen: the consoles still work, unseen */
	void *buf;
	status_t st = keel_map(mmio, 0, VGA_PAGES, RIGHT_READ | RIGHT_WRITE, &buf);
	if (st)
		return st;
	c->vga = (struct vga_text){ .buffer = buf, .rows = COMPD_VC_ROWS, .cols = COMPD_VC_COLS };
	c->screen = (struct screen){ &vga_text_ops, &c->vga };
	c->have_screen = true;
	return STATUS_OK;
}

/* Moves (or hides) the hardware cursor to where vga_text put it. */
static void hw_cursor(const struct vga_text *v)
{
	unsigned pos = v->cursor_row * v->cols + v->cursor_col;
	outb(CRTC_INDEX, 0x0a); /* cursor start: bit 5 hides */
	outb(CRTC_DATA, v->cursor_shown ? 0x0e : 0x20);
	outb(CRTC_INDEX, 0x0f);
	outb(CRTC_DATA, (uint8_t)pos);
	outb(CRTC_INDEX, 0x0e);
	outb(CRTC_DATA, (uint8_t)(pos >> 8));
}

void vc_flush(struct compd *c)
{
	if (!c->have_screen)
		return;
	screen_flush(&c->vts[c->focus - TERM_VC_FIRST], &c->screen, c->screen_all);
	c->screen_all = false;
	hw_cursor(&c->vga);
}

void vc_switch(struct compd *c, unsigned vc)
{
	if (vc < TERM_VC_FIRST || vc >= TERM_COUNT || vc == c->focus)
		return;
	c->focus = vc;
	c->screen_all = true;
	vc_flush(c);
}

void vc_key(struct compd *c, const uint8_t *payload, size_t len)
{
	struct key_event ev;
	struct keymap_result res;
	if (len != 4)
		return;
	ev.key = (uint16_t)(payload[0] | payload[1] << 8);
	ev.flags = payload[2];
	ev.mods = payload[3];
	if (ev.key >= KEY_COUNT)
		return;
	struct terminal *t = &c->term[c->focus];
	uint32_t vm = vt_modes(t->vt);
	unsigned modes = ((vm & VT_MODE_CURSOR_KEYS) ? KEYMAP_CURSOR_APP : 0) |
			 ((vm & VT_MODE_KEYPAD_APP) ? KEYMAP_KEYPAD_APP : 0);
	keymap_translate(&ev, modes, &res);
	if (res.kind == KEYMAP_BYTES)
		terminal_input(t, res.bytes, res.len);
	else if (res.kind == KEYMAP_CONSOLE)
		vc_switch(c, TERM_VC_FIRST + res.console - 1);
	if (res.kind == KEYMAP_BYTES && t->mode & TERM_MODE_ECHO)
		vc_flush(c);
}
