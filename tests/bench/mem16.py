#!/usr/bin/env python3
# mem16.py - the whole system in 16 MiB of RAM (issue 16): boots
# build/keel.img with -m 16 (kernel, every service of boot.manifest, the
# shell on the serial terminal and on the screen) and runs a small session
# over the serial line: ls, cat of a file, a pipeline, the editor opened
# and quit, the free memory (top -n 1), then poweroff, which must end QEMU.
# MEM16_MIB=N tries another size (the smallest that works is in
# docs/shell.md).
import os
import re
import subprocess
import sys
import tempfile
import time

import pexpect

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "qemu"))
from console import config, make_image  # noqa: E402

PROMPT = r"[\r\n]/[^\r\n]* \$ "
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


def expect(child, name, pattern, timeout=60):
    try:
        child.expect(pattern, timeout=timeout)
        check(name, True)
        return True
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        check(name, False, "no /%s/ (%s)" % (pattern, type(e).__name__))
        return False


def run(child, name, line, pattern, timeout=60):
    child.send(line + "\r")
    return expect(child, name, pattern, timeout) and \
        expect(child, name + ": the prompt comes back", PROMPT, timeout)


def session(child):
    run(child, "ls lists the root", "ls /boot", r"\nbundle\.tar\s")
    run(child, "cat reads a file", "cat /boot/grub/grub.cfg", r"set KEEL_ARGS=")
    run(child, "a pipeline across tasks", "cat /boot/grub/grub.cfg | grep -c menuentry", r"\n1\r")
    run(child, "a redirection writes a file", "echo small > /m16.txt && cat /m16.txt", r"\nsmall\r")
    child.send("edit /m16.txt\r")
    time.sleep(4)
    child.send("\x11")
    expect(child, "the editor opens and quits", PROMPT, 60)
    child.send("top -n 1\r")
    if expect(child, "top reports the free memory",
              r"Memory: (\d+) KiB total, (\d+) KiB free"):
        print("figure: -m %s: %s KiB managed, %s KiB free at the prompt" %
              (os.environ.get("MEM16_MIB", "16"), child.match.group(1), child.match.group(2)))
        expect(child, "top: the prompt comes back", PROMPT)
    child.send("poweroff\r")
    expect(child, "poweroff stops every service", r"initd: every service stopped", 90)


def main():
    cfg = config()
    mib = os.environ.get("MEM16_MIB", "16")
    work = tempfile.mkdtemp(prefix="keel-mem16.")
    img = make_image(cfg, work, "initd.console=sh initd.screen=sh")
    cmd = [cfg["TIMEOUT"], "--foreground", "400", cfg["QEMU"], "-accel", "tcg,thread=single",
           "-M", "pc", "-cpu", "max", "-m", mib, "-smp", "2", "-display", "none", "-no-reboot",
           "-chardev", "stdio,id=ser,signal=off", "-serial", "chardev:ser", "-monitor", "none",
           "-drive", "file=%s,if=none,id=disk,format=raw" % img,
           "-device", "virtio-blk-pci,drive=disk,bootindex=0,disable-legacy=on"]
    log = open(os.path.join(work, "serial.log"), "w")
    child = pexpect.spawn(cmd[0], cmd[1:], encoding="latin-1", timeout=60)
    child.logfile_read = log
    if expect(child, "the boot reaches all services (-m %s)" % mib, r"initd: all services up", 240) \
            and expect(child, "the shell prompts on the serial terminal", PROMPT, 60):
        session(child)
    try:
        child.expect(pexpect.EOF, timeout=60)
    except pexpect.TIMEOUT:
        child.terminate(force=True)
    child.close()
    check("QEMU exits on ACPI power-off", child.exitstatus == 0, "exit %s" % child.exitstatus)
    log.close()
    with open(os.path.join(work, "serial.log")) as f:
        text = f.read()
    check("nothing faulted or ran out of memory",
          not re.search(r"CPU exception|PANIC|NO_MEMORY|out of memory", text))
    if failed:
        print("---- serial output")
        print(text[-5000:])
    subprocess.run(["rm", "-rf", work])
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
