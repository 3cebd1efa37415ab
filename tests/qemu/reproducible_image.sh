#!/bin/sh
# Builds the image a second time from a copy of the sources in another
# directory and checks it is byte-identical to build/keel.img.
set -u
passed=0 failed=0
src=$(pwd)
copy=$(mktemp -d "${TMPDIR:-/tmp}/keel-repro.XXXXXX")
trap 'rm -rf "$copy"' EXIT
# Only what is tracked or would be: the sources, not build/.
tar -C "$src" --exclude=./build --exclude=./.git -cf - . | tar -C "$copy" -xf -
if (cd "$copy" && ./configure > configure.out 2>&1 && ninja build/keel.img > ninja.out 2>&1); then
	if cmp "$src/build/keel.img" "$copy/build/keel.img"; then
		passed=1; echo "PASS second build from another directory is byte-identical"
	else
		failed=1; echo "FAIL images differ"
	fi
else
	failed=1; echo "FAIL second build failed:"; cat "$copy/configure.out" "$copy/ninja.out"
fi
echo "$passed passed, $failed failed"
