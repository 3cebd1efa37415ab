#!/bin/sh
# console.sh [IMAGE] - the console and shell figures of issues 15 and 16:
# kernel entry to the shell's first prompt, `cat` of 16 MiB into `wc -c`,
# a program writing 1 MiB to the serial terminal and to the screen, and
# keystroke to echo; in executed guest instructions (-icount
# shift=0,sleep=off, counted by tests/bench/console/insns_plugin.c) and
# in wall-clock rates (min and median of 3), Keel
# (tests/bench/console_figures.py) then the Linux peer with busybox under
# the same QEMU flags (tests/bench/linux-peer/console.py). Figures and how
# to read them: docs/console.md and apps/sh/README.md. About 15 minutes.
set -u
img=${1:-build/keel.img}
python3 tests/bench/console_figures.py "$img" || echo "# Keel console figures failed"
if sh tests/bench/linux-peer/fetch.sh > /dev/null 2>&1; then
	python3 tests/bench/linux-peer/console.py || echo "# Linux peer console run failed"
else
	echo "# Linux peer skipped: its pinned packages could not be fetched"
fi
