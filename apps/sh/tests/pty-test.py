#!/usr/bin/env python3
# pty-test.py - runs the interactive shell under a pseudo-terminal and types
# at it: commands, history recall (Up, Ctrl-R, the history file across
# sessions), Tab completion of a function name and of a path, Ctrl-C of a
# spinning `while :; do :; done` and of a program, a background job with
# wait and jobs, the startup file; stopped jobs: Ctrl-Z of a program, of a
# pipeline and of a subshell, jobs, bg, fg, kill and exit with them, the
# processes' states read from /proc.
#
# usage: apps/sh/tests/pty-test.py [SHELL]   (default $SH or build/host/apps/sh/sh)
# The harness uses pty.fork() to give the shell a controlling terminal; the
# shell itself never forks.  Prints "N passed, N failed" last.
import os
import pty
import select
import shutil
import signal
import sys
import tempfile
import time

SHELL = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                        os.environ.get("SH", "build/host/apps/sh/sh"))
UP = "\x1b[A"
passed = failed = 0


class Term:
    """One shell session on a pty; collects everything it prints."""

    def __init__(self, home):
        env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "TERM": "xterm", "HISTFILE": os.path.join(home, "hist")}
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(home)
            os.execve(SHELL, [SHELL, "-i"], env)
        self.buf = ""

    def read(self, timeout):
        end = time.time() + timeout
        while time.time() < end:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if r:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    return
                if not data:
                    return
                self.buf += data.decode("utf-8", "replace")

    def expect(self, text, timeout=5.0):
        end = time.time() + timeout
        while time.time() < end:
            if text in self.buf:
                i = self.buf.index(text) + len(text)
                self.seen, self.buf = self.buf[:i], self.buf[i:]
                return True
            self.read(0.1)
        return False

    def send(self, keys):
        os.write(self.fd, keys.encode())

    def close(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.fd)


def children(pid):
    """{name: state letters} of pid's child processes, from /proc."""
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = open("/proc/%s/stat" % d).read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            kids[name] = kids.get(name, "") + fields[0]
    return kids


def check(name, ok, t=None):
    global passed, failed
    if ok:
        passed += 1
        print("PASS " + name)
    else:
        failed += 1
        print("FAIL " + name + ("" if t is None else "  (screen tail: %r)" % t.buf[-200:]))


def ask_echo(t):
    """Has stty print the terminal's echo mode: _echo_ on, +echo_ off."""
    t.send("stty -a | grep -o '[ -]echo ' | head -n 1 | tr ' -' '_+'\r")


def stopped_jobs(home):
    """Ctrl-Z, jobs, bg, fg, kill and exit, checked against dash's lines."""
    t = Term(home)
    t.expect("$ ")
    t.send("sleep 30\r")
    time.sleep(0.5)
    t.send("\x1a")
    check("Ctrl-Z stops a program: dash's line",
          t.expect("[1] + Stopped                    sleep 30\r\n"), t)
    time.sleep(0.2)
    check("the stopped program is stopped", children(t.pid).get("sleep") == "T")
    t.send("echo status-$?\r")
    check("$? of a job stopped by Ctrl-Z is 148", t.expect("status-148"), t)
    t.send("jobs\r")
    check("jobs shows it Stopped", t.expect("[1] + Stopped                    sleep 30\r\n"), t)
    t.send("bg\r")
    check("bg says which job it continues", t.expect("[1] sleep 30\r\n"), t)
    t.expect("$ ")
    t.send("\x03")
    time.sleep(0.3)
    t.send("jobs\r")
    check("bg continues it; Ctrl-C at the prompt leaves it running",
          t.expect("[1] + Running                    sleep 30\r\n"), t)
    check("the continued program runs", children(t.pid).get("sleep") in ("S", "R"))
    t.send("fg\r")
    check("fg names the job", t.expect("sleep 30\r\n"), t)
    time.sleep(0.5)
    start = time.time()
    t.send("\x03")
    ok = t.expect("$ ", 5) and time.time() - start < 4
    check("Ctrl-C ends the job fg brought back", ok, t)
    t.send("echo fg-$?; jobs; echo end-$((1 + 1))\r")
    ok = t.expect("fg-130") and t.expect("end-2") and "sleep 30" not in t.seen
    check("the job is gone", ok and "sleep" not in children(t.pid), t)
    t.send("sleep 30 | cat\r")
    time.sleep(0.5)
    t.send("\x1a")
    check("Ctrl-Z stops a pipeline",
          t.expect("[1] + Stopped                    sleep 30 | cat\r\n"), t)
    time.sleep(0.2)
    check("every stage of it is stopped", children(t.pid) == {"sleep": "T", "cat": "T"})
    t.send("kill %1; sleep 0.3; jobs\r")
    check("kill ends a stopped job",
          t.expect("[1] + Terminated                 sleep 30 | cat\r\n"), t)
    # A job stopped in modes of its own (no echo): the shell's next
    # commands run in the modes it ran the job with; fg gives them back.
    t.send("stty -echo; sleep 30\r")
    time.sleep(0.5)
    t.send("\x1a")
    t.expect("Stopped")
    ask_echo(t)
    check("after a stop the shell's modes are back (echo on)", t.expect("_echo_"), t)
    t.send("fg\r")
    t.expect("sleep 30")
    time.sleep(0.3)
    t.send("\x03")
    t.expect("$ ")
    ask_echo(t)
    check("fg gave the job its own modes back (echo off)", t.expect("+echo_"), t)
    t.send("stty echo\r")
    t.expect("$ ")
    t.send("(sleep 1; echo subshell-done)\r")
    time.sleep(0.5)
    t.send("\x1a")
    check("Ctrl-Z stops a subshell",
          t.expect("[1] + Stopped                    (sleep 1; echo subshell-done)"), t)
    t.send("fg\r")
    check("fg continues the subshell to its end", t.expect("subshell-done"), t)
    t.send("sleep 30\r")
    time.sleep(0.5)
    t.send("\x1a")
    t.expect("Stopped")
    t.send("exit\r")
    check("exit with a stopped job warns as dash", t.expect("You have stopped jobs.\r\n"), t)
    t.send("echo still-here\r")
    check("and the shell stays", t.expect("still-here"), t)
    t.send("exit\r")
    t.expect("You have stopped jobs.")
    t.send("exit\r")
    time.sleep(0.5)
    gone = os.waitpid(t.pid, os.WNOHANG)[0] == t.pid
    check("exit twice in a row leaves, hanging up on the job",
          gone and "T" not in "".join(children(t.pid).values()))
    if not gone:
        t.close()
    else:
        os.close(t.fd)


