#!/bin/sh
# Operator requests and programs from /apps on Keel. initd launches sh as
# the console program with image/apps/tests/apps-session.sh from the boot
# bundle. svc stops, starts and restarts services through the operator
# capability and is refused for initd, topod, an unknown name and a
# program whose manifest lacks the capability (tbuser, the toolbox's code
# in /apps). hello is only in /apps; a truncated copy of it, a text file
# and an empty file there are refused by initd (ENOEXEC for the shell,
# which runs the two text files as scripts as dash does and refuses the
# binary) while initd keeps serving; a "#!" script there is run by its interpreter. A restart
# of vfsd is graceful: it writes back and leaves the volume clean.
# What the shell says about the refused programs, and what svc says about
# the restart of echo, goes to a file shown later: initd's console lines
# about each launch (and about echo2's new capability to the restarted
# echo) come out on the serial line at the same moment and could cut into
# it. hello's output
# redirected to a file and appended to it reaches the file.
. tests/qemu/lib.sh

# The test's copy of the image gets the broken programs in /apps too.
keel_image_plain() {
	cp --sparse=always "$KEEL_IMG" "$2"
	sed "s|^set KEEL_ARGS=.*|set KEEL_ARGS=\"$1\"|" image/grub.cfg > "$work/grub.cfg"
	MTOOLS_SKIP_CHECK=1 "$MCOPY" -o -i "$2@@1M" "$work/grub.cfg" ::/boot/grub/grub.cfg
}
keel_image() {
	keel_image_plain "$@"
	head -c 3000 build/disk/apps/hello > "$work/corrupt"
	printf 'this is not a program\n' > "$work/notelf"
	: > "$work/empty"
	printf '#!/bundle/sh\necho script args: "$@"\nexit 3\n' > "$work/script.sh"
	for f in corrupt notelf empty script.sh; do
		MTOOLS_SKIP_CHECK=1 "$MCOPY" -o -i "$2@@1M" "$work/$f" "::/apps/$f"
	done
}

SMP=2 keel_boot "initd.console=sh,/bundle/apps-session.sh" 180
check_log "the script runs" '^apps-start[[:space:]]*$'
check_log "svc stop echo2: stopped" '^echo2: stopped \(0 restarts\)'
check_log "svc stop succeeds" '^stop=0[[:space:]]*$'
check_log "initd says the operator stopped it" 'initd: echo2 stopped by the operator'
check_log "svc shows echo2 stopped, by the operator" '^echo2 +stopped +0  -  +stop'
check_log "svc start echo2: up, a fresh start" '^echo2: up \(0 restarts\)'
check_log "svc start succeeds" '^start=0[[:space:]]*$'
check_log "svc shows echo2 up again" '^echo2 +up +0  [0-9]+s'
check_log "starting a running service is refused" 'svc: start echo2: already running'
check_log "... with status 1" '^start-again=1[[:space:]]*$'
check_log "svc restart echo: up, restarted once" '^echo: up \(1 restarts\)'
check_log "svc restart succeeds" '^restart=0[[:space:]]*$'
check_log "initd cannot be stopped" 'svc: stop initd: initd supervises every service'
check_log "... status 1" '^stop-initd=1[[:space:]]*$'
check_log "topod cannot be restarted" 'svc: restart topod: refused: it holds the device roots'
check_log "... status 1" '^restart-topod=1[[:space:]]*$'
check_log "an unknown name is named" 'svc: stop nosuch: no such service'
check_log "... status 1" '^stop-nosuch=1[[:space:]]*$'
check_log "a program without the operator capability is refused" 'svc: stop: no operator capability'
check_log "... status 1" '^tbuser-stop=1[[:space:]]*$'
check_log "... but may read the status" '^echo2 +up '
check_log "hello runs from /apps by name, with its arguments" '^hello from /apps: one two[[:space:]]*$'
check_log "... and its exit status" '^hello=2[[:space:]]*$'
check_log "hello runs by its path" '^hello from /apps: three[[:space:]]*$'
check_log "a program with a thread still waiting exits" '^threadexit: exiting with 7, a thread waiting'
check_log "... and the shell gets its status" '^threadexit=7[[:space:]]*$'
check_log "a truncated ELF is refused" 'initd: /apps/corrupt: cannot launch it: malformed input'
check_log "... and the shell will not run it as a script" '/apps/corrupt: cannot execute binary file'
check_log "... status 126" '^corrupt=126[[:space:]]*$'
check_log "a text file is refused" 'initd: /apps/notelf: cannot launch it: malformed input'
check_log "... so the shell runs it as a script, as dash does" '/apps/notelf: 1: this: not found'
check_log "... status 127" '^notelf=127[[:space:]]*$'
check_log "an empty file is refused" 'initd: /apps/empty: cannot launch it: malformed input'
check_log "... an empty script does nothing" '^empty=0[[:space:]]*$'
check_log "a #! script runs with its interpreter" '^script args: four five[[:space:]]*$'
check_log "... and its exit status" '^script=3[[:space:]]*$'
check_log "initd still launches afterwards" '^hello from /apps: again[[:space:]]*$'
check_log "a program's output redirected to a file goes there" '^file: hello from /apps: into a file[[:space:]]*$'
check_log "... and appended to it" '^file: hello from /apps: appended[[:space:]]*$'
check_log "... with the program's status" '^hello-file=3[[:space:]]*$'
check_log "a file written by the shell, a program and the shell again keeps all three" \
	'^order: first[[:space:]]*$'
check_log "... the program's line after the first" '^order: hello from /apps: middle[[:space:]]*$'
check_log "... and the shell's last line after it" '^order: last[[:space:]]*$'
check_log "svc restart vfsd waits for it to stop cleanly" '^vfsd: up \(1 restarts\)'
check_log "... status 0" '^restart-vfsd=0[[:space:]]*$'
mounts=$(grep -Ec 'vfsd: mounted FAT32.*cache [0-9]+ sectors[[:space:]]*$' "$log")
if [ "$mounts" -eq 2 ]; then pass "... and the new vfsd mounts the volume"; else
	fail "... and the new vfsd mounts the volume: $mounts mounts"; fi
check_log "... and serves" '^vfsd +up +1  [0-9]+s'
check_log "the shell's children get a new root from initd" '^ls-after-restart=0[[:space:]]*$'
check_log "... and find /apps/hello through the new vfsd" '^/apps/hello[[:space:]]*$'
check_log "the shell's own root is renewed: it writes a file" '^kept[[:space:]]*$'
check_no_log "... which the first left clean" 'not cleanly unmounted'
check_no_log "every stopped service stopped on request" 'did not stop in time'
check_log "every service is up at the end" '^echo +up '
check_log "poweroff stops every service" 'initd: every service stopped: powering off'
check_status "QEMU ends with the power-off (ACPI S5)" 0
check_no_log "nothing faulted" 'CPU exception|PANIC'
finish
