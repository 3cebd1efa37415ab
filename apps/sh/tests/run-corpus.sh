#!/bin/sh
# run-corpus.sh - the conformance corpus: every case runs under the shell
# being tested and under dash, each in a fresh empty directory; stdout,
# stderr (with the shells' names normalised) and the exit status must match.
#
# usage: apps/sh/tests/run-corpus.sh [SHELL [REFERENCE]]
#   SHELL defaults to $SH or build/host/apps/sh/sh, REFERENCE to /bin/dash.
# The corpus is apps/sh/tests/corpus/*.t: cases start with a line
# "### name" and run until the next one.  Cases named in
# corpus-differences.txt ("name: reason") are deliberate differences: they
# are run and reported but not counted as failures.  Set VERBOSE=1 to see
# the diffs of failures, ONLY=pattern to run matching cases.
here=$(cd "$(dirname "$0")" && pwd)
sut=${1:-${SH:-build/host/apps/sh/sh}}
ref=${2:-/bin/dash}
case $sut in /*) ;; *) sut=$(pwd)/$sut ;; esac
[ -x "$sut" ] || { echo "run-corpus: no shell at $sut" >&2; exit 2; }
[ -x "$ref" ] || { echo "run-corpus: no reference shell at $ref" >&2; exit 2; }

tmp=$(mktemp -d /tmp/sh-corpus.XXXXXX) || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/cases"

# Split the corpus into one file per case; list their names in order.
for f in "$here"/corpus/*.t; do
	awk -v dir="$tmp/cases" -v list="$tmp/list" '
		/^### / { if (out) close(out); name = substr($0, 5);
			  out = dir "/" name ".sh"; print name >> list; next }
		out { print > out }
	' "$f"
done

differs() {
	grep -q "^$1:" "$here/corpus-differences.txt" 2>/dev/null
}

# run SHELL NAME TAG: runs one case, leaving TAG.out TAG.err TAG.rc. Both
# shells run in a directory of the same name, which is also HOME: a case
# that prints the environment (export -p) prints the same paths from both.
run() {
	w="$tmp/work"
	rm -rf "$w"
	mkdir "$w"
	(cd "$w" && SH="$1" HOME="$w" timeout 20 "$1" "../cases/$2.sh" \
		>"$tmp/$3.out" 2>"$tmp/$3.err" </dev/null)
	echo $? >"$tmp/$3.rc"
	sed -e "s|$1|SH|g" -e "s|$w|WORK|g" "$tmp/$3.err" >"$tmp/$3.errn"
	rm -rf "$w"
}

pass=0 fail=0 skip=0
while read -r name; do
	if [ -n "$ONLY" ]; then
		case $name in $ONLY) ;; *) continue ;; esac
	fi
	run "$ref" "$name" ref
	run "$sut" "$name" sut
	if cmp -s "$tmp/ref.out" "$tmp/sut.out" && cmp -s "$tmp/ref.errn" "$tmp/sut.errn" &&
	   cmp -s "$tmp/ref.rc" "$tmp/sut.rc"; then
		pass=$((pass + 1))
		differs "$name" && echo "note: $name listed as a difference but matches"
	elif differs "$name"; then
		skip=$((skip + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name"
		if [ -n "$VERBOSE" ]; then
			diff "$tmp/ref.out" "$tmp/sut.out" | sed 's/^/  out: /'
			diff "$tmp/ref.errn" "$tmp/sut.errn" | sed 's/^/  err: /'
			echo "  status: $(cat "$tmp/ref.rc") (dash) $(cat "$tmp/sut.rc") (sh)"
		fi
	fi
done <"$tmp/list"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
