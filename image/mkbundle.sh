#!/bin/sh
# mkbundle.sh OUT PROGRAM... - the boot bundle: a ustar archive of programs.
#
# Each program is stored under its file name without directories, mode
# 0755, owner 0, a fixed time and in name order, so the same programs give
# a byte-identical archive. The kernel starts the root task from it and
# the root task (initd) starts the rest.
#
# Every member's data starts on a 4 KiB page of the archive, so that the
# programs' code and read-only data are mapped from the bundle rather than
# copied (libsys/bundle.c): before a member whose data would not, empty
# directory entries "pad/" (a 512-byte header each, which readers skip)
# bring it there.
set -eu
out=$1
shift
stage=$out.d
rm -rf "$stage"
mkdir -p "$stage"
for p in "$@"; do
	cp "$p" "$stage/$(basename "$p")"
done
chmod 0755 "$stage"/*
touch -d @946684800 "$stage"/*
mkdir "$stage/pad"
touch -d @946684800 "$stage/pad"
ustar() {
	LC_ALL=C tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime=@946684800 \
		--no-recursion -cf - -- "$@"
}
(
	cd "$stage"
	at=0
	for f in $(LC_ALL=C ls); do
		[ "$f" = pad ] && continue
		while [ $(((at + 512) % 4096)) -ne 0 ]; do
			ustar pad | head -c 512
			at=$((at + 512))
		done
		size=$(wc -c < "$f")
		n=$((512 + (size + 511) / 512 * 512))
		ustar "$f" | head -c $n
		at=$((at + n))
	done
	head -c 1024 /dev/zero
) > "$out.tmp"
mv "$out.tmp" "$out"
rm -rf "$stage"
