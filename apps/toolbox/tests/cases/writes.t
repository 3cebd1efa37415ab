# writes that fail (a full disk; /dev/full here): every command says so
# and exits 1 (tests/DIFFERENCES, "write errors"); reference busybox
cat a.txt > /dev/full
tr a b < a.txt > /dev/full
echo hi > /dev/full
tail a.txt > /dev/full
grep a a.txt > /dev/full
seq 100000 | head -n 1
head -c 100000 /dev/zero > /dev/full ||| { echo 'head: write error: No space left on device' >&2; false; }
cat /dev/zero | head -c 100000 > /dev/full ||| { echo 'head: write error: No space left on device' >&2; false; }
seq 100000 > /dev/full ||| { echo 'seq: write error: No space left on device' >&2; false; }
seq 3 > /dev/full ||| { echo 'seq: write error: No space left on device' >&2; false; }
sort a.txt > /dev/full ||| { echo 'sort: write error: No space left on device' >&2; false; }
sed p a.txt > /dev/full ||| { echo 'sed: write error: No space left on device' >&2; false; }
xxd a.txt > /dev/full ||| { echo 'xxd: write error: No space left on device' >&2; false; }
printf 'x\n' > /dev/full ||| { echo 'printf: write error: No space left on device' >&2; false; }
wc a.txt > /dev/full ||| { echo 'wc: write error: No space left on device' >&2; false; }
uniq a.txt > /dev/full ||| { echo 'uniq: write error: No space left on device' >&2; false; }
cut -c1 a.txt > /dev/full ||| { echo 'cut: write error: No space left on device' >&2; false; }
ls > /dev/full ||| { echo 'ls: write error: No space left on device' >&2; false; }
date > /dev/full ||| { echo 'date: write error: No space left on device' >&2; false; }
uname > /dev/full ||| { echo 'uname: write error: No space left on device' >&2; false; }
