#!/bin/sh
# test_fetch.sh - third_party/fetch.sh's failure paths and its cache.
#
# Each case runs fetch.sh with its own cache, pins file and (where the
# case needs it) its own apt sources directory, and checks the exit status
# and that the message names the package. The bad-hash case downloads the
# smallest pinned archive once; the others need no network.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
fetch="$top/third_party/fetch.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; sed 's/^/     /' "$work/out"; }

pin_of() { grep "^$1 " "$top/third_party/pins"; }

# expect NAME STATUS PATTERN [ENV=...] -- ARGS: run fetch.sh, check both
expect() {
	name=$1 want=$2 pattern=$3; shift 3
	env "$@" /bin/sh "$fetch" $args > "$work/out" 2>&1
	got=$?
	if [ "$got" -eq "$want" ] && { [ -z "$pattern" ] || grep -q -- "$pattern" "$work/out"; }
	then ok "$name"; else
		echo "     (status $got, wanted $want and /$pattern/)" >> "$work/out"; bad "$name"; fi
}

bogus_etc() { # an apt configuration whose only source cannot be reached
	mkdir -p "$work/etc/sources.list.d"
	echo "deb http://127.0.0.1:9/debian bookworm main" > "$work/etc/sources.list"
}
bogus_etc

# A package the pins file does not list is refused before anything runs.
args="keel-not-pinned"
expect "a package missing from the pins is named and refused" 1 \
	"keel-not-pinned: not listed" KEEL_CACHE="$work/c0"

# No network: a sources entry nobody answers makes apt-get update fail.
pin_of fonts-go > "$work/pins-go"
args=""
expect "an unreachable source stops with the package named" 1 \
	"fonts-go: apt-get update .* failed" \
	KEEL_CACHE="$work/c1" KEEL_PINS="$work/pins-go" KEEL_APT_ETC="$work/etc"

# No deb entries at all to derive deb-src entries from.
mkdir -p "$work/empty-etc"
expect "no apt sources at all stops with the package named" 1 \
	"fonts-go: no deb entries" \
	KEEL_CACHE="$work/c2" KEEL_PINS="$work/pins-go" KEEL_APT_ETC="$work/empty-etc"

# A package that is not in the archive: apt-get source finds nothing.
echo "keel-no-such-package 1.0 keel-no-such-package_1.0.orig.tar.gz 10 $(printf '0%.0s' $(seq 64))" \
	> "$work/pins-unknown"
expect "an unknown source package is named" 1 \
	"keel-no-such-package: apt-get source keel-no-such-package/bookworm found nothing" \
	KEEL_CACHE="$work/c3" KEEL_PINS="$work/pins-unknown"

# A wrong pinned hash: the download is refused and not kept as the archive.
sed 's/ [0-9a-f]\{64\}$/ 0000000000000000000000000000000000000000000000000000000000000000/' \
	"$work/pins-go" > "$work/pins-badhash"
expect "a hash mismatch is refused with the package named" 1 \
	"fonts-go: fonts-go_0~20170330.orig.tar.xz does not match its pin" \
	KEEL_CACHE="$work/c4" KEEL_PINS="$work/pins-badhash"
if [ ! -e "$work/c4/sources/fonts-go_0~20170330.orig.tar.xz" ] &&
	[ -e "$work/c4/sources/fonts-go_0~20170330.orig.tar.xz.rejected" ]; then
	ok "a rejected download is set aside, not cached"
else
	: > "$work/out"; bad "a rejected download is set aside, not cached"
fi

# The good download from the last case, now in a cache with the right pin:
# a second run needs neither network nor apt (the sources are bogus).
mkdir -p "$work/c5/sources"
mv "$work/c4/sources/fonts-go_0~20170330.orig.tar.xz.rejected" \
	"$work/c5/sources/fonts-go_0~20170330.orig.tar.xz"
expect "a cached archive is used without network or apt" 0 "" \
	KEEL_CACHE="$work/c5" KEEL_PINS="$work/pins-go" KEEL_APT_ETC="$work/etc"
[ ! -d "$work/c5/apt" ] && ok "a cached run leaves no apt state" ||
	{ : > "$work/out"; bad "a cached run leaves no apt state"; }

# A damaged cached archive is not trusted: it is fetched again (and here
# that fails, since the sources are bogus).
printf 'x' >> "$work/c5/sources/fonts-go_0~20170330.orig.tar.xz"
expect "a damaged cached archive is fetched again" 1 \
	"fonts-go: cached fonts-go_0~20170330.orig.tar.xz does not match its pin" \
	KEEL_CACHE="$work/c5" KEEL_PINS="$work/pins-go" KEEL_APT_ETC="$work/etc"

# --path names the archive in the cache; the tree itself names no host.
args="--path musl"
expect "--path prints the cached archive" 0 "/sources/musl_1.2.3.orig.tar.gz" KEEL_CACHE="$work/c6"
# (The loopback address of the unreachable source above is no host.)
if grep -rE 'https?://' "$top/third_party" | grep -v '127\.0\.0\.1:9' > "$work/out"; then
	bad "no download host is written in third_party/"
else
	ok "no download host is written in third_party/"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
