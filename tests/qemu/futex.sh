#!/bin/sh
# futex.sh - sys_futex_wait/sys_futex_wake on 4 CPUs: kabi-futex boots as
# the root task, contends a futex mutex from 4 threads and hands a turn
# between 2, waiting and waking through two mappings of one page; a lost
# wake-up shows as a stall its watchdog reports.
. tests/qemu/lib.sh
SMP=4 keel_boot "keel.init=kabi-futex" 240
check_status "kabi-futex powers off cleanly" 1
check_log "kabi-futex reports no failures" "^\[task 1\] kabi-futex: [1-9][0-9]* passed, 0 failed"
check_no_log "kabi-futex has no failed check" "kabi-futex: FAIL"
check_log "kabi-futex exits with code 0" "^Keel: root task exited with code 0"
finish
