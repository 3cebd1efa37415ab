# vt.py - a small terminal model for the editor's QEMU tests.
#
# It keeps a grid of characters and understands what edit's renderer and
# terminal layer send (docs/editor.md, "Inside"): printable text, CR, LF,
# BS, cursor addressing and relative moves (CSI H A B C D), erase in line
# and display (CSI K J), and ignores attributes (CSI m) and modes (CSI ? h/l;
# entering the alternate screen clears the grid). Enough to read the
# editor's screen back from its output; no colours, no wide characters.
import time

import pexpect


class Screen:
    def __init__(self, rows=24, cols=80):
        self.rows, self.cols = rows, cols
        self.clear()
        self.state = "text"
        self.params = ""

    def clear(self):
        self.grid = [[" "] * self.cols for _ in range(self.rows)]
        self.r = self.c = 0

    def row(self, i):
        return "".join(self.grid[i]).rstrip()

    def text(self):
        return "\n".join(self.row(i) for i in range(self.rows))

    def _lf(self):
        if self.r + 1 < self.rows:
            self.r += 1
        else:
            self.grid = self.grid[1:] + [[" "] * self.cols]

    def _put(self, ch):
        if self.c >= self.cols:
            self.c = 0
            self._lf()
        self.grid[self.r][self.c] = ch
        self.c += 1

    def _num(self, i, default):
        parts = self.params.lstrip("?").split(";")
        try:
            v = int(parts[i]) if i < len(parts) and parts[i] else default
        except ValueError:
            v = default
        return v

    def _csi(self, final):
        n = max(1, self._num(0, 1))
        if final == "H":
            self.r = min(self.rows - 1, max(1, self._num(0, 1)) - 1)
            self.c = min(self.cols - 1, max(1, self._num(1, 1)) - 1)
        elif final == "A":
            self.r = max(0, self.r - n)
        elif final == "B":
            self.r = min(self.rows - 1, self.r + n)
        elif final == "C":
            self.c = min(self.cols - 1, self.c + n)
        elif final == "D":
            self.c = max(0, min(self.c, self.cols - 1) - n)
        elif final == "K":
            for j in range(min(self.c, self.cols), self.cols):
                self.grid[self.r][j] = " "
        elif final == "J":
            if self._num(0, 0) == 2:
                self.grid = [[" "] * self.cols for _ in range(self.rows)]
            else:
                for j in range(min(self.c, self.cols), self.cols):
                    self.grid[self.r][j] = " "
                for i in range(self.r + 1, self.rows):
                    self.grid[i] = [" "] * self.cols
        elif final == "h" and self.params == "?1049":
            self.clear()

    def feed(self, data):
        for ch in data:
            if self.state == "esc":
                self.state = "csi" if ch == "[" else "text"
                self.params = ""
            elif self.state == "csi":
                if "@" <= ch <= "~":
                    self._csi(ch)
                    self.state = "text"
                else:
                    self.params += ch
            elif ch == "\x1b":
                self.state = "esc"
            elif ch == "\r":
                self.c = 0
            elif ch == "\n":
                self._lf()
            elif ch == "\b":
                self.c = max(0, min(self.c, self.cols - 1) - 1)
            elif ch >= " " and ch != "\x7f":
                self._put(ch)


def pump(child, screen, until, timeout=60):
    """Feeds the child's output to screen until until(screen) is true or
    timeout seconds pass; returns whether it became true. What pexpect had
    buffered already is fed first."""
    if child.buffer:
        screen.feed(child.buffer)
        child.buffer = ""
    deadline = time.time() + timeout
    while not until(screen):
        left = deadline - time.time()
        if left <= 0:
            return False
        try:
            screen.feed(child.read_nonblocking(65536, timeout=min(left, 0.5)))
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            return until(screen)
    return True


def settle(child, screen, quiet=1.0, timeout=30):
    """Feeds output until none came for quiet seconds (or timeout)."""
    if child.buffer:
        screen.feed(child.buffer)
        child.buffer = ""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            screen.feed(child.read_nonblocking(65536, timeout=quiet))
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            return False
    return False
