#!/usr/bin/env python3
# keel_top.py - Keel's own toolbox commands on the serial terminal, typed
# to through QEMU's serial line (pexpect), with tests/qemu/system.py's
# helpers: top redraws until q, with a load line per CPU, and again until
# Ctrl-C, each time giving the terminal back as it was (echo on, the line
# discipline's Ctrl-C);
# witness and svc answer; reboot resets the machine (QEMU runs with
# -no-reboot, so the reset ends it).
import os
import re
import subprocess
import sys
import tempfile
import time

import pexpect

sys.path.insert(0, "tests/qemu")
import serialline  # noqa: E402
import system  # noqa: E402

PROMPT = system.PROMPT


def session(s):
    c = s.child
    c.send("top\r")
    s.expect("top draws a screen", r"Tasks: \d+   Threads: \d+", 60)
    s.expect("top redraws it", r"\x1b\[H\x1b\[2J[^\x1b]*Tasks: \d+", 30)
    s.expect("a redrawn screen shows CPU0's load over the second",
             r"CPU0 +\d+\.\d% busy   \d+\.\d syscalls/s", 30)
    s.expect("and CPU1's (2 CPUs)", r"CPU1 +\d+\.\d% busy   ", 30)
    c.send("q")
    s.expect("q ends top", PROMPT, 30)
    s.run("the terminal echoes again after top", "echo after-q", r"\nafter-q\r")
    c.send("top\r")
    s.expect("top starts again", r"Memory: \d+ KiB total", 60)
    time.sleep(2)
    c.send("\x03")
    s.expect("Ctrl-C ends top", PROMPT, 30)
    s.run("top's status after Ctrl-C is 0", "echo top=$?", r"\ntop=0\r")
    c.send("sleep 100; echo after=$?\r")
    time.sleep(3)
    c.send("\x03")
    # The rest of the line is not run after Ctrl-C, as in dash.
    s.expect("Ctrl-C still interrupts a command after top", r"\^C", 30)
    s.expect("the prompt comes back", PROMPT, 30)
    s.run("the interrupted command's status is 130", "echo status=$?", r"\nstatus=130\r")
    s.run("witness verifies the chain", "witness -v", r"chain verified: \d+ records")
    s.run("svc lists the services", "svc -q", r"\nvfsd +up ")
    c.send("reboot\r")
    s.expect("reboot stops every service, then resets",
             r"initd: every service stopped: resetting", 60)
    s.expect("topod resets the machine", r"topod: power reset", 60)


def main():
    cfg = system.config()
    work = tempfile.mkdtemp(prefix="keel-top.")
    img = system.make_image(cfg, work, "initd.console=sh")
    cmd = [cfg["TIMEOUT"], "--foreground", "300", cfg["QEMU"], "-accel", "tcg,thread=single", "-M", "pc",
           "-cpu", "max",
           "-m", "256M", "-smp", "2", "-display", "none", "-no-reboot",
           "-chardev", "stdio,id=ser,signal=off", "-serial", "chardev:ser", "-monitor", "none",
           "-drive", "file=%s,if=none,id=disk,format=raw" % img,
           "-device", "virtio-blk-pci,drive=disk,bootindex=0,disable-legacy=on"]
    log = open(os.path.join(work, "serial.log"), "w")
    child = serialline.spawn(cmd, timeout=60)
    child.logfile_read = log
    s = system.Session(child)
    if s.expect("the boot reaches all services", r"initd: all services up \(7\)", 180) and \
            s.expect("the shell prompts on the serial terminal", PROMPT, 60):
        session(s)
    try:
        child.expect(pexpect.EOF, timeout=60)
    except pexpect.TIMEOUT:
        child.terminate(force=True)
    child.close()
    system.check("QEMU ends on the reset", child.exitstatus == 0, "exit %s" % child.exitstatus)
    log.close()
    with open(os.path.join(work, "serial.log")) as f:
        text = f.read()
    system.check("nothing faulted", not re.search(r"CPU exception|PANIC", text))
    if system.failed:
        print("---- serial output")
        print(text[-6000:])
    subprocess.run(["rm", "-rf", work])
    print("%d passed, %d failed" % (system.passed, system.failed))
    return 1 if system.failed else 0


if __name__ == "__main__":
    sys.exit(main())
