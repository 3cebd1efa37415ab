/*
 * stat.c - a file's or a file system's status (busybox's stat).
 *
 *   stat [-tLf] [-c FMT] FILE...
 *
 * Prints each FILE's status (lstat; -L follows links) in the long form,
 * or -t on one line, or as FMT says; -f the status of the file system
 * FILE is on (statfs). FMT is text with %-sequences: an optional printf
 * flag, width and precision ("#-+ 0" and digits, "."), then a letter
 * (busybox's: %n %N %s %b %B %o %F %a %A %f %u %U %g %G %d %D %i %h %t
 * %T %x %X %y %Y %z %Z of a file; %n %i %l %t %T %s %S %b %f %a %c %d of
 * a file system; a letter its list does not have prints itself,
 * "%%" a percent sign, a lone "%" at the end one too). FMT's output ends
 * with a newline unless it ends in "%".
 *
 * Names of owners come from getpwuid and getgrgid: "UNKNOWN" where there
 * are none (on Keel, which has no users). Times are local, to the
 * nanosecond, with the zone's offset.
 */
#include "toolbox.h"

#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define STAT_USAGE "[-tLf] [-c FMT] FILE..."

#define FILE_LONG                                                                                  \
	"  File: %N\n"                                                                             \
	"  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n"                                         \
	"Device: %Dh/%dd\tInode: %-10i  Links: %h\n"                                               \
	"Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n"                                \
	"Access: %x\nModify: %y\nChange: %z"
#define FILE_LONG_DEV                                                                              \
	"  File: %N\n"                                                                             \
	"  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n"                                         \
	"Device: %Dh/%dd\tInode: %-10i  Links: %-5h Device type: %t,%T\n"                          \
	"Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n"                                \
	"Access: %x\nModify: %y\nChange: %z"
#define FILE_TERSE "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %o"
#define FS_LONG                                                                                    \
	"  File: \"%n\"\n"                                                                         \
	"    ID: %-8i Namelen: %-7l Type: %T\n"                                                    \
	"Block size: %-10s\n"                                                                      \
	"Blocks: Total: %-10b Free: %-10f Available: %a\n"                                         \
	"Inodes: Total: %-10c Free: %d"
#define FS_TERSE "%n %i %l %t %s %b %f %a %c %d"

/* What one %-sequence prints: spec is "%" and its flags, width and
 * precision, with room for the conversion and a length modifier. */
struct field {
	char spec[40];
	const char *name;
	const void *data;
};

static void put_str(struct field *f, const char *s)
{
	strcat(f->spec, "s");
	printf(f->spec, s);
}

static void put_u(struct field *f, unsigned long long v, const char *conv)
{
	strcat(f->spec, "ll");
	strcat(f->spec, conv);
	printf(f->spec, v);
}

static void put_d(struct field *f, long long v)
{
	strcat(f->spec, "lld");
	printf(f->spec, v);
}

static void put_other(struct field *f, char c)
{
	strcat(f->spec, "c");
	printf(f->spec, c);
}

static const char *file_type(const struct stat *st)
{
	if (S_ISREG(st->st_mode))
		return st->st_size ? "regular file" : "regular empty file";
	if (S_ISDIR(st->st_mode))
		return "directory";
	if (S_ISBLK(st->st_mode))
		return "block special file";
	if (S_ISCHR(st->st_mode))
		return "character special file";
	if (S_ISFIFO(st->st_mode))
		return "fifo";
	if (S_ISLNK(st->st_mode))
		return "symbolic link";
	if (S_ISSOCK(st->st_mode))
		return "socket";
	return "weird file";
}

static const char *when(const struct timespec *ts, char out[64])
{
	char fmt[48];
	struct tm tm;
	snprintf(fmt, sizeof fmt, "%%Y-%%m-%%d %%H:%%M:%%S.%09ld %%z", (long)ts->tv_nsec);
	if (!localtime_r(&ts->tv_sec, &tm) || !strftime(out, 64, fmt, &tm))
		snprintf(out, 64, "%lld", (long long)ts->tv_sec);
	return out;
}

