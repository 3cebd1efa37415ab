### cmdsub-basic
echo $(echo hi) `echo there`
### cmdsub-trailing-newlines
x=$(printf 'a\n\n\n'); echo "[$x]"; y=$(printf '\n\na\nb\n'); echo "[$y]"
### cmdsub-nested
echo $(echo $(echo $(echo deep)))
### cmdsub-backquote-nested
echo `echo \`echo inner\``
### cmdsub-status
x=$(exit 3); echo $?; x=$(true); echo $?
### cmdsub-status-in-command
echo $(exit 4) ; echo $?
### cmdsub-vars-isolated
x=1; y=$(x=2; echo $x); echo $x $y
### cmdsub-cd-isolated
mkdir d; x=$(cd d; pwd | sed 's|.*/||'); echo $x; pwd | sed 's|.*/||' | grep -c d
### cmdsub-function
f() { echo "from f $1"; }; echo "$(f arg)"
### cmdsub-stderr-passes
x=$(echo err >&2; echo out); echo "[$x]"
### cmdsub-case-inside
x=$(case a in a) echo yes;; esac); echo $x
### cmdsub-paren-in-case
x=$(case a in (a) echo ok;; esac); echo $x
### cmdsub-quotes-inside
echo "$(echo "a   b")" $(echo 'c   d')
### cmdsub-multiline
x=$(
echo one
echo two
); echo "$x"
### cmdsub-empty
x=$( ); echo "[$x]"; y=``; echo "[$y]"
### cmdsub-binary-safe
x=$(printf 'a\tb\001c'); printf '%s' "$x" | od -An -c | tr -s ' '
### cmdsub-large
x=$(i=0; while [ $i -lt 2000 ]; do echo "line $i"; i=$((i+1)); done); echo "${#x}"
### cmdsub-exit-in
x=$(echo a; exit 5; echo b); echo "$x $?"
### cmdsub-in-heredoc
cat <<EOF
value: $(echo sub)
EOF
### cmdsub-set-e-inside
x=$(set -e; false; echo no); echo "[$x] $?"
### cmdsub-assign-multiple
a=$(echo 1) b=$(echo 2); echo $a $b
### cmdsub-positional
set -- p1 p2; echo $(echo "$1 $2 $#")
### cmdsub-dollar-dollar
echo $(echo $(( $$ == $$ )))
### cmdsub-backquote-backslash
echo `echo 'a\\b'`
### cmdsub-readonly-inherited
readonly r=5; x=$(echo $r; (r=6) 2>/dev/null; echo $?); echo $x
### cmdsub-exported-env
export EV=yes; x=$("$SH" -c 'echo $EV'); echo $x
### cmdsub-special-chars
x=$(echo '$HOME `x` "q"'); echo "$x"
### cmdsub-function-defined-inside
x=$(g() { echo gg; }; g); echo $x; g 2>/dev/null || echo "no g"
### cmdsub-trap-reset
trap 'echo parent-exit' EXIT; x=$(echo inner); echo $x
### cmdsub-many
i=0; s=; while [ $i -lt 50 ]; do s=$s$(echo x); i=$((i+1)); done; echo ${#s}
