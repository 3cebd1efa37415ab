#!/bin/sh
# A Photon thread that overruns its 2 ms budget three times is demoted to
# Matter, and again to Gravity. With 4 CPUs and 1.
. tests/qemu/lib.sh
selftest demote 4
check_log "demotion figures printed" '^selftest: hog tier 2 after [0-9]+ overruns, 2 demotions'
selftest demote 1
finish
