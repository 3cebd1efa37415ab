# sort: reference busybox
sort fruit.txt
sort -r fruit.txt
sort -u fruit.txt
sort -f fruit.txt
sort -fu fruit.txt
sort -n nums.txt
sort -rn nums.txt
sort -nu nums.txt
sort -g nums.txt
sort a.txt b.txt
sort fields.txt
sort -k2 fields.txt
sort -k2n fields.txt
sort -k2,2n fields.txt
sort -k2,2n -k1,1 fields.txt
sort -k2,2nr -k3 fields.txt
sort -k1,1 -u fields.txt
sort -s -k1,1 fields.txt
sort -k3 fields.txt
sort -k1.2 fields.txt
sort -k1.1,1.1 -s fields.txt
sort -t: -k3n passwd
sort -t: -k3,3n -r passwd
sort -t: -k4,4 -k1,1r passwd
sort -t: -k5 passwd
sort -t, -k3nr -k2 data.csv
sort -t, -k3,3n data.csv
sort -t , -u -k3,3 data.csv
sort -b tabs.txt
sort -k2b,2 fields.txt
sort dups.txt
sort -u dups.txt
sort -r -u dups.txt
sort empty
sort nonl a.txt
sort nosuch; echo $?
sort a.txt nosuch; echo $?
sort -k 0 a.txt; echo $?
sort -k x a.txt; echo $?
sort -k 1.0 a.txt; echo $?
sort -t ab a.txt; echo $?
sort -j a.txt; echo $?
sort -o out fruit.txt && cat out
sort -o fruit.txt fruit.txt && cat fruit.txt
sort - <fruit.txt
sort -n text.txt
sort bytes.bin | od -c | head -3 ||| /usr/bin/sort bytes.bin | od -c | head -3
sort -k2,2 -n fields.txt
sort -nr -k2,2 fields.txt
sort -k2,2 -r fields.txt
sort -f -k1,1 fruit.txt
sort long.txt | head -5
sort -n long.txt | tail -3
sort -t ' ' -k2n long.txt | tail -2
