#!/bin/sh
# tp_diff.sh - third-party code in Keel gives the host's results: zstd
# compresses a corpus to the same bytes and back, FreeType renders the
# same glyph bitmaps from the pinned font, SQLite's speedtest1 (in-memory,
# --size 5, --verify) computes the same results and verification hash, and
# the sqlite3 shell prints the same output for third_party/sqlite/shell.sql.
# Each program runs on the host (built with musl-gcc) and as Keel's root
# task from build/tp/keel.img, whose bundle also holds the font and the
# script (the C library serves bundle files under /bundle until vfsd).
# speedtest1 prints its timings, which are dropped before comparing.
KEEL_IMG=${KEEL_IMG:-build/tp/keel.img}
. tests/qemu/lib.sh
host=build/tp/host

# compare NAME KEELARGS FILTER HOSTCMD...: run both, filter, compare.
compare() {
	name=$1 args=$2 filter=$3
	shift 3
	if ! "$@" > "$work/$name.host.raw" 2>&1; then
		fail "$name: the host run failed"
		return
	fi
	keel_boot "keel.init=$name $args" 900 > "$work/$name.boot" 2>&1
	tr -d '\r' < "$log" | sed -n 's/^\[task 1\] //p' > "$work/$name.keel.raw"
	sed -E "$filter" "$work/$name.host.raw" > "$work/$name.host"
	sed -E "$filter" "$work/$name.keel.raw" > "$work/$name.keel"
	if ! grep -q "^Keel: root task exited with code 0" "$log"; then
		fail "$name: Keel did not end with exit code 0 (qemu status $qemu_status)"
		tail -n 20 "$log"
	elif cmp -s "$work/$name.host" "$work/$name.keel"; then
		pass "$name: Keel's output is the host's ($(wc -l < "$work/$name.host") lines)"
	else
		fail "$name: output differs (< host, > Keel)"
		diff "$work/$name.host" "$work/$name.keel" | head -n 20
	fi
}

compare ztest "" "s/x/x/" $host/ztest
compare fttest "" "s/x/x/" $host/fttest build/tp/Go-Regular.ttf
compare speedtest1 "keel.args=--memdb,--size,5,--verify" \
	"s/[.]* *[0-9]+[.][0-9]+s$//; s/^(TOTAL).*/\1/" \
	$host/speedtest1 --memdb --size 5 --verify
compare sqlite3 "keel.args=-batch,-init,/bundle/shell.sql,:memory:,.quit" "s/x/x/" \
	$host/sqlite3 -batch -init third_party/sqlite/shell.sql :memory: .quit
finish
