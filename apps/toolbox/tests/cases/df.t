# df: reference busybox, on the host's mounts (/proc/mounts). Only file
# systems whose figures stand still while both sides run: those without
# blocks (proc, sysfs) and devtmpfs, which holds no data. A path that does
# not exist is reported on the file system of / (busybox's choice), whose
# figures move with the host's work: only its name and mount point are
# compared.
df /proc
df -T /proc /sys
df -P /proc
df -a -t proc
df -a -T -t sysfs
df -t proc
df -t nosuchtype
df /proc/self/..
df -t devtmpfs
df -k -t devtmpfs
df -m -t devtmpfs
df -h -t devtmpfs
df -H -t devtmpfs
df -P -t devtmpfs
df -P -m -t devtmpfs
df -P -h -t devtmpfs
df -T -P -t devtmpfs
df -B 1000 -t devtmpfs
df -B 1536 -t devtmpfs
df -B 512 -t devtmpfs
df -B 1 -t devtmpfs
df -B K -t devtmpfs
df -B MiB -t devtmpfs
df -B 2KB -t devtmpfs
df -B 3k -t devtmpfs
df -B 1G -t devtmpfs
df -P -B 1536 -t devtmpfs
df -m -k -t devtmpfs
df -k -m -t devtmpfs
df -B 4096 -m -t devtmpfs
df -B x -k -t devtmpfs
df -i -t devtmpfs
df -i -h -t devtmpfs
df -i -P /proc
POSIXLY_CORRECT=1 df -t devtmpfs
POSIXLY_CORRECT=1 df -k -t devtmpfs
df -T -t tmpfs | /usr/bin/grep -v shm
df -a -t tmpfs | /usr/bin/grep -v shm
df -B x; echo $?
df -B 0; echo $?
df -B 99999999999999999999999; echo $?
df -B -5; echo $?
df -B ' 5'; echo $?
df -B 5x; echo $?
df -B 18446744073709551615G; echo $?
{ df /nonexistent; echo $?; } | /usr/bin/awk '{ print $1, $NF }'
{ df /proc /nonexistent /sys; echo $?; } | /usr/bin/awk '{ print $1, $NF }'
df /dev/null; echo $?
df -x; echo $?
df -t; echo $?
df -B; echo $?
