#!/usr/bin/env python3
# mem_floor.py - below the least memory it needs, Keel says so and stops,
# never a silent reset (issue 11). Boots build/keel.img with the system's
# bundle (as mem16.py) at -m 6, 4, 3 and 2 (MEM_FLOOR_MIB="6 4 3 2"):
#  - with the bundle loaded, the kernel prints "memory: Keel needs at
#    least N KiB of managed memory (a machine of M MiB with this boot
#    bundle); this one has K KiB" (K < N, M larger than the machine);
#  - when GRUB could load the kernel but not the bundle, the kernel says
#    it needs N KiB and its boot bundle, which the loader did not load;
#    or, when it has the N KiB the kernel needs, only that the bundle is
#    missing and how much memory it has;
#  - when GRUB cannot load even the kernel, image/grub.cfg prints "Keel:
#    GRUB cannot load the kernel" and powers off.
# Each ends with the kernel's "Keel halted" or QEMU's end. Then it boots
# at the M MiB the message named and expects every service up.
import os
import re
import sys
import tempfile

import pexpect

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "qemu"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console import config, make_image  # noqa: E402
import system  # noqa: E402
import mem16  # noqa: E402

NEEDS = (r"memory: Keel needs at least (\d+) KiB of managed memory "
         r"\(a machine of (\d+) MiB with this boot bundle\); this one has (\d+) KiB")
NO_BUNDLE = (r"memory: Keel needs at least (\d+) KiB of managed memory and its boot bundle, "
             r"which the loader did not load \(too big for this machine\?\); this one has (\d+) KiB")
NO_BUNDLE_ROOM = (r"roottask: Keel needs its boot bundle, which the loader did not load "
                  r"\(too big for this machine\?\); this one has (\d+) KiB managed")
GRUB = r"Keel: GRUB cannot load the kernel"
UP = r"initd: all services up"


def boot(cfg, mib):
    """Boots the system bundle at -m mib; returns (which, match, ended):
    which of NEEDS, NO_BUNDLE, NO_BUNDLE_ROOM, GRUB, UP came first (None:
    none)."""
    work = tempfile.mkdtemp(prefix="keel-memfloor.")
    img = make_image(cfg, work, "")
    mem16.system_bundle(cfg, work, img)
    child, log = system.boot(cfg, work, img, secs=150, mem=str(mib))
    which = match = None
    ended = False
    try:
        i = child.expect([NEEDS, NO_BUNDLE, NO_BUNDLE_ROOM, GRUB, UP], timeout=120)
        which, match = (NEEDS, NO_BUNDLE, NO_BUNDLE_ROOM, GRUB, UP)[i], child.match
        if which != UP:
            ended = child.expect([r"Keel halted", pexpect.EOF], timeout=60) in (0, 1)
    except (pexpect.TIMEOUT, pexpect.EOF):
        pass
    child.terminate(force=True)
    child.close()
    log.close()
    with open(os.path.join(work, "serial.log"), errors="replace") as f:
        text = f.read()
    system.check("-m %s: no reset (GRUB ran once)" % mib, text.count("Booting `Keel'") == 1,
                 text[-600:])
    return which, match, ended


def main():
    cfg = config()
    named = 0
    for mib in os.environ.get("MEM_FLOOR_MIB", "6 4 3 2").split():
        which, m, ended = boot(cfg, mib)
        system.check("-m %s: Keel says it has too little memory" % mib,
                     which in (NEEDS, NO_BUNDLE, NO_BUNDLE_ROOM, GRUB), "first: %s" % which)
        system.check("-m %s: and stops (halted or powered off)" % mib, ended)
        if which == NEEDS:
            need, machine, has = (int(x) for x in m.groups())
            print("figure: -m %s: %d KiB managed, needs %d KiB: a machine of %d MiB" %
                  (mib, has, need, machine))
            system.check("-m %s: it has less than it needs, the machine named is larger" % mib,
                         has < need and machine > int(mib))
            named = max(named, machine)
        elif which == NO_BUNDLE:
            need, has = (int(x) for x in m.groups())
            print("figure: -m %s: %d KiB managed, needs %d KiB and the bundle" % (mib, has, need))
            system.check("-m %s: it has less than it needs" % mib, has < need)
        elif which == NO_BUNDLE_ROOM:
            print("figure: -m %s: %s KiB managed, enough for the kernel but not the bundle too" %
                  (mib, m.group(1)))
        elif which == GRUB:
            print("figure: -m %s: GRUB cannot load the kernel" % mib)
    if named:
        which, _, _ = boot(cfg, named)
        system.check("-m %d (the size the kernel named): every service starts" % named,
                     which == UP, "first: %s" % which)
    print("%d passed, %d failed" % (system.passed, system.failed))
    return 1 if system.failed else 0


if __name__ == "__main__":
    sys.exit(main())
