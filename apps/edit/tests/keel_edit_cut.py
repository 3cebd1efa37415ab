#!/usr/bin/env python3
# keel_edit_cut.py - a save cut short by a power cut leaves the old file or
# the new one, never a mix. A file of a few MiB is put on the image; the
# editor on Keel opens it (serial terminal, pexpect) and saves it again
# and again, one character more each time.
#
# Cuts while the machine runs on: during each save QEMU is stopped at a
# different moment (the monitor's "stop" completes the writes in flight,
# so the disk file then holds exactly what a power cut at that moment
# would leave), the disk is copied, and QEMU goes on.
# Real kills: QEMU is killed (SIGKILL) during a save, after different
# delays, in fresh boots.
# Each copy is checked on the host with mtools: the file reads back as
# exactly the text before the save or exactly the text after it, it is
# listed once, and any temporary file left is reported (the save's
# .NAME.editN~, never taken for the file). What fsck.fat -n says about the
# cut volume is printed (lost clusters and the dirty marks are what FAT
# without a journal may leave, docs/fat.md); cross-linked clusters fail.
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, "tests/qemu")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import system  # noqa: E402
import serialline  # noqa: E402
import vt  # noqa: E402
from console import Monitor  # noqa: E402

check = system.check
PROMPT = system.PROMPT
MIB = int(os.environ.get("EDIT_CUT_MIB", "3"))
STOPS = int(os.environ.get("EDIT_CUT_STOPS", "8"))
KILLS = int(os.environ.get("EDIT_CUT_KILLS", "2"))
ENV = dict(os.environ, MTOOLS_SKIP_CHECK="1")
fsck_lines = {}


def original():
    lines = []
    n = 0
    while sum(len(x) for x in lines) < MIB << 20:
        lines.append(b"%07d the quick brown fox jumps over the lazy dog %07d\n" % (n, n * 7))
        n += 1
    return b"".join(lines)


def qemu_cmd(cfg, work, img):
    return [cfg["TIMEOUT"], "--foreground", "900", cfg["QEMU"], "-accel", "tcg,thread=single",
            "-M", "pc", "-cpu", "max", "-m", "256M", "-smp", "2", "-display", "none",
            "-no-reboot", "-chardev", "stdio,id=ser,signal=off", "-serial", "chardev:ser",
            "-monitor", "unix:%s,server,nowait" % os.path.join(work, "monitor.sock"),
            "-drive", "file=%s,if=none,id=disk,format=raw" % img,
            "-device", "virtio-blk-pci,drive=disk,bootindex=0,disable-legacy=on"]


def start(cfg, work, img, tag):
    log = open(os.path.join(work, "serial-%s.log" % tag), "w")
    child = serialline.spawn(qemu_cmd(cfg, work, img), timeout=60)
    child.logfile_read = log
    child.delaybeforesend = None
    s = system.Session(child)
    ok = s.expect("%s: the boot reaches all services" % tag, r"initd: all services up \(7\)",
                  180) and s.expect("%s: the shell prompts" % tag, PROMPT, 60)
    if ok:
        scr = vt.Screen()
        child.send("edit /big.txt\r")
        rx = re.compile(r"^0000000 the quick")
        ok = vt.pump(child, scr, lambda sc: rx.search(sc.row(0)) is not None, 300)
        check("%s: edit opens the %d MiB file" % (tag, MIB), ok, scr.text())
        vt.settle(child, scr, quiet=1.0)
        return child, scr, ok
    return child, None, False


def type_and_save(child, scr, ch):
    """Types ch (the message line clears), then ^S."""
    child.send(ch)
    vt.pump(child, scr, lambda sc: "Wrote" not in sc.row(sc.rows - 1), 30)
    vt.settle(child, scr, quiet=0.5)
    child.send("\x13")


def wrote(scr):
    return "Wrote" in scr.row(scr.rows - 1)


def cut_checks(cfg, work, img, tag, old, new):
    """Checks the file and volume in a cut image; returns 'old' or 'new'."""
    mtype = cfg["MCOPY"].replace("mcopy", "mtype")
    r = subprocess.run([mtype, "-i", img + "@@1M", "::/big.txt"], capture_output=True, env=ENV)
    got = "old" if r.stdout == old else "new" if r.stdout == new else "mixed"
    check("%s: the file is the old or the new text in full (%s)" % (tag, got), got != "mixed",
          "%d bytes, first %r" % (len(r.stdout), r.stdout[:40]))
    mdir = cfg["MCOPY"].replace("mcopy", "mdir")
    r = subprocess.run([mdir, "-a", "-b", "-i", img + "@@1M", "::/"], capture_output=True,
                       text=True, env=ENV)
    names = [os.path.basename(n) for n in r.stdout.split()]
    check("%s: big.txt is listed once" % tag, names.count("big.txt") == 1, repr(names))
    temps = [n for n in names if n.startswith(".big.txt.edit")]
    if temps:
        print("note %s: temporary file left: %s" % (tag, " ".join(temps)))
    part = os.path.join(work, "part.img")
    subprocess.run(["dd", "if=" + img, "of=" + part, "bs=1M", "skip=1", "status=none"],
                   check=True)
    r = subprocess.run(["fsck.fat", "-n", part], capture_output=True, text=True)
    out = r.stdout + r.stderr
    check("%s: fsck.fat finds no cross-linked clusters" % tag,
          not re.search(r"cross-linked|share|Duplicate", out, re.I), out)
    for line in out.split("\n"):
        line = re.sub(r"\d+", "N", line.strip())
        if line and not line.startswith(("fsck.fat", "/")):
            fsck_lines[line] = fsck_lines.get(line, 0) + 1
    os.unlink(part)
    return got


