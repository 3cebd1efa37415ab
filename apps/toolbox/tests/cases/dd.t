# dd: reference busybox (Debian's prints the two record lines, not the
# bytes copied and the rate; the sed would cut the time if it did).
dd if=a.txt 2>&1 | /bin/sed 's/copied, .*/copied/'
dd if=a.txt of=out 2>&1 | /bin/sed 's/copied, .*/copied/'; cat out
dd if=a.txt of=out bs=7 2>&1 | /bin/sed 's/copied, .*/copied/'; cat out
dd if=a.txt of=out bs=7 count=2 2>&1 | /bin/sed 's/copied, .*/copied/'; cat out
dd if=a.txt of=out bs=4 skip=3 count=3 2>&1 | /bin/sed 's/copied, .*/copied/'; cat out
dd if=a.txt of=out ibs=5 obs=3 2>&1 | /bin/sed 's/copied, .*/copied/'; cat out
dd if=a.txt of=out ibs=3 obs=5 count=4 2>&1 | /bin/sed 's/copied, .*/copied/'; cat out
dd if=hello.txt of=out bs=5 conv=sync 2>&1 | /bin/sed 's/copied, .*/copied/'; od -c out
dd if=hello.txt of=out conv=swab 2>&1 | /bin/sed 's/copied, .*/copied/'; cat out
printf 'abc' | dd conv=swab 2>/dev/null; echo
cp a.txt out && dd if=hello.txt of=out conv=notrunc 2>/dev/null; cat out
cp a.txt out && dd if=hello.txt of=out seek=1 bs=4 2>/dev/null; od -c out
cp a.txt out && dd if=hello.txt of=out seek=1 bs=4 conv=notrunc 2>/dev/null; od -c out
cp a.txt out && dd if=hello.txt of=out seek=3 oflag=seek_bytes 2>/dev/null; od -c out
cp a.txt out && dd if=hello.txt of=out oflag=append conv=notrunc 2>/dev/null; cat out
dd if=a.txt of=out skip=5 iflag=skip_bytes count=7 iflag=count_bytes 2>/dev/null; cat out
dd if=a.txt of=out bs=4 count=5 iflag=count_bytes 2>&1 | /bin/sed 's/copied, .*/copied/'; cat out
cat a.txt | dd of=out bs=4 skip=2 count=2 2>&1 | /bin/sed 's/copied, .*/copied/'; cat out
cat a.txt | dd bs=1000 iflag=fullblock 2>&1 >/dev/null | /bin/sed 's/copied, .*/copied/'
dd if=/dev/zero bs=1k count=3 2>&1 >/dev/null | /bin/sed 's/copied, .*/copied/'
dd if=/dev/zero bs=1M count=2 2>&1 >/dev/null | /bin/sed 's/copied, .*/copied/'
dd if=/dev/zero bs=2b count=1 2>&1 | od -c | /bin/sed 's/copied, .*/copied/'
dd if=/dev/zero bs=1kB count=1 2>/dev/null | wc -c
dd if=/dev/zero bs=1w count=3 2>/dev/null | wc -c
dd if=/dev/zero bs=1c count=1K 2>/dev/null | wc -c
dd if=a.txt status=none
dd if=a.txt status=noxfer 2>&1 >/dev/null
dd if=a.txt count=0 2>&1 | /bin/sed 's/copied, .*/copied/'
dd if=empty 2>&1 | /bin/sed 's/copied, .*/copied/'
dd -- if=a.txt status=none
dd if=nope; echo $?
dd if=a.txt of=nodir/x; echo $?
dd bs=0 if=a.txt; echo $?
dd bs=x if=a.txt; echo $?
dd bs=5q if=a.txt; echo $?
dd count=-1 if=a.txt; echo $?
dd bs=99999999999999999999999 if=a.txt; echo $?
dd bs=9223372036854775808 if=a.txt; echo $?
dd count=18446744073709551615G if=a.txt; echo $?
dd conv=bogus if=a.txt; echo $?
dd conv=sync,bogus if=a.txt; echo $?
dd conv= if=a.txt; echo $?
dd iflag=fast if=a.txt; echo $?
dd oflag=skip_bytes if=a.txt; echo $?
dd status=all if=a.txt; echo $?
dd nope=1; echo $?
dd if; echo $?
dd if=d 2>&1 | /bin/sed 's/copied, .*/copied/'; echo $?
dd if=a.txt of=d 2>&1; echo $?
