/* util.c - the back-end's small shared helpers: errno for a Keel status,
 * and the lock its tables take. */
#include <errno.h>

#include "backend.h"
#include "keel/sys.h"

int keel_errno(status_t st)
{
	switch (st) {
	case STATUS_OK:
		return 0;
	case STATUS_NO_MEMORY:
	case STATUS_QUOTA:
		return ENOMEM;
	case STATUS_INVALID:
	case STATUS_BAD_FORMAT:
		return EINVAL;
	case STATUS_BAD_CAP:
	case STATUS_STALE:
		return EBADF;
	case STATUS_NO_RIGHTS:
		return EACCES;
	case STATUS_FULL:
		return ENOSPC;
	case STATUS_EMPTY:
		return EAGAIN;
	case STATUS_TIMEOUT:
		return ETIMEDOUT;
	case STATUS_BAD_ADDRESS:
		return EFAULT;
	case STATUS_NOT_FOUND:
		return ENOENT;
	case STATUS_EXISTS:
		return EEXIST;
	case STATUS_RANGE:
		return ERANGE;
	case STATUS_NOT_OWNED:
		return EPERM;
	case STATUS_BUSY:
		return EBUSY;
	case STATUS_DEAD:
		return EPIPE;
	case STATUS_NO_SYSCALL:
		return ENOSYS;
	default:
		return EIO;
	}
}

void keel_lock(volatile int *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(l, __ATOMIC_RELAXED))
			sys_thread_yield();
}

void keel_unlock(volatile int *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}
