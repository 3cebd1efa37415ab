#!/usr/bin/env python3
# console.py [BUILD_DIR] - the Linux peer of tests/bench/console_figures.py:
# the same console and shell workloads on Linux 6.1 with busybox, under the
# same QEMU flags, printed as linux.NAME=value lines.
#
# The initramfs (newc, written here) holds busybox, /init (stamp.c: stamps
# "init", then runs /bin/sh /init.sh), /big16 (16 MiB) and /text1 (1 MiB of
# 64-byte lines), so the files are in the initramfs's tmpfs (rootfs). The
# script runs `stamp a; CMD; stamp b` for: `true` (the stamps' own cost,
# taken off), `cat /big16 | wc -c`, `cat /text1` to the serial console
# (ttyS0, the 8250 driver) and `cat /text1 > /dev/tty1` (the VGA text
# console, vgacon). Under -icount the plugin tests/bench/console/
# insns_plugin.c counts executed instructions (no idle in them) and marks
# the bzImage's 32-bit entry at 0x100000 and each stamp's rdtsc; without
# icount the wall clock (CLOCK_MONOTONIC) gives min and median of 3.
# Figures:
#   linux.entry_to_init_insns          0x100000 (decompressor included) to /init
#   linux.reset_to_init_insns          from reset (SeaBIOS, option ROM too)
#   linux.reset_to_init_guest_ns       the TSC at /init (idle jumps included)
#   linux.cat16_wc_insns, _bytes_per_insn, _mib_s_{min,median}
#   linux.serial_write_1mib_insns, _bytes_per_insn, linux.serial_write_kib_s_*
#   linux.vga_write_1mib_insns, _bytes_per_insn, linux.vga_write_kib_s_*
import os
import re
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", "..", ".."))
BIG = 16 << 20
TEXT = 1 << 20

INIT_SH = r"""#!/bin/sh
# /init.sh of the console peer: timed commands between stamps.
bb=/bin/busybox
$bb mount -t proc proc /proc
reps=${peer_reps:-1}
for i in 0 1 2; do /bin/stamp c${i}0; true; /bin/stamp c${i}1; done
i=0
while [ $i -lt $reps ]; do
	/bin/stamp w${i}0; cat /big16 | wc -c; /bin/stamp w${i}1
	/bin/stamp s${i}0; cat /text1; /bin/stamp s${i}1
	/bin/stamp v${i}0; cat /text1 > /dev/tty1; /bin/stamp v${i}1
	i=$((i + 1))
done
echo "linux-console: done"
$bb poweroff -f
"""


