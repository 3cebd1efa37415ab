/*
 * kabi.h - what the kernel-ABI test programs share: the labels of their
 * messages, the addresses they map things at, and a small inbox helper.
 *
 * The root program (kabi-root) runs one test chosen by kabi.test=NAME on
 * the kernel command line; the children are small programs it spawns from
 * the bundle with keel_spawn. A child learns its capabilities from
 * keel_start_cap(start, i), in the order each test documents, and its
 * parameters from keel_start_arg(start) or its start page's cmdline.
 */
#ifndef KABI_H
#define KABI_H

#include <stdbool.h>
#include <stdint.h>

#include "keel/spawn.h"
#include "keel/sys.h"

/* Message labels of the test protocols. */
enum kabi_label {
	KABI_HELLO = 0x4b410001, /* child -> root: carries a send cap to the child's inbox */
	KABI_PING,               /* call; payload[0] = counter */
	KABI_PONG,               /* reply; payload[0] = counter + 1, payload[1] = ~counter */
	KABI_BATCH,              /* call; payload[0] = n: send n KABI_ITEM, then reply */
	KABI_ITEM,               /* payload[0] = index in the batch */
	KABI_FLUSH,     /* call; the reply's payload[0] = messages drained since the last flush */
	KABI_QUIT,      /* the child exits with code 0 */
	KABI_REPORT,    /* child -> root: payload words are statuses or values */
	KABI_PEER,      /* root -> relay A: carries a send cap to relay B's inbox */
	KABI_GIFT,      /* relay A -> relay B: carries A's derived cap to root's inbox */
	KABI_TRY,       /* root -> relay: send one message to the root inbox cap */
	KABI_TRIED,     /* relay -> root: payload[0] = status of that send */
	KABI_TARGET,    /* relay -> root's target inbox; payload[0] = relay's role */
	KABI_PING_REGS, /* KABI_PING sent with sys_msg_call_regs: answered in registers */
};

/* Time limits for waiting on another task, in nanoseconds. */
#define KABI_WAIT_NS 5000000000ull
#define KABI_MS 1000000ull

/* Where children map things (their address spaces hold nothing else there). */
#define KABI_CHILD_INBOX_VA 0x0000200000000000ull
#define KABI_SHM_RW_VA 0x0000210000000000ull
#define KABI_SHM_RO_VA 0x0000220000000000ull
#define KABI_SHM_PAGES 4
/* kabi-toucher (root_demand.c): the object it touches, page by page, and
 * the page where it counts the pages touched. */
#define KABI_TOUCH_VA 0x0000250000000000ull
#define KABI_TOUCH_PAGES 4096
#define KABI_TOUCH_COUNT_VA 0x0000260000000000ull
/* kabi-stop (root_tasks.c): the page it shares with the root. */
#define KABI_STOP_VA 0x0000270000000000ull
enum { KABI_STOP_WAIT = 1, KABI_STOP_SELF = 2 }; /* kabi_stop_page.command */
struct kabi_stop_page {
	uint64_t count[3];     /* each counting thread's count: main, second, the root's */
	uint64_t command;      /* KABI_STOP_*, cleared by the child as it takes it */
	uint64_t done;         /* commands carried out */
	uint64_t count_entry;  /* the counting function, for a thread the root makes */
	uint64_t stack_top[2]; /* stacks: the second thread's, the root's thread's */
};
#define KABI_FUZZ_RESULT_VA 0x0000230000000000ull
#define KABI_FUZZ_TARGET_VA (KABI_FUZZ_RESULT_VA + 2 * KEEL_PAGE_SIZE)
#define KABI_FUZZ_ARENA_VA 0x0000240000000000ull
#define KABI_FUZZ_ARENA_PAGES 512

/* The word the shm child writes at index i of the shared pages. */
static inline uint32_t kabi_shm_word(uint32_t i)
{
	return 0x53480000u ^ (i * 2654435761u);
}

/* Payload of the fuzz child's result page (its first memory page). */
#define KABI_FUZZ_MAGIC 0x7a7a75666962616bull
#define KABI_FUZZ_CALLS 1000000u
#define KABI_FUZZ_NR_MAX 42 /* one past the last call (41): NO_SYSCALL is drawn too */
struct kabi_fuzz_result {
	uint64_t magic;                           /* KABI_FUZZ_MAGIC once the run has finished */
	uint64_t calls;                           /* system calls issued */
	uint64_t skipped;                         /* draws the filter refused (see kabi-fuzz.c) */
	uint64_t by_status[STATUS_COUNT + 1];     /* last entry: unknown statuses */
	uint64_t by_number[KABI_FUZZ_NR_MAX + 1]; /* calls issued per number */
	uint64_t tasks_created;                   /* child tasks the fuzzer made (and killed) */
};

/* The adversaries' results, one per task in the shared memory's first page
 * at the index of the badge of their hub capability (kabi-adversary.c). */
#define KABI_ADV_TASKS 3
#define KABI_ADV_MAGIC 0x7972617372657661ull
struct kabi_adv_result {
	uint64_t magic;      /* KABI_ADV_MAGIC once every thread has finished */
	uint64_t ops;        /* operations done, all threads */
	uint64_t violations; /* operations with a wrong answer */
	uint64_t reserved[5];
};

/* An inbox owned by the calling thread, with its ring mapped. */
struct kabi_inbox {
	cap_handle_t cap;      /* every right */
	cap_handle_t ring_mem; /* the ring's memory object */
	struct inbox_ring *ring;
	uint64_t mask;  /* its signal bit */
	uint64_t pages; /* pages mapped at ring */
};

/* Creates an inbox of capacity messages raising bit, maps its ring at va. */
status_t kabi_inbox_open(struct kabi_inbox *ib, uint32_t capacity, uint32_t bit, uint64_t va);

/* Unmaps the ring and deletes both capabilities. */
void kabi_inbox_close(struct kabi_inbox *ib);

/*
 * Takes the oldest message into *m, waiting up to timeout_ns for one.
 * Returns STATUS_OK or STATUS_TIMEOUT, or the status of a failed wait.
 */
status_t kabi_recv(struct kabi_inbox *ib, struct keel_msg *m, uint64_t timeout_ns);

/* Waits up to timeout_ns with no message expected (a sleep). */
void kabi_sleep(uint64_t timeout_ns);

/*
 * Adds 1 to *count, wakes every thread waiting on it with sys_futex_wake
 * and ends the calling thread - after the add, in registers only. A thread
 * whose stack its creator frees once it sees the count ends with this: the
 * count says the thread will not touch its stack again, though it may not
 * have reached sys_thread_exit yet.
 */
_Noreturn void kabi_thread_end(uint32_t *count);

/* A message with label and three payload words. */
static inline struct keel_msg kabi_msg(uint32_t label, uint64_t w0, uint64_t w1, uint64_t w2)
{
	struct keel_msg m = { .label = label, .len = 3 * sizeof(uint64_t) };
	memcpy(m.payload, &w0, 8);
	memcpy(m.payload + 8, &w1, 8);
	memcpy(m.payload + 16, &w2, 8);
	return m;
}

/* Payload word i (0-4) of m. */
static inline uint64_t kabi_word(const struct keel_msg *m, unsigned i)
{
	uint64_t v;
	memcpy(&v, m->payload + 8 * i, 8);
	return v;
}

static inline uint64_t kabi_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

#endif
