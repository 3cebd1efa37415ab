#!/bin/sh
# test_abigen.sh - builds abigen, runs it on the real definitions and on
# broken ones, and checks what it writes: the kernel table compiles
# freestanding, the stubs compile with musl and pass their arguments in the
# documented registers, and docs/abi.md is up to date.
#
# Run from the repository root. ABIGEN_TEST_DIR names the scratch directory
# (default: a fresh temporary one, removed afterwards); CC, CLANG and
# MUSL_GCC name the compilers. Prints PASS/FAIL lines and "N passed, N
# failed"; exits non-zero if anything failed.

set -u
CC=${CC:-clang}
CLANG=${CLANG:-clang}
MUSL_GCC=${MUSL_GCC:-musl-gcc}
abi=kernel/abi
if [ -n "${ABIGEN_TEST_DIR:-}" ]; then
	work=$ABIGEN_TEST_DIR
	rm -rf "$work"
	mkdir -p "$work"
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/keel-abigen.XXXXXX")
	trap 'rm -rf "$work"' EXIT
fi
abigen=$work/abigen
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

# show FILE: indents FILE's first lines under a FAIL line.
show() { sed -n '1,20s/^/    /p' "$1"; }

kflags="-target x86_64-unknown-none-elf -std=c11 -O2 -ffreestanding -fno-builtin
	-nostdlibinc -mno-red-zone -mcmodel=kernel -mno-sse -mno-sse2 -mno-mmx -mno-avx
	-msoft-float -fno-pic -fno-pie -Wall -Wextra -Werror -Wshadow
	-Wstrict-prototypes -Wmissing-prototypes -Ikernel"
uflags="-std=c11 -O2 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
	-Wmissing-prototypes -Ikernel"
kflags="$kflags -Ikernel/lib/include -Ikernel/arch/x86_64/include"
user_kflags="-target x86_64-unknown-none-elf -std=c11 -O2 -ffreestanding -fno-builtin
	-nostdlibinc -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
	-isystem build/sysroot/include -Ilibsys/include -Ikernel"

# ------------------------------------------------------------ build

if $CC -std=c11 -Wall -Wextra -Werror -O2 "$abi/abigen.c" -o "$abigen" 2> "$work/cc.txt"; then
	pass "abigen builds with -std=c11 -Wall -Wextra -Werror"
else
	fail "abigen does not build"
	show "$work/cc.txt"
	finish
fi

if "$abigen" > /dev/null 2> "$work/usage.txt"; then
	fail "abigen without arguments succeeded"
elif [ $? -eq 2 ] && grep -q '^usage: abigen SYSCALLS.DEF STATUS.DEF OUTDIR DOCS_PATH' "$work/usage.txt"; then
	pass "abigen without arguments prints usage and exits 2"
else
	fail "abigen without arguments: wrong status or message"
	show "$work/usage.txt"
fi

# ------------------------------------------------------------ the real definitions

gen=$work/gen
mkdir -p "$gen"
if "$abigen" "$abi/syscalls.def" "$abi/status.def" "$gen" "$gen/abi.md" 2> "$work/real.txt" &&
	[ ! -s "$work/real.txt" ]; then
	pass "syscalls.def and status.def are accepted without messages"
else
	fail "abigen rejects the real definitions"
	show "$work/real.txt"
	finish
fi

ncalls=$(grep -c '^syscall ' "$abi/syscalls.def")
nproto=$(grep -c '^\(status_t\|_Noreturn void\) ksys_[a-z0-9_]*(struct syscall_ctx \*ctx[,)]' "$gen/syscall_handlers.h")
nentry=$(grep -c '^	case SYS_[A-Z0-9_]*: {$' "$gen/syscall_dispatch.c")
nstub=$(grep -c '^static inline .* sys_[a-z0-9_]*(' "$gen/syscall_stubs.h")
ndoc=$(grep -c '^### sys_' "$gen/abi.md")
if [ "$nproto" -eq "$ncalls" ] && [ "$nentry" -eq "$ncalls" ] &&
	[ "$nstub" -eq "$ncalls" ] && [ "$ndoc" -eq "$ncalls" ]; then
	pass "every one of the $ncalls calls has a typed handler, a dispatcher case, a stub and a doc section"
