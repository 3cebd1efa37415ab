#!/bin/sh
# install-sysroot.sh DIR LIB... - installs what Keel programs compile and
# link against into DIR: the C library's headers (sysroot/include),
# libsys's (keel/), the ABI headers and generated stubs, and the
# libraries given.
set -eu
dir=$1
shift
rm -rf "$dir"
mkdir -p "$dir/include/abi" "$dir/lib"
cp sysroot/include/*.h "$dir/include/"
cp -R libsys/include/keel "$dir/include/"
cp build/gen/syscall_stubs.h build/gen/syscall_numbers.h "$dir/include/"
cp build/gen/keel/sysops.h "$dir/include/keel/"
cp kernel/abi/*.h "$dir/include/abi/"
cp "$@" "$dir/lib/"
