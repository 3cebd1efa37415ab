#!/usr/bin/env python3
# console.py - the console in QEMU: compd's terminals typed to and read.
#
# Serial: Keel boots with the boot list boot-console.manifest (compd and
# its test program contest). contest attaches its descriptors 0-2 to the
# serial terminal; this script types through QEMU's serial line (a pty
# driven by pexpect) and checks the cooked line discipline (a line, erase,
# word erase, kill), raw mode (bytes at once, Ctrl-C as a byte), Ctrl-C
# reaching the controller in cooked mode, end of file, the window size,
# and the output rate of the terminal.
#
# Screen: contest attaches to the first virtual console as well; the
# monitor's sendkey types on the PS/2 keyboard (inputd -> compd -> the
# virtual console in front) and the screen's text is read from the VGA
# text buffer in guest memory with the monitor's xp; Alt+F1/F2 switch.
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time

import pexpect

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serialline  # noqa: E402

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("PASS " + name)
    else:
        failed += 1
        print("FAIL " + name + (": " + detail if detail else ""))


def config():
    cfg = {}
    with open("build/config.sh") as f:
        for line in f:
            m = re.match(r"^([A-Z_]+)='(.*)'$", line.strip())
            if m:
                cfg[m.group(1)] = m.group(2)
    return cfg


def rebundle(work, keep, extra=()):
    """A bundle at work/bundle.tar made as the image's is (image/mkbundle.sh:
    every member's data on a page, so that programs map their code from
    it), of build/bundle.tar's files for which keep(name) holds and the
    files extra; its path."""
    out = os.path.join(work, "bundle.tar")
    files = os.path.join(work, "bundle-files")
    os.makedirs(files, exist_ok=True)
    paths = []
    with tarfile.open("build/bundle.tar") as src:
        for m in src.getmembers():
            if m.isfile() and keep(m.name):
                paths.append(os.path.join(files, m.name))
                with open(paths[-1], "wb") as f:
                    f.write(src.extractfile(m).read())
    subprocess.run(["sh", "image/mkbundle.sh", out] + paths + list(extra), check=True)
    return out


def make_image(cfg, work, args):
    img = os.path.join(work, "disk.img")
    subprocess.run(["cp", "--sparse=always", os.environ.get("KEEL_IMG", "build/keel.img"), img],
                   check=True)
    with open("image/grub.cfg") as f:
        text = f.read()
    text = re.sub(r'(?m)^set KEEL_ARGS=.*$', 'set KEEL_ARGS="%s"' % args, text)
    grub = os.path.join(work, "grub.cfg")
    with open(grub, "w") as f:
        f.write(text)
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    subprocess.run([cfg["MCOPY"], "-o", "-i", img + "@@1M", grub, "::/boot/grub/grub.cfg"],
                   check=True, env=env)
    return img


def boot(cfg, work, args, secs):
    img = make_image(cfg, work, "keel.exit=debug " + args)
    mon = os.path.join(work, "monitor.sock")
    cmd = [cfg["TIMEOUT"], "--foreground", str(secs), cfg["QEMU"], "-accel", "tcg,thread=single", "-M", "pc",
           "-cpu", "max",
           "-m", "256M", "-smp", "1", "-display", "none", "-no-reboot",
           "-chardev", "stdio,id=ser,signal=off", "-serial", "chardev:ser",
           "-monitor", "unix:%s,server,nowait" % mon,
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-drive", "file=%s,if=none,id=disk,format=raw" % img,
           "-device", "virtio-blk-pci,drive=disk,bootindex=0"]
    log = open(os.path.join(work, "serial.log"), "w")
    child = serialline.spawn(cmd, timeout=30)
    child.logfile_read = log
    child.delaybeforesend = None
    return child, mon


def expect(child, name, pattern, timeout=30):
    try:
        child.expect(pattern, timeout=timeout)
        check(name, True)
        return True
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        check(name, False, "no /%s/ (%s)" % (pattern, type(e).__name__))
        return False


def typed(child, text, slow=False):
    if slow:
        for ch in text:
            child.send(ch)
            time.sleep(0.02)
    else:
        child.send(text)


