#!/usr/bin/env python3
# system.py - Keel as a person uses it: the default boot list (topod, blkd,
# vfsd, compd, inputd, ...) and the shell on the serial terminal, typed to
# through QEMU's serial line (pexpect). The session makes a directory and
# files on the boot disk's FAT32 partition, reads them back, runs a
# pipeline and a missing command, sends a child's output to /dev/null and
# reads /dev/zero, sets a file's time with touch and makes one, asks df,
# stat, du and dd about the disk, makes a file read-only with chmod and
# writable again, lists the tasks with ps beside a job, copies onto a file
# that exists, recalls
# history and completes a path,
# interrupts a running command with Ctrl-C,
# writes a file with the editor; the machine stands still three times (QEMU
# stopped, its clock going on) and no service is taken for hung; a second shell on the screen's first
# virtual console is typed to on the PS/2 keyboard (the monitor's sendkey)
# and read from the VGA text buffer; then poweroff. The disk is checked
# on the host by tools Keel did not write: fsck.fat -n must be clean (exit
# 0 and only its two standard lines) and mtools must read the files back
# and list the time touch set, mattrib the read-only attribute chmod set;
# fsck.fat's size of the volume is df's.
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import pexpect

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console import Monitor, config, make_image  # noqa: E402
import serialline  # noqa: E402

passed = 0
failed = 0
PROMPT = r"[\r\n]/[^\r\n]* \$ "


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("PASS " + name)
    else:
        failed += 1
        print("FAIL " + name + (": " + detail if detail else ""))


class Session:
    def __init__(self, child, prompt=PROMPT):
        self.child = child
        self.prompt = prompt

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
            self.expect(name + ": the prompt comes back", self.prompt, timeout)


def boot(cfg, work, img, secs=400, mem="256M", smp="2", monitor=False, extra=()):
    """Starts QEMU on img (virtio-blk, modern only) with the serial line on
    a pexpect child that logs to work/serial.log; returns (child, log)."""
    mon = "unix:%s,server,nowait" % os.path.join(work, "monitor.sock") if monitor else "none"
    cmd = [cfg["TIMEOUT"], "--foreground", str(secs), cfg["QEMU"], "-accel", "tcg,thread=single",
           "-M", "pc", "-cpu", "max", "-m", mem, "-smp", smp, "-display", "none", "-no-reboot",
           "-chardev", "stdio,id=ser,signal=off", "-serial", "chardev:ser", "-monitor", mon,
           "-drive", "file=%s,if=none,id=disk,format=raw" % img,
           "-device", "virtio-blk-pci,drive=disk,bootindex=0,disable-legacy=on"] + list(extra)
    log = open(os.path.join(work, "serial.log"), "w")
    child = serialline.spawn(cmd, timeout=60)
    child.logfile_read = log
    return child, log


def powered_off(child):
    """Waits for QEMU to end and checks it ended through ACPI power-off."""
    try:
        child.expect(pexpect.EOF, timeout=60)
    except pexpect.TIMEOUT:
        child.terminate(force=True)
    child.close()
    check("QEMU exits on ACPI power-off", child.exitstatus == 0, "exit %s" % child.exitstatus)


def fsck_clean(img, work):
    """fsck.fat -n on the system partition cut out of img: exit 0 and only
    its two standard lines."""
    part = os.path.join(work, "part.img")
    subprocess.run(["dd", "if=" + img, "of=" + part, "bs=512", "skip=2048", "status=none"],
                   check=True)
    r = subprocess.run(["fsck.fat", "-n", part], capture_output=True, text=True)
    lines = r.stdout.strip().split("\n")
    check("fsck.fat -n finds the volume clean", r.returncode == 0 and len(lines) == 2,
          "exit %d: %s %s" % (r.returncode, r.stdout, r.stderr))