class Cpio:
    """A newc archive, owners and times 0."""

    def __init__(self):
        self.out = bytearray()
        self.ino = 0

    def entry(self, name, mode, data=b"", rdev=(0, 0)):
        self.ino += 1
        fields = [self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
        self.out += b"070701" + b"".join(b"%08X" % f for f in fields)
        self.out += name.encode() + b"\0"
        self.out += b"\0" * (-len(self.out) % 4)
        self.out += data
        self.out += b"\0" * (-len(self.out) % 4)


def initramfs(b, stamp, path):
    c = Cpio()
    for d in [".", "bin", "dev", "proc", "sys"]:
        c.entry(d, 0o40755)
    c.entry("dev/console", 0o20600, rdev=(5, 1))
    c.entry("dev/null", 0o20666, rdev=(1, 3))
    c.entry("dev/tty1", 0o20600, rdev=(4, 1))
    with open(os.path.join(b, "busybox"), "rb") as f:
        c.entry("bin/busybox", 0o100755, f.read())
    for applet in ["sh", "cat", "wc", "true", "mount", "poweroff"]:
        c.entry("bin/" + applet, 0o120777, b"busybox")
    with open(stamp, "rb") as f:
        data = f.read()
    c.entry("init", 0o100755, data)
    c.entry("bin/stamp", 0o120777, b"../init")
    c.entry("init.sh", 0o100755, INIT_SH.encode())
    c.entry("big16", 0o100644, bytes(range(256)) * (BIG // 256))
    line = b"the quick brown fox jumps over the lazy dog 0123456789".ljust(63, b".") + b"\n"
    c.entry("text1", 0o100644, line * (TEXT // 64))
    c.entry("TRAILER!!!", 0)
    with open(path, "wb") as f:
        f.write(c.out)


def build(b, work):
    cc = os.environ.get("MUSL_GCC", "musl-gcc")
    stamp = os.path.join(work, "stamp")
    subprocess.run([cc, "-static", "-O2", "-Wall", "-o", stamp, os.path.join(here, "stamp.c")],
                   check=True)
    so = os.path.join(work, "insns_plugin.so")
    subprocess.run([os.environ.get("CC", "cc"), "-O2", "-Wall", "-shared", "-fPIC", "-o", so,
                    os.path.join(root, "tests", "bench", "console", "insns_plugin.c")], check=True)
    dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", stamp], capture_output=True,
                         text=True, check=True).stdout
    inside, addr = False, None
    for line in dis.split("\n"):
        if line.endswith(">:"):
            inside = line.endswith("<main>:")
        elif inside and "rdtsc" in line and not addr:
            addr = line.split(":")[0].strip()
    initrd = os.path.join(work, "initramfs.cpio")
    initramfs(b, stamp, initrd)
    return initrd, so, addr


def boot(b, work, initrd, plugin, reps):
    log = os.path.join(work, "serial-%s.log" % ("icount" if plugin else "wall"))
    cmd = [os.environ.get("QEMU", "qemu-system-x86_64"), "-M", "pc", "-cpu", "max", "-m", "256M",
           "-smp", "2", "-display", "none", "-no-reboot", "-serial", "file:" + log, "-monitor", "none",
           "-kernel", os.path.join(b, "vmlinuz"), "-initrd", initrd,
           "-append", "console=ttyS0 quiet panic=-1 maxcpus=1 peer_reps=%d" % reps]
    if plugin:
        so, addr = plugin
        cmd[1:1] = ["-icount", "shift=0,sleep=off", "-plugin",
                    "%s,at=entry:100000,rdtsc=stamp:%s" % (so, addr),
                    "-d", "plugin", "-D", os.path.join(work, "plugin.log")]
    else:
        cmd[1:1] = ["-accel", "tcg,thread=single"]
    subprocess.run(["timeout", os.environ.get("PEER_TIMEOUT", "600")] + cmd, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(log, encoding="latin-1") as f:
        text = f.read().replace("\r", "")
    if "linux-console: done" not in text:
        sys.stderr.write(text[-3000:])
        raise SystemExit("console.py: the Linux peer did not finish (log %s)" % log)
    return [(m.group(1), int(m.group(2)), int(m.group(3)))
            for m in re.finditer(r"linux-stamp (\w+) tsc=(\d+) ns=(\d+)", text)]


def median(v):
    return sorted(v)[len(v) // 2]


def icount_figures(work, stamps):
    marks = []
    with open(os.path.join(work, "plugin.log")) as f:
        for line in f:
            w = line.split()
            if len(w) >= 3 and w[0] == "mark":
                marks.append((w[1], int(w[2])))
    st = [c for n, c in marks if n == "stamp"]
    if len(st) != len(stamps):
        raise SystemExit("console.py: %d stamp marks for %d stamps" % (len(st), len(stamps)))
    ex = {name: c for (name, _, _), c in zip(stamps, st)}
    tsc = {name: t for name, t, _ in stamps}
    entry = [c for n, c in marks if n == "entry"]
    print("linux.entry_to_init_insns=%d" % (ex["init"] - entry[-1]))
    print("linux.reset_to_init_insns=%d" % ex["init"])
    print("linux.reset_to_init_guest_ns=%d" % tsc["init"])
    cal = median([ex["c%d1" % i] - ex["c%d0" % i] for i in range(3)])
    tcal = median([tsc["c%d1" % i] - tsc["c%d0" % i] for i in range(3)])
    print("# a stamp pair alone: %d executed, %d guest ns (taken off below)" % (cal, tcal))
    for name, tag, size in [("cat16_wc", "w0", BIG), ("serial_write_1mib", "s0", TEXT),
                            ("vga_write_1mib", "v0", TEXT)]:
        e = ex[tag + "1"] - ex[tag + "0"] - cal
        print("linux.%s_insns=%d" % (name, e))
        print("linux.%s_bytes_per_insn=%.4f" % (name, size / e))
        print("linux.%s_guest_ns=%d" % (name, tsc[tag + "1"] - tsc[tag + "0"] - tcal))


def wall_figures(stamps):
    ns = {name: n for name, _, n in stamps}
    cal = median([ns["c%d1" % i] - ns["c%d0" % i] for i in range(3)])
    for name, tag, size, unit, div in [("cat16_wc", "w", BIG, "mib_s", 1 << 20),
                                       ("serial_write", "s", TEXT, "kib_s", 1024),
                                       ("vga_write", "v", TEXT, "kib_s", 1024)]:
        v = sorted(size / div / ((ns["%s%d1" % (tag, i)] - ns["%s%d0" % (tag, i)] - cal) / 1e9)
                   for i in range(3))
        print("linux.%s_%s_min=%.1f" % (name, unit, v[0]))
        print("linux.%s_%s_median=%.1f" % (name, unit, v[1]))


def main():
    b = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                        os.environ.get("PEER_BUILD", os.path.join(root, "build", "peer")))
    if subprocess.run(["sh", os.path.join(here, "fetch.sh"), b]).returncode:
        raise SystemExit("console.py: fetching the peer's packages failed")
    work = tempfile.mkdtemp(prefix="linux-console.")
    initrd, so, addr = build(b, work)
    print("# Linux peer console and shell (busybox; files in the initramfs), -icount shift=0,sleep=off")
    icount_figures(work, boot(b, work, initrd, (so, addr), 1))
    if os.environ.get("CONSOLE_WALL", "1") != "0":
        print("# Linux peer, wall clock (TCG, no icount), min and median of 3")
        wall_figures(boot(b, work, initrd, None, 3))
    if os.environ.get("CONSOLE_KEEP"):
        print("# kept " + work)
    else:
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
