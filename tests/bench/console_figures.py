#!/usr/bin/env python3
# console_figures.py [IMAGE] - the console and shell figures (issues 15 and 16).
#
# Boots a copy of IMAGE (build/keel.img) with the shell on the serial
# terminal and on the screen's first virtual console, and the boot
# bundle plus `stamp` (tests/bench/console/stamp.c, which prints the
# time-stamp counter and CLOCK_MONOTONIC on the kernel console). The FAT
# partition gets /big16 (16 MiB) and /text1 (1 MiB of 64-byte lines).
#
# Under -icount shift=0,sleep=off (rdtsc counts guest instructions; idle
# time jumps the clock to the next timer, so a figure that waits includes
# its waits):
#   keel.entry_to_prompt_insns     kernel entry (the kernel's bench line)
#                                  to the serial shell's first prompt
#                                  written (KEEL_PROMPT_TSC, apps/sh)
#   keel.cat16_wc_bytes_per_insn   `cat /big16 | wc -c`, 16 MiB over the
#                                  guest time it took
#   keel.serial_write_bytes_per_insn / keel.screen_write_bytes_per_insn
#                                  `cat /text1` to the serial terminal /
#                                  to the first virtual console (VGA text)
# Without -icount (plain TCG), wall clock, min and median of 3:
#   keel.cat16_wc_mib_s_{min,median}, keel.serial_write_kib_s_*,
#   keel.screen_write_kib_s_*
# A timed command runs as `stamp a; CMD; stamp b`; `stamp a; stamp b`
# alone gives what the stamps themselves cost, which is taken off.
# CONSOLE_SMP (default 2) sets the CPU count; CONSOLE_WALL=0 skips the
# wall-clock boot, CONSOLE_ICOUNT=0 the icount one; CONSOLE_KEEP=1 keeps
# the work folder (serial logs, the plugin's marks); CONSOLE_PROF=K adds a
# profile of the window from the K-th stamp to the next (1-based, in the
# order the stamps run: c00 c01 c10 c11 c20 c21 s0 s1 d00 ... v0 v1 k0 k1
# w0 w1); CONSOLE_PROF=boot profiles kernel entry to the first prompt
# (CONSOLE_PROF=allup: to initd's "all services up"),
# by program (user blocks are told apart by their code bytes) and by
# function. CONSOLE_BOOT=N measures only the boot figure: N boots to the
# first prompt (with CONSOLE_PROF=boot, a profile of each), their median,
# each run's figure and its kernel entry to initd's "all services up"
# (the rdtsc of its bench line), executed instructions,
# and how often each mark ran in between; CONSOLE_MARKS="at=NAME:ADDR ..."
# adds marks (insns_plugin.c), such as a kernel vector stub.
import os
import re
import struct
import subprocess
import sys
import tempfile
import time

import pexpect

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "qemu"))
from console import Monitor, config, rebundle  # noqa: E402
import serialline  # noqa: E402

PROMPT = r"[\r\n]/[^\r\n]* \$ "
BIG = 16 << 20
TEXT = 1 << 20
MIB = 1 << 20


def bundle_with_stamp(work):
    """build/bundle.tar's programs and build/consbench/bundle/stamp, made
    as the image's bundle is (console.rebundle)."""
    return rebundle(work, lambda name: name != "stamp", ["build/consbench/bundle/stamp"])


