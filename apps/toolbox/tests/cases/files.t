# mkdir, rmdir, touch, rm, cp, mv: reference busybox. Each case lists the
# resulting tree with the host's find so that effects are compared too.
mkdir x && find . -newer recent.txt -name x
mkdir x y z; /bin/ls -d x y z
mkdir a.txt
mkdir nodir/x
mkdir -p nodir/x/y && /bin/ls -R nodir
mkdir -p d/sub && /bin/ls d
mkdir -p a.txt/x
mkdir -p x/../y/./z && /bin/ls -R y
mkdir -p p/ && /bin/ls -d p
mkdir -m 700 m && stat -c %a m
mkdir -m 9 m
mkdir -m
mkdir
mkdir -z x
mkdir -- -x && /bin/ls -d -- -x
rmdir d/empty && /bin/ls d
rmdir d
rmdir nosuch
rmdir a.txt
rmdir -p d/sub/deep
mkdir -p q/r/s && rmdir -p q/r/s && /bin/ls -d q
mkdir -p q/r/s && rmdir -p q/r/s/ && /bin/ls -d q
rmdir .
rmdir
rmdir d/empty/ && /bin/ls d
rmdir d/empty nosuch d/sub/deep; /bin/ls d d/sub
touch new && /bin/ls -l new | /usr/bin/cut -c1-10
touch -c new2; /bin/ls new2
touch -c a.txt && /bin/ls -l a.txt | /usr/bin/cut -c1-30
touch -d @86400 a.txt && /bin/ls -l a.txt
touch -d '2021-05-06 07:08:09' a.txt new && /bin/ls -l a.txt new
touch -t 202105060708.09 a.txt && /bin/ls -l a.txt
touch -t 2105060708 a.txt && /bin/ls -l a.txt
touch -t 05060708 x && stat -c %y x | /usr/bin/cut -c5-
touch -r d/f1 a.txt && /bin/ls -l a.txt
touch -r nosuch a.txt
touch -d bad a.txt
touch -t 1x a.txt
touch -m -d @1000000 a.txt && stat -c '%X %Y' a.txt
touch -a -d @1000000 a.txt && stat -c '%X %Y' a.txt
touch nodir/x
touch
touch -z x
touch d && /bin/ls -ld d | /usr/bin/cut -c1-10
rm a.txt && /bin/ls a.txt
rm nosuch
rm -f nosuch
rm -f
rm
rm d
rm -r d && /bin/ls d
rm -R d nosuch
rm -rf d nosuch; ls
rm .
rm -r ..
rm -r d/.
rm -rf ./. d/..
rm -i a.txt; /bin/ls a.txt
echo y | rm -i a.txt; /bin/ls a.txt
printf 'y\ny\ny\n' | rm -ri d/sub/deep; find d | /usr/bin/sort
printf 'n\n' | rm -ri d; find d | /usr/bin/wc -l
rm -z a.txt
rm a.txt b.txt nosuch empty; ls
rm -- a.txt && /bin/ls a.txt
rm ''
rm -f ro/file && /bin/ls ro
cp a.txt x && /bin/cat x
cp a.txt d && /bin/cat d/a.txt
cp a.txt b.txt d && /bin/ls d
cp a.txt b.txt nodir
cp nosuch x
cp a.txt
cp
cp d x
cp -r d x && find x | /usr/bin/sort
cp -r d d2 && cp -r d d2 && find d2 | /usr/bin/sort
cp -r d/ x && find x | /usr/bin/sort
cp -R d x && find x | /usr/bin/sort
cp a.txt a.txt
cp a.txt ./a.txt
cp a.txt nodir/x
cp -p a.txt x && /bin/ls -l x
cp -r -p d x && /bin/ls -lR x
cp a.txt ro/file; /bin/cat ro/file
cp -f a.txt ro/file; /bin/cat ro/file
cp -z a.txt x
cp empty x && /usr/bin/wc -c x
cp bytes.bin x && cmp bytes.bin x
cp -r d d/sub ||| echo "cp: can't copy directory 'd' into itself, 'd/sub/d'" >&2; false
cp -r d d ||| echo "cp: can't copy directory 'd' into itself, 'd/d'" >&2; false
cp -r d/sub d/sub/deep/x2 ||| echo "cp: can't copy directory 'd/sub' into itself, 'd/sub/deep/x2'" >&2; false
cp -r . d ||| echo "cp: can't copy directory '.' into itself, 'd/.'" >&2; false
mv a.txt x && /bin/ls a.txt x
mv a.txt d && /bin/ls d
mv a.txt b.txt d && /bin/ls d
mv a.txt hello.txt && /bin/cat hello.txt
mv d x && find x | /usr/bin/sort
mv d/sub . && find sub | /usr/bin/sort
mv nosuch x
mv a.txt
mv
mv a.txt nodir/x
mv d d/sub
mv a.txt b.txt nodir
mv -n a.txt b.txt; /bin/cat b.txt
mv -f a.txt b.txt; /bin/cat b.txt
mv -i a.txt b.txt; /bin/cat b.txt
echo y | mv -i a.txt b.txt; /bin/cat b.txt
mv d/sub/ x && /bin/ls x
mv -z a.txt x
mv a.txt a.txt && /bin/ls a.txt
mv d a.txt
mv a.txt d/empty/ && /bin/ls d/empty