def stops(cfg, work, base, text):
    """One boot; each save is stopped once at a different moment."""
    img = os.path.join(work, "disk.img")
    shutil.copyfile(base, img)
    child, scr, ok = start(cfg, work, img, "stops")
    results = []
    if not ok:
        child.close(force=True)
        return results, 60.0
    mon = Monitor(os.path.join(work, "monitor.sock"))
    t0 = time.time()
    type_and_save(child, scr, "a")
    ok = vt.pump(child, scr, wrote, 600)
    took = time.time() - t0
    check("stops: a whole save completes", ok, scr.text())
    print("note: one save of %d MiB takes %.1f s of wall time (TCG)" % (MIB, took))
    cur = b"a" + text
    for i in range(STOPS):
        if not ok:
            break
        ch = chr(ord("b") + i)
        new = cur[:i + 1] + ch.encode() + cur[i + 1:]
        type_and_save(child, scr, ch)
        time.sleep(took * (i + 0.5) / STOPS)
        mon.cmd("stop")
        cut = os.path.join(work, "cut.img")
        subprocess.run(["cp", "--sparse=always", img, cut], check=True)
        mon.cmd("cont")
        results.append(cut_checks(cfg, work, cut, "stop %d at %.1f s" %
                                  (i + 1, took * (i + 0.5) / STOPS), cur, new))
        os.unlink(cut)
        ok = vt.pump(child, scr, wrote, 600)
        check("stop %d: the save completes after the pause" % (i + 1), ok)
        cur = new
    child.send("\x11")
    system.Session(child).expect("stops: the editor quits", PROMPT, 60)
    child.send("poweroff\r")
    system.Session(child).expect("stops: power off", r"topod: power off", 90)
    mon.sock.close()
    child.close(force=True)
    mtype = cfg["MCOPY"].replace("mcopy", "mtype")
    r = subprocess.run([mtype, "-i", img + "@@1M", "::/big.txt"], capture_output=True, env=ENV)
    check("stops: after power-off the file holds the last save", r.stdout == cur,
          "%d bytes" % len(r.stdout))
    return results, took


def kills(cfg, work, base, text, took):
    results = []
    for i in range(KILLS):
        img = os.path.join(work, "kill.img")
        shutil.copyfile(base, img)
        tag = "kill %d" % (i + 1)
        child, scr, ok = start(cfg, work, img, tag)
        if ok:
            type_and_save(child, scr, "z")
            time.sleep(took * (i + 1) / (KILLS + 1))
            # child is timeout(1); QEMU is its child: kill QEMU first.
            pids = subprocess.run(["pgrep", "-P", str(child.pid)], capture_output=True,
                                  text=True).stdout.split()
            for p in pids:
                os.kill(int(p), signal.SIGKILL)
            os.kill(child.pid, signal.SIGKILL)
        child.close(force=True)
        if ok:
            time.sleep(1)
            results.append(cut_checks(cfg, work, img, "%s at %.1f s" %
                                      (tag, took * (i + 1) / (KILLS + 1)), text, b"z" + text))
        os.unlink(img)
    return results


def main():
    cfg = system.config()
    work = tempfile.mkdtemp(prefix="keel-edit-cut.")
    base = system.make_image(cfg, work, "initd.console=sh")
    text = original()
    src = os.path.join(work, "big.txt")
    with open(src, "wb") as f:
        f.write(text)
    subprocess.run([cfg["MCOPY"], "-i", base + "@@1M", src, "::/big.txt"], check=True, env=ENV)
    os.rename(base, os.path.join(work, "base.img"))
    base = os.path.join(work, "base.img")
    results, took = stops(cfg, work, base, text)
    results += kills(cfg, work, base, text, took)
    print("cuts: %d, old file %d, new file %d" %
          (len(results), results.count("old"), results.count("new")))
    for line, n in sorted(fsck_lines.items()):
        print("fsck.fat -n after the cuts (%d of them): %s" % (n, line))
    for name in sorted(os.listdir(work)):
        if name.startswith("serial") and system.failed:
            with open(os.path.join(work, name), encoding="latin-1") as f:
                text = f.read()
            print("---- %s" % name)
            print(text[-3000:])
    shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (system.passed, system.failed))
    return 1 if system.failed else 0


if __name__ == "__main__":
    sys.exit(main())
