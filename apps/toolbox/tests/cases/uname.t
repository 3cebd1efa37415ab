# uname: reference busybox (the host's names on both sides)
uname
uname -s
uname -n
uname -r
uname -v
uname -m
uname -p
uname -i
uname -m -s
uname -sm
uname -rnm
uname -o ||| busybox uname -o | sed 's,GNU/,,'
uname -a ||| busybox uname -a | sed 's, GNU/, ,'
uname -a -s ||| busybox uname -a -s | sed 's, GNU/, ,'
uname -x
uname x
uname -s x
