#!/bin/sh
# profile.sh START STOP [KEEL_ARGS] - where guest instructions go, per kernel function.
#
# Boots build/keel.img on 2 CPUs under -icount with QEMU's execution log
# (every translated block logged on each run, no chaining), then counts the
# guest instructions of each kernel function between the first time the
# user-space symbol START runs and the next time STOP runs, both looked up
# in build/bundle/kabi-root. User code is one bucket ("user"): the two
# tasks share addresses. The default window is the same-CPU call loops of
# the IPC bench: in registers, in registers with a thread queued, in
# memory (warm-up and measured calls: 11,000 round trips each).
#
#   sh tests/bench/profile.sh                      # IPC round trip
#   sh tests/bench/profile.sh measure batches "keel.init=kabi-root kabi.test=bench"
#   PROFILE_FUNC=ipc_call sh tests/bench/profile.sh   # also each block of one function
#   PROFILE_CPUS=1 PROFILE_FROM=7 sh tests/bench/profile.sh calls kabi_inbox_close
#       # each CPU apart, from the 7th time calls runs: the bench's
#       # cross-CPU loops (calls runs six times on one CPU first)
#
# A developer tool, not run by ninja. Only the kernel's and user space's
# blocks are logged (-dfilter: not the firmware's and the boot loader's
# 270 million instructions), about 1 GB for the bench.
set -eu
. build/config.sh
start_sym=${1:-measure}
stop_sym=${2:-batches}
args=${3:-keel.init=kabi-root kabi.test=bench}
work=$(mktemp -d "${TMPDIR:-/tmp}/keel-profile.XXXXXX")
trap 'rm -rf "$work"' EXIT

addr() { nm "$1" | awk -v s="$2" '$3 == s { print $1; exit }'; }
start=$(addr build/bundle/kabi-root "$start_sym")
stop=$(addr build/bundle/kabi-root "$stop_sym")
[ -n "$start" ] && [ -n "$stop" ] || { echo "profile: unknown symbol" >&2; exit 2; }

nm -n build/keel.elf | awk '$2 ~ /^[tTwW]$/ { print $1, $3 }' > "$work/ksyms"
# PROFILE_LOG=FILE keeps the execution log there, and reuses it if it exists.
log=${PROFILE_LOG:-$work/exec.log}
if [ ! -s "$log" ]; then
cp --sparse=always build/keel.img "$work/disk.img"
sed "s|^set KEEL_ARGS=.*|set KEEL_ARGS=\"keel.exit=debug keel.bench $args\"|" \
	image/grub.cfg > "$work/grub.cfg"
MTOOLS_SKIP_CHECK=1 "$MCOPY" -o -i "$work/disk.img@@1M" "$work/grub.cfg" ::/boot/grub/grub.cfg
"$TIMEOUT" --foreground 1200 "$QEMU" -M pc -cpu max -m 256M -smp 2 \
	-icount shift=0,sleep=off -display none -monitor none -no-reboot \
	-serial "file:$work/serial.log" -d in_asm,exec,nochain -D "$log" \
	-dfilter 0xffffffff80000000..0xfffffffffffffffe,0x400000..0x7fffffffffff \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-drive "file=$work/disk.img,if=none,id=disk,format=raw" \
	-device virtio-blk-pci,drive=disk,bootindex=0,disable-legacy=on < /dev/null || true
grep -a "bench:" "$work/serial.log" || true
fi

awk -v start="$start" -v stop="$stop" -v syms="$work/ksyms" -v func="${PROFILE_FUNC:-}" \
	-v from="${PROFILE_FROM:-1}" -v bycpu="${PROFILE_CPUS:-}" '
# Addresses keep their low 32 bits plus 2^32 for the kernel half, so they
# stay exact in the doubles awk uses (kernel text is in the top 2 GiB).
function hex(s,   i, c, v) {
	v = 0; s = tolower(s); sub(/^0x/, "", s)
	if (length(s) > 8) { hi = substr(s, 1, length(s) - 8); s = substr(s, length(s) - 7) } else hi = ""
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", substr(s, i, 1)) - 1
		v = v * 16 + c
	}
	return hi ~ /^0*$/ ? v : v + 4294967296
}
# Arrays are keyed by the address text: awk would print big numbers as %.6g.
function key(s) { s = tolower(s); sub(/^0x/, "", s); sub(/^0+/, "", s); return s }
function name(k,   pc, lo, hi, mid) {
	if (k in cache) return cache[k]
	pc = hex(k)
	if (pc < kbase) return cache[k] = "user"
	lo = 1; hi = nsyms
	while (lo < hi) { mid = int((lo + hi + 1) / 2); if (saddr[mid] <= pc) lo = mid; else hi = mid - 1 }
	return cache[k] = sname[lo]
}
BEGIN {
	while ((getline line < syms) > 0) {
		split(line, f, " "); nsyms++; saddr[nsyms] = hex(f[1]); sname[nsyms] = f[2]
	}
	kbase = 4294967296; a0 = key(start); a1 = key(stop)
}
/^IN:/ { inblk = 1; n = 0; first = ""; next }
inblk && /^0x[0-9a-f]+:/ { if (first == "") first = $1; n++; next }
inblk && /^$/ { if (first != "") { sub(/:$/, "", first); cnt[key(first)] = n }; inblk = 0; next }
/^Trace / {
	match($0, /\/[0-9a-f]+\//); pc = key(substr($0, RSTART + 1, RLENGTH - 2))
	if (!on && pc == a0 && ++starts >= from) on = 1
	else if (on && pc == a1) exit
	if (on) {
		fn = name(pc); total += cnt[pc]
		if (fn == func) { blk[pc] += cnt[pc]; blen[pc] = cnt[pc] }
		if (bycpu != "") { c = $2; sub(/:$/, "", c); fn = "cpu" c " " fn }
		per[fn] += cnt[pc]
	}
}
END {
	for (fn in per) printf "%10d %5.1f%% %s\n", per[fn], 100 * per[fn] / total, fn | "sort -rn"
	close("sort -rn")
	printf "%10d total\n", total
	for (pc in blk) printf "  block %s: %d instructions, %d in all\n", pc, blen[pc], blk[pc] | "sort"
	close("sort")
}' "$log"
