/*
 * rename.h - lets the host tests link the sysroot next to musl.
 *
 * Force-included (-include) into every sysroot source built for the host,
 * it renames each public function f to keel_f, so the sysroot's versions
 * and musl's coexist in one test program. Included by test_sysroot.c with
 * KEEL_RENAME_DECLARE defined, it instead declares the keel_ names, so the
 * test can call both sides without the sysroot's headers (which would hide
 * musl's). The two lists must name the same functions.
 */
#ifndef KEEL_SYSROOT_RENAME_H
#define KEEL_SYSROOT_RENAME_H

#ifndef KEEL_RENAME_DECLARE

#define memcpy keel_memcpy
#define memmove keel_memmove
#define memset keel_memset
#define memcmp keel_memcmp
#define memchr keel_memchr
#define strlen keel_strlen
#define strnlen keel_strnlen
#define strcmp keel_strcmp
#define strncmp keel_strncmp
#define strchr keel_strchr
#define strrchr keel_strrchr
#define strstr keel_strstr
#define strcpy keel_strcpy
#define strncpy keel_strncpy
#define strcat keel_strcat
#define strncat keel_strncat
#define strspn keel_strspn
#define strcspn keel_strcspn
#define isalnum keel_isalnum
#define isalpha keel_isalpha
#define isblank keel_isblank
#define iscntrl keel_iscntrl
#define isdigit keel_isdigit
#define isgraph keel_isgraph
#define islower keel_islower
#define isprint keel_isprint
#define ispunct keel_ispunct
#define isspace keel_isspace
#define isupper keel_isupper
#define isxdigit keel_isxdigit
#define tolower keel_tolower
#define toupper keel_toupper
#define abs keel_abs
#define labs keel_labs
#define llabs keel_llabs
#define strtol keel_strtol
#define strtoll keel_strtoll
#define strtoul keel_strtoul
#define strtoull keel_strtoull
#define atoi keel_atoi
#define atol keel_atol
#define atoll keel_atoll
#define qsort keel_qsort
#define bsearch keel_bsearch
#define snprintf keel_snprintf
#define vsnprintf keel_vsnprintf

#else

#include <stdarg.h>
#include <stddef.h>

void *keel_memcpy(void *restrict, const void *restrict, size_t);
void *keel_memmove(void *, const void *, size_t);
void *keel_memset(void *, int, size_t);
int keel_memcmp(const void *, const void *, size_t);
void *keel_memchr(const void *, int, size_t);
size_t keel_strlen(const char *);
size_t keel_strnlen(const char *, size_t);
int keel_strcmp(const char *, const char *);
int keel_strncmp(const char *, const char *, size_t);
char *keel_strchr(const char *, int);
char *keel_strrchr(const char *, int);
char *keel_strstr(const char *, const char *);
char *keel_strcpy(char *restrict, const char *restrict);
char *keel_strncpy(char *restrict, const char *restrict, size_t);
char *keel_strcat(char *restrict, const char *restrict);
char *keel_strncat(char *restrict, const char *restrict, size_t);
size_t keel_strspn(const char *, const char *);
size_t keel_strcspn(const char *, const char *);
int keel_isalnum(int);
int keel_isalpha(int);
int keel_isblank(int);
int keel_iscntrl(int);
int keel_isdigit(int);
int keel_isgraph(int);
int keel_islower(int);
int keel_isprint(int);
int keel_ispunct(int);
int keel_isspace(int);
int keel_isupper(int);
int keel_isxdigit(int);
int keel_tolower(int);
int keel_toupper(int);
int keel_abs(int);
long keel_labs(long);
long long keel_llabs(long long);
long keel_strtol(const char *restrict, char **restrict, int);
long long keel_strtoll(const char *restrict, char **restrict, int);
unsigned long keel_strtoul(const char *restrict, char **restrict, int);
unsigned long long keel_strtoull(const char *restrict, char **restrict, int);
int keel_atoi(const char *);
long keel_atol(const char *);
long long keel_atoll(const char *);
void keel_qsort(void *, size_t, size_t, int (*)(const void *, const void *));
void *keel_bsearch(const void *, const void *, size_t, size_t,
		   int (*)(const void *, const void *));
int keel_snprintf(char *restrict, size_t, const char *restrict, ...)
	__attribute__((format(printf, 3, 4)));
int keel_vsnprintf(char *restrict, size_t, const char *restrict, va_list);
int *__keel_errno(void);

#endif
#endif
