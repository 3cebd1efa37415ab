# grep: reference busybox (its grep, like the toolbox, uses regex.h)
grep foo text.txt
grep -i foo text.txt
grep -v foo text.txt
grep -n foo text.txt
grep -c foo text.txt
grep -c nomatch text.txt
grep -l foo text.txt a.txt b.txt
grep -L foo text.txt a.txt
grep -q foo text.txt; echo $?
grep -q nomatch text.txt; echo $?
grep nomatch text.txt; echo $?
grep foo text.txt a.txt
grep -h foo text.txt a.txt
grep -H foo text.txt
grep -n -H foo text.txt
grep -c foo text.txt a.txt
grep '^t' a.txt
grep 'e$' a.txt
grep 'o.e' a.txt
grep 't[wh]' a.txt
grep '[[:upper:]]' text.txt
grep '[[:digit:]]\{3\}' text.txt
grep 'fo*' text.txt
grep 'a\.b' text.txt
grep 'a.b' text.txt
grep -F 'a.b*c' text.txt
grep -F '[brackets]' text.txt
grep '\[brackets\]' text.txt
grep -E 'foo|bar' text.txt
grep -E '(fo)+o' text.txt
grep -E '[0-9]+' text.txt
grep -E 'o{2}' text.txt
grep 'o\{2\}' text.txt
grep 'foo\|bar' text.txt
grep -E 'a+b?' text.txt
grep '\(o\)\1' text.txt
grep -E '(o)\1' text.txt; echo $? ||| echo 'foo123 bar456'; echo 0
grep -e foo -e Hello text.txt
grep -e foo -e nomatch text.txt
grep "$(printf 'foo\nHello')" text.txt
grep -w foo text.txt
grep -w o text.txt
grep -x 'foo bar baz' text.txt
grep -x foo text.txt
grep -o 'o[a-z]' text.txt
grep -on 'ba.' text.txt
grep -o -i 'foo' text.txt
grep -m 1 foo text.txt
grep -m 2 -c foo text.txt
grep -i -F HELLO text.txt
grep -v -c foo text.txt
grep '' empty; echo $?
grep '' nonl
grep -c '' b.txt
grep '^$' b.txt
grep -n '^$' b.txt
grep foo nosuch; echo $?
grep foo nosuch text.txt; echo $?
grep -s foo nosuch; echo $?
grep -s foo nosuch text.txt; echo $?
grep -q foo nosuch text.txt; echo $?
grep -q foo text.txt nosuch; echo $?
grep 'a\(' text.txt; echo $?
grep -E 'a(' text.txt; echo $?
grep -E '*a' text.txt; echo $? ||| echo "grep: bad regex '*a'" >&2; echo 2
grep; echo $?
grep -j foo; echo $?
grep -m x foo text.txt; echo $?
grep foo d; echo $?
grep -r foo d | /usr/bin/sort
grep -r -n foo d | /usr/bin/sort
grep -rl foo . | /usr/bin/sort
grep -rh foo d | /usr/bin/sort
grep -rc foo d | /usr/bin/sort
grep -r foo d/sub/s.txt
grep foo - <text.txt
grep foo text.txt - <a.txt
grep -H foo <text.txt
grep -c foo <text.txt
grep -l foo <text.txt
grep -f /dev/null text.txt; echo $?
printf 'foo\nbrown\n' >pats && grep -f pats text.txt
grep -e '' a.txt | /usr/bin/wc -l
grep -- -x text.txt; echo $?
grep -i 'the QUICK' text.txt
grep 'b[aeiou]*r' text.txt
grep -v -e a -e e a.txt
grep -E 'x|' a.txt | /usr/bin/wc -l
grep 'back\\slash' text.txt
grep -F 'back\slash' text.txt
grep -c . bytes.bin
grep -n seven a.txt b.txt
grep -E '(a{255}){255}' a.txt; echo $? ||| echo "grep: bad regex '(a{255}){255}'" >&2; echo 2
grep -E 'x++++++++++++++++++++++++++' a.txt; echo $? ||| echo "grep: bad regex 'x++++++++++++++++++++++++++'" >&2; echo 2
grep -E '((o{3}){3}){3}' a.txt; echo $?
