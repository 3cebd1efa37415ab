# du: reference busybox, on the fixtures (block counts are the host file
# system's, the same for both sides).
du
du d
du -a d
du -s d
du -s
du -c d a.txt
du -d 1 d
du -d 0 d
du -s -d 1 d
du -d 1 -s d
du -k d
du -m d
du -h d
du -b d
du -b -k d
du -h -b d
du -a -b d/sub
du -x d
du -l d
du a.txt b.txt nonl
du -a .
du d/
du ./d//sub
POSIXLY_CORRECT=1 du d
POSIXLY_CORRECT=1 du -k d
head -c 2000000 /dev/zero > big && du -m big && du -h big && du -k big && du -b big
ln a.txt hard && du -a . | /usr/bin/sort && du -a -l . | /usr/bin/sort
ln -s d lnk && du lnk && du -L lnk && du -H lnk && du -s -L lnk
ln -s d lnk && du -a -L . | /usr/bin/sort
du nope; echo $?
du nope a.txt; echo $?
du -d x d; echo $?
du -d; echo $?
du -q; echo $?
chmod 000 d/sub && du d; echo $?
