#!/bin/sh
# 10,000 thread create/exit cycles leave the free page count where it
# started and the allocator consistent. With 4 CPUs and 1.
. tests/qemu/lib.sh
selftest threads 4 300
check_log "10000 threads cycled" '^selftest: 10000 threads created and exited'
selftest threads 1 300
finish
