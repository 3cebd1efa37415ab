/*
 * top_fmt.c - top's summary of the kernel's counters (keeltools.h):
 * uptime and CPUs, tasks, threads and objects, memory, and - between two
 * readings - system calls and kernel lock use per second; then one line
 * per CPU: the share of the time it was busy (not in its idle thread)
 * over the interval, or since boot on a first reading; then the busiest
 * tasks initd reports.
 */
#include "keeltools.h"

#include <stdio.h>
#include <string.h>

#define PAGE_KIB 4ull

/* Appends to buf at *k, as snprintf would, keeping *k the length needed. */
#define PUT(...) (*k += (size_t)snprintf(buf + (*k < n ? *k : n), *k < n ? n - *k : 0, __VA_ARGS__))

/* x per second over ns nanoseconds, in tenths. */
static uint64_t per_sec10(uint64_t x, uint64_t ns)
{
	return ns ? (uint64_t)((__uint128_t)x * 10000000000ull / ns) : 0;
}

/* part / whole in tenths of a percent. */
static uint64_t permille(uint64_t part, uint64_t whole)
{
	return whole ? (uint64_t)((__uint128_t)part * 1000 / whole) : 0;
}

static void put_uptime(const struct top_sample *s, char *buf, size_t n, size_t *k)
{
	uint64_t sec = s->uptime_ns / 1000000000ull;
	PUT("up %llu:%02llu:%02llu, %u CPU%s\n", (unsigned long long)(sec / 3600),
	    (unsigned long long)(sec / 60 % 60), (unsigned long long)(sec % 60), s->cpus,
	    s->cpus == 1 ? "" : "s");
}

static void put_memory(const struct kernel_stats *st, char *buf, size_t n, size_t *k)
{
	uint64_t total = st->total_pages, free = st->free_pages <= total ? st->free_pages : total;
	uint64_t used = permille(total - free, total);
	PUT("Memory: %llu KiB total, %llu KiB free, %llu KiB used (%llu.%llu%%)\n",
	    (unsigned long long)(total * PAGE_KIB), (unsigned long long)(free * PAGE_KIB),
	    (unsigned long long)((total - free) * PAGE_KIB), (unsigned long long)(used / 10),
	    (unsigned long long)(used % 10));
	if (st->reclaim_pending)
		PUT("        %llu pages waiting to be freed\n",
		    (unsigned long long)st->reclaim_pending);
}

/* Rates between the two readings. */
static void put_rates(const struct top_sample *s, char *buf, size_t n, size_t *k)
{
	const struct kernel_stats *a = &s->before, *b = &s->now;
	uint64_t ns = s->interval_ns;
	uint64_t calls = per_sec10(b->syscalls - a->syscalls, ns);
	uint64_t locks = b->lock_acquired - a->lock_acquired;
	uint64_t cont = permille(b->lock_contended - a->lock_contended, locks);
	PUT("Syscalls: %llu.%llu/s   Witness records: %llu new\n", (unsigned long long)(calls / 10),
	    (unsigned long long)(calls % 10),
	    (unsigned long long)(b->witness_records - a->witness_records));
	PUT("Kernel lock: %llu acquisitions/s, %llu.%llu%% contended, %llu ticks waited\n",
	    (unsigned long long)(per_sec10(locks, ns) / 10), (unsigned long long)(cont / 10),
	    (unsigned long long)(cont % 10), (unsigned long long)(b->lock_wait - a->lock_wait));
}

/* Totals since boot (a first reading). */
static void put_totals(const struct kernel_stats *st, char *buf, size_t n, size_t *k)
{
	uint64_t cont = permille(st->lock_contended, st->lock_acquired);
	PUT("Syscalls: %llu since boot   Witness records: %llu since boot\n",
	    (unsigned long long)st->syscalls, (unsigned long long)st->witness_records);
	PUT("Kernel lock: %llu acquisitions, %llu.%llu%% contended, %llu ticks waited\n",
	    (unsigned long long)st->lock_acquired, (unsigned long long)(cont / 10),
	    (unsigned long long)(cont % 10), (unsigned long long)st->lock_wait);
}

