#!/bin/sh
# fuzz-run.sh LOG TARGET CORPUS DICT [OPT...] - runs one libFuzzer target for
# FUZZ_RUNS inputs (default 20000; `FUZZ_RUNS=1000000 ninja fuzz` for a
# long run) and records the result in LOG as one test: "1 passed, 0
# failed" if it found nothing. CORPUS and DICT are "-" when there are
# none; the seed corpus is copied, and the target runs in a scratch
# directory (the shell's fuzzer makes files its scripts redirect to), so
# the tree never changes.
abs() { case $1 in /* | -) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac; }
log=$(abs "$1") target=$(abs "$2") corpus=$(abs "$3") dict=$(abs "$4")
top=$(pwd)
shift 4
opts=$*
runs=${FUZZ_RUNS:-20000}
mkdir -p "$(dirname "$log")"
work=$(mktemp -d "${TMPDIR:-/tmp}/keel-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/run"
[ "$corpus" = - ] || cp -R "$corpus"/. "$work/corpus/"
set -- -runs="$runs" -seed="${FUZZ_SEED:-1}" -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$work/" "$work/corpus"
[ "$dict" = - ] || set -- -dict="$dict" "$@"
# shellcheck disable=SC2086
set -- $opts "$@"
if (cd "$work/run" && "$target" "$@") > "$log.tmp" 2>&1; then
	echo "PASS $(basename "$target"): $runs runs" >> "$log.tmp"
	echo "1 passed, 0 failed" >> "$log.tmp"
else
	for a in "$work"/crash-* "$work"/timeout-* "$work"/leak-* "$work"/oom-*; do
		[ -f "$a" ] || continue
		mkdir -p "$top/build/fuzz-artifacts"
		cp "$a" "$top/build/fuzz-artifacts/"
		echo "FAIL $(basename "$target"): input kept as build/fuzz-artifacts/$(basename "$a")" >> "$log.tmp"
	done
	echo "0 passed, 1 failed" >> "$log.tmp"
fi
mv "$log.tmp" "$log"
