### pipe-basic
echo hello | tr a-z A-Z
### pipe-three
printf 'c\nb\na\n' | sort | head -2
### pipe-status-last
false | true; echo $?; true | false; echo $?
### pipe-negate
! true; echo $?; ! false; echo $?; ! true | false; echo $?
### pipe-builtin-stage
echo a b c | read x y; echo "[$x]"
### pipe-builtin-output
echo one | cat
### pipe-while-read
printf '1\n2\n3\n' | while read n; do echo "n$n"; done
### pipe-subshell-vars
x=1; echo 5 | { read x; echo "inner $x"; }; echo "outer $x"
### pipe-function-stage
f() { tr a-z A-Z; }; echo abc | f | cat
### pipe-compound-stages
{ echo a; echo b; } | while read l; do echo "<$l>"; done
### pipe-for-stage
for i in 1 2 3; do echo $i; done | wc -l | tr -d ' '
### pipe-if-stage
if true; then echo yes; fi | cat
### pipe-case-stage
case x in x) echo cx;; esac | cat
### pipe-newline-after-bar
echo a |
tr a b
### pipe-stderr-not-piped
{ echo out; echo err >&2; } 2>/dev/null | cat
### pipe-not-found-stage
nosuch | echo after; echo $?
### pipe-not-found-last
echo x | nosuch; echo $?
### pipe-large-stream
i=0; while [ $i -lt 3000 ]; do echo "line $i"; i=$((i+1)); done | tail -1
### pipe-head-closes
yes | head -3
### pipe-infinite-builtin-writer
while :; do echo y; done | head -2
### pipe-exit-in-stage
exit 3 | cat; echo "still $?"
### pipe-cd-in-stage
mkdir d; cd d | cat; pwd | sed 's|.*/||' | grep -c '^d$'
### pipe-long
echo x | cat | cat | cat | cat | cat | cat | cat | cat
### pipe-subshell-stage
(echo a; echo b) | (while read l; do echo "[$l]"; done)
### pipe-exported-in-stage
export PV=1; echo | "$SH" -c 'echo $PV'
### pipe-redirect-in-stage
echo data | cat > f; cat f
