#!/bin/sh
# fetch.sh - put every pinned third-party source archive in the cache.
#
#   third_party/fetch.sh [PACKAGE...]     fetch (all pinned packages by default)
#   third_party/fetch.sh --path PACKAGE   print the cached archive's path
#   third_party/fetch.sh --dir            print the cache directory
#
# Every archive is listed once in third_party/pins with its size and
# SHA-256. An archive already in the cache with the pinned size and hash
# is used as it is: no network, no apt. Otherwise apt says where the
# archive lives: deb-src entries are derived from this machine's own apt
# sources (the one-line sources.list files and the deb822 .sources files,
# same URIs, suites and components) into a private apt state directory,
# `apt-get update` and `apt-get --print-uris source PACKAGE/bookworm` run
# with that private configuration (no system file is written, root is not
# needed), and apt's own helper downloads the orig tarball. A download is
# kept only if its size and hash match the pin. Any failure stops with a
# message naming the package and a non-zero status.
#
# Environment (tests use the last three):
#   KEEL_CACHE         cache root; default ${XDG_CACHE_HOME:-$HOME/.cache}/keel
#                      archives go in $KEEL_CACHE/sources, apt's state in
#                      $KEEL_CACHE/apt
#   KEEL_PINS          the pins file; default third_party/pins beside this script
#   KEEL_APT_ETC       where the machine's apt sources are read; default /etc/apt
#   KEEL_SUITE         the suite asked for; default bookworm
set -u

here=$(cd "$(dirname "$0")" && pwd)
pins=${KEEL_PINS:-$here/pins}
cache=${KEEL_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/keel}
sources=$cache/sources
aptdir=$cache/apt
apt_etc=${KEEL_APT_ETC:-/etc/apt}
suite=${KEEL_SUITE:-bookworm}
apt_ready=no

die() { # die PACKAGE MESSAGE: report a failure for PACKAGE and stop
	echo "fetch: $1: $2" >&2
	exit 1
}

pin_line() { # pin_line PACKAGE: the pins line of PACKAGE, or nothing
	awk -v p="$1" '$1 !~ /^#/ && NF == 5 && $1 == p { print; exit }' "$pins"
}

pinned_packages() {
	awk '$1 !~ /^#/ && NF == 5 { print $1 }' "$pins"
}

file_ok() { # file_ok PATH BYTES SHA256: true if PATH has that size and hash
	[ -f "$1" ] || return 1
	[ "$(wc -c < "$1" | tr -d ' ')" = "$2" ] || return 1
	[ "$(sha256sum "$1" | cut -d' ' -f1)" = "$3" ]
}

# Writes deb-src versions of the machine's deb entries into $aptdir/etc:
# one-line entries into sources.list, deb822 stanzas into parts/*.sources.
derive_sources() {
	rm -rf "$aptdir/etc"
	mkdir -p "$aptdir/etc/parts"
	: > "$aptdir/etc/sources.list"
	for f in "$apt_etc/sources.list" "$apt_etc"/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -n 's/^[[:space:]]*deb\([[:space:]]\)/deb-src\1/p' "$f" >> "$aptdir/etc/sources.list"
	done
	for f in "$apt_etc"/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		# A stanza keeps its fields; its Types become deb-src if it had deb.
		awk '/^[Tt]ypes:/ { if ($0 ~ /[[:space:]]deb([[:space:]]|$)/) print "Types: deb-src";
				    else print "Types: none"; next }
		     { print }' "$f" > "$aptdir/etc/parts/$(basename "$f")"
	done
}

apt_opts() { # the options that point apt at the private state only
	echo "-o Dir::Etc::SourceList=$aptdir/etc/sources.list" \
	     "-o Dir::Etc::SourceParts=$aptdir/etc/parts" \
	     "-o Dir::State=$aptdir/state -o Dir::State::Lists=$aptdir/state/lists" \
	     "-o Dir::State::status=$aptdir/state/status" \
	     "-o Dir::Cache=$aptdir/cache -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=" \
	     "-o Debug::NoLocking=true -o APT::Sandbox::User=$(id -un)" \
	     "-o Acquire::Retries=1 -o APT::Get::List-Cleanup=false"
}

