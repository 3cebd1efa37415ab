#!/bin/sh
# mkbundle.sh OUT PROGRAM... - the boot bundle: a ustar archive of programs.
#
# Each program is stored under its file name without directories, mode
# 0755, owner 0, a fixed time and in name order, so the same programs give
# a byte-identical archive. The kernel starts the root task from it and
# the root task (initd) starts the rest.
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
(cd "$stage" && LC_ALL=C tar --format=ustar --sort=name --owner=0 --group=0 \
	--numeric-owner --mtime=@946684800 -cf - -- *) > "$out.tmp"
mv "$out.tmp" "$out"
rm -rf "$stage"
