#!/usr/bin/env python3
# mem16.py - the whole system in 16 MiB of RAM (issue 16): boots
# build/keel.img with -m 16 (kernel, every service of boot.manifest, the
# shell on the serial terminal and on the screen) and runs a small session
# over the serial line: ls, cat of a file, a pipeline, the editor opened
# and quit, the free memory (top -n 1), a program that takes memory until
# the kernel refuses (image/apps/memhog.c) and the same commands after it,
# then poweroff, which must end QEMU.
# MEM16_MIB=N tries another size (the smallest that works is in
# apps/sh/README.md, "Figures").
#
# The boot bundle GRUB loads is the system's: initd, the services of
# boot.manifest, the shell, the toolbox and the editor. build/keel.img's
# bundle also carries the test programs of every QEMU test (kabi-*,
# blkbench, ...: 3.4 of its 5.6 MiB), which a machine of 16 MiB would hold
# in RAM for nothing; MEM16_BUNDLE=full keeps them.
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "qemu"))
from console import config, make_image, rebundle  # noqa: E402
import system  # noqa: E402

PROMPT = system.PROMPT


LAUNCHES = 20
SLACK_OBJECTS = 2
SLACK_KIB = 16


def top_counts(s, when):
    """top -n 1's object count and free KiB, or None."""
    s.child.send("top -n 1\r")
    if not s.expect("top %s" % when,
                    r"Objects: (\d+)\s+Memory: \d+ KiB total, (\d+) KiB free"):
        return None
    counts = (int(s.child.match.group(1)), int(s.child.match.group(2)))
    s.expect("top %s: the prompt comes back" % when, PROMPT)
    return counts


def session(s):
    child = s.child
    run, expect = s.run, s.expect
    run("ls lists the root", "ls /boot", r"\nbundle\.tar\s")
    run("cat reads a file", "cat /boot/grub/grub.cfg", r"set KEEL_ARGS=")
    run("a pipeline across tasks", "cat /boot/grub/grub.cfg | grep -c menuentry", r"\n1\r")
    run("a redirection writes a file", "echo small > /m16.txt && cat /m16.txt", r"\nsmall\r")
    child.send("edit /m16.txt\r")
    time.sleep(4)
    child.send("\x11")
    expect("the editor opens and quits", PROMPT, 60)
    child.send("top -n 1\r")
    if expect("top reports the free memory",
              r"Memory: (\d+) KiB total, (\d+) KiB free"):
        print("figure: -m %s: %s KiB managed, %s KiB free at the prompt" %
              (os.environ.get("MEM16_MIB", "16"), child.match.group(1), child.match.group(2)))
        expect("top: the prompt comes back", PROMPT)
    # Programs that have exited leave nothing behind: the same top before
    # and after LAUNCHES runs of ls shows the same objects and free memory.
    # Each run attaches to the terminal (16 KiB in compd); before programs
    # detached at exit, compd's table of 16 kept them, 14 objects and about
    # 250 KiB more after the loop. SLACK_* allow two objects of 8 KiB of
    # programs just ended still on their way out when top reads (the kernel
    # frees them after every CPU has flushed; at -m 16, 24 readings between
    # runs of ls varied by up to 2 objects and 16 KiB, never more).
    before = top_counts(s, "before the launches")
    child.send("for i in %s; do ls /boot; done\r" % " ".join(str(i) for i in range(LAUNCHES)))
    expect("%d launches of ls end" % LAUNCHES, PROMPT, 120)
    after = top_counts(s, "after the launches")
    if before and after:
        print("figure: %d launches of ls: objects %d -> %d, free %d -> %d KiB" %
              (LAUNCHES, before[0], after[0], before[1], after[1]))
        system.check("%d launches leave no objects behind" % LAUNCHES,
                     after[0] <= before[0] + SLACK_OBJECTS,
                     "%d -> %d objects" % (before[0], after[0]))
        system.check("%d launches leave no memory behind" % LAUNCHES,
                     after[1] >= before[1] - SLACK_KIB,
                     "%d -> %d KiB free" % (before[1], after[1]))
    # Out of memory: memhog (/apps) takes all it can get; each refusal must
    # be QUOTA or NO_MEMORY, and afterwards everything works as before.
    child.send("memhog; echo memhog=$?\r")
    for what in ("memory objects", "malloc"):
        if expect("memhog: %s end in a clean refusal" % what,
                  r"memhog: (PASS|FAIL) %s: (\d+) KiB[^\r\n]*then ([A-Z_a-z ]+)" % what, 120):
            print("figure: memhog took %s KiB of %s, then %s" %
                  (child.match.group(2), what, child.match.group(3)))
            system.check("... %s: PASS" % what, child.match.group(1) == "PASS")
    expect("memhog exits 0", r"memhog=0\r", 60)
    expect("memhog: the prompt comes back", PROMPT)
    run("after memhog: a pipeline still works", "cat /boot/grub/grub.cfg | grep -c menuentry",
        r"\n1\r")
    run("after memhog: a file still writes", "echo again >> /m16.txt && cat /m16.txt",
        r"\nagain\r")
    child.send("poweroff\r")
    expect("poweroff stops every service", r"initd: every service stopped", 90)


CONSOLE = ["initd", "sh", "toolbox", "edit", "boot.manifest"]


def system_programs(bundle):
    """initd, the console programs and the services boot.manifest names."""
    names = set(CONSOLE)
    text = bundle.extractfile("boot.manifest").read().decode()
    for line in text.split("\n"):
        words = line.split("#")[0].split()
        if words:
            names.add(words[0])
    return names


def system_bundle(cfg, work, img):
    """Puts a bundle of the system's programs only into img's /boot."""
    with tarfile.open("build/bundle.tar") as src:
        keep = system_programs(src)
    out = rebundle(work, lambda name: name in keep)
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    subprocess.run([cfg["MCOPY"], "-o", "-i", img + "@@1M", out, "::/boot/bundle.tar"],
                   check=True, env=env)
    print("bundle: %d KiB (build/bundle.tar: %d KiB)" %
          (os.path.getsize(out) // 1024, os.path.getsize("build/bundle.tar") // 1024))


def main():
    cfg = config()
    mib = os.environ.get("MEM16_MIB", "16")
    work = tempfile.mkdtemp(prefix="keel-mem16.")
    # keel.bench: the kernel's pools at boot and with every service up.
    img = make_image(cfg, work, "keel.bench initd.console=sh initd.screen=sh")
    if os.environ.get("MEM16_BUNDLE") != "full":
        system_bundle(cfg, work, img)
    child, log = system.boot(cfg, work, img, mem=mib)
    s = system.Session(child)
    boot_kib = "?"
    if s.expect("the kernel reports its pools at boot", r"memory: pools hold (\d+) KiB", 120):
        boot_kib = child.match.group(1)
    up = s.expect("the boot reaches all services (-m %s)" % mib, r"initd: all services up", 240)
    if up and s.expect("initd reports the kernel's pools",
                       r"bench: kernel_pools_all_services_up_kib=(\d+)", 30):
        print("figure: -m %s: kernel pools %s KiB at boot, %s KiB with every service up" %
              (mib, boot_kib, child.match.group(1)))
    if up and s.expect("the shell prompts on the serial terminal", PROMPT, 60):
        session(s)
    system.powered_off(child)
    return system.wrap_up(
        work, log, "nothing faulted or ran out of memory",
        lambda text: not re.search(r"CPU exception|PANIC", text) and
        not re.search(r"(?m)^(?!memhog).*(NO_MEMORY|out of memory)", text), 5000)


if __name__ == "__main__":
    sys.exit(main())