static void file_field(struct field *f, char c)
{
	const struct stat *st = f->data;
	char buf[64];
	switch (c) {
	case 'n':
		put_str(f, f->name);
		break;
	case 'N':
		if (S_ISLNK(st->st_mode)) {
			char target[4096];
			ssize_t n = readlink(f->name, target, sizeof target - 1);
			if (n < 0) {
				msg_errno("stat", "%s", f->name);
				break;
			}
			target[n] = '\0';
			printf("'%s' -> '%s'", f->name, target);
		} else {
			put_str(f, f->name);
		}
		break;
	case 'd':
		put_u(f, st->st_dev, "u");
		break;
	case 'D':
		put_u(f, st->st_dev, "x");
		break;
	case 'i':
		put_u(f, st->st_ino, "u");
		break;
	case 'a':
		put_u(f, st->st_mode & 07777, "o");
		break;
	case 'A':
		tb_mode_string(st->st_mode, buf);
		put_str(f, buf);
		break;
	case 'f':
		put_u(f, st->st_mode, "x");
		break;
	case 'F':
		put_str(f, file_type(st));
		break;
	case 'h':
		put_u(f, st->st_nlink, "u");
		break;
	case 'u':
		put_u(f, st->st_uid, "u");
		break;
	case 'U': {
		struct passwd *pw = getpwuid(st->st_uid);
		put_str(f, pw ? pw->pw_name : "UNKNOWN");
		break;
	}
	case 'g':
		put_u(f, st->st_gid, "u");
		break;
	case 'G': {
		struct group *gr = getgrgid(st->st_gid);
		put_str(f, gr ? gr->gr_name : "UNKNOWN");
		break;
	}
	case 't':
		put_u(f, major(st->st_rdev), "x");
		break;
	case 'T':
		put_u(f, minor(st->st_rdev), "x");
		break;
	case 's':
		put_u(f, (unsigned long long)st->st_size, "u");
		break;
	case 'B':
		put_u(f, 512, "u");
		break;
	case 'b':
		put_u(f, (unsigned long long)st->st_blocks, "u");
		break;
	case 'o':
		put_u(f, (unsigned long long)st->st_blksize, "u");
		break;
	case 'x':
		put_str(f, when(&st->st_atim, buf));
		break;
	case 'X':
		put_d(f, st->st_atim.tv_sec);
		break;
	case 'y':
		put_str(f, when(&st->st_mtim, buf));
		break;
	case 'Y':
		put_d(f, st->st_mtim.tv_sec);
		break;
	case 'z':
		put_str(f, when(&st->st_ctim, buf));
		break;
	case 'Z':
		put_d(f, st->st_ctim.tv_sec);
		break;
	default:
		put_other(f, c);
	}
}

/* The names of the kinds of file system statfs tells by number. */
static const char *fs_type_name(unsigned long type)
{
	static const struct {
		uint32_t type;
		const char *name;
	} kinds[] = {
		{ 0xadff, "affs" },
		{ 0x1cd1, "devpts" },
		{ 0x137d, "ext" },
		{ 0xef51, "ext2" },
		{ 0xef53, "ext2/ext3" },
		{ 0x3153464a, "jfs" },
		{ 0x58465342, "xfs" },
		{ 0xf995e849, "hpfs" },
		{ 0x9660, "isofs" },
		{ 0x4000, "isofs" },
		{ 0x4004, "isofs" },
		{ 0x137f, "minix" },
		{ 0x138f, "minix (30 char.)" },
		{ 0x2468, "minix v2" },
		{ 0x2478, "minix v2 (30 char.)" },
		{ 0x4d44, "msdos" },
		{ 0x4006, "fat" },
		{ 0x564c, "novell" },
		{ 0x6969, "nfs" },
		{ 0x9fa0, "proc" },
		{ 0x517b, "smb" },
		{ 0x012ff7b4, "xenix" },
		{ 0x012ff7b5, "sysv4" },
		{ 0x012ff7b6, "sysv2" },
		{ 0x012ff7b7, "coh" },
		{ 0x00011954, "ufs" },
		{ 0x012fd16d, "xia" },
		{ 0x5346544e, "ntfs" },
		{ 0x01021994, "tmpfs" },
		{ 0x52654973, "reiserfs" },
		{ 0x28cd3d45, "cramfs" },
		{ 0x7275, "romfs" },
		{ 0x858458f6, "ramfs" },
		{ 0x73717368, "squashfs" },
		{ 0x62656572, "sysfs" },
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].type == (uint32_t)type)
			return kinds[i].name;
	return "UNKNOWN";
}

