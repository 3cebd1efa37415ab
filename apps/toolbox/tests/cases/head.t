# head: reference busybox
head a.txt
head long.txt
head -n 3 a.txt
head -n3 a.txt
head -3 a.txt
head -n 0 a.txt
head -n 100 a.txt
head -n -3 a.txt
head -n -100 a.txt
head -n -0 a.txt
head -c 5 a.txt
head -c 0 a.txt
head -c -5 a.txt
head -c 1k bytes.bin | od -An -c | head -n 2
head -n 1b long.txt | tail -n 1
head -n 2 a.txt b.txt
head -n 2 a.txt nosuch b.txt
head -q -n 1 a.txt b.txt
head -v -n 1 a.txt
head -n 1 - <a.txt
head -n 1 a.txt - <b.txt
head nosuch
head -n x a.txt
head -n
head -z a.txt
head -c 3 nonl
head -n 1 nonl
head -n -1 nonl
head empty
head -n 2 d ||| echo "head: d: Is a directory" >&2; false
head -n 2 -- a.txt
head a.txt -n 2
