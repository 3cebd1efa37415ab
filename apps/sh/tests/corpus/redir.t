### redir-out
echo hi > f; cat f
### redir-append
echo a > f; echo b >> f; cat f
### redir-in
echo content > f; cat < f; read x < f; echo $x
### redir-clobber
echo a > f; set -C; echo b > f; echo "status $?"; echo c >| f; cat f
### redir-clobber-devnull
set -C; echo x > /dev/null; echo ok
### redir-rdwr
echo hello > f; cat <> f; exec 3<> g; echo x >&3; exec 3>&-; cat g
### redir-stderr
ls /nonexistent-zz 2> err; echo $?; grep -c . err
### redir-2to1
{ echo out; echo err >&2; } 2>&1 | cat
### redir-order
{ echo out; echo err >&2; } 2>&1 >/dev/null | cat
### redir-dup-fd
exec 3>f; echo via3 >&3; exec 3>&-; cat f
### redir-close-stdout
(echo gone >&-) 2>/dev/null; echo "status $?"
### redir-close-stdin
cat <&- 2>/dev/null; echo "status $?"
### redir-missing-file
cat < nofile; echo "status $?"
### redir-create-in-missing-dir
echo x > nodir/f; echo "status $?"
### redir-dir
mkdir d; echo x > d; echo "status $?"
### redir-bad-fd
echo x >&7; echo "status $?"
### redir-builtin-restored
echo a > f; echo b; cat f
### redir-group
{ echo 1; echo 2; } > f; cat f
### redir-subshell
(echo 1; echo 2) > f; cat f
### redir-while-loop
printf 'a\nb\n' > f; while read l; do echo "got $l"; done < f
### redir-for-loop-output
for i in 1 2; do echo $i; done > f; cat f
### redir-if-output
if true; then echo yes; fi > f; cat f
### redir-function-def
f() { echo in-f; } > out; f; cat out
### redir-function-call
f() { echo called; }; f > o2; cat o2
### redir-exec-permanent
exec > f; echo line1; echo line2; exec >/dev/tty 2>/dev/null || true; cat f >&2
### redir-exec-fd-save
exec 4>&1; exec > f; echo hidden; exec 1>&4 4>&-; echo shown; cat f
### redir-multiple
echo x > a > b; cat a; echo "[$(cat b)]"
### redir-before-command
> f echo pre; cat f
### redir-only
> empty; [ -f empty ] && echo created; [ -s empty ] || echo zero
### redir-expansion-in-target
n=name; echo x > "$n.txt"; cat name.txt
### redir-target-no-split
n="a b"; echo x > $n; cat "a b"
### redir-io-number-adjacent
echo x 2>/dev/null 1>f; cat f
### redir-number-not-io
echo 2 >f; cat f; echo a2>f; cat f
### redir-fd-9
exec 9>f; echo nine >&9; exec 9>&-; cat f
### redir-noclobber-append
set -C; echo a >> f; echo b >> f; cat f
### redir-special-builtin-error-exits
: > nodir/x; echo notreached
### redir-regular-builtin-error-continues
echo x > nodir/x; echo continued
### redir-dup-same
echo same 1>&1
### redir-stdin-from-heredoc-to-while
while read a b; do echo "$b $a"; done <<END
1 one
2 two
END
### redir-in-pipeline-stage
echo data > f; cat < f | tr a-z A-Z
### redir-append-missing-creates
echo x >> new; cat new
### redir-permission
touch ro; chmod 000 ro; cat < ro 2>/dev/null || echo denied-or-root
