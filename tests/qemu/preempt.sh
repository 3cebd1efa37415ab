#!/bin/sh
# More spinning threads than CPUs, none of which yields: all make progress on
# all CPUs, so preemption and migration really happen. With 4 CPUs and 1.
. tests/qemu/lib.sh
selftest preempt 4
check_log "spinners ran on every CPU" '^selftest: PASS spinners ran on every CPU'
selftest preempt 1
finish