else
	fail "calls $ncalls, handlers $nproto, dispatcher cases $nentry, stubs $nstub, doc sections $ndoc"
fi

maxnum=$(sed -n 's/^syscall \([0-9]*\) .*/\1/p' "$abi/syscalls.def" | sort -n | tail -n 1)
if grep -q "SYS_COUNT = $((maxnum + 1))" "$gen/syscall_numbers.h" &&
	grep -q '^	SYS_MSG_SEND = [0-9]*,$' "$gen/syscall_numbers.h"; then
	pass "syscall_numbers.h numbers the calls up to SYS_COUNT = $((maxnum + 1))"
else
	fail "syscall_numbers.h lacks SYS_COUNT = $((maxnum + 1)) or SYS_MSG_SEND"
fi

if $CLANG $kflags -I"$gen" -c "$gen/syscall_dispatch.c" -o "$work/dispatch.o" 2> "$work/dispatch.txt"; then
	pass "syscall_dispatch.c compiles with the kernel's flags (clang, freestanding)"
else
	fail "syscall_dispatch.c does not compile freestanding"
	show "$work/dispatch.txt"
fi
nops=$(grep -c '^	sysops\( *[a-z_][a-z0-9_]*\)\{0,1\}$' "$abi/syscalls.def")
if [ "$(grep -c '^	status_t (\*[a-z0-9_]*)(void \*ctx' "$gen/keel/sysops.h")" -eq "$nops" ] &&
	[ "$(grep -c '^	\.[a-z0-9_]* = k_[a-z0-9_]*,$' "$gen/sysops.c")" -eq "$nops" ] &&
	$CLANG $user_kflags -I"$gen" -c "$gen/sysops.c" -o "$work/sysops.o" 2> "$work/sysops.txt"; then
	pass "the $nops calls marked sysops are in struct sysops and sysops_kernel, which compiles"
else
	fail "keel/sysops.h or sysops.c does not list the $nops sysops calls, or does not compile"
	show "$work/sysops.txt" 2> /dev/null
fi

# A file that takes the address of every stub, so each is emitted.
{
	echo '#include "syscall_stubs.h"'
	echo 'typedef void (*fn)(void);'
	echo 'const fn all_stubs[] = {'
	sed -n 's/^static inline .* \(sys_[a-z0-9_]*\)(.*/	(fn)\1,/p' "$gen/syscall_stubs.h"
	echo '};'
} > "$work/stubs.c"
if $MUSL_GCC $uflags -I"$gen" -c "$work/stubs.c" -o "$work/stubs.o" 2> "$work/stubs.txt"; then
	pass "syscall_stubs.h compiles with musl-gcc, every stub emitted"
	nsys=$(objdump -d "$work/stubs.o" | grep -c '	syscall *$')
	if [ "$nsys" -eq "$ncalls" ]; then
		pass "each of the $ncalls stubs issues one SYSCALL instruction"
	else
		fail "$nsys SYSCALL instructions for $ncalls stubs"
	fi
else
	fail "syscall_stubs.h does not compile with musl-gcc"
	show "$work/stubs.txt"
fi

if $CLANG -target x86_64-unknown-none-elf -ffreestanding -std=c11 -Wall -Wextra -Werror \
	-Ikernel -I"$gen" -c "$work/stubs.c" -o "$work/stubs-clang.o" 2> "$work/stubs-clang.txt"; then
	pass "syscall_stubs.h compiles with clang, freestanding"
else
	fail "syscall_stubs.h does not compile with clang"
	show "$work/stubs-clang.txt"
fi

