# true, false, sleep, clear: reference busybox
true
false
true --help
false -x
sleep 0
sleep 0.01
sleep 0.01 0.02
sleep .01
sleep 0s
sleep 0m 0h 0d
sleep
sleep x
sleep 1x
sleep -1
sleep 1m0s
clear ||| printf '\033[H\033[2J\033[3J'
sleep 1.
sleep ''
