# date, env, more, xxd: reference busybox (xxd: the host's xxd). TZ=UTC.
date -d @0
date -u -d @0
date -d @86400 '+%Y-%m-%d %H:%M:%S %a %b %j %Z %s'
date -d @1700000000 +%c
date -d @1700000000 '+%e|%p|%I|%y|%C|%u|%w|%U|%V|%G|%D|%T|%R|%h|%n|%t|%A|%B'
date -d '2024-02-29 12:34:56'
date -d '2024-02-29'
date -d '2024-02-29 12:34' +%s
date -d 12:34 +%H:%M:%S
date -d @1700000000 -R
date -d @1700000000 -I
date -r a.txt
date -r a.txt +%s
date -r nosuch
date +
date -d @0 +%%
date -d bad
date -x
date a b
date '+%Y' | /bin/grep -c '^20[0-9][0-9]$'
date | /usr/bin/wc -w
date 010101012020 ||| echo 'date: setting the date is not supported' >&2; false
date -s 2020-01-01 ||| echo 'date: setting the date is not supported' >&2; false
env -i
env -i A=1 B=2
env -i A=1 A=2
env -i -u A A=1 B=2
env - A=1
env -i A=1 env
env -i A=1 /bin/sh -c 'echo $A'
env -i A=1 B=2 /usr/bin/env
env -i /bin/sh -c 'exit 3'; echo $?
env -i nosuchcmd; echo $?
env -i ./a.txt; echo $?
env -z; echo $?
env -i -0 A=1 B=2 | od -c
env | /bin/grep -c '^PATH='
X=5 env | /bin/grep '^X='
env -u PATH | /bin/grep -c '^PATH='
more a.txt
more a.txt b.txt
more <a.txt
more nosuch
more a.txt nosuch
more empty
more bytes.bin | od -c | head -2
xxd a.txt
xxd bytes.bin
xxd -g 1 -c 8 -l 20 bytes.bin
xxd -p bytes.bin
xxd -u -g 4 bytes.bin
xxd -s 30 -l 40 bytes.bin
xxd -c 5 a.txt
xxd -c 5 -g 3 a.txt
xxd -g 0 a.txt
xxd empty
xxd nonl
xxd <hello.txt
xxd - <hello.txt
xxd nosuch
xxd -z a.txt
xxd a.txt out && cat out
xxd bytes.bin | xxd -r | cmp - bytes.bin && echo same
xxd -p bytes.bin | xxd -r -p | cmp - bytes.bin && echo same
xxd -c 7 a.txt | xxd -r -c 7
xxd -s 16 bytes.bin | xxd -r | od -c | head -3
xxd zeros.bin
xxd -l 0 a.txt
