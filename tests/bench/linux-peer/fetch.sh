#!/bin/sh
# fetch.sh - fetch and unpack the Linux peer's Debian packages.
#
# Usage: tests/bench/linux-peer/fetch.sh [BUILD_DIR]
#   BUILD_DIR defaults to $PEER_BUILD, else build/peer under the repo root.
#
# Downloads every package listed in ./pins with `apt-get download
# NAME=VERSION`, checks it against the pinned SHA-256, and only then
# unpacks it (dpkg-deb -x).  Produces BUILD_DIR/vmlinuz and
# BUILD_DIR/busybox.  A package that can no longer be downloaded at the
# pinned version, or whose hash differs, stops the script with a message
# naming it; an unpinned file is never used.  Work already done and
# verified is skipped, so a second run needs no network.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
pins="$here/pins"
B=${1:-${PEER_BUILD:-$root/build/peer}}

die() {
	echo "fetch.sh: $*" >&2
	exit 1
}

for tool in apt-get dpkg-deb sha256sum; do
	command -v "$tool" >/dev/null 2>&1 || die "missing host tool '$tool' (Debian: apt-get install ${tool%%-*})"
done
[ -r "$pins" ] || die "no pins file at $pins"

mkdir -p "$B"
B=$(cd "$B" && pwd)

# One fetch at a time per BUILD_DIR (a lock folder holding the owner's pid;
# a lock whose owner is gone is taken over).
lock="$B/fetch.lock"
while ! mkdir "$lock" 2>/dev/null; do
	owner=$(cat "$lock/pid" 2>/dev/null || true)
	if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then
		rm -rf "$lock"
		continue
	fi
	sleep 1
done
echo $$ >"$lock/pid"
trap 'rm -rf "$lock"' EXIT
trap 'exit 130' INT TERM

sha256() {
	sha256sum "$1" | cut -d' ' -f1
}

# apt-get download as root wants the _apt user to write the target folder;
# tell it not to drop privileges rather than warn about it.
apt_opts=
if [ "$(id -u)" = 0 ]; then
	apt_opts="-o APT::Sandbox::User=root"
fi

kernel_deb=
busybox_deb=
pinned=
while read -r sum file extra; do
	case $sum in '' | '#'*) continue ;; esac
	[ -z "$extra" ] || die "pins: bad line '$sum  $file $extra'"
	case $sum in
	*[!0-9a-f]*) die "pins: '$sum' is not a lower-case SHA-256" ;;
	esac
	[ ${#sum} -eq 64 ] || die "pins: '$sum' is not a SHA-256 (64 hex digits)"
	case $file in
	*_*_*.deb) ;;
	*) die "pins: '$file' is not a NAME_VERSION_ARCH.deb file name" ;;
	esac
	name=${file%%_*}
	rest=${file#*_}
	version=$(printf '%s\n' "${rest%_*}" | sed 's/%3[aA]/:/g')
	pinned="$pinned$sum  $file
"
	case $name in
	linux-image-*) kernel_deb=$file ;;
	busybox-static) busybox_deb=$file ;;
	esac

	if [ -f "$B/$file" ]; then
		got=$(sha256 "$B/$file")
		if [ "$got" = "$sum" ]; then
			continue
		fi
		echo "fetch.sh: $B/$file does not match its pin (expected $sum, got $got); downloading it again" >&2
		rm -f "$B/$file"
	fi

	echo "fetch.sh: downloading $name=$version" >&2
	tmp="$B/download.tmp"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	# shellcheck disable=SC2086
	if ! (cd "$tmp" && apt-get download -q $apt_opts "$name=$version") >&2; then
		rm -rf "$tmp"
		die "package $name version $version (pinned in $pins) could not be downloaded; the Debian archive most likely no longer offers this version. 'apt-cache policy $name' shows what it offers now; update the pin deliberately (name, version and SHA-256)."
	fi
	[ -f "$tmp/$file" ] || {
		ls "$tmp" >&2
		rm -rf "$tmp"
		die "apt-get download $name=$version did not produce the pinned file name $file"
	}
	got=$(sha256 "$tmp/$file")
	if [ "$got" != "$sum" ]; then
		mv "$tmp/$file" "$B/$file.rejected"
		rm -rf "$tmp"
		die "SHA-256 mismatch for package $name version $version ($file): expected $sum, got $got. The download was set aside as $B/$file.rejected and is not used."
	fi
	mv "$tmp/$file" "$B/$file"
	rm -rf "$tmp"
done <"$pins"

[ -n "$kernel_deb" ] || die "pins names no linux-image-* package"
[ -n "$busybox_deb" ] || die "pins names no busybox-static package"

# Unpack, unless the last unpack came from exactly these pins and its
# outputs are intact.
stamp="$B/fetch.stamp"
if [ -f "$stamp" ] && [ -f "$B/vmlinuz" ] && [ -f "$B/busybox" ]; then
	if [ "$(sed -n '/^# pins$/,/^# outputs$/p' "$stamp" | sed '1d;$d')" = "$(printf '%s' "$pinned")" ] &&
		sed '1,/^# outputs$/d' "$stamp" | (cd "$B" && sha256sum -c --status); then
		exit 0
	fi
fi

rm -f "$stamp" "$B/vmlinuz" "$B/busybox"
x="$B/unpack"
rm -rf "$x"
mkdir -p "$x/kernel" "$x/busybox"
dpkg-deb -x "$B/$kernel_deb" "$x/kernel"
dpkg-deb -x "$B/$busybox_deb" "$x/busybox"

set -- "$x"/kernel/boot/vmlinuz-*
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
	die "$kernel_deb holds no single boot/vmlinuz-* (found: $*)"
fi
cp "$1" "$B/vmlinuz"
[ -f "$x/busybox/bin/busybox" ] || die "$busybox_deb holds no bin/busybox"
cp "$x/busybox/bin/busybox" "$B/busybox"
chmod 0755 "$B/busybox"
rm -rf "$x"

{
	echo "# pins"
	printf '%s' "$pinned"
	echo "# outputs"
	(cd "$B" && sha256sum vmlinuz busybox)
} >"$stamp"
echo "fetch.sh: unpacked $B/vmlinuz (from $kernel_deb) and $B/busybox (from $busybox_deb)" >&2