if [ -f docs/abi.md ] && cmp -s "$gen/abi.md" docs/abi.md; then
	pass "docs/abi.md matches the definitions"
else
	fail "docs/abi.md is missing or stale: run abigen with DOCS_PATH docs/abi.md"
fi

gen2=$work/elsewhere/gen
mkdir -p "$gen2"
"$abigen" "$PWD/$abi/syscalls.def" "$PWD/$abi/status.def" "$gen2" "$gen2/abi.md" 2> /dev/null
same=yes
for f in syscall_numbers.h syscall_handlers.h syscall_dispatch.c syscall_stubs.h keel/sysops.h \
	sysops.c abi.md; do
	cmp -s "$gen/$f" "$gen2/$f" || same="no ($f differs)"
done
if [ "$same" = yes ]; then
	pass "output depends only on the definitions, not on paths"
else
	fail "output changes with paths: $same"
fi
if find "$gen" -name '*.tmp' | grep -q .; then
	fail "temporary files left in the output directory"
else
	pass "no temporary files left behind"
fi

# ------------------------------------------------------------ a small definitions file

# Line numbers matter: the broken variants below are made by editing them.
cat > "$work/mini.def" << 'EOF'
# line 1: a small but complete definitions file
include abi/rights.h
object 1 task    a task
object 4 memory  a memory object
right 0 read     read
right 5 map      map
right 7 control  control
extern CAP_HANDLE_NONE 0 no capability
const TEST_SIZE 16 bytes in a test record
const TEST_BIG 0x8000000000000000 a value above 32 bits

syscall 1 sys_test_all
	doc     Takes an argument of every type.
	arg     u64     a   first
	arg     u32     b   second
	arg     i64     c   third
	arg     handle  d   fourth
	arg     uptr    e   inout=f  fifth
	arg     usize   f   sixth, length of e
	ret     u64     x   first result
	ret     i64     y   second result
	cap     d       task|memory  read|control
	errors  INVALID BAD_CAP STALE NO_RIGHTS BAD_ADDRESS
	text    First paragraph,
	text    second line.
	text
	text    Second paragraph.

syscall 2 sys_test_fixed
	doc     Reads a fixed-size record.
	arg     uptr    rec  in=TEST_SIZE  the record
	arg     handle  opt  an optional handle
	ret     handle  h    a handle result
	cap     opt     any  none  optional
	errors  BAD_CAP STALE
	errors  BAD_ADDRESS

syscall 4 sys_test_exit
	doc     Does not return.
	arg     u64     code  exit code
	noreturn
	errors  none

syscall 5 sys_test_ops
	doc     Is in the sysops table.
	arg     handle  h   a handle
	arg     uptr    m   inout=TEST_SIZE,char  a typed buffer
	cap     h       memory  read  stale-ok
	errors  BAD_CAP STALE NO_RIGHTS BAD_ADDRESS
	sysops

syscall 6 sys_test_regs
	doc     Takes eight arguments and returns seven results, all in registers.
	arg     u64     a1  one
	arg     u64     a2  two
	arg     u64     a3  three
	arg     u64     a4  four
	arg     u64     a5  five
	arg     u64     a6  six
	arg     u64     a7  seven, in rbx
	arg     u64     a8  eight, in r12
	ret     u64     q1  one
	ret     u64     q2  two
	ret     u64     q3  three, in r10
	ret     u64     q4  four, in r9
	ret     u64     q5  five, in rsi
	ret     u64     q6  six, in rdi
	ret     u64     q7  seven, in rbx
	errors  TIMEOUT
	regs
EOF

mini=$work/mini
mkdir -p "$mini"
if "$abigen" "$work/mini.def" "$abi/status.def" "$mini" "$mini/abi.md" 2> "$work/mini.txt"; then
	pass "a definitions file using every statement is accepted"
else
	fail "the small definitions file is rejected"
	show "$work/mini.txt"
	finish
fi

