# sed: reference busybox
sed p a.txt
sed -n p a.txt
sed -n 3p a.txt
sed -n '$p' a.txt
sed -n '3,5p' a.txt
sed -n '10,$p' a.txt
sed -n '/^t/p' a.txt
sed -n '/two/,/five/p' a.txt
sed -n '/two/,4p' a.txt
sed -n '5,/e/p' a.txt
sed -n '5,2p' a.txt
sed -n '2!p' a.txt
sed -n '2,10!p' a.txt
sed 3d a.txt
sed '/e/d' a.txt
sed '$d' a.txt
sed '2,$d' a.txt
sed 2q a.txt
sed -n 2q a.txt
sed '3q5' a.txt; echo $? ||| printf 'one\ntwo\nthree\n5\n'
sed = b.txt
sed -n '$=' a.txt
sed -n '$=' a.txt b.txt
sed 's/e/E/' a.txt
sed 's/e/E/g' a.txt
sed 's/e/E/2' a.txt
sed 's/e/E/2g' a.txt ||| /bin/sed 's/e/E/2g' a.txt
sed -n 's/e/E/p' a.txt
sed 's/e/E/gp' a.txt
sed 's/[aeiou]/(&)/g' a.txt
sed 's/\(t\)\(w\)/\2\1/' a.txt
sed -E 's/(t)(w|h)/\2\1/' a.txt
sed -r 's/(o+)/[\1]/g' text.txt
sed 's/o/\&/g' a.txt
sed 's/o/\\/g' a.txt
sed 's|/|_|g' passwd
sed 's,:,;,g' passwd
sed 's#x#\##' passwd
sed 's/x*/-/g' a.txt
sed 's/e*/-/g' a.txt
sed 's/^/> /' a.txt
sed 's/$/ </' a.txt
sed 's/e/\n/' a.txt
sed 's/E/x/I' a.txt
sed 's/o/0/3' text.txt
sed 's/a.b/X/' text.txt
sed 's/back\\slash/fwd/' text.txt
sed -e 's/o/0/' -e 's/e/3/' a.txt
sed -e 1d -e 3d a.txt
sed 's/o/0/;s/e/3/' a.txt
sed '/two/s/o/0/' a.txt
sed '/o/s//0/g' a.txt
sed 'y/abcdefghij/ABCDEFGHIJ/' a.txt
sed 'y/o\n/0X/' a.txt
sed '2a\
added' a.txt
sed '2a added' a.txt
sed '2i inserted' a.txt
sed '2c changed' a.txt
sed '2,4c changed' a.txt
sed '$a end' a.txt
sed '1i\
first\
second' a.txt
sed 'a\' a.txt
sed -n '2{p;p}' a.txt
sed '2,3{s/t/T/;s/e/E/}' a.txt
sed -n '/t/{/w/p}' a.txt
sed '/e/!d' a.txt
sed -n 'h;n;G;p' a.txt
sed '1!G;h;$!d' a.txt
sed -n '$!{h;d};x;G;p' a.txt
sed 'N;s/\n/-/' a.txt
sed '$!N;s/\n/+/' a.txt
sed 'N;P;D' a.txt
sed ':a;N;$!ba;s/\n/,/g' a.txt
sed 's/o/0/;ta;s/$/ no-o/;:a' a.txt
sed 's/o/0/;Ta;s/$/ had-o/;:a' a.txt
sed -n '/e/{=;p}' a.txt
sed 'b;s/o/0/' a.txt
sed '/two/b end; s/e/E/; :end' a.txt
sed '# comment
s/o/0/ # trailing' a.txt
sed p nonl
sed -n p nonl ||| printf 'no newline at end'
sed '$a x' nonl
sed 's/end/END/' nonl a.txt
sed p empty
sed p nosuch; echo $?
sed p nosuch a.txt; echo $?
sed k a.txt; echo $?
sed 's/a/b' a.txt; echo $?
sed 's/a/b/z' a.txt; echo $?
sed '/x' a.txt; echo $?
sed 'b end' a.txt; echo $?
sed; echo $?
sed -z p; echo $?
sed 'p x' a.txt; echo $? ||| echo 'sed: extra characters after command' >&2; echo 1
sed -n '/one/,/two/p;/four/,+1p' a.txt; echo $?
sed -f /dev/null a.txt
printf 's/o/0/\n3d\n' >script && sed -f script a.txt
printf 's/o/0/\n' >script && sed -f script -e 's/e/3/' a.txt
sed -f nosuch a.txt; echo $?
sed -i 's/o/0/' a.txt b.txt && cat a.txt b.txt
sed -i -n '1p' a.txt && cat a.txt
sed -i '$d' a.txt b.txt && cat a.txt b.txt
sed 's/o/0/' - <a.txt
sed -n '1~2p' a.txt; echo $?
sed -n 'l' a.txt; echo $? ||| echo 'sed: unsupported command l' >&2; echo 1
sed '2{' a.txt; echo $? ||| echo "sed: unmatched '{'" >&2; echo 1
sed '}' a.txt; echo $? ||| echo "sed: unexpected '}'" >&2; echo 1
sed 'y/abc/de/' a.txt; echo $? ||| echo "sed: strings for y command are different lengths" >&2; echo 1
sed 0p a.txt; echo $? ||| echo "sed: invalid usage of line address 0" >&2; echo 1
sed 's/\(/x/' a.txt; echo $? ||| echo "sed: bad regex '\(': Missing ')'" >&2; echo 1
sed 's/\(a\{200\}\)\{200\}/x/' a.txt; echo $? ||| echo "sed: bad regex '\(a\{200\}\)\{200\}': too complex" >&2; echo 1
