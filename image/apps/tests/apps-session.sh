# apps-session.sh - run by image/apps/tests/apps.sh as sh's script from the
# boot bundle: services stopped, started and restarted by the operator
# (svc), and programs launched from /apps on the disk. Its lines are
# checked in the serial log.
echo apps-start
svc stop echo2
echo stop=$?
svc -q echo2
svc start echo2
echo start=$?
svc -q echo2
svc start echo2
echo start-again=$?
svc -q echo
svc restart echo > /restart.out 2>&1
echo restart=$?
svc stop initd
echo stop-initd=$?
svc restart topod
echo restart-topod=$?
svc stop nosuch
echo stop-nosuch=$?
tbuser svc stop echo2
echo tbuser-stop=$?
tbuser svc -q echo2
hello one two
echo hello=$?
/apps/hello three
echo hello-path=$?
threadexit 7
echo threadexit=$?
{
	/apps/corrupt
	echo corrupt=$?
	/apps/notelf
	echo notelf=$?
	/apps/empty
	echo empty=$?
} > /refused.out 2>&1
hello into a file > /hello.out
echo hello-file=$?
hello appended >> /hello.out
/apps/script.sh four five
echo script=$?
hello again
echo hello-again=$?
cat /refused.out /restart.out
sed 's/^/file: /' /hello.out
{ echo first; hello middle; echo last; } > /order.out
sed 's/^/order: /' /order.out
svc restart vfsd
echo restart-vfsd=$?
sleep 2
svc -q vfsd
ls /apps/hello
echo ls-after-restart=$?
echo kept > /after.txt && cat /after.txt
svc -q
poweroff