if grep -q 'SYS_COUNT = 7' "$mini/syscall_numbers.h" &&
	grep -q '^#define TEST_BIG 0x8000000000000000ull' "$mini/syscall_numbers.h" &&
	grep -q '_Static_assert(CAP_HANDLE_NONE == 0,' "$mini/syscall_numbers.h" &&
	grep -q '_Static_assert(RIGHT_MAP == 1u << 5,' "$mini/syscall_numbers.h" &&
	! grep -q 'SYS_[A-Z_]* = 3,' "$mini/syscall_numbers.h"; then
	pass "numbers keep their gap, constants and value checks are emitted"
else
	fail "syscall_numbers.h of the small file is wrong"
fi

if grep -q '^		if (a->a\[1\] >> 32)$' "$mini/syscall_dispatch.c" &&
	grep -q '^		if (a->a\[3\] >> 32)$' "$mini/syscall_dispatch.c" &&
	grep -q 'syscall_cap(ctx, a->a\[3\], SYSCALL_OBJ(OBJ_TASK) | SYSCALL_OBJ(OBJ_MEMORY), RIGHT_READ | RIGHT_CONTROL, 0, &c_d)' "$mini/syscall_dispatch.c" &&
	grep -q 'syscall_cap(ctx, a->a\[1\], 0, 0, SYSCALL_CAP_OPTIONAL, &c_opt)' "$mini/syscall_dispatch.c" &&
	grep -q 'syscall_cap(ctx, a->a\[0\], SYSCALL_OBJ(OBJ_MEMORY), RIGHT_READ, SYSCALL_CAP_STALE_OK, &c_h)' "$mini/syscall_dispatch.c" &&
	grep -q 'st = ksys_test_all(ctx, a->a\[0\], (uint32_t)a->a\[1\], (int64_t)a->a\[2\], &c_d, (uaddr_t){ a->a\[4\] }, (size_t)a->a\[5\], &o_x, &o_y);' "$mini/syscall_dispatch.c" &&
	grep -q '^		ksys_test_exit(ctx, a->a\[0\]);$' "$mini/syscall_dispatch.c"; then
	pass "the dispatcher checks u32s, handles and capabilities, then calls the typed handler"
else
	fail "syscall_dispatch.c of the small file lacks an expected line"
fi

if grep -q '^status_t ksys_test_all(struct syscall_ctx \*ctx, uint64_t a, uint32_t b, int64_t c, const struct cap_arg \*d, uaddr_t e, size_t f, uint64_t \*x, int64_t \*y);$' "$mini/syscall_handlers.h" &&
	grep -q '^status_t ksys_test_fixed(struct syscall_ctx \*ctx, uaddr_t rec, const struct cap_arg \*opt, cap_handle_t \*h);$' "$mini/syscall_handlers.h" &&
	grep -q '^_Noreturn void ksys_test_exit(struct syscall_ctx \*ctx, uint64_t code);$' "$mini/syscall_handlers.h"; then
	pass "handlers have typed prototypes: capabilities, user addresses, results"
else
	fail "handler prototypes of the small file are wrong"
fi

if grep -q '^	status_t (\*test_ops)(void \*ctx, cap_handle_t h, char \*m);$' "$mini/keel/sysops.h" &&
	grep -q '^static inline status_t sysops_test_ops(const struct sysops \*o, cap_handle_t h, char \*m)$' "$mini/keel/sysops.h" &&
	grep -q '^	return sys_test_ops(h, m);$' "$mini/sysops.c" &&
	! grep -q 'test_all' "$mini/keel/sysops.h"; then
	pass "struct sysops has exactly the calls marked sysops, with typed buffers"
else
	fail "keel/sysops.h or sysops.c of the small file is wrong"
fi

