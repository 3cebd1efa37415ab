#!/bin/bash
# run.sh - compare the toolbox with its reference on the cases in cases/*.t.
#
# Usage: apps/toolbox/tests/run.sh [-v] [TOOLBOX] [CASEFILE...]
# Without TOOLBOX it builds one with musl-gcc -static into a temporary
# directory. Each non-comment line of a case file is a bash command line,
# run in a fresh copy of the fixture directory twice: once with the
# toolbox's commands first in PATH, once with the reference's (the Debian
# busybox binary; xxd is the host's xxd). bash's builtins echo, printf,
# test, [, true and false are disabled so that the commands on PATH run.
# "CMD ||| REFCMD" runs REFCMD on the reference side instead (deliberate
# differences, see DIFFERENCES). stdout, stderr and the exit status must
# be equal; stderr is normalised by dropping busybox's usage block (from
# "BusyBox v" on) and the one-line usage of the toolbox or xxd ("Usage:" on).
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
verbose=0
[ "${1:-}" = -v ] && { verbose=1; shift; }
work=$(mktemp -d /tmp/toolbox-tests.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ $# -gt 0 ] && [ -x "$1" ] && [ ! -d "$1" ] && [ "${1%.t}" = "$1" ]; then
	tb=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); shift
else
	tb=$work/toolbox
	W="-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes"
	srcs=$(ls "$src"/*.c | grep -v spawn_keel.c)
	musl-gcc -static -std=c11 -O1 -g $W -o "$tb" $srcs || { echo "0 passed, 1 failed"; exit 1; }
fi
busybox=$(command -v busybox) || { echo "run.sh: busybox is needed (apt-get install busybox)"; echo "0 passed, 1 failed"; exit 1; }

mkdir -p "$work/tb" "$work/ref"
for n in $("$tb" --list); do
	ln -s "$tb" "$work/tb/$n"
	ln -s "$busybox" "$work/ref/$n"
done
rm "$work/ref/xxd"; ln -s "$(command -v xxd)" "$work/ref/xxd"
ln -s "$tb" "$work/tb/toolbox"

. "$here/fixtures.sh"
mkdir "$work/template"
(cd "$work/template" && make_fixtures)

# run_side BIN CMD OUTPREFIX: runs CMD in a fresh copy of the fixtures.
run_side() {
	local d="$work/case"
	rm -rf "$d"; cp -a "$work/template" "$d"
	(cd "$d" && env -i PATH="$1:/usr/bin:/bin" HOME=/ TZ=UTC LC_ALL=C TERM=dumb \
		timeout 10 bash --norc --noprofile -c \
		'enable -n echo printf test [ true false; eval "$1"' bash "$2" \
		</dev/null >"$3.out" 2>"$3.err"; echo $? >"$3.rc")
	sed -i -e '/^BusyBox v/,$d' -e '/^Usage:/,$d' "$3.err"
	chmod -R u+rwx "$d" 2>/dev/null
}

pass=0; fail=0
files=("$@")
[ ${#files[@]} -eq 0 ] && files=("$here"/cases/*.t)
for f in "${files[@]}"; do
	while IFS= read -r line || [ -n "$line" ]; do
		case "$line" in ''|'#'*) continue;; esac
		mine=${line%%|||*}; ref=$mine
		case "$line" in *'|||'*) ref=${line#*|||};; esac
		run_side "$work/tb" "$mine" "$work/a"
		run_side "$work/ref" "$ref" "$work/b"
		if cmp -s "$work/a.out" "$work/b.out" && cmp -s "$work/a.err" "$work/b.err" \
			&& cmp -s "$work/a.rc" "$work/b.rc"; then
			pass=$((pass + 1))
			[ $verbose = 1 ] && echo "ok   $(basename "$f"): $line"
		else
			fail=$((fail + 1))
			echo "FAIL $(basename "$f"): $line"
			for k in out err rc; do
				cmp -s "$work/a.$k" "$work/b.$k" && continue
				echo "  --- $k: toolbox / +++ reference"
				diff -a "$work/a.$k" "$work/b.$k" | head -20 | sed 's/^/  /'
			done
		fi
	done <"$f"
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
