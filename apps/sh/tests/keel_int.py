#!/usr/bin/env python3
# keel_int.py - Ctrl-C of work the shell does itself, on Keel, typed over
# the serial console (pexpect, as keel_jobs.py): `while true; do :; done`,
# a loop of `echo`, a long arithmetic loop, a function that loops, a
# `read` waiting at the terminal and a script sourced with `.` each end
# at the prompt with $? = 130 and the rest of their line not run; a script
# run by a child shell (non-interactive) is ended with it; a nested
# interactive shell loses only its own loop and the outer shell is not
# interrupted by it; `wait` for a background job ends, the job lives
# on. Lines stay shorter than the terminal (the line
# editor scrolls longer ones, and their echo is not the line). Then poll() of the terminal (tests/polltest.c): a
# timeout that runs out, and input typed meanwhile ending the wait early.
#
# usage: apps/sh/tests/keel_int.py (from the top of the tree, after ninja)
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "tests", "qemu"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console import config, make_image  # noqa: E402
from system import Session, PROMPT, boot, powered_off, wrap_up  # noqa: E402
from keel_jobs import entered, interrupt  # noqa: E402
import system  # noqa: E402

check = system.check


def loops(s):
    """Loops of builtins, each interrupted, then a command that works."""
    cases = [
        ("while true", "while true; do :; done; echo not-reached"),
        ("a loop of echo", "while :; do echo x; done; echo not-reached"),
        ("an arithmetic loop",
         "i=0; while [ $i -lt 100000000 ]; do i=$((i+1)); done; echo not-reached"),
        ("a function that loops", "f() { while :; do :; done; }; f; echo not-reached"),
        ("a for loop of builtins", "for a in 1 2; do while :; do :; done; done; echo not-reached"),
    ]
    for name, line in cases:
        out = interrupt(s, "Ctrl-C ends " + name, line, secs=2)
        check(name + ": the rest of the line is not run",
              "not-reached" not in out.replace(line, ""), repr(out[-200:]))
        s.run(name + ": $? is 130", "echo status=$?", r"\nstatus=130\r")
        s.run(name + ": the next command works", "echo next-ok", r"\nnext-ok\r")


def reading(s):
    """read waiting at the terminal, then one that gets its line."""
    out = interrupt(s, "Ctrl-C ends read waiting at the terminal",
                    "read x; echo got=$x", secs=2)
    check("read: the rest of the line is not run", "got=" not in out.replace("got=$x", ""),
          repr(out[-200:]))
    s.run("read: $? is 130", "echo status=$?", r"\nstatus=130\r")
    s.child.send("read y; echo got=$y\r")
    s.expect("read after an interrupt: the line is entered", entered("read y; echo got=$y"), 30)
    time.sleep(1)
    s.run("read after an interrupt gets its line", "hello", r"\ngot=hello\r")


def scripts(s):
    """A sourced script (the shell's own loop) and a child shell's one."""
    s.run("a script that loops is written", "echo 'while :; do :; done' > /int-loop.sh",
          entered("echo"))
    out = interrupt(s, "Ctrl-C ends a sourced loop", ". /int-loop.sh; echo not-reached", 2)
    check("sourced: the rest of the line is not run",
          "not-reached" not in out.replace("echo not-reached", ""), repr(out[-200:]))
    s.run("sourced: $? is 130", "echo status=$?", r"\nstatus=130\r")
    out = interrupt(s, "Ctrl-C ends a script run by a child shell",
                    "sh /int-loop.sh; echo not-reached", 3)
    check("child shell: the rest of the line is not run",
          "not-reached" not in out.replace("echo not-reached", ""), repr(out[-200:]))
    s.run("child shell: $? is 130", "echo status=$?", r"\nstatus=130\r")
    s.run("the script is removed", "rm /int-loop.sh; echo removed", r"\nremoved\r")


def nested(s):
    """A nested interactive shell: its loop ends, the outer shell waits on."""
    s.child.send("sh -i\r")
    s.expect("the nested shell prompts", PROMPT, 30)
    interrupt(s, "Ctrl-C in a nested shell ends its loop", "while :; do :; done", 2)
    s.run("the nested shell goes on with $? = 130", "echo nested=$?", r"\nnested=130\r")
    s.child.send("exit 7\r")
    s.expect("exit leaves the nested shell", PROMPT, 30)
    s.run("the outer shell was not interrupted: $? is the nested shell's",
          "echo outer=$?", r"\nouter=7\r")


def waiting(s):
    """wait for a background job, interrupted; the job lives on."""
    s.run("a background job starts", "sleep 30 &", entered("sleep 30 &"))
    out = interrupt(s, "Ctrl-C ends wait", "wait; echo not-reached", 2)
    check("wait: the rest of the line is not run",
          "not-reached" not in out.replace("echo not-reached", ""), repr(out[-200:]))
    s.run("wait: $? is 130", "echo status=$?", r"\nstatus=130\r")
    s.run("the job survives the interrupted wait", "jobs", r"\n\[1\] \+ Running +sleep 30\r")
    s.run("kill and wait end it", "kill %1; wait; echo killed", r"\nkilled\r")


def polling(s):
    """poll() of the terminal: times out, or ends early with input."""
    start = time.time()
    s.child.send("polltest 1500\r")
    if s.expect("poll of the terminal times out", r"poll: timeout after (\d+) ms", 30):
        ms = int(s.child.match.group(1))
        check("the timeout is honoured (1500 ms asked, %d ms taken)" % ms, 1400 <= ms <= 4000)
    check("the wait took the timeout", time.time() - start > 1.2, "%.1f s" % (time.time() - start))
    s.expect("the prompt comes back", PROMPT, 30)
    s.child.send("polltest 20000\r")
    s.expect("polltest waits", entered("polltest 20000"), 30)
    time.sleep(1)
    start = time.time()
    s.child.send("typed\r")
    s.expect("input ends the wait early", r"poll: ready after (\d+) ms", 30)
    ms = int(s.child.match.group(1))
    check("well before the timeout (%d ms after being asked, %.1f s after the line was typed)"
          % (ms, time.time() - start), ms < 15000 and time.time() - start < 10)
    s.expect("the line is read after poll", r"read: typed\r", 30)
    s.expect("polltest ends", PROMPT, 30)
    s.run("poll of a pipe, a file and an empty set", "polltest pipe",
          r"\npolltest: 0 failed\r")


def main():
    cfg = config()
    work = tempfile.mkdtemp(prefix="keel-int.")
    img = make_image(cfg, work, "initd.console=sh")
    child, log = boot(cfg, work, img, secs=500)
    s = Session(child)
    if s.expect("the shell prompts on the serial terminal", PROMPT, 180):
        loops(s)
        reading(s)
        scripts(s)
        nested(s)
        waiting(s)
        polling(s)
        child.send("poweroff\r")
        s.expect("poweroff ends the session", r"topod: power off", 60)
    powered_off(child)
    return wrap_up(work, log)


if __name__ == "__main__":
    sys.exit(main())
