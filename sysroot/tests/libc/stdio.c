/* stdio.c - stdio buffering and streams: stdout unbuffered, line- and
 * fully buffered in turn (the bytes must come out the same), fmemopen
 * reading and writing, open_memstream, ungetc, fgets/getline on memory
 * streams, snprintf truncation, perror-free error paths (fopen of a
 * missing file). Output is compared with the host build. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void lines(const char *mode)
{
	for (int i = 0; i < 3; i++) {
		printf("%s line %d:", mode, i);
		for (int j = 0; j < 5; j++)
			putchar('a' + j);
		fputs(" end\n", stdout);
	}
	fwrite("written with fwrite\n", 1, 20, stdout);
}

int main(void)
{
	static char full[8192];
	setvbuf(stdout, NULL, _IONBF, 0);
	lines("unbuffered");
	setvbuf(stdout, NULL, _IOLBF, 64);
	lines("line-buffered");
	setvbuf(stdout, full, _IOFBF, sizeof full);
	lines("fully buffered");
	fflush(stdout);

	char buf[64] = "alpha\nbeta\ngamma";
	FILE *f = fmemopen(buf, strlen(buf), "r");
	char line[16];
	while (fgets(line, sizeof line, f))
		printf("fgets: [%s]\n", strtok(line, "\n"));
	printf("feof %d ferror %d\n", feof(f), ferror(f));
	rewind(f);
	int c = fgetc(f);
	ungetc('X', f);
	int c2 = fgetc(f);
	printf("fgetc %c then ungetc X, fgetc %c ftell %ld\n", c, c2, ftell(f));
	fclose(f);

	char out[32];
	f = fmemopen(out, sizeof out, "w");
	fprintf(f, "%d+%d=%d", 2, 2, 4);
	fclose(f);
	printf("fmemopen write: [%s]\n", out);

	char *mem = NULL;
	size_t len = 0;
	f = open_memstream(&mem, &len);
	for (int i = 0; i < 1000; i++)
		fprintf(f, "%d,", i);
	fclose(f);
	printf("open_memstream: %zu bytes, starts [%.20s] ends [%s]\n", len, mem, mem + len - 8);
	free(mem);

	char *gl = NULL;
	size_t cap = 0;
	f = fmemopen("one\ntwo two\n\nlast", 17, "r");
	ssize_t n;
	while ((n = getline(&gl, &cap, f)) >= 0)
		printf("getline %zd [%.*s]\n", n, (int)strcspn(gl, "\n"), gl);
	fclose(f);
	free(gl);

	errno = 0;
	f = fopen("/no/such/file", "r");
	printf("fopen missing: %s, errno ENOENT %d\n", f ? "opened" : "NULL", errno == ENOENT);
	printf("snprintf(NULL, 0) = %d\n", snprintf(NULL, 0, "%s-%d", "abc", 12345));
	printf("sscanf %%[: ");
	char word[8];
	printf("%d [%s]\n", sscanf("key=value", "%7[^=]", word), word);
	return 0;
}
