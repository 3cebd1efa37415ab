#!/bin/sh
# new_service.sh - adding a service is a change inside its own folder: in a
# copy of the tree, services/echo is copied to services/pong (its manifest
# renamed, and pong added to initd's boot list, which is configuration, not
# a build file); configure and ninja must put pong in the boot bundle, no
# build file may have changed, and initd must boot it with the others.
# The copy reuses this tree's C library (musl's build is the slow step).
. tests/qemu/lib.sh
top=$(pwd)
copy=$work/tree
mkdir -p "$copy/build"
tar --exclude=./build --exclude=./.git -cf - . | tar -C "$copy" -xf -
cp -a build/sysroot build/.ninja_log build/.ninja_deps "$copy/build/"
cp -R services/echo "$copy/services/pong"
sed -i 's/^name .*/name       pong/' "$copy/services/pong/manifest"
echo pong >> "$copy/services/initd/boot.manifest"

outside=$(cd "$copy" && find . -path ./build -prune -o -type f -print | while read -r f; do
	cmp -s "$f" "$top/$f" 2> /dev/null || echo "$f"
done | grep -v -e '^\./services/pong/' -e '^\./services/initd/boot\.manifest$')
if [ -z "$outside" ]; then
	pass "only the new folder and the boot list differ from the tree"
else
	fail "files outside the new folder differ: $outside"
fi

if (cd "$copy" && ./configure > configure.out 2>&1 && ninja build/keel.img > ninja.out 2>&1); then
	pass "configure and ninja build the copy"
else
	fail "the copy does not build"
	tail -n 20 "$copy/configure.out" "$copy/ninja.out"
fi
if tar -tf "$copy/build/bundle.tar" 2> /dev/null | grep -qx pong; then
	pass "pong is in the boot bundle"
else
	fail "pong is not in the boot bundle"
fi
KEEL_IMG=$copy/build/keel.img keel_boot "initd.test=up" 120
check_status "the copy powers off cleanly" 1
check_log "initd boots pong with echo, echo2, topod, blkd, vfsd, compd and inputd" 'initd: all services up \(8\)'
check_log "the status protocol reports pong up" 'initd: up: [1-9][0-9]* passed, 0 failed'
finish
