# toolbox-keel.sh - run by apps/toolbox/tests/keel.sh as sh's script from
# the boot bundle: Keel's own commands (witness, top, ps, svc, reboot); its lines are
# checked in the serial log.
echo keel-start
witness -n 3
witness -v
echo witness=$?
witness -x
echo witness-usage=$?
witness -n 2 | wc -l
top -n 1
echo top=$?
top -n 2 | grep -c Tasks
top -n x
echo top-usage=$?
ps
echo ps=$?
ps aux | grep -c ' initd$'
ps -ef | grep -c ' vfsd$'
ps -z
echo ps-usage=$?
ps nonsense
echo ps-operand=$?
svc
echo svc=$?
svc -q vfsd nosuch
echo svc-unknown=$?
svc restart nosuch
echo svc-restart=$?
svc -z
echo svc-usage=$?
reboot now
echo reboot-usage=$?
reboot
