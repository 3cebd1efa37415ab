# wc: reference busybox (its column widths: bare count alone, else %9 per column)
wc a.txt
wc <a.txt
wc -l a.txt
wc -l <a.txt
wc -w b.txt
wc -c bytes.bin
wc -m utf8.txt ||| LC_ALL=C.UTF-8 wc -m utf8.txt
wc -c utf8.txt
wc -L b.txt
wc -L tabs.txt
wc -lw a.txt
wc -lwmc b.txt
wc a.txt b.txt
wc -l a.txt b.txt
wc empty
wc nonl
wc nosuch
wc a.txt nosuch
wc d
wc -x a.txt
wc - <a.txt
wc -c -- a.txt
wc tabs.txt text.txt long.txt
wc bytes.bin
wc -mw utf8.txt ||| echo "        3        13 utf8.txt"
