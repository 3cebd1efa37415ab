#!/bin/sh
# build-musl.sh - build musl's libc.a for Keel and install its headers.
#
#   sh sysroot/build-musl.sh ARCHIVE WORKDIR SYSROOT CLANG AR [JOBS]
#
# Unpacks the pinned musl archive into WORKDIR (a fresh copy each time,
# never in the source tree), copies sysroot/musl/ over it - the Keel
# system-call layer, the only files that differ from upstream
# (docs/libc.md lists them) - and runs musl's own configure and Makefile
# with clang for Keel's target. The result: SYSROOT/include (musl's
# headers) and SYSROOT/lib/libc-musl.a (musl's objects, without the Keel
# back-end, which the build adds when it makes SYSROOT/lib/libc.a).
set -eu
archive=$1 work=$2 sysroot=$3 clang=$4 ar=$5 jobs=${6:-2}
top=$(cd "$(dirname "$0")/.." && pwd)
overlay=$top/sysroot/musl

mkdir -p "$work" "$sysroot"
work=$(cd "$work" && pwd) sysroot=$(cd "$sysroot" && pwd)
rm -rf "$work"/*
tar -xzf "$archive" -C "$work"
src=$work/musl-1.2.3
[ -f "$src/arch/x86_64/syscall_arch.h" ] || { echo "build-musl: $archive is not musl 1.2.3" >&2; exit 1; }

# The seam: every file of the overlay must replace an upstream file, so a
# new musl that moves one is noticed instead of silently building Linux's.
(cd "$overlay" && find . -type f) | while read -r f; do
	[ -f "$src/$f" ] || { echo "build-musl: upstream has no $f to replace" >&2; exit 1; }
	cp "$overlay/$f" "$src/$f"
done

# Keel programs are static, not position-independent, at the addresses of
# sysroot/keel.ld; floating point and SSE are available to user code.
cd "$src"
CC="$clang -target x86_64-unknown-none-elf" AR="$ar" RANLIB="$ar s" \
CFLAGS="-fno-pic -fno-pie -O2 -g0 -ffile-prefix-map=$src=musl" \
	./configure --target=x86_64 --prefix=/ --disable-shared --disable-wrapper \
	> "$work/configure.log" 2>&1 || { cat "$work/configure.log" >&2; exit 1; }
make -j"$jobs" lib/libc.a > "$work/make.log" 2>&1 || { tail -n 40 "$work/make.log" >&2; exit 1; }
rm -rf "$sysroot/include"
mkdir -p "$sysroot/lib" "$sysroot/include"
make install-headers DESTDIR="$sysroot" includedir=/include > "$work/install.log" 2>&1 ||
	{ cat "$work/install.log" >&2; exit 1; }
cp lib/libc.a "$sysroot/lib/libc-musl.a"