def main():
    home = tempfile.mkdtemp(prefix="sh-pty-")
    with open(os.path.join(home, ".shrc"), "w") as f:
        f.write("myuniquefunc() { echo function-ran; }\nSTARTUP=loaded\n")
    open(os.path.join(home, "uniquefilename123"), "w").close()
    try:
        t = Term(home)
        check("prompt shows the directory and ends in $", t.expect(home + " $ "), t)
        t.send("echo hello-$STARTUP\r")
        check("command runs; startup file was read", t.expect("hello-loaded"), t)
        t.expect("$ ")
        t.send(UP + "\r")
        check("Up recalls the previous line", t.expect("hello-loaded"), t)
        t.expect("$ ")
        t.send("myuniq\t\r")
        check("Tab completes a function name", t.expect("function-ran"), t)
        t.expect("$ ")
        t.send("ls uniq\t\r")
        check("Tab completes a path", t.expect("uniquefilename123\r\n"), t)
        t.expect("$ ")
        t.send("while :; do :; done\r")
        time.sleep(0.5)
        t.send("\x03")
        check("Ctrl-C stops a spinning loop", t.expect("$ ", 5), t)
        t.send("echo after-loop\r")
        check("the shell works after Ctrl-C", t.expect("after-loop"), t)
        t.expect("$ ")
        t.send("sleep 20; echo not-reached\r")
        time.sleep(0.5)
        start = time.time()
        t.send("\x03")
        ok = t.expect("$ ", 5) and time.time() - start < 4
        check("Ctrl-C kills a foreground program", ok, t)
        t.send("echo x; sleep 0.3 & jobs; wait; echo waited-$?\r")
        check("background job listed by jobs", t.expect("Running"), t)
        check("wait returns after the job", t.expect("waited-0"), t)
        t.expect("$ ")
        t.send("\x12hello-\r")
        check("Ctrl-R finds an earlier command", t.expect("hello-loaded"), t)
        t.expect("$ ")
        t.send("echo $((6*7)) | cat\r")
        check("pipelines run interactively", t.expect("42"), t)
        t.expect("$ ")
        t.send("nosuchcommand_zz\r")
        check("not found is reported", t.expect("nosuchcommand_zz: not found"), t)
        t.expect("$ ")
        t.send("exit\r")
        time.sleep(0.3)
        t.close()
        hist = open(os.path.join(home, "hist")).read()
        check("history is saved to HISTFILE", "echo hello-$STARTUP" in hist)
        t = Term(home)
        t.expect("$ ")
        t.send(UP + UP + UP + "\r")
        check("history is loaded by the next session", t.expect("42"), t)
        t.send("exit\r")
        time.sleep(0.2)
        t.close()
        stopped_jobs(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