static void fs_field(struct field *f, char c)
{
	const struct statfs *s = f->data;
	const unsigned *id = (const unsigned *)&s->f_fsid; /* most significant first */
	switch (c) {
	case 'n':
		put_str(f, f->name);
		break;
	case 'i':
		put_u(f, (unsigned long long)id[0] << 32 | id[1], "x");
		break;
	case 'l':
		put_u(f, (unsigned long long)s->f_namelen, "u");
		break;
	case 't':
		put_u(f, (unsigned long)s->f_type, "x");
		break;
	case 'T':
		put_str(f, fs_type_name((unsigned long)s->f_type));
		break;
	case 'b':
		put_u(f, s->f_blocks, "u");
		break;
	case 'f':
		put_u(f, s->f_bfree, "u");
		break;
	case 'a':
		put_u(f, s->f_bavail, "u");
		break;
	case 's':
	case 'S':
		put_u(f, (unsigned long long)s->f_bsize, "u");
		break;
	case 'c':
		put_u(f, s->f_files, "u");
		break;
	case 'd':
		put_u(f, s->f_ffree, "u");
		break;
	default:
		put_other(f, c);
	}
}

/* Prints fmt for one file through field (file_field or fs_field). */
static void print_format(const char *fmt, struct field *f, void (*field)(struct field *, char))
{
	for (const char *p = fmt;;) {
		const char *pct = strchr(p, '%');
		if (!pct) {
			printf("%s\n", p);
			return;
		}
		fwrite(p, 1, (size_t)(pct - p), stdout);
		/* The flags, width and precision, without glibc's 'I' (locale
		 * digits), which C's printf does not know. */
		size_t n = strspn(pct + 1, "#-+.I 0123456789"), k = 1;
		f->spec[0] = '%';
		for (size_t i = 0; i < n && k < sizeof f->spec - 8; i++)
			if (pct[1 + i] != 'I')
				f->spec[k++] = pct[1 + i];
		f->spec[k] = '\0';
		char c = pct[1 + n];
		if (c == '\0') {
			putchar('%');
			return;
		}
		if (c == '%')
			putchar('%');
		else
			field(f, c);
		p = pct + 2 + n;
	}
}

int cmd_stat(int argc, char **argv)
{
	bool terse = false, follow = false, fs = false;
	const char *fmt = NULL;
	struct opt o;
	int c, n, status = 0;

	opt_init(&o, argc, argv, "tLfc:", STAT_USAGE);
	while ((c = opt_next(&o)) != -1) {
		switch (c) {
		case 't':
			terse = true;
			break;
		case 'L':
			follow = true;
			break;
		case 'f':
			fs = true;
			break;
		case 'c':
			fmt = o.arg;
			break;
		default:
			return 1;
		}
	}
	char **files = opt_operands(&o, &n);
	if (n == 0) {
		msg_usage(argv[0], STAT_USAGE);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		struct field f = { .name = files[i] };
		if (fs) {
			struct statfs s;
			if (statfs(files[i], &s) != 0) {
				msg_errno(argv[0], "can't read file system information for '%s'",
					  files[i]);
				status = 1;
				continue;
			}
			f.data = &s;
			print_format(fmt ? fmt : terse ? FS_TERSE : FS_LONG, &f, fs_field);
		} else {
			struct stat st;
			if ((follow ? stat : lstat)(files[i], &st) != 0) {
				msg_errno(argv[0], "can't stat '%s'", files[i]);
				status = 1;
				continue;
			}
			f.data = &st;
			const char *deflt = S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode)
						    ? FILE_LONG_DEV
						    : FILE_LONG;
			print_format(fmt ? fmt : terse ? FILE_TERSE : deflt, &f, file_field);
		}
	}
	return status;
}
