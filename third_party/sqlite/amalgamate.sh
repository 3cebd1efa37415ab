#!/bin/sh
# amalgamate.sh - SQLite's amalgamation from the pinned source archive.
#
#   sh third_party/sqlite/amalgamate.sh ARCHIVE WORKDIR TCLSH
#
# The orig tarball is SQLite's canonical source tree, not the amalgamation:
# its own configure and Makefile generate sqlite3.c, sqlite3.h and shell.c
# with tclsh (and small host tools they build: lemon, mkkeywordhash). The
# results, with test/speedtest1.c beside them, land in WORKDIR/out.
set -eu
archive=$1 work=$2 tclsh=$3
rm -rf "$work"
mkdir -p "$work/src" "$work/out"
work=$(cd "$work" && pwd)
tar -xf "$archive" -C "$work/src"
top=$(find "$work/src" -mindepth 1 -maxdepth 1 -type d | head -n 1)
cd "$top"
TCLSH_CMD=$tclsh ./configure --disable-tcl --disable-readline > "$work/configure.log" 2>&1 ||
	{ tail -n 20 "$work/configure.log" >&2; exit 1; }
make sqlite3.c shell.c > "$work/make.log" 2>&1 || { tail -n 20 "$work/make.log" >&2; exit 1; }
cp sqlite3.c sqlite3.h shell.c test/speedtest1.c "$work/out/"
