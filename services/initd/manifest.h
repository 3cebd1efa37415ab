/*
 * manifest.h - the service manifest and the boot list: the two texts initd
 * reads to know what to start and with which capability footprint.
 *
 * A service manifest lives in the service's folder as `manifest`; the
 * build embeds it in the service's ELF. Example:
 *
 *     # services/vfsd/manifest
 *     name       vfsd
 *     provides   vfs                 # its inbox is registered as "vfs"
 *     restart    on-failure          # always | on-failure | never
 *     backoff    100 5000            # first restart after 100 ms, doubling, at most 5000 ms
 *     strikes    3 60                # 3 failures within 60 s: clean restart; a 4th: quarantine
 *     heartbeat  1000                # ms between heartbeats; 0 = none
 *     tier       matter              # photon | matter | gravity | void
 *     memory     4096                # page limit (not reserved)
 *     objects    256                 # kernel object quota
 *     slots      128                 # CSpace slot quota
 *     ioports    0x1f0-0x1f7         # I/O ports, first-last inclusive
 *     ioports    0x3f6               # a single port
 *     irq        14                  # an interrupt line
 *     mmio       0xfebd0000 0x1000   # physical base, size in bytes
 *     sends      topod               # may send to topod's inbox
 *
 * Syntax, shared with the boot list:
 * - The text is ASCII: a NUL byte, a byte >= 0x80 or a control character
 *   other than tab (carriage return included) is an error, so a C string
 *   terminator must not be counted in the length. At most
 *   MANIFEST_TEXT_MAX bytes; lines end at LF and hold at most
 *   MANIFEST_LINE_MAX bytes without it; the last LF may be missing.
 * - A line is words separated by spaces or tabs. `#` starts a comment that
 *   runs to the end of the line. Blank and comment-only lines are ignored.
 * - Names match [a-z][a-z0-9-]{0,31}.
 * - Numbers are decimal without leading zeros (0, 14, 4096) or hexadecimal
 *   with 0x (0x1f0, 0X1F0, 0x0060). No sign, no separators.
 *
 * Keys of a service manifest; each takes exactly the values shown, and
 * every single-valued key may appear once:
 *
 *   name NAME              required
 *   provides NAME          name of its inbox for `sends`; default: name
 *   restart POLICY         always | on-failure | never; default on-failure
 *   backoff INITIAL MAX    ms, 1..3600000, INITIAL <= MAX; default 100 10000
 *   strikes LIMIT WINDOW   1..32 failures, 1..86400 s; default 3 60
 *   heartbeat MS           0, or 10..3600000; default 0
 *   start MS               10..3600000; default 30000: with a heartbeat,
 *                          the time from its start to its hello, its
 *                          start-up, before it counts as hung (never
 *                          less than 3 heartbeats; supervise.h)
 *   tier TIER              photon | matter | gravity | void; default matter
 *   memory PAGES           1..16777216 (64 GiB); default 256. The most the
 *                          task may hold, not a reservation: pages are
 *                          charged to it and to initd as they are taken
 *                          (docs/kernel.md, "Quotas")
 *   objects N              1..65536; default 64
 *   slots N                1..65536; default 64
 *   ioports FIRST[-LAST]   repeatable (16): ports 0..0xffff, FIRST <= LAST,
 *                          no two ranges overlap
 *   irq LINE               repeatable (16): 0..255, each line once
 *   mmio BASE SIZE         repeatable (16): BASE and SIZE multiples of 4096,
 *                          SIZE > 0, BASE + SIZE <= 2^52, no overlaps
 *   sends NAME             repeatable (16): each name once; NAME is another
 *                          service's `provides` name. The service is started
 *                          only once that service has said hello (ready.h),
 *                          with a send capability to its inbox, badged with
 *                          the sender's slot, after its device capabilities;
 *                          when that service restarts, initd gives the
 *                          sender a capability to the new inbox (SERVICE_PEER,
 *                          protocol.h; keel/peers.h applies it). A name no
 *                          service provides, or a cycle of `sends`, leaves
 *                          the service blocked, reported on the console.
 *   dir PATH RIGHTS        repeatable (8): a directory capability from vfsd
 *                          (dirs.h), after the inboxes of `sends`
 *
 * Device keys (docs/devices.md, services/initd/devices.h):
 *
 *   roots devices          the service holds initd's device roots (all I/O
 *                          ports, physical address space and interrupt
 *                          lines) and hands devices out: topod. At most
 *                          one service of the boot list may say it.
 *   device pci VVVV:DDDD   the service drives the first PCI function with
 *                          this vendor and device id (hexadecimal, 4
 *                          digits each). It is started after the roots
 *                          holder, with what that holder hands out for the
 *                          function: its BARs, its interrupt line and a
 *                          configuration-space capability.
 *   device legacy NAME     the service drives the platform device NAME of
 *                          topod's registry (uart0, i8042, rtc, pit; at
 *                          most 15 characters). It is started after the
 *                          roots holder, with that device's I/O ports and
 *                          then its interrupt line; one service holds a
 *                          legacy device at a time (a second is refused).
 *                          `device` is given once: pci or legacy.
 *   busmaster yes|no       the driver's device may master the bus (DMA);
 *                          default no
 *   console debug          the service may write the kernel's debug console
 *   partition whole|N      the block device it may use (keel/block.h): the
 *                          whole disk or partition N (1..128); stamped as
 *                          (value + 1) << 32 into the badge of every send
 *                          capability it gets (whole = 0), so blkd knows
 *                          which device a client may reach
 *   uses NAME              repeatable (16): each name once; for an app
 *                          started through the launch protocol, a named
 *                          capability it may be given (tty, root, launch,
 *                          power, witness or another name its launcher
 *                          passes). It gets the capabilities that are both
 *                          declared here and passed (docs/launch.md);
 *                          initd ignores the key for services.
 *
 * The boot list (services/initd/boot.manifest) names, one per line and in
 * the preferred order, the services initd starts from the bundle, each
 * with the services it must start after:
 *
 *     # services/initd/boot.manifest
 *     topod
 *     vfsd   after topod
 *     netd   after topod vfsd
 *     shell  after vfsd
 *
 * A line is NAME, optionally followed by `after` and 1..BOOTLIST_AFTER_MAX
 * names. Every name after `after` must be listed on some line, earlier or
 * later; a service is listed once; the `after` relation has no cycles (a
 * service after itself is a cycle). The start order puts every service
 * after its dependencies and otherwise keeps the order of the lines.
 * Whether a name exists in the bundle is for the caller to check. initd
 * starts a service only once every service it is after, and every
 * service its manifest `sends` to, has said hello; a cycle through
 * `sends` is found there, not here (ready.h).
 */
