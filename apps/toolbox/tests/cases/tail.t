# tail: reference busybox
tail a.txt
tail long.txt
tail -n 3 a.txt
tail -n3 a.txt
tail -3 a.txt
tail +10 a.txt
tail -n +10 a.txt
tail -n +1 a.txt
tail -n +0 a.txt
tail -n +100 a.txt
tail -n 0 a.txt
tail -n 100 a.txt
tail -c 5 a.txt
tail -c +5 a.txt
tail -c 0 a.txt
tail -c +1 nonl
tail -c 1k bytes.bin | wc -c
tail -n 2 a.txt b.txt
tail -n 2 a.txt nosuch b.txt
tail -n 2 nosuch b.txt
tail -q -n 1 a.txt b.txt
tail -v -n 1 a.txt
tail -n 1 <a.txt
tail -n 2 nonl
tail -n 1 nonl a.txt
tail empty
tail nosuch
tail nosuch nosuch2
tail -n x a.txt
tail -n
tail -z a.txt
tail -n 2 b.txt
tail -n 3 dups.txt - <a.txt
tail -f -n 2 a.txt & p=$!; /bin/sleep 0.5; echo new >>a.txt; /bin/sleep 1.6; kill $p
tail -f -n 1 a.txt b.txt & p=$!; /bin/sleep 0.5; echo more >>b.txt; /bin/sleep 1.6; kill $p
tail -s x a.txt