class Monitor:
    """QEMU's human monitor on a Unix socket."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        for _ in range(50):
            try:
                self.sock.connect(path)
                break
            except OSError:
                time.sleep(0.1)
        self.sock.settimeout(10)
        self.read_prompt()

    def read_prompt(self):
        data = b""
        while not data.endswith(b"(qemu) "):
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            data += chunk
        return data.decode("latin-1")

    def cmd(self, text):
        self.sock.sendall(text.encode() + b"\n")
        return self.read_prompt()

    def keys(self, names):
        for k in names:
            self.cmd("sendkey " + k)
            time.sleep(0.05)

    def screen(self):
        """The VGA text buffer's 25 rows of 80 characters, read from guest
        memory (the monitor's xp): the debug path to the screen."""
        out = self.cmd("xp /2000hx 0xb8000")
        words = [int(w, 16) for w in re.findall(r"0x([0-9a-f]{4})\b", out.split("\n", 1)[1])]
        chars = "".join(chr(w & 0xff) if 32 <= (w & 0xff) < 127 else " " for w in words)
        return [chars[i:i + 80].rstrip() for i in range(0, min(len(chars), 2000), 80)]


def screen_test(child, mon_path):
    if not expect(child, "contest attaches to the first virtual console", "contest: vc ready"):
        return
    mon = Monitor(mon_path)
    time.sleep(0.3)
    rows = mon.screen()
    check("the program's output is on the screen (VGA text, row 1)",
          rows and rows[0] == "keel vc1: type a line", repr(rows[:2]))
    mon.keys(["shift-k", "e", "e", "l", "spc", "x", "backspace", "v", "c", "ret"])
    expect(child, "keys typed on the PS/2 keyboard reach the program in cooked mode",
           re.escape("contest: vc line [Keel vc]"))
    time.sleep(0.3)
    rows = mon.screen()
    child.expect("contest: vc waits for enter")
    check("the typed line was echoed on the screen, erase included",
          len(rows) > 2 and rows[1] == "Keel vc" and rows[2] == "got it", repr(rows[:4]))
    mon.keys(["alt-f2"])
    time.sleep(0.3)
    rows = mon.screen()
    check("Alt+F2 shows the second virtual console (empty)", not any(rows), repr(rows[:3]))
    mon.keys(["a", "b"])
    mon.keys(["alt-f1"])
    time.sleep(0.3)
    rows = mon.screen()
    check("Alt+F1 brings the first back as it was",
          rows and rows[0] == "keel vc1: type a line" and rows[2] == "got it", repr(rows[:4]))
    mon.keys(["alt-f2"])
    time.sleep(0.3)
    rows = mon.screen()
    check("what was typed on the second console was echoed there", rows and rows[0] == "ab",
          repr(rows[:2]))
    mon.keys(["alt-f1"])
    mon.keys(["ret"])
    if expect(child, "a program writes 256 KiB to the screen terminal",
              r"contest: throughput screen (\d+) bytes in (\d+) us: (\d+) bytes/s", 120):
        print("figure: screen terminal %s bytes/s (wall clock, TCG)" % child.match.group(3))
    time.sleep(0.3)
    rows = mon.screen()
    check("the screen shows the program's last output after the flood",
          rows and rows[0] == "screen test done", repr(rows[:2]))


def serial_test(cfg, work):
    child, mon = boot(cfg, work, "initd.boot=boot-console.manifest", 180)
    if not expect(child, "contest attaches to the serial terminal and reports its size",
                  r"contest: ready 24x80 tty 1", 60):
        child.close(force=True)
        return
    lines = [
        ("a cooked line arrives whole", "hello world\r", "hello world"),
        ("erase (DEL) removes a character", "abc\x7fd\r", "abd"),
        ("word erase (Ctrl-W) removes a word", "foo bar\x17baz\r", "foo baz"),
        ("kill (Ctrl-U) removes the line", "junk junk\x15ok\r", "ok"),
    ]
    for name, keys, want in lines:
        child.expect("contest: type a line")
        typed(child, keys, slow=True)
        expect(child, name, re.escape("contest: line [%s]" % want))
    expect(child, "the erased characters were echoed as erased",
           re.escape("contest: raw mode"), 10)
    typed(child, "x\x03y\r", slow=True)
    expect(child, "raw mode gives each byte, Ctrl-C and CR included",
           re.escape("contest: raw bytes [78 03 79 0d]"))
    child.expect("contest: press ctrl-c")
    typed(child, "partial\x03")
    expect(child, "Ctrl-C in cooked mode reaches the controller",
           "contest: interrupt reached the controller")
    child.expect("contest: type ctrl-d")
    typed(child, "\x04")
    expect(child, "Ctrl-D at the start of a line is end of file", "contest: end of file")
    if expect(child, "a program writes 256 KiB to the serial terminal",
              r"contest: throughput serial (\d+) bytes in (\d+) us: (\d+) bytes/s", 120):
        print("figure: serial terminal %s bytes/s (wall clock, TCG)" % child.match.group(3))
    screen_test(child, mon)
    expect(child, "and finishes", "contest: done")
    child.close(force=True)
    with open(os.path.join(work, "serial.log"), encoding="latin-1") as f:
        text = f.read()
    check("nothing faulted", "CPU exception" not in text and "PANIC" not in text)
    check("the echo shows the line as edited", "abc\b \bd" in text)


def main():
    cfg = config()
    work = tempfile.mkdtemp(prefix="keel-console.")
    try:
        serial_test(cfg, work)
        if "-v" in sys.argv:
            with open(os.path.join(work, "serial.log"), encoding="latin-1") as f:
                print(f.read())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