if grep -q '^static inline status_t sys_test_all(uint64_t a, uint32_t b, int64_t c, cap_handle_t d, void \*e, size_t f, uint64_t \*x, int64_t \*y)$' "$mini/syscall_stubs.h" &&
	grep -q '^static inline status_t sys_test_fixed(const void \*rec, cap_handle_t opt, cap_handle_t \*h)$' "$mini/syscall_stubs.h" &&
	grep -q '^static inline _Noreturn void sys_test_exit(uint64_t code)$' "$mini/syscall_stubs.h"; then
	pass "stubs have typed parameters, const input buffers and out parameters"
else
	fail "stub signatures of the small file are wrong"
fi

if grep -q '^First paragraph,$' "$mini/abi.md" && grep -q '^second line\.$' "$mini/abi.md" &&
	grep -B1 '^Second paragraph\.$' "$mini/abi.md" | head -n 1 | grep -q '^$' &&
	grep -q '^- `INVALID`: invalid argument$' "$mini/abi.md" &&
	grep -q '^- `d`: task or memory with `read` and `control`$' "$mini/abi.md"; then
	pass "the reference page has paragraphs, error messages and capabilities"
else
	fail "abi.md of the small file lacks an expected line"
fi

if $CLANG $kflags -I"$mini" -c "$mini/syscall_dispatch.c" -o "$work/mini-dispatch.o" 2> "$work/mini-dispatch.txt"; then
	pass "the small file's dispatcher compiles freestanding"
else
	fail "the small file's dispatcher does not compile"
	show "$work/mini-dispatch.txt"
fi

# The stubs' C side through the host hook: arguments in order, results
# written only on success, NULL out parameters skipped.
cat > "$work/host.c" << 'EOF'
#define KEEL_HOST_SYSCALL 1
#include <stdio.h>
#include "syscall_stubs.h"

static uint64_t got_nr, got[8];
static uint64_t give[7], give_status;
static int fails;

uint64_t keel_host_syscall(uint64_t nr, const uint64_t args[8], uint64_t ret[7])
{
	got_nr = nr;
	for (int i = 0; i < 8; i++)
		got[i] = args[i];
	for (int i = 0; i < 7; i++)
		ret[i] = give[i];
	return give_status;
}

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("host: %s\n", what);
		fails++;
	}
}

int main(void)
{
	char buf[8];
	uint64_t x = 7;
	int64_t y = 7;
	cap_handle_t h = 7;

	give[0] = 11;
	give[1] = (uint64_t)-12;
	give_status = STATUS_OK;
	status_t st = sys_test_all(1, 2, -3, 4, buf, sizeof buf, &x, &y);
	check(st == STATUS_OK && got_nr == SYS_TEST_ALL, "number");
	check(got[0] == 1 && got[1] == 2 && got[2] == (uint64_t)-3 && got[3] == 4 &&
	      got[4] == (uint64_t)(uintptr_t)buf && got[5] == sizeof buf, "argument order");
	check(x == 11 && y == -12, "results on success");

	give_status = STATUS_NO_RIGHTS;
	x = y = 7;
	st = sys_test_all(1, 2, 3, 4, buf, 1, &x, &y);
	check(st == STATUS_NO_RIGHTS && x == 7 && y == 7, "results untouched on failure");

	give_status = STATUS_OK;
	got[1] = got[2] = 99;
	st = sys_test_fixed(buf, CAP_HANDLE_NONE, &h);
	check(st == STATUS_OK && got_nr == SYS_TEST_FIXED && got[1] == 0 && got[2] == 0 &&
	      h == 11, "fixed buffer, unused registers zero, handle result");
	st = sys_test_fixed(buf, 5, NULL);
	check(st == STATUS_OK && got[1] == 5, "NULL out parameter");

	uint64_t q[7] = { 0 };
	for (int i = 0; i < 7; i++)
		give[i] = 100 + (uint64_t)i;
	st = sys_test_regs(1, 2, 3, 4, 5, 6, 7, 8, &q[0], &q[1], &q[2], &q[3], &q[4], &q[5],
			   &q[6]);
	check(st == STATUS_OK && got_nr == SYS_TEST_REGS && got[0] == 1 && got[5] == 6 &&
	      got[6] == 7 && got[7] == 8, "register form: eight arguments in order");
	check(q[0] == 100 && q[1] == 101 && q[2] == 102 && q[6] == 106,
	      "register form: seven results in order");
	give_status = STATUS_TIMEOUT;
	q[2] = 7;
	st = sys_test_regs(1, 2, 3, 4, 5, 6, 7, 8, &q[0], &q[1], &q[2], &q[3], &q[4], &q[5],
			   &q[6]);
	check(st == STATUS_TIMEOUT && q[2] == 7, "register form: results untouched on failure");
	printf("host: %d failures\n", fails);
	return fails != 0;
}
EOF
if $MUSL_GCC $uflags -static -I"$mini" "$work/host.c" -o "$work/host" 2> "$work/host.txt" &&
	"$work/host" > "$work/host.out" 2>&1; then
	pass "stubs pass arguments in order and write results only on success"
