# ls: reference busybox. The toolbox's -l is numeric (-ln): Keel has no
# users, so "ls -l" is compared with busybox's "ls -ln".
ls
ls -1
ls -a
ls -A
ls d
ls -a d
ls -A d
ls a.txt b.txt
ls a.txt d
ls d a.txt ro
ls nosuch
ls a.txt nosuch d
ls nosuch1 nosuch2
ls -d d
ls -d d a.txt
ls -d
ls -R d
ls -R
ls -Ra d
ls -l a.txt ||| ls -ln a.txt
ls -l ||| ls -ln
ls -l d ||| ls -ln d
ls -la d ||| ls -lna d
ls -lA d ||| ls -lnA d
ls -ld d ||| ls -lnd d
ls -lR d ||| ls -lnR d
ls -l recent.txt ||| ls -ln recent.txt
ls -n a.txt
ls -ln d
ls -lh bytes.bin long.txt empty ||| ls -lnh bytes.bin long.txt empty
head -c 5000 /dev/zero >x && head -c 1500000 /dev/zero >y && ls -lh x y ||| head -c 5000 /dev/zero >x && head -c 1500000 /dev/zero >y && ls -lnh x y
head -c 1048575 /dev/zero >x && ls -lh x ||| head -c 1048575 /dev/zero >x && ls -lnh x
ls -t
ls -tr
ls -r
ls -r d
ls -1t d
ls -lt d ||| ls -lnt d
ls -ltr d ||| ls -lntr d
ls -F d
ls -p d
ls -pa d
ls -F
chmod +x a.txt && ls -F a.txt
ln -s a.txt lnk && ls -F lnk
ln -s a.txt lnk && ls -l lnk ||| ln -s a.txt lnk && ls -ln lnk
ln -s a.txt lnk && ls lnk
mkfifo fifo && ls -F fifo
ls -C
ls -C d
COLUMNS=30 ls -C
COLUMNS=20 ls -C
COLUMNS=10 ls -C
COLUMNS=200 ls -C
ls -C -w 40
ls -Cw 25 d
ls -CF -w 40 d
ls -w x
ls -z
ls -1 -l a.txt ||| ls -1 -ln a.txt
ls -l -1 a.txt ||| ls -ln -1 a.txt
ls -- -x
mkdir -- -x && ls -- -x
ls ro/
ls -l ro ||| ls -ln ro
ls d/sub/deep/x.txt
ls ./d
ls -d . ..
ls -a empty d/empty
ls empty
ls d/empty
ls -R d/empty
ls -ld / ||| ls -lnd /
touch -d '@'$(( $(/bin/date +%s) + 7200 )) fut && ls -l fut ||| touch -d '@'$(( $(/bin/date +%s) + 7200 )) fut && ls -ln fut
touch -d '@'$(( $(/bin/date +%s) - 86400 * 150 )) m5 && ls -l m5 ||| touch -d '@'$(( $(/bin/date +%s) - 86400 * 150 )) m5 && ls -ln m5
touch -d '@'$(( $(/bin/date +%s) - 86400 * 200 )) m7 && ls -l m7 ||| touch -d '@'$(( $(/bin/date +%s) - 86400 * 200 )) m7 && ls -ln m7
chmod 4755 a.txt && chmod 1777 d && ls -ld a.txt d ||| chmod 4755 a.txt && chmod 1777 d && ls -lnd a.txt d
