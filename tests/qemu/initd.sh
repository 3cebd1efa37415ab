#!/bin/sh
# initd supervises the services of the boot list: a plain boot reaches
# "all services up"; a crash, a hang and an I/O port outside the
# service's footprint each lead to one restart recorded in the witness
# log; 100 crash/restart cycles (and 300 at -smp 4) leave the kernel's counters at baseline.
# echo2 sends echo: it starts only after echo's hello, and when echo
# restarts initd gives echo2 a capability to the new inbox.
. tests/qemu/lib.sh

SMP=2 keel_boot "" 20
check_log "a plain boot reaches all services up" 'initd: all services up \(7\)'
check_no_log "nothing faulted" 'CPU exception|PANIC'
check_log "echo2 waits for echo, which it sends to" 'initd: echo2 waits for echo'
check_log "and starts once echo is up" 'initd: echo2 starts: what it waited for is up'
check_no_log "no service fails to start for want of a peer" 'cannot start'

# scenario NAME SECONDS [SMP [ARGS]]: initd.test=NAME, judged by initd's
# own verdict.
scenario() {
	SMP=${3:-2} keel_boot "initd.test=$1 ${4:-}" "$2"
	check_status "$1: initd exits with 0 and Keel powers off" 1
	check_log "$1: reports no failures" "initd: $1: [1-9][0-9]* passed, 0 failed"
	check_no_log "$1: has no failed check" 'initd: FAIL'
}

scenario up 60
scenario crash 60
scenario hang 60
scenario port 60
check_log "port: the service faulted on the port it was not given" 'CPU exception 13 \(#GP'
scenario peer 60
check_log "peer: echo2 got a capability to the restarted echo" 'initd: echo2: new capability to echo \(restarted\)'
scenario cycles 300
# The same at -smp 4, longer: initd's timed status calls to the peer once
# leaked reply capabilities until echo2 stopped serving.
# INITD_CYCLES=N sets the count.
scenario cycles 900 4 "initd.cycles=${INITD_CYCLES:-300}"

SMP=2 keel_boot "initd.boot=boot-refuse.manifest initd.test=up" 60
check_log "a malformed manifest is refused with its line" 'initd: broken: manifest line 3: '
check_log "the service is left out" 'initd: broken refused'
check_log "the others boot" 'initd: all services up \(1; 1 refused\)'
check_log "the status protocol still answers" 'initd: up: [1-9][0-9]* passed, 0 failed'
finish