def wrap_up(work, log, name="nothing faulted", clean=None, tail=6000):
    """Checks the serial log (clean(text), by default no CPU exception or
    panic), shows its end on failure, removes work, prints the summary and
    returns the exit status."""
    log.close()
    with open(os.path.join(work, "serial.log"), encoding="latin-1") as f:
        text = f.read()
    ok = clean(text) if clean else not re.search(r"CPU exception|PANIC", text)
    check(name, ok)
    if failed or os.environ.get("KEEL_SHOW_LOG"):
        print("---- serial output")
        print(text[-tail:])
    subprocess.run(["rm", "-rf", work])
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def session(s):
    c = s.child
    s.run("mkdir makes a directory", "mkdir /notes && echo made", r"\nmade\r")
    s.run("a redirection writes a file", "echo 'first line' > /notes/a.txt && echo written",
          r"\nwritten\r")
    s.run("appending adds to it", "echo second >> /notes/a.txt && echo appended",
          r"\nappended\r")
    s.run("cat reads it back", "cat /notes/a.txt", r"\nfirst line\r+\nsecond\r")
    s.run("cd and pwd", "cd /notes; pwd", r"\n/notes\r")
    s.run("ls lists the directory", "ls", r"\na\.txt\r")
    s.run("a pipeline across tasks", "cat a.txt | wc -l", r"\n *2\r")
    s.run("Up recalls the last line from the history", "\x1b[A", r"\n *2\r")
    s.run("Tab completes a path", "cat /notes/a.t\t", r"\nfirst line\r")
    s.run("a missing file is an error", "cat /nope; echo status=$?",
          r"No such file or directory.*\n.*status=1\r")
    s.run("a missing command is 127", "no-such-command; echo status=$?", r"status=127\r")
    # /dev/null and /dev/zero, also as a child program's descriptors.
    c.send("sh -c 'echo HID''DEN; ls /nope' > /dev/null 2>&1; echo st=$?\r")
    if s.expect("a child's output and errors sent to /dev/null: its status", r"\nst=1\r"):
        check("and nothing of them shows", "HIDDEN" not in c.before, repr(c.before[-200:]))
    s.expect("the prompt comes back after /dev/null", PROMPT)
    s.run("/dev/zero reads zeros", "head -c 8 /dev/zero | tr '\\0' z; echo", r"\nzzzzzzzz\r")
    s.run("ls lists /dev", "ls /dev", r"\nnull +tty +zero\r")
    s.run("command -v and type know the toolbox's commands", "command -v cat; type sed",
          r"\ncat\r+\n(?:[^\n]*\n)?sed is a toolbox command\r")
    s.run("touch sets a file's time", "touch -d '2001-02-03 04:05:06' /notes/a.txt; echo st=$?",
          r"\nst=0\r")
    s.run("touch makes a new file", "touch /notes/new.txt; ls /notes", r"\bnew\.txt\b")
    s.run("cp copies onto a file that exists (two files are not the same file)",
          "echo one > /notes/c1; echo two > /notes/c2; cp /notes/c1 /notes/c2; cat /notes/c2; "
          "[ /notes/c1 -ef /notes/c2 ] || echo differ; [ /notes/c1 -ef /NOTES/C1 ] && echo same; "
          "rm /notes/c1 /notes/c2", r"\none\r+\ndiffer\r+\nsame\r")
    disk_free(s)
    tasks(s)
    # Ctrl-C: the console's controller (initd) ends the foreground command;
    # the rest of the line is not run, as in dash.
    c.send("sleep 100; echo after=$?\r")
    time.sleep(3)
    c.send("\x03")
    s.expect("Ctrl-C ends the running command", r"\^C", 30)
    s.expect("the prompt comes back after Ctrl-C", PROMPT, 30)
    s.run("its status is 130", "echo status=$?", r"\nstatus=130\r")
    s.run("the shell goes on after Ctrl-C", "echo alive", r"\nalive\r")
    # The editor: type a line, save (^S), quit (^Q).
    c.send("edit /notes/b.txt\r")
    time.sleep(4)
    c.send("written in the editor")
    time.sleep(1)
    c.send("\x13")
    time.sleep(2)
    c.send("\x11")
    s.expect("the editor returns to the shell", PROMPT, 60)
    s.run("the editor's file is there", "cat /notes/b.txt", r"\nwritten in the editor")
    stood_still(s)
    screen_shell(s)
    c.send("poweroff\r")
    s.expect("poweroff stops every service", r"initd: vfsd stopped", 60)
    s.expect("topod powers the machine off", r"topod: power off", 60)


DF_TOTAL = []  # the volume's bytes as df showed them, for disk_checks