else
	fail "host-hook stub test"
	cat "$work/host.txt" "$work/host.out" 2> /dev/null | sed -n '1,20s/^/    /p'
fi

# The real SYSCALL path, checked against Linux, which takes its arguments
# in the same registers: getpid (rax), write (rdi, rsi, rdx) and mmap (all
# six, with the offset in r9). Linux preserves rdx and r8, so the results
# read back must equal arguments 3 and 5.
cat > "$work/linux.c" << 'EOF'
#define _DEFAULT_SOURCE 1
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "syscall_stubs.h"

int main(void)
{
	uint64_t ret[2];
	int fails = 0, fd[2];
	char page[8192], got[4];

	if (syscall_raw(39, 0, 0, 0, 0, 0, 0, ret) != (uint64_t)getpid()) {
		printf("linux: getpid through syscall_raw\n");
		fails++;
	}
	if (pipe(fd) || syscall_raw(1, (uint64_t)fd[1], (uint64_t)(uintptr_t)"abc", 3, 0, 77, 0, ret) != 3 ||
	    read(fd[0], got, 3) != 3 || memcmp(got, "abc", 3) || ret[0] != 3 || ret[1] != 77) {
		printf("linux: write through syscall_raw\n");
		fails++;
	}
	char path[] = "/tmp/keel-abigen-mmap.XXXXXX";
	int f = mkstemp(path);
	memset(page, 'a', 4096);
	memset(page + 4096, 'b', 4096);
	if (f < 0 || write(f, page, sizeof page) != (ssize_t)sizeof page) {
		printf("linux: cannot make the mmap file\n");
		return 1;
	}
	unlink(path);
	uint64_t p = syscall_raw(9, 0, 4096, PROT_READ, MAP_PRIVATE, (uint64_t)f, 4096, ret);
	if (p > (uint64_t)-4096 || *(const char *)(uintptr_t)p != 'b' || ret[0] != PROT_READ ||
	    ret[1] != (uint64_t)f) {
		printf("linux: mmap through syscall_raw\n");
		fails++;
	}
	return fails != 0;
}
EOF
if $MUSL_GCC -std=c11 -O2 -Wall -Wextra -Werror -static -Ikernel -I"$mini" "$work/linux.c" \
	-o "$work/linux" 2> "$work/linux.txt" && "$work/linux" > "$work/linux.out" 2>&1; then
	pass "SYSCALL stub puts number and six arguments in rax, rdi, rsi, rdx, r10, r8, r9"
else
	fail "SYSCALL register test against Linux"
	cat "$work/linux.txt" "$work/linux.out" 2> /dev/null | sed -n '1,20s/^/    /p'
fi

# ------------------------------------------------------------ broken definitions