#ifndef KEEL_INITD_MANIFEST_H
#define KEEL_INITD_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"
#include "dirs.h"
#include "supervise.h"

#define MANIFEST_TEXT_MAX 65536u
#define MANIFEST_LINE_MAX 256u
#define MANIFEST_NAME_MAX 32u   /* characters, without the NUL */
#define MANIFEST_LEGACY_MAX 15u /* a legacy device's name in topod's registry */
#define MANIFEST_MAX_PORTS 16u
#define MANIFEST_MAX_IRQS 16u
#define MANIFEST_MAX_MMIO 16u
#define MANIFEST_MAX_SENDS 16u
#define MANIFEST_MAX_USES 16u
#define MANIFEST_IRQ_MAX 255u
#define MANIFEST_PORT_MAX 0xffffu
#define MANIFEST_PAGES_MAX 16777216u
#define MANIFEST_OBJECTS_MAX 65536u
#define MANIFEST_SLOTS_MAX 65536u
#define MANIFEST_PHYS_LIMIT (1ull << 52) /* x86-64's widest physical address */
#define MANIFEST_MMIO_ALIGN 4096u
#define MANIFEST_MSG_MAX 128u

#define BOOTLIST_MAX 32u
#define BOOTLIST_AFTER_MAX 8u

/* Scheduling tier, in the order of enum sched_tier (kernel/core/sched/sched.h). */
enum manifest_tier {
	MANIFEST_TIER_PHOTON = 0,
	MANIFEST_TIER_MATTER = 1,
	MANIFEST_TIER_GRAVITY = 2,
	MANIFEST_TIER_VOID = 3,
};

struct manifest_ports {
	uint32_t first, last; /* inclusive */
};

struct manifest_mmio {
	uint64_t base, size; /* bytes */
};

