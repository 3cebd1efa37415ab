#!/usr/bin/env python3
# keel_edit.py - the editor on Keel, typed to over the serial terminal
# (pexpect), with tests/qemu/system.py's helpers. A file put on the image
# with mcopy is opened and edited: insertions, deletions, a line split and
# two joins, a replace-all and a confirmed replace, undo and redo; it is
# saved and the editor quits. A second file is created in the session,
# and a change to it discarded at the quit question. After poweroff the
# host reads both files back with mtype and compares them byte for byte
# with the expected bytes, and fsck.fat -n must find the volume clean.
# The editor's screen is read back through a small terminal model (vt.py)
# so that each step waits for what the editor shows, not for a fixed time.
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, "tests/qemu")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import system  # noqa: E402
import vt  # noqa: E402

PROMPT = system.PROMPT
check = system.check

ORIGINAL = b"alpha beta gamma\none two three\nred green blue\nthe cat sat on the mat\nlast line\n"
EXPECTED = b"alpha beta gamma delta\ntwo three!\nred green bluea cat sAT on a mat\nlast line\n"
NEW_FILE = b"created in Keel\n\tindented\n\tauto"
BACKSPACE = "\x7f"
# Only control keys are typed: on Keel a program cannot wait a moment for
# more input (poll() on a terminal sees only bytes already read from compd),
# so an Esc-prefixed key whose ESC ends one read of the serial line would be
# taken for Esc. CSI sequences split later are decoded (keys.c).


class Editor:
    """One editor run: keys typed, the screen model fed with the output."""

    def __init__(self, s):
        self.s = s
        self.child = s.child
        self.scr = vt.Screen()

    def shows(self, name, pattern, timeout=30):
        """Waits until some row of the screen matches pattern."""
        rx = re.compile(pattern)
        ok = vt.pump(self.child, self.scr,
                     lambda scr: any(rx.search(scr.row(i)) for i in range(scr.rows)), timeout)
        check(name, ok, "no /%s/ on the screen:\n%s" % (pattern, self.scr.text()))
        return ok

    def keys(self, text, settle=True):
        """Types text; waits until the editor has drawn its answer."""
        self.child.send(text)
        if settle:
            vt.settle(self.child, self.scr, quiet=0.7)

    def row_is(self, name, i, want):
        vt.settle(self.child, self.scr, quiet=0.7)
        check(name, self.scr.row(i) == want, "row %d is %r" % (i, self.scr.row(i)))

    def goto(self, line):
        self.keys("\x07")
        self.shows("the go-to-line prompt opens", r"^Go to line:")
        self.keys("%d\r" % line)

    def find(self, text):
        self.keys("\x06")
        self.shows("the search prompt opens", r"^Search")
        self.keys(text + "\r")


def edit_existing(s):
    ed = Editor(s)
    s.child.send("edit /doc/plan.txt\r")
    if not ed.shows("edit shows the file", r"^alpha beta gamma$", 60) or \
            not ed.shows("the status line names it", r"plan\.txt.*L1/", 10):
        return False
    # Insertions at the end of line 1.
    ed.keys("\x05")
    ed.keys(" delta")
    ed.row_is("typing inserts at the end of a line", 0, "alpha beta gamma delta")
    ed.shows("the status line says Modified", r"Modified")
    # Deletions on line 2: Delete at its start, Backspace at its end.
    ed.goto(2)
    ed.keys("\x01")
    ed.keys("\x04\x04\x04\x04")
    ed.row_is("^D deletes to the right", 1, "two three")
    ed.keys("\x05")
    ed.keys(BACKSPACE + BACKSPACE)
    ed.keys("ee!")
    ed.row_is("Backspace deletes to the left", 1, "two three!")
    # Split line 3 after "red ", then join it back in two steps.
    ed.goto(3)
    ed.find("green")
    ed.keys("\r")
    ed.row_is("Enter splits the line (left part)", 2, "red")
    ed.row_is("Enter splits the line (right part)", 3, "green blue")
    ed.goto(5)
    ed.keys("\x01")
    ed.keys(BACKSPACE)
    ed.row_is("Backspace at a line start joins it to the one above", 3,
              "green bluethe cat sat on the mat")
    ed.goto(3)
    ed.keys("\x05")
    ed.keys("\x04")
    ed.row_is("^D at a line end joins the next line", 2, "red green bluethe cat sat on the mat")
    ed.row_is("the lines below move up", 3, "last line")
    # Replace all: "the" by "a".
    ed.goto(1)
    ed.keys("\x12")
    ed.shows("^R asks for the text to replace", r"^Replace:")
    ed.keys("the\r")
    ed.shows("then for the replacement", r"^Replace with:")
    ed.keys("a\r")
    ed.shows("then asks about the first match", r"Replace this one\?")
    ed.keys("a")
    ed.shows("(a)ll replaces every match", r"Replaced 2 occurrences")
    ed.row_is("the replaced line", 2, "red green bluea cat sat on a mat")
    # A confirmed replace: "at" by "AT", only the second match.
    ed.goto(1)
    ed.keys("\x12")
    ed.shows("^R again", r"^Replace:")
    ed.keys("at\r")
    ed.keys("AT\r")
    ed.shows("the first match is offered", r"Replace this one\?")
    ed.keys("n")
    ed.keys("y")
    ed.keys("n")
    ed.shows("n, y, n replaces one", r"Replaced 1 occurrence$")
    ed.row_is("only the second match changed", 2, "red green bluea cat sAT on a mat")
    # Undo and redo.
    ed.goto(5)
    ed.keys("XYZ")
    ed.row_is("typing at the end of the file", 4, "XYZ")
    ed.keys("\x1a")
    ed.row_is("^Z undoes the run of typing in one step", 4, "")
    ed.keys("\x1a")
    ed.row_is("^Z again undoes the confirmed replace", 2, "red green bluea cat sat on a mat")
    ed.keys("\x19")
    ed.row_is("^Y redoes it", 2, "red green bluea cat sAT on a mat")
    ed.keys("\x1a\x1a")
    ed.row_is("two more undos take back the replace-all", 2,
              "red green bluethe cat sat on the mat")
    ed.keys("\x19\x19")
    ed.row_is("two redos bring both back", 2, "red green bluea cat sAT on a mat")
    ed.keys("\x13")
    ed.shows("^S saves", r"Wrote \d+ lines to /doc/plan\.txt")
    ed.keys("\x11", settle=False)
    return s.expect("^Q returns to the shell", PROMPT, 60)


