#!/usr/bin/env python3
# keel_jobs.py - the shell's jobs on Keel, typed over the serial console
# (pexpect, as tests/qemu/system.py): `sleep 60 &`, `jobs`, `$!`; a
# spinning program (tests/launch's `launch-child spin`) ended by Ctrl-C
# while the background job runs on; `fg` and Ctrl-C of the job brought
# back; `wait`; the "Done" notice at the next prompt; a three-stage
# pipeline ended by Ctrl-C; a nested interactive shell whose spinning
# child alone Ctrl-C ends; Ctrl-Z of a spinning program and of a
# pipeline (jobs, ps, bg, fg, kill, Ctrl-C at the prompt); 300 rounds of two fresh child shells, each
# running a toolbox command at once, none of them without its commands;
# then poweroff. The history file is read back
# from the disk with mtools: each line entered once, appended.
#
# usage: apps/sh/tests/keel_jobs.py (from the top of the tree, after ninja)
import os
import re
import subprocess
import sys
import tempfile
import time

import pexpect

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "tests", "qemu"))
from console import config, make_image  # noqa: E402
from system import Session, PROMPT  # noqa: E402
import system  # noqa: E402
import serialline  # noqa: E402

check = system.check
FRESH_ROUNDS = 300


def entered(line):
    """The pattern of line echoed by the line editor, up to its newline."""
    return re.escape(line) + r"[^\n]*\n"


def interrupt(s, name, line, secs=3):
    """Types line, lets it run, types Ctrl-C: the prompt must come back.
    Returns what the shell printed meanwhile."""
    s.child.send(line + "\r")
    if not s.expect(name + ": the line is entered", entered(line), 30):
        return ""
    time.sleep(secs)
    s.child.send("\x03")
    s.expect(name, PROMPT, 30)
    return s.child.before


def background(s):
    s.child.send("echo abandoned\x03")
    s.expect("Ctrl-C at the prompt abandons the line", r"\^C", 30)
    s.expect("a new prompt follows", PROMPT, 30)
    check("the abandoned line is not run", "\nabandoned" not in s.child.before,
          repr(s.child.before))
    s.run("a background job starts", "sleep 60 &", entered("sleep 60 &"))
    s.run("jobs lists it", "jobs", r"\n\[1\] \+ Running +sleep 60\r")
    s.run("$! is its pid", "echo pid=$!", r"\npid=\d+\r")
    out = interrupt(s, "Ctrl-C ends a spinning foreground program",
                    "launch-child spin; echo not-reached")
    check("the rest of an interrupted line is not run", "not-reached" not in out, repr(out))
    s.run("the interrupted command's status is 130", "echo status=$?", r"\nstatus=130\r")
    s.run("the background job survives Ctrl-C", "jobs", r"\n\[1\] \+ Running +sleep 60\r")
    out = interrupt(s, "fg then Ctrl-C ends the job brought to the foreground", "fg %1")
    check("fg names the job", "sleep 60" in out, repr(out))
    s.run("jobs is empty after Ctrl-C", "jobs; echo listed",
          r"\nlisted\r")
    check("no job is left", "[1]" not in s.child.before, repr(s.child.before[-200:]))


def waiting(s):
    s.run("a short background job", "sleep 2 &", entered("sleep 2 &"))
    start = time.time()
    s.run("wait waits for it", "wait; echo waited=$?", r"\nwaited=0\r")
    check("wait took the job's time", time.time() - start > 1.0,
          "%.1f s" % (time.time() - start))
    s.run("another background job", "sleep 1 &", entered("sleep 1 &"))
    s.run("its end is reported at the next prompt", "sleep 3",
          r"\n\[1\] \+ Done +sleep 1\r")
    s.run("a line after the notice", "echo next", r"\nnext\r")
    s.run("wait %N on a finished job", "sleep 1 & wait %1; echo w=$?", r"\nw=0\r")


