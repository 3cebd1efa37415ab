/*
 * hello.c - a program that is only on the disk (/apps/hello), never in
 * the boot bundle: it prints a greeting with its arguments, so a test
 * sees that initd found it in /apps and passed its argv, and exits with
 * the number of its arguments.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("hello from /apps:");
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	return argc - 1;
}
