#!/bin/sh
# The launch protocol: initd starts launch-test as the console program
# (initd.console=); it launches launch-child through its launch capability
# (argv, environment, named capabilities cut to the manifest's `uses`, a
# crash's fault as the exit status, kill), checks that 1,000 launches and
# exits leave the kernel's counters at baseline, and shuts the system down
# through its power capability: every service is stopped, last first, and
# Keel powers off.
. tests/qemu/lib.sh

SMP=2 keel_boot "initd.boot=launch.manifest initd.console=launch-test" 240
check_log "launch-test reports no failures" 'launch: [1-9][0-9]* passed, 0 failed'
check_no_log "no check failed" 'launch: FAIL'
check_log "initd shuts down on the power capability's request" 'initd: shutting down'
check_log "the service is stopped" "initd: launch-quiet (stopped|did not stop)"
check_log "every service is stopped before power-off" 'initd: every service stopped: powering off'
check_status "Keel powers off" 1
check_no_log "no panic" 'PANIC'
finish