# Runs apt-get update once per run with the private configuration.
apt_prepare() { # apt_prepare PACKAGE: PACKAGE is named if it fails
	[ "$apt_ready" = yes ] && return 0
	command -v apt-get > /dev/null || die "$1" "apt-get is not installed"
	derive_sources
	if [ ! -s "$aptdir/etc/sources.list" ] && [ -z "$(ls "$aptdir/etc/parts")" ]; then
		die "$1" "no deb entries found in $apt_etc to derive deb-src entries from"
	fi
	mkdir -p "$aptdir/state/lists/partial" "$aptdir/cache/archives/partial"
	: > "$aptdir/state/status"
	# shellcheck disable=SC2046
	if ! apt-get $(apt_opts) -q update > "$aptdir/update.log" 2>&1 ||
		grep -q '^\(W\|E\): Failed to fetch' "$aptdir/update.log"; then
		sed 's/^/  /' "$aptdir/update.log" >&2
		die "$1" "apt-get update with the derived deb-src entries failed (log: $aptdir/update.log)"
	fi
	apt_ready=yes
}

# Prints the URI apt gives for FILE of the source package PACKAGE.
source_uri() { # source_uri PACKAGE FILE
	# shellcheck disable=SC2046
	out=$(cd "$aptdir" && apt-get $(apt_opts) -q --print-uris source "$1/$suite" 2>&1) ||
		{ echo "$out" | sed 's/^/  /' >&2; die "$1" "apt-get source $1/$suite found nothing"; }
	uri=$(echo "$out" | awk -v f="$2" '$2 == f { gsub("\047", "", $1); print $1; exit }')
	[ -n "$uri" ] || { echo "$out" | sed 's/^/  /' >&2
		die "$1" "apt offers no file $2 for $1/$suite (is the pin out of date?)"; }
	echo "$uri"
}

# Makes sure the pinned archive of PACKAGE is in the cache.
fetch_one() { # fetch_one PACKAGE
	line=$(pin_line "$1")
	[ -n "$line" ] || die "$1" "not listed in $pins"
	set -- $line
	pkg=$1 file=$3 bytes=$4 sum=$5
	dest=$sources/$file
	if file_ok "$dest" "$bytes" "$sum"; then
		return 0
	fi
	mkdir -p "$sources"
	[ -e "$dest" ] && { echo "fetch: $pkg: cached $file does not match its pin; fetching again" >&2
		rm -f "$dest"; }
	apt_prepare "$pkg"
	uri=$(source_uri "$pkg" "$file") || exit 1
	echo "fetch: $pkg: downloading $file" >&2
	rm -f "$dest.part"
	if ! /usr/lib/apt/apt-helper -o APT::Sandbox::User="$(id -un)" \
		download-file "$uri" "$dest.part" > "$aptdir/download.log" 2>&1; then
		sed 's/^/  /' "$aptdir/download.log" >&2
		rm -f "$dest.part"
		die "$pkg" "download of $file failed"
	fi
	if ! file_ok "$dest.part" "$bytes" "$sum"; then
		got="$(wc -c < "$dest.part" | tr -d ' ') bytes, sha256 $(sha256sum "$dest.part" | cut -d' ' -f1)"
		mv -f "$dest.part" "$dest.rejected"
		die "$pkg" "$file does not match its pin: expected $bytes bytes, sha256 $sum; got $got (kept as $dest.rejected)"
	fi
	mv -f "$dest.part" "$dest"
}

[ -f "$pins" ] || die pins "no pins file at $pins"
case ${1:-} in
--dir)
	echo "$sources"
	exit 0 ;;
--path)
	[ $# -eq 2 ] || { echo "usage: fetch.sh --path PACKAGE" >&2; exit 2; }
	line=$(pin_line "$2")
	[ -n "$line" ] || die "$2" "not listed in $pins"
	echo "$sources/$(echo "$line" | awk '{ print $3 }')"
	exit 0 ;;
-*)
	echo "usage: fetch.sh [--dir | --path PACKAGE | PACKAGE...]" >&2
	exit 2 ;;
esac
[ $# -gt 0 ] || set -- $(pinned_packages)
for p in "$@"; do
	fetch_one "$p"
done
exit 0