def pipeline(s):
    s.run("a background job beside the pipeline", "sleep 60 &", entered("sleep 60 &"))
    out = interrupt(s, "Ctrl-C ends every stage of a pipeline",
                    "launch-child spin | cat | wc -l; echo not-reached")
    check("the rest of the line is not run", "not-reached" not in out, repr(out))
    s.run("the pipeline's status is 130", "echo status=$?", r"\nstatus=130\r")
    s.run("the background job survives the pipeline's Ctrl-C", "jobs",
          r"\n\[1\] \+ Running +sleep 60\r")
    # A nested interactive shell catches Ctrl-C: only its child ends.  A
    # command it has run shows it has marked itself as catching and reads
    # the terminal; a Ctrl-C typed before that, on a loaded host, would end
    # the shell.  Its prompt alone does not show it: the outer line
    # editor's redraws look the same, and the terminal echoes what is
    # typed before any shell reads it.
    s.run("a nested interactive shell prompts", "sh -i", entered("sh -i"))
    s.run("the nested shell runs a command", "echo in-''nested", r"\nin-nested\r")
    interrupt(s, "Ctrl-C in a nested shell ends its spinning child", "launch-child spin")
    s.run("the nested shell goes on", "echo nested=$?", r"\nnested=130\r")
    s.run("exit leaves the nested shell", "exit", entered("exit"))
    s.run("the outer job is still there", "jobs", r"\n\[1\] \+ Running +sleep 60\r")
    s.run("kill ends it", "kill %1; wait; jobs; echo killed", r"\nkilled\r")


def ps_line(s, what):
    """ps's line for the command what (its KIND and TIME columns)."""
    s.run("ps lists " + what, "ps", entered("ps"))
    for line in s.child.before.split("\n"):
        if line.rstrip("\r").endswith(" " + what):
            return line
    return ""


def suspend(s, started, line, stopped, shown):
    """Types line, lets it run 2 s, types Ctrl-Z: the Stopped line
    (shown, a pattern) must come."""
    s.child.send(line + "\r")
    s.expect(started, entered(line), 30)
    time.sleep(2)
    s.child.send("\x1a")
    s.expect(stopped, shown, 30)


