/*
 * futex.h - waiting for a 32-bit word of memory to change (sys_futex_wait,
 * sys_futex_wake).
 *
 * A waiter is keyed by the memory object and the byte offset in it that
 * its address maps to in its task - not by the address - so tasks that
 * map the same object at different addresses meet on the same word, and
 * a word of shared memory works between tasks. The value check and the
 * enqueueing happen under the kernel lock, as does every wake, so a wake
 * that follows a change of the word can never slip between a waiter's
 * check and its sleep: no wake-up is lost.
 *
 * A waiter is its thread's own record (struct thread's futex fields), so
 * a wait allocates nothing: what waiting can cost a task is bounded by the
 * threads its quota already paid for. Waiters are one list, scanned by
 * wake: fine while few threads wait at once; a hash by key is the next
 * step if that changes.
 */
#ifndef KEEL_CORE_FUTEX_H
#define KEEL_CORE_FUTEX_H

#include <stdint.h>

#include "abi/status.h"

struct task;
struct thread;

/*
 * Blocks the calling thread t while the word at uaddr of its task still
 * holds val, until a futex_wake on the same word or timeout_ns (0: do not
 * wait; UINT64_MAX: no limit). Returns STATUS_OK when woken,
 * STATUS_TIMEOUT, STATUS_BUSY if the word no longer holds val,
 * STATUS_INVALID for an address not 4-byte aligned, STATUS_BAD_ADDRESS
 * for one no memory object is mapped at. Kernel lock held.
 */
status_t futex_wait(struct thread *t, uint64_t uaddr, uint32_t val, uint64_t timeout_ns);

/* Wakes up to count threads waiting on the word at uaddr of task's address
 * space, oldest first; *woken says how many. Errors as futex_wait. Lock held. */
status_t futex_wake(struct task *task, uint64_t uaddr, uint32_t count, uint64_t *woken);

/* The thread is gone: it leaves any wait. Lock held. */
void futex_thread_gone(struct thread *t);

#endif
