#!/usr/bin/env python3
# clock_files.py - the wall clock and vfsd's sessions, as a person sees
# them. QEMU's RTC starts at a fixed time (-rtc base=2026-12-04T10:00:00,
# clock=vm: it runs with the guest); topod reads it at boot, initd passes
# it on, so `date` in the shell prints that day and a file the shell
# writes carries it - which mdir shows on the host, after the disk is cut
# from QEMU by power-off. Then vfsleak launches 1,000 programs that open
# files and die without closing them (half exit skipping the C library's
# clean-up, half crash): vfsd's record count must come back to where it
# was (docs/files.md "Sessions"). fsck.fat -n must find the disk clean.
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console import config, make_image  # noqa: E402
from system import PROMPT, Session, check  # noqa: E402
import system  # noqa: E402

RTC_BASE = "2026-12-04T10:00:00"
# 200 in ninja test (about 2 minutes); VFSLEAK_LAUNCHES=1000 for the count.
LAUNCHES = int(os.environ.get("VFSLEAK_LAUNCHES", "200"))


def session(s):
    s.run("date prints the RTC's day", "date",
          r"\nFri Dec  4 10:0\d:\d\d UTC 2026\r")
    s.run("date -I", "date -I", r"\n2026-12-04\r")
    s.run("a file is written", "echo stamped > /stamp.txt && echo written", r"\nwritten\r")
    s.run("ls -l shows its time", "ls -l /stamp.txt", r"Dec  4 10:0\d +/stamp\.txt\r")
    s.child.send("vfsleak %d\r" % LAUNCHES)
    s.expect("1,000 programs die holding files; vfsd's records come back",
             r"vfsleak: %d launches: records (\d+) before, \1 after" % LAUNCHES, 900)
    # The children crashed or ended holding terminal attachments; compd
    # reclaims those, and the programs still alive (vfsleak, the shell)
    # keep their output (keel/channel.h, "Closing").
    s.expect("vfsleak's own output reaches the terminal", r"\nvfsleak: ok\r", 60)
    s.expect("the prompt comes back after vfsleak", PROMPT, 60)
    s.run("the shell's output still reaches the terminal", "echo still-here",
          r"\nstill-here\r")
    s.child.send("poweroff\r")
    s.expect("poweroff stops vfsd", r"initd: vfsd stopped", 60)


def disk_checks(cfg, img, work):
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1", TZ="UTC")
    mdir = cfg.get("MCOPY", "mcopy").replace("mcopy", "mdir")
    r = subprocess.run([mdir, "-i", img + "@@1M", "::/stamp.txt"], capture_output=True,
                       text=True, env=env)
    check("mdir shows the file dated by the RTC",
          re.search(r"stamp\s+txt\s+8 2026-12-04\s+10:0\d", r.stdout) is not None, r.stdout)
    system.fsck_clean(img, work)


def main():
    cfg = config()
    work = tempfile.mkdtemp(prefix="keel-clock.")
    img = make_image(cfg, work, "initd.console=sh")
    child, log = system.boot(cfg, work, img, secs=1200, smp="1",
                             extra=["-rtc", "base=%s,clock=vm" % RTC_BASE])
    s = Session(child)
    if s.expect("topod reads the RTC", r"topod: wall clock 2026-12-04 10:00:\d\d UTC", 180) and \
            s.expect("the shell prompts", PROMPT, 120):
        session(s)
    system.powered_off(child)
    disk_checks(cfg, img, work)
    return system.wrap_up(
        work, log, "nothing faulted but vfsleak's children",
        lambda text: not re.search(r"PANIC", text) and
        "vfsd: " not in re.sub(r"vfsd: mounted.*", "", text))


if __name__ == "__main__":
    sys.exit(main())
