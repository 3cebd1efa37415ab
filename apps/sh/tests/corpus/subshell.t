### sub-vars
x=1; (x=2; y=3); echo "$x [${y-}]"
### sub-functions-inherited
f() { echo f-in-sub; }; (f)
### sub-functions-defined-inside
(g() { echo g; }; g); g 2>/dev/null || echo no-g
### sub-exported-vars
export E=1; (echo $E; "$SH" -c 'echo $E')
### sub-unexported-vars-visible
U=local; (echo $U)
### sub-readonly-inherited
readonly R=1; (R=2) 2>/dev/null; echo $?
### sub-positional
set -- a "b c"; (echo $# "$2")
### sub-options
set -f; (echo *; case $- in *f*) echo f;; esac)
### sub-cwd
mkdir d; (cd d; touch inside); ls d
### sub-exit-status
(exit 42); echo $?
### sub-dollar-dollar
a=$$; (b=$$; [ $a = $b ] && echo same-pid-var)
### sub-traps-reset
trap 'echo parent-trap' USR1; (kill -USR1 $$ 2>/dev/null; echo sub) ; echo end
### sub-ignored-trap-stays
trap '' USR1; ("$SH" -c 'kill -USR1 $$; echo child-survived')
### sub-newline-values
x='line1
line2'; (echo "$x")
### sub-special-values
x='a'\''b"c$d`e\f'; (echo "$x")
### sub-binary-value
x=$(printf 'a\001\002\377z'); (printf '%s' "$x" | od -An -tx1 | tr -s ' ')
### sub-empty-and-unset
e=; unset u; (echo "[${e-U}][${u-U}]")
### sub-export-no-value
export NV; (export -p | grep NV)
### sub-last-status
false; (echo $?)
### sub-bang
sleep 0 & p=$!; (echo $(( $! == p ))); wait
### sub-nested
(x=1; (x=2; (echo $x); echo $x); echo $x)
### sub-redirect
(echo a; echo b >&2) 2>&1 | sort
### sub-background
(echo bg-sub) & wait
### sub-loop-break
for i in 1 2 3; do (break); echo $i; done
### sub-function-return
f() { (return 4); echo "r=$?"; }; f
### sub-large-env
i=0; while [ $i -lt 200 ]; do eval "V$i=value_$i"; i=$((i+1)); done; (echo $V0 $V199)
### sub-many-functions
i=0; while [ $i -lt 50 ]; do eval "fn$i() { echo f$i; }"; i=$((i+1)); done; (fn49)
### sub-heredoc-in-function
f() { cat <<EOF
hd $1
EOF
}; (f x) | cat
### sub-ifs
IFS=:; (x=a:b; set -- $x; echo $#)
### sub-set-e-inherited
set -e; (false; echo no); echo notreached
### sub-umask
umask 027; (umask)
### sub-getopts-state
set -- -a -b; getopts ab o; (getopts ab o; echo $o)
### sub-pipeline-vars
x=0; echo 1 | x=5; echo $x
### sub-cmdsub-nested-functions
f() { echo "f$1"; }; g() { echo "$(f 1)-$(f 2)"; }; echo $(g)
