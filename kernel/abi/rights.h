/*
 * rights.h - capability rights, kernel object types and capability transfer
 * modes, shared by the kernel and userland.
 *
 * Every number here is part of the ABI: values never change once released
 * and new ones are appended. Plain C types only, so that libsys and the
 * kernel include the same file.
 */
#ifndef KEEL_ABI_RIGHTS_H
#define KEEL_ABI_RIGHTS_H

#include <stdint.h>

/* Kernel object types. OBJ_NONE is never the type of an object: as the
 * wanted type of a lookup it means "any type". */
enum obj_type {
	OBJ_NONE = 0,
	OBJ_TASK = 1,
	OBJ_THREAD = 2,
	OBJ_INBOX = 3,
	OBJ_MEMORY = 4,
	OBJ_IRQ = 5,
	OBJ_IOPORTS = 6,
	OBJ_MMIO = 7,
	OBJ_WITNESS = 8,
	OBJ_REPLY = 9, /* one reply to one waiting caller; always grant-once */
	OBJ_TYPE_COUNT
};

/* Rights of a capability, one bit each. A derived capability holds a subset
 * of its parent's rights, never more. */
#define RIGHT_READ (1u << 0)    /* read memory; read the witness log */
#define RIGHT_WRITE (1u << 1)   /* write memory */
#define RIGHT_EXEC (1u << 2)    /* map memory executable */
#define RIGHT_SEND (1u << 3)    /* post a message to an inbox or reply */
#define RIGHT_RECEIVE (1u << 4) /* drain an inbox, wait on its signal */
#define RIGHT_MAP (1u << 5)     /* map memory or MMIO into an address space */
#define RIGHT_GRANT (1u << 6)   /* derive, copy, move or grant this cap */
#define RIGHT_CONTROL (1u << 7) /* manage the object: kill, revoke all, ... */
#define RIGHTS_ALL 0xffu

/* How a message carries its one capability (struct keel_msg in
 * abi/message.h). The cap being sent must hold RIGHT_GRANT in every mode. */
enum cap_mode {
	CAP_COPY = 0,       /* sender keeps its cap; receiver's is derived from it */
	CAP_MOVE = 1,       /* sender's slot is emptied */
	CAP_GRANT_ONCE = 2, /* like copy, but the receiver's cap is consumed
				 * by its first successful use */
	CAP_MODE_COUNT
};

/* A capability handle names a slot in the holder's CSpace; the kernel picks
 * the value and its bits are opaque to userland. Zero is never a valid
 * handle, so a zeroed message carries no capability. */
typedef uint32_t cap_handle_t;
#define CAP_HANDLE_NONE ((cap_handle_t)0)

#endif
