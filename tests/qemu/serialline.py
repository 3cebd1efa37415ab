# serialline.py - QEMU's serial line as a pexpect child for the tests that
# type to Keel's terminals.
#
# The kernel writes its log and every task's sys_debug_write text
# ("[task N] ...") to the serial port while compd writes the terminal's
# output to it (docs/console.md, "The serial line, shared with the
# kernel"): a kernel line may land inside a line of a program's text, as
# in "flood: PA[task 1] initd: echo2: new capability ...\r\nSS initd still
# restarts". A person reads past it; a test's pattern for the program's
# line never matches, and the test waits out its timeout.
#
# So the child shows its reader (expect, before, match) the program's
# line whole as well: when a kernel line has landed inside a line of plain
# text (no carriage return or escape sequence before it), the line's text
# so far is given again after the kernel line, before whatever the
# program writes next (the rest of its line, or its end). The kernel line
# stays where it came (tests wait for initd's lines), nothing is held back
# (no pattern waits longer), and the log file gets the bytes as they came.
import re

import pexpect

# The end of a kernel line's prefix: "[task N] " or "[task N @TSC-IDLE] ".
KERNEL_PREFIX = re.compile(r"\[task \d+(?: @\d+-\d+)?\] $")
# A plain line longer than this is not given again (a bound on the work).
LINE_MAX = 4096


class KernelAside:
    """The rule above, on text in pieces split anywhere."""

    def __init__(self):
        self.prog = ""      # the line's plain program text so far; None if not plain
        self.kernel = False  # inside a kernel line
        self.tail = ""      # the line's last characters, to find a kernel prefix
        self.redo = ""      # the program's text to give again before what comes next

    def feed(self, text):
        out = []
        for ch in text:
            if self.redo:
                out.append(self.redo)
                self.prog, self.tail, self.redo = self.redo, self.redo[-64:], ""
            out.append(ch)
            if ch == "\n":
                if self.kernel and self.prog:
                    self.redo = self.prog
                self.prog, self.kernel, self.tail = "", False, ""
                continue
            if self.kernel:
                continue
            self.tail = (self.tail + ch)[-64:]
            m = KERNEL_PREFIX.search(self.tail) if ch == " " else None
            if m:
                self.kernel = True
                if self.prog is not None:
                    self.prog = self.prog[:len(self.prog) - (len(m.group(0)) - 1)]
            elif self.prog is not None:
                plain = ch not in "\r\x1b" and len(self.prog) < LINE_MAX
                self.prog = self.prog + ch if plain else None
        return "".join(out)


class SerialLine(pexpect.spawn):
    """pexpect.spawn with KernelAside applied to what is read."""

    def __init__(self, *args, **kwargs):
        self.aside = KernelAside()
        super().__init__(*args, **kwargs)

    def read_nonblocking(self, size=1, timeout=-1):
        return self.aside.feed(super().read_nonblocking(size, timeout))


def spawn(cmd, timeout=60, **kwargs):
    """QEMU's command line cmd (its serial line on stdio) as a SerialLine."""
    return SerialLine(cmd[0], cmd[1:], encoding="latin-1", timeout=timeout, **kwargs)