def disk_free(s):
    """df: the volume's size and free space (statvfs, vfsd's VFS_STATFS);
    a 1 MiB file takes 1 MiB of it, which its removal gives back."""
    c = s.child
    vol = r"\nvfsd +(\d+) +(\d+) +(\d+) +\d+% /\r"
    c.send("df -B 1 /; head -c 1048576 /dev/zero > /notes/big.bin; df -B 1 /notes; "
           "rm /notes/big.bin; df -B 1 /notes/a.txt\r")
    figures = []
    for i in range(3):
        if not s.expect("df shows the volume (%d of 3)" % (i + 1), vol):
            break
        figures.append([int(x) for x in c.match.groups()])
    s.expect("the prompt comes back after df", PROMPT)
    if len(figures) == 3:
        (total, used, avail), after, back = figures
        check("a 1 MiB file takes 1 MiB of df's figures",
              after == [total, used + 1048576, avail - 1048576], repr(figures))
        check("and its removal gives it back", back == figures[0], repr(figures))
        DF_TOTAL.append(total)
        c.send("stat -f -c '%T %b %S' /notes\r")
        size = 0
        if s.expect("stat -f says the volume is FAT", r"\nmsdos (\d+) (\d+)\r"):
            blocks, size = (int(x) for x in c.match.groups())
            check("and its size is df's", blocks * size == total, repr((blocks, size, total)))
        s.expect("the prompt comes back after stat -f", PROMPT)
        if size:
            s.run("a short file takes a whole cluster, as stat counts its blocks",
                  "stat -c '%b %o' /notes/a.txt", r"\n%d %d\r" % (size // 512, size))
    s.run("dd copies blocks and says how many",
          "dd if=/dev/zero of=/notes/z bs=4k count=3; stat -c %s /notes/z; "
          "dd if=/notes/a.txt bs=6 skip=1 count=1 2>/dev/null; echo; rm /notes/z",
          r"\n3\+0 records in\r+\n3\+0 records out\r+\n12288\r+\nline\r+\n")
    s.run("du counts a file's bytes and the blocks under a directory",
          "du -b /notes/a.txt; du -s /notes", r"\n18\t/notes/a\.txt\r+\n\d+\t/notes\r")
    s.run("stat shows a file", "stat /notes/a.txt",
          r"File: /notes/a\.txt\r+\n +Size: 18 +\tBlocks: \d+ +IO Block: \d+ +regular file\r"
          r"[^$]*Access: \(0\d\d\d/-rw[^)]*\) +Uid: \( +0/ UNKNOWN\)[^$]*"
          r"\nModify: 2001-02-03 04:05:06\.000000000 \+0000\r")
    s.run("df -a also lists /dev and /bundle, without blocks", "df -a",
          r"\ndev +0 +0 +0 +0% /dev\r+\nbundle +0 +0 +0 +0% /bundle\r")
    s.run("df -h -T shows sizes for people", "df -hT /",
          r"\nvfsd +vfat +\d+\.\d[KMG] +\d+(?:\.\d[KMG])? +\d+\.\d[KMG] +\d+% /\r")
    read_only(s)


def read_only(s):
    """chmod: a file made read-only takes no writes (FAT's read-only
    attribute, which mattrib reads after power-off); u+w makes it writable
    again; what FAT cannot keep is refused."""
    s.run("chmod a-w makes a file read-only",
          "echo kept > /notes/ro.txt; echo loose > /notes/rw.txt; chmod a-w /notes/ro.txt "
          "/notes/rw.txt; ls -l /notes/ro.txt; echo more >> /notes/ro.txt; echo status=$?",
          r"\n-r--r--r-- [^\r]* /notes/ro\.txt\r+\n[^\r]*Permission denied\r+\nstatus=[12]\r")
    s.run("and test -w says so", "[ -w /notes/ro.txt ] || echo not-writable",
          r"\nnot-writable\r")
    s.run("chmod u+w makes it writable again", "chmod -v u+w /notes/rw.txt; "
          "echo again >> /notes/rw.txt; cat /notes/rw.txt",
          r"\nmode of '/notes/rw\.txt' changed to 0644 \(rw-r--r--\)\r+\nloose\r+\nagain\r")
    s.run("a mode FAT cannot keep is refused", "chmod 755 /notes/ro.txt; echo status=$?",
          r"chmod: /notes/ro\.txt: Operation not permitted\r+\nstatus=1\r")
    s.run("chmod -R a-w makes every file under a directory read-only",
          "mkdir /notes/t; echo a > /notes/t/a; echo b > /notes/t/b; chmod -R a-w /notes/t; "
          "echo status=$?; ls -l /notes/t | grep -c '^-r--r--r--'; rm -rf /notes/t; "
          "ls /notes/t",
          r"chmod: /notes/t: Operation not permitted\r+\nstatus=1\r+\n2\r+\n"
          r"ls: /notes/t: No such file or directory\r")
    s.child.send("rm /notes/ro.txt\r")
    s.expect("rm asks before it removes a read-only file", r"rm: remove '/notes/ro\.txt'\? ")
    s.child.send("n\r")
    s.expect("rm asks: the prompt comes back", PROMPT)
    s.run("and keeps it on no", "ls /notes/ro.txt", r"\n/notes/ro\.txt\r")


def tasks(s):
    """ps: initd, the seven services and the shells; a job started with &
    shows as a job of the same shell as ps itself, by its own command line
    (not the toolbox's), and is gone once it has ended and been waited for.
    Its PID is the shell's $!, and the shell's is $$: one pid space."""
    c = s.child
    row = r"\n *(\d+) +(\d+|-) +(\w+) +[-\d:.]+ +[-\d.]+[KMG]? +[-\d]+ +([^\r\n]+)\r"
    c.send("sleep 30 & echo bg=$! me=$$; ps\r")
    rows = []
    ids = None
    if s.expect("the shell says its pid and the job's", r"\nbg=(\d+) me=(\d+)\r"):
        ids = c.match.groups()
    if s.expect("ps prints its heading", r"PID +PPID +KIND +TIME +MEM +THR +COMMAND"):
        while True:
            i = c.expect([row, PROMPT], timeout=30)
            if i == 1:
                break
            rows.append(c.match.groups())
    kinds = [r[2] for r in rows]
    check("ps lists initd first, as task 1", rows and rows[0][:3] == ("1", "-", "initd"),
          repr(rows[:2]))
    check("and the seven services", kinds.count("service") == 7, repr(rows))
    me = [r for r in rows if r[3] == "ps"]
    job = [r for r in rows if r[3] == "sleep 30"]
    check("the job started with & is a job of the shell that runs ps, with its arguments",
          len(me) == 1 and len(job) == 1 and job[0][2] == "job" and job[0][1] == me[0][1],
          repr(rows))
    shell = [r for r in rows if me and r[0] == me[0][1]]
    check("that shell is a program initd started", shell and shell[0][1:4] == ("1", "program", "sh"),
          repr(rows))
    check("the job's PID is $! and the shell's is $$",
          ids and job and shell and (job[0][0], shell[0][0]) == ids, repr((ids, rows)))
    s.run("once the job is ended and waited for, ps no longer lists it",
          "kill $!; wait; ps | grep -c '[s]leep 30'", r"\n0\r")
    # A pipe's ring is mapped where the last one was unmapped (keel_unmap):
    # before, each pipeline's rings went to new addresses, and the shell's
    # page tables grew with them (268 -> 360 KiB after 600 pipelines).
    mem = r"\n +\d+ +1 program +[\d:.]+ +(\d+)K +\d+ sh\r"
    sizes = []
    for what in ("before", "after"):
        if what == "after":
            s.run("300 pipelines run", "for i in $(seq 300); do echo x | cat > /dev/null; done; "
                  "echo ran", r"\nran\r", 120)
        c.send("ps | grep \"^ *$$ \"\r")
        if s.expect("ps shows the shell's memory " + what, mem):
            sizes.append(int(c.match.group(1)))
        s.expect("the prompt comes back after ps " + what, PROMPT)
    check("the shell's memory does not grow with its pipelines (its page tables)",
          len(sizes) == 2 and sizes[1] <= sizes[0] + 8, repr(sizes))


def stood_still(s, times=3, secs=2.0):
    """The machine stands still: QEMU is stopped (SIGSTOP), as a busy or
    suspended host stops it, while its clock goes on. No service may be
    taken for hung for the heartbeats it could not send meanwhile."""
    qemu = subprocess.run(["pgrep", "-P", str(s.child.pid)], capture_output=True, text=True)
    pid = int(qemu.stdout.split()[0])
    for _ in range(times):
        time.sleep(1)
        os.kill(pid, signal.SIGSTOP)
        time.sleep(secs)
        os.kill(pid, signal.SIGCONT)
    time.sleep(2)
    s.run("the shell answers after the machine stood still", "echo still-here",
          r"\nstill-here\r")
    s.child.logfile_read.flush()
    with open(s.child.logfile_read.name, encoding="latin-1") as f:
        hung = re.findall(r"initd: [^\r\n]*killed as hung", f.read())
    check("no service is killed as hung for the time the machine stood still", not hung,
          "; ".join(hung))


def screen_shell(s):
    """The shell on the first virtual console, through keyboard and screen."""
    mon = Monitor(s.monitor)
    rows = mon.screen()
    check("a shell prompts on the screen", any(r.startswith("/ $") for r in rows), repr(rows[:3]))
    mon.keys(["c", "a", "t", "spc", "slash", "n", "o", "t", "e", "s", "slash", "a", "dot",
              "t", "x", "t", "ret"])
    time.sleep(3)
    rows = mon.screen()
    check("keys typed on the keyboard run a command there", "first line" in rows, repr(rows[:6]))
    mon.sock.close()


def disk_checks(cfg, img, work):
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    fsck_clean(img, work)
    if DF_TOTAL:
        r = subprocess.run(["fsck.fat", "-n", "-v", os.path.join(work, "part.img")],
                           capture_output=True, text=True)
        m = re.search(r"data clusters \((\d+) bytes\)", r.stdout)
        check("df's size of the volume is fsck.fat's", m and int(m.group(1)) == DF_TOTAL[0],
              "df %d, fsck.fat: %s" % (DF_TOTAL[0], m.group(0) if m else r.stdout[-300:]))
    mtype = cfg.get("MCOPY", "mcopy").replace("mcopy", "mtype")
    r = subprocess.run([mtype, "-i", img + "@@1M", "::/notes/a.txt"], capture_output=True,
                       text=True, env=env)
    check("mtype reads the shell's file", r.stdout == "first line\nsecond\n", repr(r.stdout))
    r = subprocess.run([mtype, "-i", img + "@@1M", "::/notes/b.txt"], capture_output=True,
                       text=True, env=env)
    check("mtype reads the editor's file", r.stdout.startswith("written in the editor"),
          repr(r.stdout))
    mdir = cfg.get("MCOPY", "mcopy").replace("mcopy", "mdir")
    r = subprocess.run([mdir, "-i", img + "@@1M", "::/notes"], capture_output=True, text=True,
                       env=env)
    check("mdir shows the time touch set", "2001-02-03   4:05" in r.stdout, repr(r.stdout))
    check("and the file touch made", re.search(r"\bnew +txt +0 ", r.stdout), repr(r.stdout))
    mattrib = cfg.get("MCOPY", "mcopy").replace("mcopy", "mattrib")
    r = subprocess.run([mattrib, "-i", img + "@@1M", "::/notes/ro.txt", "::/notes/rw.txt"],
                       capture_output=True, text=True, env=env)
    check("mattrib reads chmod's read-only attribute",
          re.search(r"R +::/notes/ro\.txt", r.stdout) and
          not re.search(r"R +::/notes/rw\.txt", r.stdout) and "::/notes/rw.txt" in r.stdout,
          repr(r.stdout))
    r = subprocess.run([mtype, "-i", img + "@@1M", "::/.sh_history"], capture_output=True,
                       text=True, env=env)
    check("the shell's history is kept on the disk", "cat /notes/a.txt\n" in r.stdout,
          repr(r.stdout[-200:]))


def main():
    cfg = config()
    work = tempfile.mkdtemp(prefix="keel-system.")
    img = make_image(cfg, work, "initd.console=sh initd.screen=sh")
    child, log = boot(cfg, work, img, monitor=True)
    s = Session(child)
    s.monitor = os.path.join(work, "monitor.sock")
    if s.expect("vfsd mounts the system partition", r"vfsd: mounted FAT32", 180) and \
            s.expect("the boot reaches all services", r"initd: all services up \(7\)", 60) and \
            s.expect("the shell prompts on the serial terminal", PROMPT, 60):
        session(s)
    powered_off(child)
    disk_checks(cfg, img, work)
    return wrap_up(work, log)


if __name__ == "__main__":
    sys.exit(main())
