#!/bin/sh
# The shell on Keel: initd launches sh as the console program with a
# script from the boot bundle (tests/launch/shell-test.sh), its output on
# compd's serial terminal; sh runs builtins, launches toolbox commands,
# runs a pipeline whose stages are separate tasks joined by pipes, reports
# a missing command, and ends with `poweroff`, which stops every service
# and ends QEMU. tests/qemu/system.py types an interactive session.
. tests/qemu/lib.sh

SMP=2 keel_boot "initd.console=sh,/bundle/shell-test.sh" 120
check_log "the shell runs a builtin" '^start[[:space:]]*$'
check_log "echo hi | wc -c prints 3" '^ *3[[:space:]]*$'
check_log "a toolbox command runs and returns its status" '^date=0[[:space:]]*$'
check_log "its output goes through a pipe" '^ *1[[:space:]]*$'
check_log "a missing command is 127" '^missing=127[[:space:]]*$'
check_log "a three-stage pipeline streams through" '^ *2[[:space:]]*$'
check_log "env launches a command in turn" '^env=0[[:space:]]*$'
check_log "command substitution runs in a child shell" '^subst=sub[[:space:]]*$'
check_log "a subshell runs" '^in-subshell[[:space:]]*$'
check_log "a loop feeds a pipe" '^ *4[[:space:]]*$'
check_log "poweroff shuts down" 'initd: every service stopped: powering off'
check_status "QEMU ends: topod powered the machine off (ACPI S5)" 0
check_no_log "nothing faulted" 'CPU exception|PANIC'
finish
