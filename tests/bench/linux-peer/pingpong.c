/*
 * pingpong.c - Linux peer workload for Keel's benchmarks.
 *
 * Built static with musl:  musl-gcc -static -O2 -o pingpong pingpong.c
 * Runs inside QEMU with -icount shift=0,sleep=off, where the guest TSC
 * advances by exactly one per guest instruction executed (summed over all
 * vCPUs), so rdtsc differences are instruction counts while some vCPU is
 * running.  See README.md.
 *
 * Modes (argv[1]):
 *   (run as /init)  record the TSC at the first instruction of init, then
 *                   exec "/bin/sh /init.sh" with KEEL_PEER_INIT_TSC set.
 *   bench [N]       pipe ping-pong, N timed round trips (default 2000);
 *                   prints linux.boot_to_init_insns (if the stamp is set),
 *                   linux.pipe_roundtrip_insns and, with >1 CPU online,
 *                   linux.pipe_roundtrip_cross_cpu_insns.
 *   probe           checks of the TSC/icount relation, printed as
 *                   linux.probe.* lines (diagnostics, not figures).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MSG_BYTES 64
#define WARMUP 200

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static void die(const char *what)
{
	fprintf(stderr, "pingpong: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof set, &set);
}

static void xfer(int fd, char *buf, int writing)
{
	size_t done = 0;
	while (done < MSG_BYTES) {
		ssize_t n = writing ? write(fd, buf + done, MSG_BYTES - done)
				    : read(fd, buf + done, MSG_BYTES - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die(writing ? "write" : "read");
		done += (size_t)n;
	}
}

/* Total TSC ticks for `iters` round trips after WARMUP untimed ones. */
static uint64_t pingpong(int cpu_parent, int cpu_child, int iters)
{
	int to_child[2], to_parent[2];
	char buf[MSG_BYTES];
	uint64_t t0, t1;
	int status;
	pid_t pid;

	memset(buf, 0x5a, sizeof buf);
	if (pipe(to_child) || pipe(to_parent))
		die("pipe");
	if (pin(cpu_parent))
		die("sched_setaffinity(parent)");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (pin(cpu_child))
			die("sched_setaffinity(child)");
		close(to_child[1]);
		close(to_parent[0]);
		for (int i = 0; i < WARMUP + iters; i++) {
			xfer(to_child[0], buf, 0);
			xfer(to_parent[1], buf, 1);
		}
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	for (int i = 0; i < WARMUP; i++) {
		xfer(to_child[1], buf, 1);
		xfer(to_parent[0], buf, 0);
	}
	t0 = tsc();
	for (int i = 0; i < iters; i++) {
		xfer(to_child[1], buf, 1);
		xfer(to_parent[0], buf, 0);
	}
	t1 = tsc();
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		die("child");
	close(to_child[1]);
	close(to_parent[0]);
	return t1 - t0;
}

static uint64_t div_round(uint64_t a, uint64_t b)
{
	return (a + b / 2) / b;
}

static int bench(int iters)
{
	const char *stamp = getenv("KEEL_PEER_INIT_TSC");
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (stamp && *stamp)
		printf("linux.boot_to_init_insns=%s\n", stamp);
	fflush(stdout);
	printf("linux.pipe_roundtrip_insns=%llu\n",
	       (unsigned long long)div_round(pingpong(0, 0, iters), (uint64_t)iters));
	fflush(stdout);
	if (cpus > 1) {
		printf("linux.pipe_roundtrip_cross_cpu_insns=%llu\n",
		       (unsigned long long)div_round(pingpong(0, 1, iters), (uint64_t)iters));
	}
	fflush(stdout);
	return 0;
}

/* Exactly 2*n + 3 instructions between the two rdtsc (besides the fences). */
static uint64_t counted_loop(uint32_t n)
{
	uint64_t t0 = tsc(), t1;
	__asm__ volatile("mov %0, %%ecx\n\t"
			 "test %%ecx, %%ecx\n\t"
			 "jz 2f\n"
			 "1:\tdec %%ecx\n\t"
			 "jnz 1b\n"
			 "2:"
			 :
			 : "r"(n)
			 : "ecx", "cc");
	t1 = tsc();
	return t1 - t0;
}

static uint64_t min_loop(uint32_t n)
{
	uint64_t best = UINT64_MAX;
	for (int i = 0; i < 5; i++) {
		uint64_t t = counted_loop(n);
		if (t < best)
			best = t;
	}
	return best;
}

static int probe(void)
{
	const uint32_t n = 1000000;
	uint64_t a, b, base, loop;
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	/* Before pinning: musl counts online CPUs through the affinity mask. */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	pin(0);
	a = tsc();
	b = tsc();
	printf("linux.probe.rdtsc_pair=%llu\n", (unsigned long long)(b - a));
	/* Minimum of 5 runs, so a timer interrupt in one run does not count. */
	base = min_loop(0);
	loop = min_loop(n);
	printf("linux.probe.loop_0=%llu\n", (unsigned long long)base);
	printf("linux.probe.loop_%u=%llu\n", n, (unsigned long long)loop);
	/* 0 when one TSC tick is one instruction: the loop is 2n instructions. */
	printf("linux.probe.loop_%u_minus_loop_0_minus_2n=%lld\n", n,
	       (long long)(loop - base) - 2LL * n);
	/* A longer loop while another vCPU spins.  icount is one clock for
	 * all vCPUs, which QEMU runs in turns: the delta grows by what the
	 * other vCPU executed in the turns it got meanwhile. */
	if (cpus > 1) {
		const uint32_t m = 50000000;
		uint64_t alone, busy;
		pid_t pid;
		alone = counted_loop(m);
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			pin(1);
			for (;;)
				__asm__ volatile("" ::: "memory");
		}
		sleep(1);
		busy = counted_loop(m);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		printf("linux.probe.loop_%u=%llu\n", m, (unsigned long long)alone);
		printf("linux.probe.loop_%u_other_cpu_spinning=%llu\n", m,
		       (unsigned long long)busy);
	}
	/* Idle time: with sleep=off the clock jumps to the next timer, so this
	 * is ~1e8 although few instructions run. */
	a = tsc();
	nanosleep(&ts, NULL);
	b = tsc();
	printf("linux.probe.nanosleep_100ms=%llu\n", (unsigned long long)(b - a));
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');

	base = base ? base + 1 : argv[0];
	if (strcmp(base, "init") == 0) {
		/* First thing in user space: the kernel has just exec'd us. */
		uint64_t t = tsc();
		char val[32];
		snprintf(val, sizeof val, "%llu", (unsigned long long)t);
		setenv("KEEL_PEER_INIT_TSC", val, 1);
		execl("/bin/sh", "sh", "/init.sh", (char *)NULL);
		die("exec /bin/sh /init.sh");
	}
	if (argc > 1 && strcmp(argv[1], "probe") == 0)
		return probe();
	if (argc > 1 && strcmp(argv[1], "bench") == 0) {
		int iters = argc > 2 ? atoi(argv[2]) : 2000;
		if (iters <= 0)
			iters = 2000;
		return bench(iters);
	}
	fprintf(stderr, "usage: pingpong bench [N] | pingpong probe\n");
	return 2;
}
