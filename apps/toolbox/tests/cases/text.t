# uniq, cut, tr: reference busybox
uniq dups.txt
uniq -c dups.txt
uniq -d dups.txt
uniq -u dups.txt
uniq -cd dups.txt
uniq -i fruit.txt
sort fruit.txt | uniq -c
sort -f fruit.txt | uniq -ci
uniq -f 1 fields.txt
uniq -s 1 dups.txt
uniq - <dups.txt
uniq dups.txt out && cat out
uniq nosuch
uniq a b c
uniq -j dups.txt
uniq empty
uniq nonl
uniq -f x dups.txt
cut -c 1-3 a.txt
cut -c 2- a.txt
cut -c -2 a.txt
cut -c 1,3,5 a.txt
cut -c 3,1 a.txt
cut -c 1-2,2-4 a.txt
cut -b 1 a.txt
cut -f 1 tabs.txt
cut -f 2 tabs.txt
cut -f 2- tabs.txt
cut -f 1,3 tabs.txt ||| /usr/bin/cut -f 1,3 tabs.txt
cut -d: -f1 passwd
cut -d: -f1,3 passwd
cut -d: -f 5- passwd
cut -d : -f 7 passwd
cut -d, -f2 data.csv
cut -d ' ' -f 2 b.txt
cut -d ' ' -s -f 2 b.txt ||| /usr/bin/cut -d ' ' -s -f 2 b.txt
cut -d ' ' -f 1 a.txt
cut -s -d ' ' -f 1 a.txt
cut -d: -f10 passwd
cut a.txt
cut -f 1 -c 1 a.txt
cut -c 3-1 a.txt ||| echo 'cut: invalid decreasing range' >&2; false
cut -c x a.txt
cut -c 0 a.txt ||| echo 'cut: fields and positions are numbered from 1' >&2; false
cut -d ab -f1 a.txt ||| echo 'cut: the delimiter must be a single character' >&2; false
cut -c 1 nosuch
cut -c1 nosuch a.txt
cut -c 1-3 - <a.txt
cut -c 2 nonl
cut -c 1-100 bytes.bin | od -c | head -2 ||| /usr/bin/cut -c 1-100 bytes.bin | od -c | head -2
cut -d 'é' -f 1 utf8.txt ||| echo 'cut: the delimiter must be a single character' >&2; false
tr a-z A-Z <a.txt
tr '[:lower:]' '[:upper:]' <text.txt
tr '[:upper:]' '[:lower:]' <text.txt
tr -d aeiou <a.txt
tr -d '[:digit:]' <text.txt
tr -s l <text.txt
tr -s ' ' <b.txt
tr -s 'a-z' <dups.txt
tr -c 'a-z\n' '_' <text.txt
tr -cd 'a-z\n' <text.txt
tr -ds 'aeiou' 'a-z' <text.txt
tr 'abc' 'x' <text.txt
tr 'a-c' 'xyz' <text.txt
tr 'z-a' 'x' <a.txt
tr '\n' ' ' <a.txt
tr ' ' '\n' <b.txt
tr '\101-\132' 'a-z' <text.txt
tr '\\' '/' <text.txt
tr 'o' '[x*]' <a.txt ||| /usr/bin/tr 'o' '[x*]' <a.txt
tr 'a-e' '[x*2]yz' <text.txt ||| /usr/bin/tr 'a-e' '[x*2]yz' <text.txt
tr -d '[:space:]' <b.txt
tr '[:alpha:]' 'x' <text.txt
tr '[:punct:]' '.' <text.txt
tr '[:bogus:]' x <a.txt ||| echo "tr: unknown class 'bogus'" >&2; false
tr <a.txt
tr a <a.txt
tr -d <a.txt
tr -d a b <a.txt
tr -z a b <a.txt
tr -s 'a-z' 'A-Z' <dups.txt
tr '\0' x <zeros.bin | od -c | head -2
tr -d '\0' <bytes.bin | wc -c
