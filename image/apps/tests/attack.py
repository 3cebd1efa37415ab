#!/usr/bin/env python3
# attack.py - attacks on initd from the console shell, typed on the serial
# line (pexpect): flood, from /apps, fills initd's launch table until it
# refuses (FULL or QUOTA) and checks that it recovers; then vfsd and compd
# are restarted under the shell in use (svc restart): the shell must not
# hang - after vfsd's restart its root is stale until it is started
# again; after compd's it reads end-of-file on its dead terminal, ends,
# and initd starts it on a fresh one; svc still answers and poweroff
# ends QEMU.
import os
import re
import subprocess
import sys
import tempfile

import pexpect

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../tests/qemu"))
from console import config, make_image  # noqa: E402

PROMPT = r"/ \$ "
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


class Session:
    def __init__(self, child):
        self.child = child

    def expect(self, name, pattern, timeout=60):
        try:
            self.child.expect(pattern, timeout=timeout)
            check(name, True)
            return True
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            check(name, False, "no /%s/ (%s)" % (pattern, type(e).__name__))
            return False

    def run(self, name, line, pattern, timeout=60):
        """Types line, expects pattern in what follows, then the prompt."""
        self.child.send(line + "\r")
        return self.expect(name, pattern, timeout) and \
            self.expect(name + ": the prompt comes back", PROMPT, timeout)


def session(s):
    # Not the prompt after flood: with flood's programs all writing to the
    # shell's terminal at once, lines of theirs and the prompt after them
    # can be lost (compd's terminal output is one ring for every writer).
    s.child.send("flood\r")
    s.expect("flood: initd refuses the launcher cleanly",
             r"flood: PASS initd refuses the launcher cleanly", 600)
    s.expect("flood: initd still restarts a service while flooded",
             r"flood: PASS initd still restarts a service while flooded", 600)
    s.expect("flood: launches work again once they have ended",
             r"flood: PASS once they have ended, a launch works again", 600)
    s.run("flood: every refusal was clean, the table flooded, launches work again",
          "echo flood=$?", r"flood=0", 60)
    s.run("initd serves the status protocol after the flood", "svc -q echo", r"echo +up ")
    s.run("files work before vfsd's restart", "ls /boot", r"grub")
    s.run("svc restart vfsd", "svc restart vfsd", r"vfsd: up \(1 restarts\)")
    s.child.send("ls /boot\r")
    s.expect("ls after vfsd's restart ends (no hang)", PROMPT, 30)
    # The shell's root is vfsd's old record: nothing hands it a new one
    # while it runs (docs/launch.md). It ends, and initd starts it again
    # with a fresh root.
    s.run("the shell's old root is stale after vfsd's restart", "ls /boot",
          r"No such file or directory", 30)
    s.run("the shell ends cleanly", "exit", r"initd: console program sh ended \(exit", 30)
    s.run("files work in the shell started again", "ls /boot", r"keel\.elf", 30)
    s.child.send("svc restart compd\r")
    s.expect("the shell reads end-of-file on its dead terminal and ends",
             r"initd: console program sh ended", 30)
    s.expect("the console comes back after compd's restart", PROMPT, 30)
    s.run("the shell answers on the new terminal", "echo $((6 * 7))", r"\n42", 30)
    s.run("svc still answers", "svc -q compd", r"compd +up +1 ", 30)
    s.child.send("poweroff\r")


def main():
    cfg = config()
    work = tempfile.mkdtemp(prefix="keel-attack.")
    img = make_image(cfg, work, "initd.console=sh")
    cmd = [cfg["TIMEOUT"], "--foreground", "1500", cfg["QEMU"], "-accel", "tcg,thread=single",
           "-M", "pc", "-cpu", "max", "-m", "256M", "-smp", "2", "-display", "none",
           "-no-reboot", "-chardev", "stdio,id=ser,signal=off", "-serial", "chardev:ser",
           "-monitor", "none",
           "-drive", "file=%s,if=none,id=disk,format=raw" % img,
           "-device", "virtio-blk-pci,drive=disk,bootindex=0,disable-legacy=on"]
    log = open(os.path.join(work, "serial.log"), "w")
    child = pexpect.spawn(cmd[0], cmd[1:], encoding="latin-1", timeout=60)
    child.logfile_read = log
    s = Session(child)
    if s.expect("the boot reaches all services", r"initd: all services up \(7\)", 180) and \
            s.expect("the shell prompts on the serial terminal", PROMPT, 60):
        session(s)
    try:
        child.expect(pexpect.EOF, timeout=60)
    except pexpect.TIMEOUT:
        child.terminate(force=True)
    child.close()
    check("QEMU exits on ACPI power-off", child.exitstatus == 0, "exit %s" % child.exitstatus)
    log.close()
    with open(os.path.join(work, "serial.log")) as f:
        text = f.read()
    check("nothing faulted", not re.search(r"CPU exception|PANIC", text))
    if failed or os.environ.get("KEEL_SHOW_LOG"):
        print("---- serial output")
        print(text[-12000:])
    subprocess.run(["rm", "-rf", work])
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