# reject NAME WANT: abigen rejects bad.def (and bad-status.def, if present)
# with a message matching WANT, exits 1 and writes nothing.
reject() {
	out=$work/out
	rm -rf "$out"
	mkdir -p "$out"
	st=$abi/status.def
	[ -f "$work/bad-status.def" ] && st=$work/bad-status.def
	"$abigen" "$work/bad.def" "$st" "$out" "$out/abi.md" > "$work/bad.txt" 2>&1
	code=$?
	rm -f "$work/bad-status.def"
	if [ "$code" -ne 1 ]; then
		fail "$1: exit status $code, want 1"
	elif ! grep -q -- "$2" "$work/bad.txt"; then
		fail "$1: no message matching '$2'"
		show "$work/bad.txt"
	elif [ -n "$(ls -A "$out")" ]; then
		fail "$1: files written despite errors"
	else
		pass "rejects $1"
	fi
}

# mutate SED-SCRIPT: bad.def is mini.def edited by SED-SCRIPT.
mutate() { sed "$1" "$work/mini.def" > "$work/bad.def"; }

mutate '15s/u32/u16/'
reject "an unknown type" "^.*bad.def:15: error: unknown type 'u16'"
mutate '23s/$/ NOPE/'
reject "an unknown status name" "bad.def:23: error: unknown status 'NOPE' (not in status.def)"
mutate '29s/syscall 2/syscall 1/'
reject "a duplicate number" "bad.def:29: error: syscall number 1 already used by sys_test_all at line 12"
mutate '29s/sys_test_fixed/sys_test_all/'
reject "a duplicate name" "bad.def:29: error: syscall sys_test_all already defined at line 12"
mutate '19a\
	arg     u64     g   seventh'
reject "a seventh argument" "bad.def:20: error: sys_test_all has more than 6 arguments"
mutate '30d'
reject "a missing doc line" "bad.def:29: error: sys_test_fixed has no doc line"
mutate '42d'
reject "a missing errors line" "bad.def:38: error: sys_test_exit has no errors line"
mutate '42s/none/INVALID/'
reject "errors on a noreturn call" "bad.def:42: error: sys_test_exit is noreturn, so its errors must be 'none'"
mutate '23s/ BAD_ADDRESS//'
reject "a user pointer without BAD_ADDRESS" "bad.def:23: error: sys_test_all takes a user pointer, so its errors must include BAD_ADDRESS"
mutate '23s/ INVALID//'
reject "a u32 without INVALID" "bad.def:23: error: sys_test_all takes a u32 argument, so its errors must include INVALID"
mutate '34d'
reject "a handle without a cap line" "bad.def:32: error: handle 'opt' has no cap line"
mutate '22s/read|control/read|fly/'
reject "an unknown right" "bad.def:22: error: unknown right 'fly'"
mutate '22s/task|memory/task|disk/'
reject "an unknown object type" "bad.def:22: error: unknown object type 'disk'"
mutate '22s/cap     d /cap     a /'
reject "a cap line on a non-handle" "bad.def:22: error: cap line for 'a', which is not a handle"
mutate '18s/inout=f  //'
reject "a user pointer without direction" "bad.def:18: error: user pointer 'e' needs in=LEN, out=LEN or inout=LEN"
mutate '18s/inout=f/inout=a/'
reject "a length that is not a usize" "bad.def:18: error: length of 'e' is 'a', which is not a usize"
mutate '31s/in=TEST_SIZE/in=NO_SUCH/'
reject "an unknown length" "bad.def:31: error: length of 'rec' is 'NO_SUCH', neither an argument nor a constant"
mutate '12s/sys_test_all/sys_testall/'
reject "a name that is not sys_<noun>_<verb>" "bad.def:12: error: syscall name 'sys_testall' is not sys_<noun>_<verb>"
mutate '14s/first//'
reject "an argument without description" "bad.def:14: error: a has no description"
mutate '14s/ a / int /'
reject "a C keyword as a name" "bad.def:14: error: 'int' cannot be a parameter name"
mutate '20s/x /a /'
reject "a result named like an argument" "bad.def:20: error: sys_test_all: parameter 'a' defined twice"
mutate '23s/$/ OK/'
reject "OK in an errors line" "bad.def:23: error: OK is implied and cannot be listed"
mutate '23s/$/ STALE/'
reject "a status listed twice" "bad.def:23: error: status STALE listed twice"
mutate '42s/$/ INVALID/'
reject "errors none with names" "bad.def:42: error: 'errors none' must be the only errors statement"
mutate '3s/^/frobnicate\
/'
reject "an unknown statement" "bad.def:3: error: unknown statement 'frobnicate'"
mutate '3s/^/doc stray\
/'
reject "doc outside a syscall" "bad.def:3: error: 'doc' outside a syscall"
mutate '4s/object 4 memory/object 1 memory/'
reject "a duplicate object number" "bad.def:4: error: object number 1 already used by 'task'"
mutate '10s/0x8000000000000000/0x1ffffffffffffffff/'
reject "a constant above 64 bits" "bad.def:10: error: constant TEST_BIG: value '0x1ffffffffffffffff' is not a number"
mutate '25s/$/ *\/ oops/'
reject "text that would end a C comment" "bad.def:25: error: '\*/' is not allowed in text"
mutate '41s/$/ now/'
reject "words after noreturn" "bad.def:41: error: unexpected 'now' after noreturn"

