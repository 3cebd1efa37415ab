#!/bin/sh
# lint.sh - `ninja lint`: Keel's own C code is laid out as .clang-format
# says (which encodes ../shared/design/STYLE.md's layout), and every
# compile of it is warnings-as-errors (-Wall -Wextra -Werror). Prints each
# problem and "N passed, N failed" last; exits non-zero on a problem.
#
#   sh tools/lint.sh            check
#   sh tools/lint.sh --fix      rewrite the files clang-format would change
set -u
. build/config.sh
fix=no
[ "${1:-}" = --fix ] && fix=yes
passed=0 failed=0

# Keel's own sources: everything tracked but generated tables, the files
# that replace musl's (kept close to upstream's for review) and the header
# of assembler macros (frame.h), which clang-format would read as C.
own() {
	git ls-files '*.c' '*.h' |
		grep -v -e '^sysroot/musl/' -e '/uwidth_table\.c$' -e '^kernel/arch/x86_64/frame\.h$'
}

for f in $(own); do
	if "$CLANG_FORMAT" --dry-run --Werror "$f" > /dev/null 2>&1; then
		passed=$((passed + 1))
	elif [ $fix = yes ]; then
		"$CLANG_FORMAT" -i "$f" && echo "lint: reformatted $f"
		passed=$((passed + 1))
	else
		echo "FAIL $f is not laid out as .clang-format says (sh tools/lint.sh --fix)"
		failed=$((failed + 1))
	fi
done

# Every command that compiles one of those files carries the warnings.
own > build/lint-own.txt
ninja -t commands all test fuzz 2>/dev/null | grep -F -f build/lint-own.txt |
	grep -v -e '-Wall -Wextra -Werror' > build/lint-nowarn.txt
if [ -s build/lint-nowarn.txt ]; then
	echo "FAIL compiles of Keel's own code without -Wall -Wextra -Werror:"
	sed 's/^/    /' build/lint-nowarn.txt | head -n 10
	failed=$((failed + 1))
else
	passed=$((passed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
