/*
 * ps_fmt.c - ps's table in words (keeltools.h): one row per task initd
 * reports (services/initd/protocol.h, INITD_TASKS).
 */
#include "keeltools.h"

#include <stdio.h>
#include <string.h>

const char *ps_heading(void)
{
	return "  PID  PPID KIND        TIME    MEM THR COMMAND";
}

const char *ps_kind(const struct initd_task *t)
{
	if (t->kind == INITD_TASK_INITD)
		return "initd";
	if (t->kind == INITD_TASK_SERVICE)
		return "service";
	if (t->flags & INITD_TASK_ENDED)
		return "ended";
	if (t->flags & INITD_TASK_STOPPED)
		return "stopped";
	return t->flags & INITD_TASK_BACKGROUND ? "job" : "program";
}

void ps_time(uint32_t ms, char *buf, size_t n)
{
	unsigned s = ms / 1000;
	if (s < 3600)
		snprintf(buf, n, "%u:%02u.%02u", s / 60, s % 60, ms % 1000 / 10);
	else
		snprintf(buf, n, "%u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
}

void ps_memory(uint32_t pages, char *buf, size_t n)
{
	unsigned long long kib = (unsigned long long)pages * 4;
	if (kib < 10240)
		snprintf(buf, n, "%lluK", kib);
	else if (kib < 1024ull * 1024)
		snprintf(buf, n, "%llu.%lluM", kib / 1024, kib % 1024 * 10 / 1024);
	else
		snprintf(buf, n, "%llu.%lluG", kib >> 20, (kib & 0xfffff) * 10 >> 20);
}

void ps_row(const struct initd_task *t, const char *args, char *buf, size_t n)
{
	char name[17], parent[12] = "-", time[16] = "-", mem[16] = "-", threads[8] = "-";
	memcpy(name, t->name, 16);
	name[16] = 0;
	if (t->parent)
		snprintf(parent, sizeof parent, "%u", t->parent);
	if (!(t->flags & INITD_TASK_ENDED)) {
		ps_time(t->run_ms, time, sizeof time);
		ps_memory(t->pages, mem, sizeof mem);
		snprintf(threads, sizeof threads, "%u", t->threads);
	}
	snprintf(buf, n, "%5u %5s %-8s %7s %6s %3s %s", t->id, parent, ps_kind(t), time, mem,
		 threads, args && args[0] ? args : name);
}
