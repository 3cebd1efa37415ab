# The multi-call program itself (toolbox-only cases with expected output).
toolbox echo hi ||| echo hi
toolbox ls d ||| ls d
toolbox --list | /usr/bin/wc -l ||| echo 36
toolbox --list | /usr/bin/head -n 3 ||| printf '[\ncat\nchmod\n'
toolbox nosuch; echo $? ||| echo 'toolbox: nosuch: command not found' >&2; echo 127
toolbox; echo $? ||| echo 1
toolbox [ 1 = 1 ]; echo $? ||| echo 0
mkdir bin && ln -s "$(readlink -f "$(command -v cat)")" bin/cat && ./bin/cat -n a.txt ||| cat -n a.txt
ln -s "$(readlink -f "$(command -v cat)")" mycat && ./mycat a.txt; echo $? ||| echo "toolbox: a.txt: command not found" >&2; echo 127