def stopping(s):
    """Ctrl-Z: the controller (initd) stops the foreground job."""
    s.child.send("launch-child spin; echo after-stop\r")
    s.expect("a spinning program starts", entered("launch-child spin; echo after-stop"), 30)
    time.sleep(2)
    s.child.send("\x1a")
    s.expect("Ctrl-Z stops it; the rest of the line runs, as in dash", r"after-stop\r", 30)
    s.expect("the stop is shown at the prompt",
             r"\[1\] \+ Stopped +launch-child spin\r", 30)
    s.run("jobs shows it stopped", "jobs", r"\n\[1\] \+ Stopped +launch-child spin\r")
    first = ps_line(s, "launch-child spin")
    check("ps shows it stopped", " stopped " in first, repr(first))
    time.sleep(1)
    second = ps_line(s, "launch-child spin")
    check("a stopped program does not run (its TIME stands)",
          first and first.split()[3] == second.split()[3], repr((first, second)))
    s.child.send("\x03")
    s.expect("Ctrl-C at the prompt", PROMPT, 30)
    s.run("Ctrl-C at the prompt leaves the stopped job", "jobs",
          r"\n\[1\] \+ Stopped +launch-child spin\r")
    s.run("bg continues it in the background", "bg", r"\n\[1\] launch-child spin\r")
    s.run("jobs shows it running", "jobs", r"\n\[1\] \+ Running +launch-child spin\r")
    first = ps_line(s, "launch-child spin")
    time.sleep(1)
    second = ps_line(s, "launch-child spin")
    check("continued, it runs (its TIME grows)",
          first and second and first.split()[3] != second.split()[3] and
          " job " in second, repr((first, second)))
    s.child.send("fg\r")
    s.expect("fg names it", r"\nlaunch-child spin\r", 30)
    time.sleep(1)
    s.child.send("\x1a")
    s.expect("fg, then Ctrl-Z stops it again", r"\[1\] \+ Stopped +launch-child spin\r", 30)
    s.run("$? of a stopped job is 148", "echo status=$?", r"\nstatus=148\r")
    s.run("kill ends the stopped job", "kill %1; sleep 1; jobs; echo listed",
          r"\nlisted\r")
    check("no job is left", "[1]" not in s.child.before.split("listed")[0][-200:] or
          "Terminated" in s.child.before, repr(s.child.before[-300:]))
    # A pipeline, every stage stopped with it; fg and Ctrl-C end it.
    suspend(s, "a pipeline starts", "launch-child spin | cat | wc -l", "Ctrl-Z stops the pipeline",
            r"\[1\] \+ Stopped +launch-child spin \| cat \| wc -l\r")
    s.expect("the prompt comes back", PROMPT, 30)
    out = ps_line(s, "launch-child spin")
    check("its stages are stopped", " stopped " in out, repr(out))
    s.child.send("fg\r")
    s.expect("fg brings the pipeline back", r"\nlaunch-child spin \| cat \| wc -l\r", 30)
    time.sleep(1)
    s.child.send("\x03")
    s.expect("Ctrl-C ends the pipeline brought back", PROMPT, 30)
    s.run("its status is 130", "echo status=$?", r"\nstatus=130\r")
    s.run("no job is left after the pipeline", "jobs; echo none", r"\nnone\r")
    check("jobs printed nothing", "[1]" not in s.child.before, repr(s.child.before[-200:]))
    # kill -STOP and -CONT: the C library's kill asks initd (LAUNCH_STOP).
    s.run("a background spinner", "launch-child spin &", entered("launch-child spin &"))
    s.run("kill -STOP stops it", "kill -STOP %1; sleep 1; jobs",
          r"\n\[1\] \+ Stopped \(signal\) +launch-child spin\r")
    out = ps_line(s, "launch-child spin")
    check("ps shows it stopped after kill -STOP", " stopped " in out, repr(out))
    s.run("kill -CONT continues it", "kill -CONT %1; jobs",
          r"\n\[1\] \+ Running +launch-child spin\r")
    out = ps_line(s, "launch-child spin")
    check("ps shows it running again", " job " in out, repr(out))
    s.run("kill ends it", "kill %1; wait; echo ended", r"\nended\r")
    # A program stopped in its own terminal modes (more waits for a key
    # with echo off): the shell's next commands get the shell's modes.
    s.run("a long file", "seq 1 200 > /long.txt; echo made", r"\nmade\r")
    s.child.send("more /long.txt\r")
    s.expect("more pages it", r"--More--", 30)
    s.child.send("\x1a")
    s.expect("Ctrl-Z stops more", r"\[1\] \+ Stopped +more /long\.txt\r", 30)
    s.expect("the prompt comes back after more", PROMPT, 30)
    s.child.send("head -n 1\r")
    s.expect("head reads the terminal", entered("head -n 1"), 30)
    s.child.send("typed-line\r")
    s.expect("the terminal echoes again after the stop (the shell's modes)",
             r"typed-line\r*\n\r*typed-line", 30)
    s.expect("head ends", PROMPT, 30)
    s.run("kill ends more", "kill %1; rm /long.txt; echo cleaned", r"\ncleaned\r")
    # A nested interactive shell is passed by: its own command stops.
    s.run("a nested shell for Ctrl-Z", "sh -i", entered("sh -i"))
    s.run("the nested shell runs a command", "echo in-''nested", r"\nin-nested\r")
    suspend(s, "the nested shell starts a spinner", "launch-child spin",
            "Ctrl-Z stops the nested shell's command, not the shell",
            r"\[1\] \+ Stopped +launch-child spin\r")
    s.run("the nested shell goes on", "echo nested=$?", r"\nnested=148\r")
    s.run("exit with a stopped job warns", "exit", r"You have stopped jobs\.")
    s.run("a second exit leaves the nested shell", "exit", entered("exit"))
    s.run("the outer shell answers", "jobs; echo outer", r"\nouter\r")
    out = ps_line(s, "launch-child spin")
    check("the stopped job ended with the nested shell", out == "", repr(out))


