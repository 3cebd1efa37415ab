# test and [: reference busybox. "; echo $?" shows the status on stdout.
test; echo $?
test ''; echo $?
test a; echo $?
test -z; echo $?
test !; echo $?
test ! ''; echo $?
test ! a; echo $?
test -n ''; echo $?
test -n a; echo $?
test -z ''; echo $?
test -z a; echo $?
test a = a; echo $?
test a = b; echo $?
test a == a; echo $?
test a != b; echo $?
test a '<' b; echo $?
test b '>' a; echo $?
test 1 -eq 1; echo $?
test 1 -eq 2; echo $?
test 1 -ne 2; echo $?
test 1 -lt 2; echo $?
test 2 -le 2; echo $?
test 3 -gt 2; echo $?
test 2 -ge 3; echo $?
test -5 -lt 3; echo $?
test ' 5 ' -eq 5; echo $?
test 1 -eq a; echo $?
test a -eq 1; echo $?
test '' -eq 1; echo $?
test 99999999999999999999 -gt 1; echo $?
test 1 -eq; echo $?
test a b; echo $?
test a b c d; echo $?
test '(' a; echo $?
test '(' ')'; echo $?
test '(' a ')'; echo $?
test '(' '' ')'; echo $?
test ! '(' a ')'; echo $?
test a = b -o 1 -lt 2; echo $?
test a = a -a 1 -gt 2; echo $?
test a -a ''; echo $?
test a -o ''; echo $?
test '' -o '' -o a; echo $?
test a -o b -a ''; echo $?
test '(' a -o b ')' -a ''; echo $?
test ! a = b; echo $?
test ! ! a; echo $?
test -e a.txt; echo $?
test -e nosuch; echo $?
test -f a.txt; echo $?
test -f d; echo $?
test -d d; echo $?
test -d a.txt; echo $?
test -s a.txt; echo $?
test -s empty; echo $?
test -r a.txt; echo $?
test -w a.txt; echo $?
test -x a.txt; echo $?
test -x d; echo $?
test -h a.txt; echo $?
ln -s a.txt lnk; test -L lnk; echo $?
ln -s nosuch lnk; test -e lnk; echo $?
test -p a.txt; echo $?
mkfifo ff; test -p ff; echo $?
test -c /dev/null; echo $?
test -b /dev/null; echo $?
test -S a.txt; echo $?
test -t 0; echo $?
test -t x; echo $?
chmod u+s a.txt; test -u a.txt; echo $?
test -g a.txt; echo $?
test -k a.txt; echo $?
test a.txt -nt d/f1; echo $?
test a.txt -ot d/f1; echo $?
test a.txt -nt nosuch; echo $?
test nosuch -ot a.txt; echo $?
test a.txt -ef ./a.txt; echo $?
test a.txt -ef b.txt; echo $?
test -f; echo $?
test -x 5; echo $?
test = ; echo $?
test = =; echo $?
test = = =; echo $?
test -n -a -n; echo $?
test ! = a; echo $?
test x -a; echo $?
test -z a -o -n b; echo $?
[ a ]; echo $?
[ ]; echo $?
[ a; echo $?
[ a = a ]; echo $?
[ 1 -lt 2 -a 3 -lt 4 ]; echo $?
[ '(' 1 -gt 2 ')' -o ! 1 -gt 2 ]; echo $?
[ -d d ]; echo $?
[; echo $?
[ ']' ]; echo $?
[ -z ]; echo $?
test '(' '(' '(' a ')' ')' ')'; echo $?
test ! ! ! ''; echo $?
test 0x10 -eq 16; echo $?
test 010 -eq 10; echo $?
test +5 -eq 5; echo $?
