#!/bin/sh
# mem8.sh - tests/bench/mem16.py at -m 8: the whole session (every service,
# ls, cat, a pipeline, the editor, top, memhog, poweroff) in 8 MiB of RAM.
MEM16_MIB=8 exec "${PYTHON3:-python3}" tests/bench/mem16.py
