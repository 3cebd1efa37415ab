#!/usr/bin/env python3
# serialline_test.py - serialline.KernelAside on the serial text the tests
# meet: a kernel line inside a program's line of plain text, or just before
# its end (the program's line is given whole after it); at a line's
# start, inside a prompt's redraw or an escape sequence (nothing given
# again); two kernel lines in a row; every split of the text into two
# reads gives what one read gives. Prints "N passed, N failed" last.
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serialline import KernelAside  # noqa: E402

passed = failed = 0
K = "[task 1] initd: echo2: new capability to echo (restarted)\r\r\n"
KT = "[task 12 @123456789012345-123456789012] vfsd: up\r\r\n"


def check(name, ok, detail=""):
    global passed, failed
    passed += ok
    failed += not ok
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + detail))


def fed(*pieces):
    a = KernelAside()
    return "".join(a.feed(p) for p in pieces)


def case(name, text, want=None, same=False):
    """text through the filter in one read: the pattern want is found (or
    the text comes out unchanged); the kernel lines are all still there;
    and every split into two reads gives the same."""
    out = fed(text)
    if same:
        check(name + ": unchanged", out == text, repr(out))
    else:
        check(name + ": " + want, re.search(want, out) is not None, repr(out))
    kernel = re.findall(r"\[task [^\]]*\] [^\r\n]*", text)
    check(name + ": the kernel lines stay", all(k in out for k in kernel), repr(out))
    bad = [i for i in range(1, len(text)) if fed(text[:i], text[i:]) != out]
    check(name + ": the same in two reads split anywhere", not bad, "splits %s" % bad[:5])


def main():
    case("inside a line", "flood: PA" + K + "SS initd still restarts\r\r\n",
         r"\nflood: PASS initd still restarts\r")
    case("after one character", "(cd /boot)\r\r\no" + K + "k\r\r\n", r"\nok\r")
    case("with a time stamp", "abc" + KT + "def\r\n", r"\nabcdef\r")
    case("at a line's start", "ok\r\r\n" + K + "next\r\r\n", same=True)
    case("a prompt's redraw", "\r/ $ \x1b[K\r\x1b[4C" + K + "\r/ $ e\x1b[K\r\x1b[5C", same=True)
    case("an escape sequence", "\x1b[2;1Hrow" + K + "\x1b[3;1Hnext", same=True)
    case("a line ending after it", "(cd /boot)\r\r\nok" + K + "\r\r\n", r"\nok\r")
    case("two in a row", "fl" + K + KT + "ood: PASS\r\r\n", r"\nflood: PASS\r")
    case("the end of the text", "fl" + K, same=True)
    out = fed("x" * 5000 + K + "y")
    check("a plain line longer than the bound is not given again",
          out == "x" * 5000 + K + "y", repr(out[-80:]))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
