# edit-bench.sh - run by sh on Keel from the boot bundle (apps/edit/bench.sh):
# the editor's figures on the 10 MiB file the bench put on the disk, then off.
edit --bench /big.c
poweroff
