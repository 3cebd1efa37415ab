# chmod: reference busybox. The modes are read back with coreutils' stat,
# not the command under test. The cases run as the host's user (root in
# CI), with the umask the runner has (022).
chmod 600 a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod 0755 a.txt b.txt && /usr/bin/stat -c '%a %n' a.txt b.txt
chmod 7777 a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod 0 a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod 10000 a.txt; echo $?; /usr/bin/stat -c '%a %n' a.txt
chmod 8 a.txt; echo $?
chmod 64x a.txt; echo $?
chmod u+x a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod +x a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod a+x,g-r a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod go-rwx a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod u=rx,go= a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod =r a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod = a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod a=rw,o-w+x a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod u+s,g+s a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod +s a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod o+s a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod +t d && /usr/bin/stat -c '%a %n' d
chmod o+t d && /usr/bin/stat -c '%a %n' d
chmod a+t,u-s d && /usr/bin/stat -c '%a %n' d
chmod 640 a.txt && chmod g=u a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod 751 a.txt && chmod o=g,g=u a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod 700 a.txt && chmod go+u a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod 700 a.txt && chmod +u a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod 644 a.txt && chmod a+X a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod 744 a.txt && chmod a+X a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod 600 d && chmod a+X d && /usr/bin/stat -c '%a %n' d
chmod 644 a.txt && chmod a-x+X a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod u+rwxXst a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod ugo+r,,u+w a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod '' a.txt; echo $?; /usr/bin/stat -c '%a %n' a.txt
chmod , a.txt; echo $?
chmod u a.txt; echo $?
chmod u+ a.txt; echo $?; /usr/bin/stat -c '%a %n' a.txt
chmod +z a.txt; echo $?
chmod u+r- a.txt; echo $?; /usr/bin/stat -c '%a %n' a.txt
chmod a+rq a.txt; echo $?
chmod ,u+x,zz a.txt b.txt; echo $?; /usr/bin/stat -c '%a %n' a.txt b.txt
chmod -w a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod -x,u+w a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod -v -r a.txt; /usr/bin/stat -c '%a %n' a.txt
chmod -R -w d && /usr/bin/stat -c '%a %n' d d/f1 d/sub/s.txt
chmod -v 640 a.txt b.txt
chmod -v u+x d/f1 nope d/f2.txt; echo $?
chmod -c 644 a.txt b.txt; chmod -c 600 a.txt
chmod -c u+x a.txt b.txt
chmod -vc 0 empty
chmod -R 700 d && /usr/bin/find d | /usr/bin/sort | /usr/bin/xargs /usr/bin/stat -c '%a %n'
chmod -R go-rwx d && /usr/bin/find d | /usr/bin/sort | /usr/bin/xargs /usr/bin/stat -c '%a %n'
chmod -Rv 711 d/sub | /usr/bin/sort
chmod -R -c a+X d/sub | /usr/bin/sort
chmod -R 644 a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod 600 nope; echo $?
chmod -f 600 nope; echo $?
chmod 600 nope a.txt; echo $?; /usr/bin/stat -c '%a %n' a.txt
chmod zz nope; echo $?
chmod zz a.txt nope; echo $?
chmod 644; echo $?
chmod; echo $?
chmod -q 644 a.txt; echo $?
chmod 644 -v a.txt; echo $?
chmod -- 600 a.txt && /usr/bin/stat -c '%a %n' a.txt
chmod -- -r a.txt; echo $?
ln -s a.txt lnk && chmod 600 lnk && /usr/bin/stat -c '%a %n' a.txt
ln -s d lnk && chmod -R 700 lnk && /usr/bin/stat -c '%a %n' d d/f1
ln -s d/sub lnk2 && chmod -R 700 d && /usr/bin/stat -c '%a %n' d/sub d/sub/s.txt lnk2
ln -s nowhere lnk && chmod 600 lnk; echo $?
ln -s nowhere lnk && chmod -f 600 lnk; echo $?
chmod 600 a.txt/; echo $?