/* One line per CPU that has a record in both readings (or in the first). */
static void put_cpus(const struct top_sample *s, char *buf, size_t n, size_t *k)
{
	for (uint32_t i = 0; i < s->cpus && i < KERNEL_STATS_CPUS; i++) {
		const struct kernel_cpu_stats *a = &s->cpu_before[i], *b = &s->cpu_now[i];
		if (!(b->flags & KERNEL_CPU_ONLINE))
			continue;
		if (s->interval_ns && (a->flags & KERNEL_CPU_ONLINE) && b->busy >= a->busy &&
		    b->idle >= a->idle) {
			uint64_t busy = b->busy - a->busy, idle = b->idle - a->idle;
			uint64_t load = permille(busy, busy + idle);
			uint64_t calls = per_sec10(b->syscalls - a->syscalls, s->interval_ns);
			PUT("CPU%-3u %3llu.%llu%% busy   %llu.%llu syscalls/s   %llu switches/s\n",
			    b->cpu, (unsigned long long)(load / 10),
			    (unsigned long long)(load % 10), (unsigned long long)(calls / 10),
			    (unsigned long long)(calls % 10),
			    (unsigned long long)(per_sec10(b->switches - a->switches,
							   s->interval_ns) /
						 10));
		} else {
			uint64_t load = permille(b->busy, b->busy + b->idle);
			PUT("CPU%-3u %3llu.%llu%% busy since boot   %llu syscalls\n", b->cpu,
			    (unsigned long long)(load / 10), (unsigned long long)(load % 10),
			    (unsigned long long)b->syscalls);
		}
	}
}

/* Task i of the reading now: its run time since the reading before (all
 * of it if it was not there then). */
static uint32_t task_delta(const struct top_sample *s, uint32_t i)
{
	const struct initd_task *t = &s->tasks_now[i];
	for (uint32_t j = 0; j < s->ntasks_before; j++)
		if (s->tasks_before[j].id == t->id && s->tasks_before[j].kind == t->kind)
			return t->run_ms >= s->tasks_before[j].run_ms
				       ? t->run_ms - s->tasks_before[j].run_ms
				       : 0;
	return t->run_ms;
}

/* The busiest tasks, as many as task_rows: by run time over the interval
 * (a share of one CPU, which several threads may pass), or since they
 * started on a first reading; ties by id. Ended ones are left out. */
static void put_tasks(const struct top_sample *s, char *buf, size_t n, size_t *k)
{
	uint32_t order[TOP_TASKS_MAX], delta[TOP_TASKS_MAX], m = 0;
	uint32_t count = s->ntasks_now < TOP_TASKS_MAX ? s->ntasks_now : TOP_TASKS_MAX;
	for (uint32_t i = 0; i < count; i++) {
		if (s->tasks_now[i].flags & INITD_TASK_ENDED)
			continue;
		delta[i] = s->interval_ns ? task_delta(s, i) : s->tasks_now[i].run_ms;
		uint32_t at = m++;
		while (at > 0) { /* insertion: busiest first, then the lower id */
			uint32_t p = order[at - 1];
			if (delta[p] > delta[i] ||
			    (delta[p] == delta[i] && s->tasks_now[p].id < s->tasks_now[i].id))
				break;
			order[at] = p;
			at--;
		}
		order[at] = i;
	}
	if (!m || !s->task_rows)
		return;
	PUT("\n%5s %-8s %5s %7s %6s %s\n", "PID", "KIND", s->interval_ns ? "CPU%" : "", "TIME",
	    "MEM", "COMMAND");
	for (uint32_t r = 0; r < m && r < s->task_rows; r++) {
		const struct initd_task *t = &s->tasks_now[order[r]];
		char name[17], time[16], mem[16], share[24] = "";
		memcpy(name, t->name, 16);
		name[16] = 0;
		ps_time(t->run_ms, time, sizeof time);
		ps_memory(t->pages, mem, sizeof mem);
		if (s->interval_ns) {
			uint64_t pm = permille((uint64_t)delta[order[r]] * 1000000, s->interval_ns);
			snprintf(share, sizeof share, "%llu.%llu", (unsigned long long)(pm / 10),
				 (unsigned long long)(pm % 10));
		}
		PUT("%5u %-8s %5s %7s %6s %s\n", t->id, ps_kind(t), share, time, mem, name);
	}
}

size_t top_format(const struct top_sample *s, char *buf, size_t n)
{
	size_t len = 0, *k = &len;
	if (n)
		buf[0] = 0;
	put_uptime(s, buf, n, k);
	PUT("Tasks: %llu   Threads: %llu   Objects: %llu\n", (unsigned long long)s->now.tasks,
	    (unsigned long long)s->now.threads, (unsigned long long)s->now.objects);
	put_memory(&s->now, buf, n, k);
	if (s->interval_ns)
		put_rates(s, buf, n, k);
	else
		put_totals(&s->now, buf, n, k);
	put_cpus(s, buf, n, k);
	put_tasks(s, buf, n, k);
	return len;
}
