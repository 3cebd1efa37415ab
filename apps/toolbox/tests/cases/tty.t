# Commands whose output depends on a terminal, run under script(1) (a pty).
# ls: reference busybox; more: the toolbox's own pager, checked for what
# it shows (its prompt differs from busybox's, see DIFFERENCES).
script -qec 'ls' /dev/null
script -qec 'ls d' /dev/null
script -qec 'ls -a d' /dev/null
script -qec 'ls -1' /dev/null
script -qec 'stty cols 40; ls' /dev/null
script -qec 'stty cols 20; ls -F' /dev/null
script -qec 'stty cols 200; ls' /dev/null
script -qec 'COLUMNS=30 ls' /dev/null
script -qec 'ls -l d' /dev/null ||| script -qec 'ls -ln d' /dev/null
script -qec 'more a.txt' /dev/null
(/bin/sleep 0.3; printf ' '; /bin/sleep 0.3; printf '\n'; /bin/sleep 0.3; printf q) | script -qec 'stty rows 5; more long.txt' /dev/null | /usr/bin/tr -d '\r' | /bin/grep -c 'line' ||| echo 9
(/bin/sleep 0.3; printf q) | script -qec 'stty rows 5; more long.txt' /dev/null | /usr/bin/tr -d '\r' | /bin/grep -c -- '--More--' ||| echo 1
(/bin/sleep 0.3; printf ' '; /bin/sleep 0.3; printf q) | script -qec 'stty rows 11; more long.txt a.txt' /dev/null | /usr/bin/tr -d '\r' | /bin/grep -c 'line' ||| echo 17
