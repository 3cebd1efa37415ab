#!/bin/sh
# build-lib.sh - build a static library from a pinned third-party archive.
#
#   sh third_party/build-lib.sh ARCHIVE WORKDIR OUT.a "CC" AR "CFLAGS" SRC...
#
# Unpacks ARCHIVE into WORKDIR/src (a fresh copy each time; never in the
# source tree), compiles each SRC - paths inside the archive's top folder,
# shell patterns allowed - with CC and CFLAGS (two at a time) into
# WORKDIR/obj and archives the objects as OUT.a. The same script builds the
# host and the Keel variant of a library: only CC, CFLAGS and WORKDIR
# differ. A failed compile stops with the compiler's message.
set -eu
archive=$1 work=$2 out=$3 cc=$4 ar=$5 cflags=$6
shift 6
rm -rf "$work"
mkdir -p "$work/src" "$work/obj" "$(dirname "$out")"
tar -xf "$archive" -C "$work/src"
top=$(find "$work/src" -mindepth 1 -maxdepth 1 -type d | head -n 1)
[ -n "$top" ] || { echo "build-lib: $archive has no top folder" >&2; exit 1; }
: > "$work/list"
for pat in "$@"; do
	found=no
	for f in "$top"/$pat; do
		[ -f "$f" ] || continue
		echo "$f" >> "$work/list"
		found=yes
	done
	[ "$found" = yes ] || { echo "build-lib: no $pat in $archive" >&2; exit 1; }
done
# One object per source, named after its path, so equal names do not clash.
export cc cflags top work
xargs -P 2 -I{} sh -c 'f={}; o=$work/obj/$(echo "${f#$top/}" | tr / _).o
	$cc $cflags -I"$(dirname "$f")" -c "$f" -o "$o" || exit 255' < "$work/list"
rm -f "$out"
$ar rcs "$out" "$work"/obj/*.o
