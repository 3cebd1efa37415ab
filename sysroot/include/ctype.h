/*
 * ctype.h - character classes of the "C" locale, the only locale Keel has.
 * Every function takes an int that is EOF or an unsigned char value; any
 * other argument is classified as no class (and toupper/tolower return it
 * unchanged) rather than being undefined behaviour. Bytes 0x80-0xff belong
 * to no class.
 */
#ifndef KEEL_SYSROOT_CTYPE_H
#define KEEL_SYSROOT_CTYPE_H

int isalnum(int);
int isalpha(int);
int isblank(int);
int iscntrl(int);
int isdigit(int);
int isgraph(int);
int islower(int);
int isprint(int);
int ispunct(int);
int isspace(int);
int isupper(int);
int isxdigit(int);
int tolower(int);
int toupper(int);

#endif
