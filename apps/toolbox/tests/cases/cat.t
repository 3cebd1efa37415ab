# cat: reference busybox
cat a.txt
cat a.txt b.txt
cat -n a.txt b.txt
cat -b b.txt
cat -nb b.txt
cat nonl a.txt
cat empty
cat - <a.txt
cat a.txt - b.txt <hello.txt
cat nosuch
cat a.txt nosuch b.txt
cat -z a.txt
cat d
cat -n nonl nonl
cat bytes.bin
cat -- a.txt
cat -u hello.txt