def edit_new(s):
    ed = Editor(s)
    s.child.send("edit /doc/new.txt\r")
    if not ed.shows("edit opens a new file", r"New file /doc/new\.txt", 60):
        return False
    ed.keys("created in Keel\r\tindented\r")
    ed.keys("auto")
    ed.row_is("auto-indent copies the tab", 2, "        auto")
    ed.keys("\x13")
    ed.shows("^S creates the file", r"Wrote \d+ lines to /doc/new\.txt")
    ed.keys("not saved")
    ed.keys("\x11")
    ed.shows("^Q with changes asks", r"Save modified buffer\?")
    ed.keys("n", settle=False)
    return s.expect("n quits without saving", PROMPT, 60)


def session(s):
    ok = edit_existing(s) and edit_new(s)
    if ok:
        s.run("the shell reads the saved file", "cat /doc/plan.txt", r"\nred green bluea cat sAT")
    s.child.send("poweroff\r")
    s.expect("topod powers the machine off", r"topod: power off", 90)


def put_files(cfg, img, work):
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    path = os.path.join(work, "plan.txt")
    with open(path, "wb") as f:
        f.write(ORIGINAL)
    mmd = cfg["MCOPY"].replace("mcopy", "mmd")
    subprocess.run([mmd, "-i", img + "@@1M", "::/doc"], check=True, env=env)
    subprocess.run([cfg["MCOPY"], "-i", img + "@@1M", path, "::/doc/plan.txt"], check=True,
                   env=env)


def disk_checks(cfg, img, work):
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    mtype = cfg["MCOPY"].replace("mcopy", "mtype")
    for name, want in (("plan.txt", EXPECTED), ("new.txt", NEW_FILE)):
        r = subprocess.run([mtype, "-i", img + "@@1M", "::/doc/" + name], capture_output=True,
                           env=env)
        check("mtype reads /doc/%s byte for byte as expected" % name, r.stdout == want,
              "%r, want %r" % (r.stdout, want))
    mdir = cfg["MCOPY"].replace("mcopy", "mdir")
    r = subprocess.run([mdir, "-a", "-b", "-i", img + "@@1M", "::/doc"], capture_output=True,
                       text=True, env=env)
    names = sorted(os.path.basename(n) for n in r.stdout.split())
    check("no temporary file is left beside them", names == ["new.txt", "plan.txt"], repr(names))
    system.fsck_clean(img, work)


def main():
    cfg = system.config()
    work = tempfile.mkdtemp(prefix="keel-edit.")
    img = system.make_image(cfg, work, "initd.console=sh")
    put_files(cfg, img, work)
    child, log = system.boot(cfg, work, img, secs=600)
    child.delaybeforesend = None
    s = system.Session(child)
    if s.expect("the boot reaches all services", r"initd: all services up \(7\)", 180) and \
            s.expect("the shell prompts on the serial terminal", PROMPT, 60):
        session(s)
    system.powered_off(child)
    disk_checks(cfg, img, work)
    return system.wrap_up(work, log)


if __name__ == "__main__":
    sys.exit(main())
