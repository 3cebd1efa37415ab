/* sort.c - qsort and bsearch over integers, strings and records of random
 * contents (a fixed-seed generator), with checks that the result is
 * sorted and a checksum of the order. Output is compared with the host. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct rec {
	int key;
	int seq;
};

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	if (x->key != y->key)
		return (x->key > y->key) - (x->key < y->key);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static void ints(size_t n, int range)
{
	int *v = malloc(n * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = (int)(next() % (uint64_t)range) - range / 2;
	qsort(v, n, sizeof *v, cmp_int);
	uint64_t sum = 0;
	int sorted = 1;
	for (size_t i = 0; i < n; i++) {
		sum = sum * 31 + (uint64_t)(unsigned)v[i];
		if (i && v[i - 1] > v[i])
			sorted = 0;
	}
	int hits = 0;
	for (int k = -range / 2; k < range / 2; k += range / 97 + 1)
		hits += bsearch(&k, v, n, sizeof *v, cmp_int) != NULL;
	printf("ints n=%zu range=%d sorted=%d checksum=%016llx bsearch hits=%d first=%d last=%d\n",
	       n, range, sorted, (unsigned long long)sum, hits, n ? v[0] : 0, n ? v[n - 1] : 0);
	free(v);
}

static void strings(size_t n)
{
	char **v = malloc(n * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		size_t len = next() % 12;
		v[i] = malloc(len + 1);
		for (size_t j = 0; j < len; j++)
			v[i][j] = (char)('a' + next() % 6);
		v[i][len] = 0;
	}
	qsort(v, n, sizeof *v, cmp_str);
	for (size_t i = 0; i < n; i += n / 8 + 1)
		printf("  strings[%zu] = \"%s\"\n", i, v[i]);
	char *key = "abc";
	char **hit = bsearch(&key, v, n, sizeof *v, cmp_str);
	printf("strings n=%zu bsearch(\"abc\") %s\n", n, hit ? "found" : "absent");
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int main(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 7, 100, 1000, 50000 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		ints(sizes[i], 1000000);
		ints(sizes[i], 10);
	}
	strings(2000);
	struct rec r[3000];
	for (int i = 0; i < 3000; i++)
		r[i] = (struct rec){ (int)(next() % 50), i };
	qsort(r, 3000, sizeof r[0], cmp_rec);
	int ok = 1;
	for (int i = 1; i < 3000; i++)
		ok &= cmp_rec(&r[i - 1], &r[i]) < 0;
	printf("records ordered by key then sequence: %d; r[0]=%d/%d r[2999]=%d/%d\n", ok, r[0].key,
	       r[0].seq, r[2999].key, r[2999].seq);
	return 0;
}