def make_files(work):
    big = os.path.join(work, "big16")
    with open(big, "wb") as f:
        block = bytes(range(256)) * 4096
        for _ in range(BIG // len(block)):
            f.write(block)
    text = os.path.join(work, "text1")
    line = b"the quick brown fox jumps over the lazy dog 0123456789".ljust(63, b".") + b"\n"
    with open(text, "wb") as f:
        f.write(line * (TEXT // 64))
    return big, text


def make_image(cfg, work, img_in):
    img = os.path.join(work, "disk.img")
    subprocess.run(["cp", "--sparse=always", img_in, img], check=True)
    with open("image/grub.cfg") as f:
        text = f.read()
    args = "keel.exit=debug keel.bench initd.console=sh initd.screen=sh"
    text = re.sub(r'(?m)^set KEEL_ARGS=.*$', 'set KEEL_ARGS="%s"' % args, text)
    grub = os.path.join(work, "grub.cfg")
    with open(grub, "w") as f:
        f.write(text)
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    big, txt = make_files(work)
    for src, dst in [(grub, "::/boot/grub/grub.cfg"), (bundle_with_stamp(work), "::/boot/bundle.tar"),
                     (big, "::/big16"), (txt, "::/text1")]:
        subprocess.run([cfg["MCOPY"], "-o", "-i", img + "@@1M", src, dst], check=True, env=env)
    return img


def rdtsc_addr(binary, func):
    """The address of the first rdtsc in func of binary, as hex text."""
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", binary], capture_output=True,
                         text=True, check=True).stdout
    inside = False
    for line in out.split("\n"):
        if line.endswith(">:"):
            inside = line.endswith("<%s>:" % func)
        elif inside and "rdtsc" in line:
            return line.split(":")[0].strip()
    raise Failed("no rdtsc in %s of %s" % (func, binary))


def plugin_args(work):
    """-plugin arguments: tests/bench/console/insns_plugin.c, built here,
    counting executed instructions and marking kernel entry, the shell's
    first-prompt stamp and stamp's rdtsc."""
    so = os.path.join(work, "insns_plugin.so")
    subprocess.run([os.environ.get("CC", "cc"), "-O2", "-Wall", "-shared", "-fPIC", "-o", so,
                    os.path.join(here, "console", "insns_plugin.c")], check=True)
    entry = subprocess.run(["readelf", "-h", "build/keel.elf"], capture_output=True, text=True,
                           check=True).stdout
    entry = re.search(r"Entry point address:\s+0x([0-9a-f]+)", entry).group(1)
    marks = ["at=entry:" + entry, "rdtsc=prompt:" + rdtsc_addr("build/bundle/sh", "tty_write"),
             "rdtsc=stamp:" + rdtsc_addr("build/consbench/bundle/stamp", "main"),
             "rdtsc=allup:" + rdtsc_addr("build/bundle/initd", "on_hello")] + key_marks()
    marks += os.environ.get("CONSOLE_MARKS", "").split()
    if os.environ.get("CONSOLE_PROF"):
        k = os.environ["CONSOLE_PROF"]
        windows = {"boot": "prof=entry:1:prompt", "allup": "prof=entry:1:allup"}
        marks.append(windows.get(k, "prof=stamp:" + k))
    marks.append("out=" + os.path.join(work, "plugin.log"))
    return ["-plugin", ",".join([so] + marks)]


def first_insn(binary, func, mnemonic=None, after=False, nth=1):
    """ADDR:HEX of the first instruction of func (or the first whose
    mnemonic is that, or with after the one following it) in binary: a
    mark that only that code matches; nth picks a later one. (QEMU 7.2 calls no plugin callback
    for a port I/O instruction under icount: mark the next one.)"""
    out = subprocess.run(["objdump", "-d", binary], capture_output=True, text=True,
                         check=True).stdout
    inside = found = False
    for line in out.split("\n"):
        if line.endswith(">:"):
            inside = line.endswith("<%s>:" % func)
        elif inside and "\t" in line:
            addr, raw, text = (line.split("\t") + ["", ""])[:3]
            if not text:
                continue  # the rest of a long instruction's bytes
            mark = "%s:%s" % (addr.strip().rstrip(":"), raw.replace(" ", ""))
            if found:
                return mark
            if mnemonic is None or text.startswith(mnemonic):
                nth -= 1
                if nth:
                    continue
                if not after:
                    return mark
                found = True
    raise Failed("no %s in %s of %s" % (mnemonic or "code", func, binary))


def key_marks():
    """Keystroke marks: the kernel's vector stubs of IRQ 4 (COM1) and IRQ 1
    (the keyboard), VEC_DEVICE_BASE 0x40 + the line, 16 bytes apart from
    trap_stubs; compd's `out` to the data register in uart_kick and in
    uart_write (which has an inlined copy of it after set_ier's); compd's
    vga_draw, which writes the text buffer."""
    stubs = int(next(line.split()[0] for line in subprocess.run(
        ["nm", "build/keel.elf"], capture_output=True, text=True, check=True).stdout.split("\n")
        if line.endswith(" trap_stubs")), 16)
    return ["at=irq4:%x" % (stubs + 16 * 0x44), "at=irq1:%x" % (stubs + 16 * 0x41),
            "at=uartout:" + first_insn("build/bundle/compd", "uart_kick", "out", True),
            "at=uartout:" + first_insn("build/bundle/compd", "uart_write", "out", True, 2),
            "at=vgadraw:" + first_insn("build/bundle/compd", "vga_draw")]


def keystrokes(child, mon):
    """Types the keys that key_figures() measures: x, y, z at the serial
    shell's prompt (raw mode: the shell's line editor echoes), the same on
    the screen's shell (PS/2 keyboard), then a, b, c to `cat` reading the
    serial terminal in cooked mode (compd's line discipline echoes), each
    key alone, a second apart."""
    for ch in "xyz":
        child.send(ch)
        time.sleep(1)
    child.send("\x15")
    expect(child, "the serial prompt again", r"\$ ")
    for k in "xyz":
        mon.cmd("sendkey " + k)
        time.sleep(1)
    mon.cmd("sendkey ctrl-u")
    time.sleep(1)
    child.send("stamp k0; cat; stamp k1\r")
    expect(child, "stamp k0", r"bench: stamp k0 ")
    STAMPS.append("k0")
    time.sleep(2)
    for ch in "abc":
        child.send(ch)
        time.sleep(1)
    child.send("\r\x04")
    expect(child, "stamp k1", r"bench: stamp k1 ")
    STAMPS.append("k1")
    expect(child, "prompt after cat", PROMPT)


def key_figures(marks):
    """Executed instructions from each key's interrupt (the kernel's vector
    stub) to its echo (compd's first write of it to the UART or the text
    buffer), from the marks after the stamps that precede the keys."""
    stamp_at = [i for i, (n, _) in enumerate(marks) if n == "stamp"]
    after_v1 = stamp_at[STAMPS.index("v1")]
    after_k0 = stamp_at[STAMPS.index("k0")]

    def spans(start_i, irq, end, picks):
        irqs = [i for i in range(start_i, len(marks)) if marks[i][0] == irq]
        out = []
        for k in picks:
            i = irqs[k]
            j = next(j for j in range(i + 1, len(marks)) if marks[j][0] == end)
            out.append(marks[j][1] - marks[i][1])
        return out
    return {"serial_shell": spans(after_v1, "irq4", "uartout", [0, 1, 2]),
            "screen_shell": spans(after_v1, "irq1", "vgadraw", [0, 2, 4]),
            "serial_cooked": spans(after_k0, "irq4", "uartout", [0, 1, 2])}


def plugin_marks(work):
    """[(name, executed instructions)] from the plugin's log, in order."""
    out = []
    with open(os.path.join(work, "plugin.log")) as f:
        for line in f:
            w = line.split()
            if len(w) >= 3 and w[0] == "mark":
                out.append((w[1], int(w[2])))
    return out


def symbols(binary):
    out = subprocess.run(["nm", "-n", binary], capture_output=True, text=True).stdout
    return [(int(w[0], 16), w[2]) for w in (line.split() for line in out.split("\n"))
            if len(w) == 3 and w[1] in "tTwW"]


def lookup(syms, addr):
    name = "?"
    for a, n in syms:
        if a > addr:
            break
        name = n
    return name


def load_segments(binary):
    """[(vaddr, bytes)] of the executable PT_LOAD segments of an ELF64 file."""
    with open(binary, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        return []
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    segs = []
    for i in range(phnum):
        ptype, flags, off, vaddr, _, filesz = struct.unpack_from("<IIQQQQ", data,
                                                                 phoff + i * phentsize)
        if ptype == 1 and flags & 1:
            segs.append((vaddr, data[off:off + filesz]))
    return segs


class Program:
    """A user program of the bundle: its code and its function symbols."""

    def __init__(self, name, path):
        self.name = name
        self.segs = load_segments(path)
        self.syms = symbols(path)

    def has(self, addr, code):
        """True when the program's code at addr starts with code."""
        for vaddr, data in self.segs:
            if vaddr <= addr < vaddr + len(data):
                return data[addr - vaddr:addr - vaddr + len(code)] == code
        return False


def programs():
    """Every program of build/bundle, and stamp."""
    out = [Program(n, os.path.join("build/bundle", n)) for n in sorted(os.listdir("build/bundle"))]
    out.append(Program("stamp", "build/consbench/bundle/stamp"))
    return [p for p in out if p.segs]


def profile_rows(work):
    """[(program, function, instructions)] of the profile window, one row
    per block: the kernel by address, a user block by the program whose
    code at that address has the block's bytes (several names joined by
    | when programs share that code at that address)."""
    kern = symbols("build/keel.elf")
    progs = programs()
    rows = []
    with open(os.path.join(work, "plugin.log")) as f:
        for line in f:
            w = line.split()
            if not w or w[0] != "prof":
                continue
            addr, n = int(w[1], 16), int(w[2])
            code = bytes.fromhex(w[3]) if len(w) > 3 else b""
            if addr >= 0xffff800000000000:
                rows.append(("kernel", lookup(kern, addr), n))
                continue
            owners = [p for p in progs if p.has(addr, code)] if code else []
            if not owners:
                rows.append(("?", "%x" % addr, n))
                continue
            funcs = sorted(set(lookup(p.syms, addr) for p in owners))
            rows.append(("|".join(p.name for p in owners), "|".join(funcs), n))
    return rows


def profile(work):
    """CONSOLE_PROF: the executed instructions of the profile's window, by
    program (the kernel is one) and by function within each program."""
    rows = profile_rows(work)
    total = sum(n for _, _, n in rows)
    per_prog, per_func = {}, {}
    for prog, func, n in rows:
        per_prog[prog] = per_prog.get(prog, 0) + n
        per_func[(prog, func)] = per_func.get((prog, func), 0) + n
    print("# profile: %d instructions" % total)
    print("# by program:")
    for prog, n in sorted(per_prog.items(), key=lambda kv: -kv[1]):
        print("# %12d %5.1f%% %s" % (n, 100.0 * n / total, prog))
    top = int(os.environ.get("CONSOLE_PROF_TOP", "60"))
    print("# by function (top %d):" % top)
    for (prog, func), n in sorted(per_func.items(), key=lambda kv: -kv[1])[:top]:
        print("# %12d %5.1f%% %s:%s" % (n, 100.0 * n / total, prog, func))


def boot(cfg, work, img, icount, smp):
    cmd = [cfg["TIMEOUT"], "--foreground", "900", cfg["QEMU"], "-M", "pc", "-cpu", "max",
           "-m", "256M", "-smp", str(smp), "-display", "none", "-no-reboot",
           "-chardev", "stdio,id=ser,signal=off", "-serial", "chardev:ser",
           "-monitor", "unix:%s,server,nowait" % os.path.join(work, "monitor.sock"),
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-drive", "file=%s,if=none,id=disk,format=raw" % img,
           "-device", "virtio-blk-pci,drive=disk,bootindex=0,disable-legacy=on"]
    if icount:
        cmd[4:4] = ["-icount", "shift=0,sleep=off"] + plugin_args(work)
    else:
        cmd[4:4] = ["-accel", "tcg,thread=single"]
    child = serialline.spawn(cmd, timeout=300, searchwindowsize=4096, maxread=65536)
    child.logfile_read = open(os.path.join(work, "serial-%s.log" % ("icount" if icount else "wall")), "w")
    child.delaybeforesend = None
    return child


class Failed(Exception):
    pass


def expect(child, what, pattern, timeout=300):
    try:
        child.expect(pattern, timeout=timeout)
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        raise Failed("%s: no /%s/ (%s)" % (what, pattern, type(e).__name__))
    return child.match


STAMPS = []  # stamp names in the order they ran (the plugin's marks follow it)


def stamp_pair(child, tag):
    """The (tsc, ns) of `stamp TAG0` and `stamp TAG1` as they appear."""
    out = []
    for t in (tag + "0", tag + "1"):
        m = expect(child, "stamp " + t, r"bench: stamp %s tsc=(\d+) ns=(\d+)" % t)
        bad = re.search(r"can't open|not found|No such file", child.before)
        if bad:
            raise Failed("before stamp %s: %s" % (t, child.before[bad.start():bad.start() + 80]))
        STAMPS.append(t)
        out.append((int(m.group(1)), int(m.group(2))))
    return out


def timed_serial(child, tag, cmd, timeout=600):
    """Runs `stamp TAG0; CMD; stamp TAG1` at the serial shell: (tsc, ns)."""
    child.send("stamp %s0; %s; stamp %s1\r" % (tag, cmd, tag))
    (t0, n0), (t1, n1) = stamp_pair(child, tag)
    expect(child, "prompt after " + tag, PROMPT, timeout)
    return t1 - t0, n1 - n0


def type_keys(mon, text):
    names = {" ": "spc", "/": "slash", ";": "semicolon", ".": "dot", "|": "shift-backslash",
             "-": "minus", "\r": "ret"}
    for ch in text:
        mon.cmd("sendkey " + names.get(ch, ch))
        time.sleep(0.02)


def timed_screen(child, mon, tag, cmd):
    """The same on the screen's shell, typed on the PS/2 keyboard."""
    type_keys(mon, "stamp %s0; %s; stamp %s1\r" % (tag, cmd, tag))
    (t0, n0), (t1, n1) = stamp_pair(child, tag)
    return t1 - t0, n1 - n0


def median(v):
    return sorted(v)[len(v) // 2]


def icount_run(cfg, work, img, smp):
    """The guest-instruction figures: TSC (guest time) during the run,
    executed instructions from the plugin's log after it."""
    del STAMPS[:]
    child = boot(cfg, work, img, True, smp)
    m = expect(child, "kernel entry", r"bench: reset_to_entry_insns=(\d+)")
    entry = int(m.group(1))
    expect(child, "first prompt", PROMPT, 600)
    child.send("echo prompt=$KEEL_PROMPT_TSC\r")
    m = expect(child, "KEEL_PROMPT_TSC", r"prompt=(\d+)\r")
    tsc = {"prompt": int(m.group(1)) - entry}
    expect(child, "prompt", PROMPT)
    # `stamp a; true; stamp b`: what a stamp pair costs by itself.
    tsc["cal"] = median([timed_serial(child, "c%d" % i, "true")[0] for i in range(3)])
    tsc["serial"] = timed_serial(child, "s", "cat /text1")[0]
    mon = Monitor(os.path.join(work, "monitor.sock"))
    tsc["scal"] = median([timed_screen(child, mon, "d%d" % i, "true")[0] for i in range(3)])
    tsc["screen"] = timed_screen(child, mon, "v", "cat /text1")[0]
    keystrokes(child, mon)
    mon.sock.close()
    # Last: after it, an open of /text1 has been seen to fail (ENOENT) now
    # and then under icount (reported; vfsd).
    tsc["cat16"] = timed_serial(child, "w", "cat /big16 | wc -c")[0]
    poweroff(child)
    report(tsc, executed(work))
    keys = key_figures(plugin_marks(work))
    for name, runs in keys.items():
        print("keel.key_to_echo_%s_insns=%d" % (name, median(runs)))
    print("# keystroke runs: %s" % keys)
    if os.environ.get("CONSOLE_PROF"):
        profile(work)


def boot_runs(cfg, work, img_in, smp, runs):
    """CONSOLE_BOOT=N: only the boot figure, N boots (each on a fresh copy
    of the image) from kernel entry to the first prompt, then power-off."""
    figures, allups = [], []
    for i in range(runs):
        img = make_image(cfg, work, img_in)
        child = boot(cfg, work, img, True, smp)
        expect(child, "kernel entry", r"bench: reset_to_entry_insns=(\d+)")
        expect(child, "first prompt", PROMPT, 600)
        poweroff(child)
        log = os.path.join(work, "serial-icount.log")
        os.replace(log, os.path.join(work, "serial-boot%d.log" % (i + 1)))
        with open(os.path.join(work, "serial-boot%d.log" % (i + 1)), errors="replace") as f:
            for line in f:
                if re.search(r"quarantined|fault|panic|stopped unexpectedly|gave up", line):
                    print("# run %d: %s" % (i + 1, line.strip()))
        marks = plugin_marks(work)
        prompt = next(i for i, (n, _) in enumerate(marks) if n == "prompt")
        entry = [c for n, c in marks[:prompt] if n == "entry"][-1]
        figures.append(marks[prompt][1] - entry)
        allup = [c for n, c in marks[:prompt] if n == "allup"]
        if allup:
            allups.append(allup[-1] - entry)
        print("# run %d: %d (all services up: %s)" % (i + 1, figures[-1],
                                                      allup[-1] - entry if allup else "?"))
        seen = {}
        for n, c in marks[:prompt + 1]:
            if c >= entry:
                seen[n] = seen.get(n, 0) + 1
        print("# marks from entry to prompt: %s" % seen)
        if os.environ.get("CONSOLE_PROF"):
            profile(work)
    print("keel.entry_to_prompt_insns=%d" % median(figures))
    print("# runs: %s" % " ".join(str(f) for f in figures))
    if allups:
        print("keel.entry_to_all_services_up_executed_insns_smp%d=%d" % (smp, median(allups)))
        print("# runs: %s" % " ".join(str(f) for f in allups))


def executed(work):
    """Executed instructions per figure, from the plugin's marks."""
    marks = plugin_marks(work)
    prompt = next(i for i, (n, _) in enumerate(marks) if n == "prompt")
    entry = [c for n, c in marks[:prompt] if n == "entry"][-1]
    stamps = [c for n, c in marks if n == "stamp"]
    if len(stamps) != len(STAMPS):
        print("# stamps %s" % STAMPS)
        raise Failed("%d stamp marks for %d stamps" % (len(stamps), len(STAMPS)))
    at = dict(zip(STAMPS, stamps))

    def pair(tag):
        return at[tag + "1"] - at[tag + "0"]
    return {"prompt": marks[prompt][1] - entry,
            "cal": median([pair("c%d" % i) for i in range(3)]),
            "cat16": pair("w"), "serial": pair("s"),
            "scal": median([pair("d%d" % i) for i in range(3)]), "screen": pair("v")}


def report(tsc, ex):
    print("keel.entry_to_prompt_insns=%d" % ex["prompt"])
    print("keel.entry_to_prompt_guest_ns=%d" % tsc["prompt"])
    print("# a stamp pair alone: %d executed, %d guest ns (taken off below)" % (ex["cal"], tsc["cal"]))
    for name, key, cal, size in [("cat16_wc", "cat16", "cal", BIG),
                                 ("serial_write_1mib", "serial", "cal", TEXT),
                                 ("screen_write_1mib", "screen", "scal", TEXT)]:
        e = ex[key] - ex[cal]
        t = tsc[key] - tsc[cal]
        print("keel.%s_insns=%d" % (name, e))
        print("keel.%s_bytes_per_insn=%.4f" % (name, size / e))
        print("keel.%s_guest_ns=%d" % (name, t))


def poweroff(child):
    child.send("poweroff\r")
    try:
        child.expect(pexpect.EOF, timeout=120)
    except pexpect.TIMEOUT:
        child.terminate(force=True)
    child.close()


def stats(name, values, unit):
    v = sorted(values)
    print("keel.%s_%s_min=%.1f" % (name, unit, v[0]))
    print("keel.%s_%s_median=%.1f" % (name, unit, v[len(v) // 2]))


def wall_run(cfg, work, img, smp):
    """Wall clock (TCG without icount; CLOCK_MONOTONIC follows the host)."""
    child = boot(cfg, work, img, False, smp)
    expect(child, "first prompt", PROMPT, 600)
    cal = median([timed_serial(child, "c%d" % i, "true")[1] for i in range(3)])
    ns = [timed_serial(child, "w%d" % i, "cat /big16 | wc -c")[1] - cal for i in range(3)]
    stats("cat16_wc", [BIG / MIB / (n / 1e9) for n in ns], "mib_s")
    ns = [timed_serial(child, "s%d" % i, "cat /text1")[1] - cal for i in range(3)]
    stats("serial_write", [TEXT / 1024 / (n / 1e9) for n in ns], "kib_s")
    mon = Monitor(os.path.join(work, "monitor.sock"))
    cal = median([timed_screen(child, mon, "d%d" % i, "true")[1] for i in range(3)])
    ns = [timed_screen(child, mon, "v%d" % i, "cat /text1")[1] - cal for i in range(3)]
    stats("screen_write", [TEXT / 1024 / (n / 1e9) for n in ns], "kib_s")
    mon.sock.close()
    poweroff(child)


def main():
    cfg = config()
    img_in = sys.argv[1] if len(sys.argv) > 1 else "build/keel.img"
    smp = int(os.environ.get("CONSOLE_SMP", "2"))
    work = tempfile.mkdtemp(prefix="keel-console-bench.")
    rc = 0
    try:
        img = make_image(cfg, work, img_in)
        print("# Keel console and shell, -smp %d; guest instructions under -icount shift=0,sleep=off" % smp)
        if os.environ.get("CONSOLE_BOOT"):
            boot_runs(cfg, work, img_in, smp, int(os.environ["CONSOLE_BOOT"]))
        elif os.environ.get("CONSOLE_ICOUNT", "1") != "0":
            icount_run(cfg, work, img, smp)
        if os.environ.get("CONSOLE_WALL", "1") != "0" and not os.environ.get("CONSOLE_BOOT"):
            print("# Keel console and shell, wall clock (TCG, no icount), min and median of 3")
            img = make_image(cfg, work, img_in)
            wall_run(cfg, work, img, smp)
    except Failed as e:
        print("# console bench failed: %s" % e)
        for name in os.listdir(work):
            if name.startswith("serial-"):
                with open(os.path.join(work, name)) as f:
                    sys.stderr.write(f.read()[-3000:])
        rc = 1
    if os.environ.get("CONSOLE_KEEP"):
        print("# kept " + work)
    else:
        subprocess.run(["rm", "-rf", work])
    return rc


if __name__ == "__main__":
    sys.exit(main())