/* A parsed service manifest. Strings are NUL-terminated copies. */
struct manifest {
	char name[MANIFEST_NAME_MAX + 1];
	char provides[MANIFEST_NAME_MAX + 1];
	struct sv_policy policy;
	enum manifest_tier tier;
	uint32_t quota_pages;
	uint32_t quota_objects;
	uint32_t quota_slots;
	uint32_t port_count;
	struct manifest_ports ports[MANIFEST_MAX_PORTS];
	uint32_t irq_count;
	uint32_t irqs[MANIFEST_MAX_IRQS];
	uint32_t mmio_count;
	struct manifest_mmio mmio[MANIFEST_MAX_MMIO];
	uint32_t send_count;
	char sends[MANIFEST_MAX_SENDS][MANIFEST_NAME_MAX + 1];
	bool device_roots;                    /* roots devices */
	bool has_pci;                         /* device pci VVVV:DDDD */
	char legacy[MANIFEST_LEGACY_MAX + 1]; /* device legacy NAME; "" for none */
	uint16_t pci_vendor, pci_device;
	bool busmaster;     /* busmaster yes */
	bool console;       /* console debug */
	uint32_t partition; /* 0: none; 1: whole disk; N + 1: partition N */
	uint32_t dir_count;
	struct manifest_dir dirs[MANIFEST_MAX_DIRS];
	uint32_t use_count;
	char uses[MANIFEST_MAX_USES][MANIFEST_NAME_MAX + 1];
};

/* One boot list line: a service and the indices of those it starts after. */
struct bootlist_entry {
	char name[MANIFEST_NAME_MAX + 1];
	uint32_t line;
	uint32_t after_count;
	uint32_t after[BOOTLIST_AFTER_MAX]; /* indices into bootlist.entries */
};

struct bootlist {
	uint32_t count;
	struct bootlist_entry entries[BOOTLIST_MAX]; /* in the order of the lines */
	uint32_t order[BOOTLIST_MAX];                /* start order: indices into entries */
};

/* What went wrong, one class per kind of mistake. */
enum manifest_err {
	MANIFEST_ERR_NONE,
	MANIFEST_ERR_TOO_LARGE,     /* text over MANIFEST_TEXT_MAX (BAD_FORMAT) */
	MANIFEST_ERR_LINE_TOO_LONG, /* BAD_FORMAT */
	MANIFEST_ERR_NUL,           /* BAD_FORMAT */
	MANIFEST_ERR_NON_ASCII,     /* BAD_FORMAT */
	MANIFEST_ERR_CONTROL,       /* control character (BAD_FORMAT) */
	MANIFEST_ERR_UNKNOWN_KEY,   /* BAD_FORMAT */
	MANIFEST_ERR_ARITY,         /* too few or too many values (BAD_FORMAT) */
	MANIFEST_ERR_BAD_NAME,      /* BAD_FORMAT */
	MANIFEST_ERR_BAD_NUMBER,    /* not a number (BAD_FORMAT) */
	MANIFEST_ERR_NUMBER_RANGE,  /* a number past its bounds or 2^64 (RANGE) */
	MANIFEST_ERR_BAD_WORD,      /* not a restart policy or tier (BAD_FORMAT) */
	MANIFEST_ERR_BAD_RANGE,     /* first > last, misaligned, past a limit (RANGE) */
	MANIFEST_ERR_DUPLICATE_KEY, /* single-valued key given twice (EXISTS) */
	MANIFEST_ERR_DUPLICATE,     /* same list entry or service twice (EXISTS) */
	MANIFEST_ERR_OVERLAP,       /* port or MMIO ranges overlap (EXISTS) */
	MANIFEST_ERR_TOO_MANY,      /* over a list's capacity (FULL) */
	MANIFEST_ERR_MISSING_KEY,   /* no name (BAD_FORMAT) */
	MANIFEST_ERR_EMPTY,         /* boot list names no service (BAD_FORMAT) */
	MANIFEST_ERR_UNKNOWN_DEP,   /* after names an unlisted service (NOT_FOUND) */
	MANIFEST_ERR_CYCLE,         /* BAD_FORMAT */
};

/* The status an error of kind code is reported with (in its comment above). */
status_t manifest_err_status(enum manifest_err code);

struct manifest_error {
	enum manifest_err code;
	uint32_t line;              /* 1-based; 0 if about the whole text */
	char msg[MANIFEST_MSG_MAX]; /* one English sentence fragment, NUL-terminated */
};

/*
 * Parses the service manifest text[0..len) into *out. Returns STATUS_OK
 * with *out complete (defaults filled in, provides set), or an error with
 * *err describing the first mistake; *out is then unspecified. Status per
 * class: see enum manifest_err. err may be NULL.
 */
status_t manifest_parse(const char *text, size_t len, struct manifest *out,
			struct manifest_error *err);

/*
 * Parses the boot list text[0..len) into *out and computes out->order.
 * Returns STATUS_OK, or an error as manifest_parse does; a cycle is
 * reported on the line of a service on it, with the cycle in the message.
 */
status_t bootlist_parse(const char *text, size_t len, struct bootlist *out,
			struct manifest_error *err);

#endif