def fresh_shells(s):
    """Child shells one after another, each running a toolbox command at
    once: a fresh shell asks `toolbox --list` through a pipe for its
    commands, so every round reads a short pipe whose writer writes and
    exits at once. An ask that comes back empty (a pipe's end of file
    seen before the bytes written, docs/libc.md) says so on standard
    error, even when the shell's retry then finds the commands."""
    s.run("a file for the fresh shells", "echo fresh > /fresh.txt; i=0; n=0", entered("n=0"))
    s.child.send("while [ $i -lt %d ]; do sh -c 'cat /fresh.txt >/f.out' || n=$((n+1)); "
                 "(cat /fresh.txt >/f.out) || n=$((n+1)); i=$((i+1)); done; "
                 "echo rounds=$i failed=$n\r" % FRESH_ROUNDS)
    ok = s.expect("%d rounds of two fresh shells each find the toolbox's commands"
                  % FRESH_ROUNDS, r"\nrounds=%d failed=0\r" % FRESH_ROUNDS, 600)
    check("no fresh shell's ask of the toolbox came back empty",
          ok and "sh: " not in s.child.before, repr(s.child.before[-400:]))
    s.run("the files go", "rm /fresh.txt /f.out; echo gone", r"\ngone\r")


def disk_checks(cfg, img):
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    mtype = cfg.get("MCOPY", "mcopy").replace("mcopy", "mtype")
    r = subprocess.run([mtype, "-i", img + "@@1M", "::/.sh_history"], capture_output=True,
                       text=True, env=env)
    lines = r.stdout.split("\n")
    check("the history file holds the lines typed", "jobs" in lines and "echo next" in lines,
          repr(r.stdout[-300:]))
    check("each line is appended once", lines.count("echo next") == 1,
          repr(r.stdout[-300:]))


def main():
    cfg = config()
    work = tempfile.mkdtemp(prefix="keel-jobs.")
    img = make_image(cfg, work, "initd.console=sh")
    cmd = [cfg["TIMEOUT"], "--foreground", "900", cfg["QEMU"], "-accel", "tcg,thread=single",
           "-M", "pc", "-cpu", "max", "-m", "256M", "-smp", "2", "-display", "none",
           "-no-reboot", "-chardev", "stdio,id=ser,signal=off", "-serial", "chardev:ser",
           "-drive", "file=%s,if=none,id=disk,format=raw" % img,
           "-device", "virtio-blk-pci,drive=disk,bootindex=0,disable-legacy=on"]
    log = open(os.path.join(work, "serial.log"), "w")
    child = serialline.spawn(cmd, timeout=60)
    child.logfile_read = log
    s = Session(child)
    if s.expect("the shell prompts on the serial terminal", PROMPT, 180):
        background(s)
        waiting(s)
        pipeline(s)
        stopping(s)
        fresh_shells(s)
        child.send("poweroff\r")
        s.expect("poweroff ends the session", r"topod: power off", 60)
    try:
        child.expect(pexpect.EOF, timeout=60)
    except pexpect.TIMEOUT:
        child.terminate(force=True)
    child.close()
    check("QEMU exits on ACPI power-off", child.exitstatus == 0, "exit %s" % child.exitstatus)
    disk_checks(cfg, img)
    log.close()
    with open(os.path.join(work, "serial.log")) as f:
        text = f.read()
    check("nothing faulted", not re.search(r"CPU exception|PANIC", text))
    if system.failed:
        print("---- serial output")
        print(text[-6000:])
    subprocess.run(["rm", "-rf", work])
    print("%d passed, %d failed" % (system.passed, system.failed))
    return 1 if system.failed else 0


if __name__ == "__main__":
    sys.exit(main())
