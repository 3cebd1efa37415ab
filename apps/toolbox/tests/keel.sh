#!/bin/sh
# Keel's own toolbox commands on Keel: initd launches sh as the console
# program with apps/toolbox/tests/toolbox-keel.sh from the boot bundle;
# witness prints the log and verifies its chain, top prints the kernel's
# counters, ps lists every task, svc lists initd's services with their footprints, bad
# options give a usage line and status 2, and reboot resets the machine
# after stopping every service (QEMU runs with -no-reboot, so it ends).
. tests/qemu/lib.sh

SMP=2 keel_boot "initd.console=sh,/bundle/toolbox-keel.sh" 120
check_log "the script runs" '^keel-start[[:space:]]*$'
check_log "witness prints records in words" '^ *[0-9]+ +[0-9]+\.[0-9]{6}  [a-z-]+ +(the kernel|task [0-9]+) '
check_log "witness verifies the chain" '^chain verified: [1-9][0-9]* records \(seq [0-9]+-[0-9]+\)'
check_log "witness -v succeeds" '^witness=0[[:space:]]*$'
check_log "a bad option is a usage error" '^witness-usage=2[[:space:]]*$'
check_log "witness -n 2 prints a heading, 2 records and the verdict" '^ *4[[:space:]]*$'
check_log "top shows tasks and threads" '^Tasks: [1-9][0-9]*   Threads: [1-9][0-9]*'
check_log "top shows memory" '^Memory: [1-9][0-9]* KiB total, [0-9]+ KiB free'
check_log "top -n 1 succeeds" '^top=0[[:space:]]*$'
check_log "top -n 2 draws two screens" '^ *2[[:space:]]*$'
check_log "top -n x is a usage error" '^top-usage=2[[:space:]]*$'
check_log "ps lists initd as task 1" '^ +1 +- +initd +[0-9]+:[0-9.]+ +[0-9.]+[KMG] +[0-9]+ initd'
check_log "ps lists vfsd as a service of initd's" '^ +[0-9]+ +1 +service +[0-9]+:[0-9.]+ +[0-9.]+[KMG] +[0-9]+ vfsd'
check_log "ps lists itself with its command line" ' program +[0-9]+:[0-9.]+ +[0-9.]+[KMG] +[0-9]+ ps'
check_log "ps succeeds" '^ps=0[[:space:]]*$'
check_log "ps aux and ps -ef are accepted and show every task" '^1[[:space:]]*$'
check_log "ps -z is a usage error" '^ps-usage=2[[:space:]]*$'
check_log "ps with another operand is a usage error" '^ps-operand=2[[:space:]]*$'
check_log "svc lists compd up" '^compd +up '
check_log "svc lists vfsd up" '^vfsd +up '
check_log "svc shows footprints" '^    memory [0-9]+ pages, [0-9]+ objects'
check_log "svc succeeds" '^svc=0[[:space:]]*$'
check_log "svc names an unknown service" '^svc-unknown=1[[:space:]]*$'
check_log "svc restart of an unknown service names it" 'svc: restart nosuch: no such service'
check_log "svc -z is a usage error" '^svc-usage=2[[:space:]]*$'
check_log "reboot with an operand is a usage error" '^reboot-usage=2[[:space:]]*$'
check_log "reboot stops every service, then resets" 'initd: every service stopped: resetting'
check_no_log "reboot does not power off" 'powering off'
check_status "QEMU ends: the reset ends it (-no-reboot)" 0
check_no_log "nothing faulted" 'CPU exception|PANIC'
finish
