# seq: reference busybox
seq 3
seq 2 5
seq 1 2 9
seq 5 1
seq 5 -1 1
seq 2 -1 -2
seq -w 8 10
seq -w 1 100
seq -w 1.5 10
seq -w 5 -1 1
seq -w 10 -3 -5
seq -w 1 2 -10
seq -w 0.05 0.5 1.2
seq -w 1 1.00
seq -s , 3
seq -s '' 3
seq -s ab 3
seq -s: -w 1 10
seq -w -w 3
seq 1.5 3
seq 1 0.5 3
seq 0.1 0.1 0.5
seq 0 0.1 1
seq 1 1.50 3
seq 1 -0.5 -1
seq 1 .25 2
seq .5 2
seq 5.
seq +3
seq 3.0
seq 1e2 1e2
seq 1.23e1 14
seq 2.5e0 4
seq 1 1e-1 1.3
seq 0x10
seq ' 3'
seq '3 '
seq nan
seq 1 nan 3
seq -- 3
seq 1 0 3 | head -n 3
seq 1 100000 | tail -n 2
seq
seq x
seq 1 x
seq 1,5
seq 1 2 3 4
seq --
seq -s
seq -1
seq -0 2
seq 1 2 3 -w
