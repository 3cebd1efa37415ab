/* jmp.c - setjmp/longjmp and sigsetjmp/siglongjmp: returns through nested
 * calls, the value 0 turned into 1, volatile locals kept, the signal mask
 * saved and restored. Output is compared with the host build. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static jmp_buf env;
static sigjmp_buf senv;

static void deep(int n);
static void (*volatile again)(int) = deep; /* keeps the compiler's recursion check quiet */

static void deep(int n)
{
	if (n > 0)
		again(n - 1);
	else
		longjmp(env, 7);
	printf("never printed\n");
}

static int depth;

static void bounce(void)
{
	depth++;
	longjmp(env, 0);
}

int main(void)
{
	volatile int counter = 0;
	int r = setjmp(env);
	if (r == 0) {
		counter = 10;
		deep(50);
	}
	printf("setjmp returned %d, counter %d\n", r, counter);
	r = setjmp(env);
	if (r == 0)
		bounce();
	printf("longjmp(env, 0) gives %d, depth %d\n", r, depth);
	for (volatile int i = 0; i < 3; i++) {
		if (setjmp(env) == 0)
			longjmp(env, i + 100);
		printf("loop %d\n", (int)i);
	}
	sigset_t set, now;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_SETMASK, &set, NULL);
	if (sigsetjmp(senv, 1) == 0) {
		sigaddset(&set, SIGUSR2);
		sigprocmask(SIG_SETMASK, &set, NULL);
		siglongjmp(senv, 1);
	}
	sigprocmask(SIG_SETMASK, NULL, &now);
	printf("after siglongjmp: USR1 blocked %d, USR2 blocked %d\n", sigismember(&now, SIGUSR1),
	       sigismember(&now, SIGUSR2));
	return 0;
}
