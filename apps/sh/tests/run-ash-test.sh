#!/bin/sh
# run-ash-test.sh - runs busybox's shell test suite (shell/ash_test in the
# busybox source package) against this shell.
#
# usage: apps/sh/tests/run-ash-test.sh [BUSYBOX_SRC_DIR [SHELL]]
#   BUSYBOX_SRC_DIR is the unpacked busybox source (it holds shell/ash_test);
#   without it, the pinned busybox archive configure fetched
#   (third_party/pins) is unpacked into build/busybox-src once;
#   SHELL defaults to $SH or build/host/apps/sh/sh.
# The suite is copied to a temporary directory and never modified.  Each
# NAME.tests runs as "$THIS_SH ./NAME.tests" in its directory and its
# output (stdout and stderr) must equal NAME.right, after one
# normalisation: ash prints errors as "FILE: line N: msg" where this shell,
# like dash, prints "FILE: N: msg"; the expected text is converted.  Tests
# listed in ash_test.skip ("dir/name: reason") are not run.  A test that
# fails runs once more, and passes if that run does (said on a RETRY
# line): several time a sleep against a signal, and a loaded host (the
# full test run on two cores) delays one past the other.  Set VERBOSE=1
# for diffs, ONLY=pattern to select tests.
here=$(cd "$(dirname "$0")" && pwd)
src=${1:-}
if [ -z "$src" ]; then
	. build/config.sh
	src=build/busybox-src/busybox-1.35.0
	if [ ! -d "$src/shell/ash_test" ]; then
		rm -rf build/busybox-src && mkdir -p build/busybox-src &&
			tar -xjf "$THIRD_PARTY_SOURCES/busybox_1.35.0.orig.tar.bz2" -C build/busybox-src ||
			{ echo "run-ash-test: cannot unpack the pinned busybox source" >&2; exit 2; }
	fi
fi
sut=${2:-${SH:-build/host/apps/sh/sh}}
case $sut in /*) ;; *) sut=$(pwd)/$sut ;; esac
[ -d "$src/shell/ash_test" ] || { echo "run-ash-test: no shell/ash_test in $src" >&2; exit 2; }
[ -x "$sut" ] || { echo "run-ash-test: no shell at $sut" >&2; exit 2; }
cc=${CC:-cc}
command -v "$cc" >/dev/null 2>&1 || cc=musl-gcc

tmp=$(mktemp -d /tmp/sh-ashtest.XXXXXX) || exit 2
trap 'rm -rf "$tmp"' EXIT
cp -R "$src/shell/ash_test" "$tmp/" || exit 2
t=$tmp/ash_test
for p in recho zecho printenv; do
	"$cc" -O2 -o "$t/$p" "$t/$p.c" 2>/dev/null || { echo "run-ash-test: cannot build $p" >&2; exit 2; }
done
ln -s "$sut" "$t/ash"
PATH="$t:$PATH"
THIS_SH=$t/ash
export PATH THIS_SH
unset LANG LANGUAGE LC_ALL LC_COLLATE LC_CTYPE LC_MESSAGES LC_NUMERIC LC_TIME ENV
# run-all exports the busybox .config; the tests read these three, whose
# busybox defaults are: fancy echo on, the other two off.
CONFIG_FEATURE_FANCY_ECHO=y
export CONFIG_FEATURE_FANCY_ECHO

# ash's "NAME: line N: " and "NAME: BUILTIN: line N: " become dash's form.
normalise() {
	sed -e 's/^\([^ :]*\): line \([0-9][0-9]*\): /\1: \2: /' \
	    -e 's/^\([^ :]*\): \([a-z.]*\): line \([0-9][0-9]*\): /\1: \3: \2: /'
}

skipped() {
	grep -q "^$1:" "$here/ash_test.skip" 2>/dev/null
}

# ash-signals checks that the shell ignores no signal (SigIgn is all
# zeros). Signals ignored when this script started were inherited (ninja's
# C library ignores its two internal real-time signals) and no shell may
# undo that, so that baseline counts as zero. It is read under timeout,
# as the tests run: timeout handles SIGINT, SIGQUIT, SIGHUP and SIGTERM,
# so its child starts with them at their default even where this script
# was started with them ignored (in the background, say).
base=$(timeout 60 sed -n 's/^SigIgn:[[:space:]]*//p' /proc/self/status)

# run_one DIR NAME: runs one test; true if its output is the expected.
run_one() {
	limit=60
	case ${1##*/} in *slow*) limit=600 ;; esac
	(cd "$1" && timeout $limit "$THIS_SH" "./$2.tests" 2>&1 </dev/null |
		grep -va "^ash: using fallback suid method$" |
		sed "s/^SigIgn:\([[:space:]]*\)$base\$/SigIgn:\10000000000000000/" >"$tmp/out")
	normalise <"$1/$2.right" >"$tmp/right"
	cmp -s "$tmp/out" "$tmp/right" || cmp -s "$tmp/out" "$1/$2.right"
}

pass=0 fail=0 skip=0
for d in "$t"/ash-*; do
	dn=${d##*/}
	for f in "$d"/*.tests; do
		name=${f##*/}
		name=${name%.tests}
		[ -f "$d/$name.right" ] || continue
		if [ -n "$ONLY" ]; then
			case $dn/$name in $ONLY) ;; *) continue ;; esac
		fi
		if skipped "$dn/$name"; then
			skip=$((skip + 1))
			continue
		fi
		if run_one "$d" "$name" || { run_one "$d" "$name" &&
			echo "RETRY $dn/$name: passed on its second run (its tests time sleeps against signals, which a loaded host delays)"; }; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL $dn/$name"
			[ -n "$VERBOSE" ] && diff "$tmp/right" "$tmp/out" | head -20 | sed 's/^/  /'
		fi
	done
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
