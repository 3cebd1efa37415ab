# shell-test.sh - run by tests/qemu/shell.sh as sh's script from the boot
# bundle; its lines are checked in the serial log.
echo start
echo hi | wc -c
date -u +%Y | wc -l
echo date=$?
nosuchcmd
echo missing=$?
printf 'a\nb\nc\n' | tail -n 2 | wc -l
env true
echo env=$?
x=$(echo sub)
echo "subst=$x"
( echo in-subshell )
for i in 1 2 3 4; do printf '%s' $i; done | wc -c
poweroff