mutate '48s/stale-ok/stale/'
reject "an unknown word in a cap line" "bad.def:48: error: unexpected 'stale' in cap line"
mutate '47s/,char/,9lives/'
reject "a pointee that is not a C name" "bad.def:47: error: user pointer 'm': '9lives' is not char or a struct tag"
mutate '41s/$/\
	sysops/'
reject "sysops on a noreturn call" "bad.def:38: error: sys_test_exit is noreturn and cannot be in sysops"
mutate '$d'
reject "seven arguments without regs" "bad.def:60: error: sys_test_regs has more than 6 arguments"
mutate '$d; 60,61d'
reject "three results without regs" "bad.def:62: error: sys_test_regs has more than 2 results"
mutate '59a\
	arg     u64     a9  nine'
reject "a ninth argument" "bad.def:62: error: sys_test_regs has more than 8 arguments"
mutate '$a\
	sysops'
reject "sysops on a register-form call" "bad.def:52: error: sys_test_regs: a register-form call cannot be noreturn or in sysops"
mutate '50s/sysops/sysops 9lives/'
reject "sysops naming no function" "bad.def:50: error: sysops takes at most a function name, not '9lives'"

# Every error is reported, not only the first.
mutate '15s/u32/u16/; 31s/in=TEST_SIZE/in=NO_SUCH/'
reject "two errors (first)" "bad.def:15: error: unknown type 'u16'"
mutate '15s/u32/u16/; 31s/in=TEST_SIZE/in=NO_SUCH/'
reject "two errors (second)" "bad.def:31: error: length of 'rec'"
mutate '15s/u32/u16/; 31s/in=TEST_SIZE/in=NO_SUCH/'
reject "two errors (count)" "^abigen: 2 errors; nothing written$"

cp "$work/mini.def" "$work/bad.def"
full=$(grep -n '^STATUS(FULL,' "$abi/status.def" | cut -d: -f1)
sed "${full}s/.*/STATUS(FULL 6 \"queue or table is full\")/" "$abi/status.def" > "$work/bad-status.def"
reject "a malformed status.def line" "bad-status.def:$full: error: expected STATUS(NAME, NUMBER, \"message\")"
sed "${full}s/6,/5,/" "$abi/status.def" > "$work/bad-status.def"
reject "a duplicate status number" "bad-status.def:$full: error: status number 5 used by STALE and FULL"
sed '/STATUS(BAD_ADDRESS/d' "$abi/status.def" > "$work/bad-status.def"
reject "a status.def without BAD_ADDRESS" "error: status BAD_ADDRESS is missing; abigen needs it"

finish
