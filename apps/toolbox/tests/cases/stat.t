# stat: reference busybox. Every case runs in a fresh copy of the fixtures,
# so inode numbers and change times differ between the two sides: the long
# form is compared without them, and formats leave them out. Copying the
# fixtures reads them, so access times differ too.
stat a.txt | /bin/sed -e 's/Inode: [0-9]* /Inode: N /' -e '/^Change: /d' -e '/^Access: 2/d'
stat d | /bin/sed -e 's/Inode: [0-9]* /Inode: N /' -e '/^Change: /d' -e '/^Access: 2/d'
stat empty ro/file | /bin/sed -e 's/Inode: [0-9]* /Inode: N /' -e '/^Change: /d' -e '/^Access: 2/d'
ln -s a.txt lnk && stat lnk | /bin/sed -e 's/Inode: [0-9]* /Inode: N /' -e '/^Change: /d' -e '/^Access: 2/d' -e '/^Modify: /d'
ln -s a.txt lnk && stat -L lnk | /bin/sed -e 's/Inode: [0-9]* /Inode: N /' -e '/^Change: /d' -e '/^Access: 2/d'
ln -s nowhere lnk && stat -L lnk; echo $?
stat /dev/null | /bin/sed -e '/^Access: 2/d' -e '/^Modify: /d' -e '/^Change: /d'
stat -t a.txt | /usr/bin/cut -d' ' -f1-7,9,10-11,13
stat -c '%n %s %a %A %F %h %u %g %U %G %y %Y' a.txt b.txt empty d
stat -c '%f %t %T %B %o %d %D' a.txt /dev/null
stat -c '%-12n|%12s|%012s|%.3n|%#o|%+d' a.txt
stat -c '%a %A' ro/file ro
chmod 4755 a.txt && chmod 2644 b.txt && chmod 1777 d && stat -c '%a %A' a.txt b.txt d
chmod 4644 a.txt && chmod 2600 b.txt && chmod 1776 d && stat -c '%a %A' a.txt b.txt d
stat -c 'no percent' a.txt
stat -c '100%% %q %' a.txt; echo
stat -c '' a.txt
stat -c '%In' a.txt
stat -c '%N' a.txt
ln -s b.txt lnk && stat -c '%N|%n|%F' lnk
stat -c %F /proc /proc/self /dev/null
stat -c '%n %s' nope a.txt; echo $?
stat -c %n nope; echo $?
stat; echo $?
stat -x a.txt; echo $?
stat -c; echo $?
stat -f -c '%n %l %t %T %c' /proc
stat -f -c '%T %t %s %S %b %f %a %c %d' /sys
stat -f /proc | /usr/bin/head -n 4
stat -f -t /proc
stat -f -c '%T' /dev
stat -f nope; echo $?
stat -f -c '%n %q %%' /proc
