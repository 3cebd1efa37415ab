#!/bin/sh
# install-sysroot.sh DIR LIB... - completes the sysroot Keel programs are
# compiled and linked against: musl's headers and libc.a are there already
# (sysroot/build-musl.sh); this adds libsys's headers (keel/), the ABI
# headers and generated stubs, the link script and the libraries given.
set -eu
dir=$1
shift
rm -rf "$dir/include/keel" "$dir/include/abi"
mkdir -p "$dir/include/abi" "$dir/lib"
cp -R libsys/include/keel "$dir/include/"
cp build/gen/keel/sysops.h "$dir/include/keel/"
cp build/gen/syscall_stubs.h build/gen/syscall_numbers.h "$dir/include/"
cp kernel/abi/*.h "$dir/include/abi/"
cp sysroot/keel.ld "$dir/lib/"
cp "$@" "$dir/lib/"
