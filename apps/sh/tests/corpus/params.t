### param-simple
x=hello; echo $x ${x} "${x}"
### param-default
unset x; echo ${x-def} ${x:-def}; x=; echo "[${x-def}]" ${x:-def}; x=v; echo ${x-def} ${x:-def}
### param-assign
unset x; echo ${x=one}; echo $x; x=; echo "[${x=two}]" ${x:=three}; echo $x
### param-alt
unset x; echo "[${x+alt}]" "[${x:+alt}]"; x=; echo "[${x+alt}]" "[${x:+alt}]"; x=v; echo ${x+alt} ${x:+alt}
### param-error-set
x=v; echo ${x?no} ${x:?no}
### param-error-unset
unset x; echo ${x?custom message}; echo notreached
### param-error-null
x=; echo ${x:?}; echo notreached
### param-error-null-colonless-ok
x=; echo "[${x?}]"
### param-error-default-msg
unset x; (echo ${x?}); echo $?
### param-length
x=hello; echo ${#x}; x=; echo ${#x}; unset x; echo ${#x}
### param-length-positional
set -- abc de; echo ${#1} ${#2} ${#}
### param-remove-small-suffix
x=file.tar.gz; echo ${x%.*} ${x%%.*} ${x#*.} ${x##*.}
### param-remove-prefix-path
p=/usr/local/bin/prog; echo ${p##*/} ${p%/*} ${p#/} ${p%%/*}x
### param-remove-nomatch
x=abc; echo ${x%z} ${x#z} ${x%%z*} ${x##z*}
### param-remove-whole
x=abc; echo "[${x%abc}]" "[${x#*}]" "[${x##*}]" "[${x%%*}]" "[${x%*}]"
### param-remove-quoted-pattern
x='a*b*c'; echo ${x#"a*"} ${x%'*c'} ${x#a\*}
### param-remove-bracket
x=abc123; echo ${x%%[0-9]*} ${x##[a-z]*[a-z]}
### param-remove-var-pattern
x=foo.bar; p='*.'; echo ${x#$p} ${x#"$p"}
### param-nested-default
unset a b; echo ${a:-${b:-deep}}
### param-default-word-split
unset x; set -- ${x:-a b c}; echo $#; set -- "${x:-a b c}"; echo $#
### param-default-quoted-inner
unset x; echo "${x:-"a  b"}" ${x:-'c  d'}
### param-dq-single-quotes-literal
unset x; echo "${x-'a'}"
### param-braces-in-default
unset x; echo ${x-{a}} ${x-a}b}
### param-tilde-in-default
HOME=/home/u; unset x; echo ${x:-~} ${x:-~/d}
### param-positional-10
set -- 1 2 3 4 5 6 7 8 9 ten eleven; echo $10 ${10} ${11}
### param-unset-positional
set -- a; echo "[$2]" "[${2-u}]"
### param-dollar-zero
echo $0 | sed 's|.*/||'
### param-special-hash
set -- a b c; echo $#; set --; echo $#
### param-question
true; echo $?; false; echo $?; (exit 7); echo $?
### param-dollar-dollar-same-in-subshell
a=$$; b=$(echo $$); c=`echo $$`; [ "$a" = "$b" ] && [ "$a" = "$c" ] && echo same
### param-bang-unset-initially
echo "[$!]"
### param-bang-after-bg
sleep 0 & [ -n "$!" ] && echo set; wait
### param-at-quoted
set -- "a b" c "" d; for i in "$@"; do echo "[$i]"; done
### param-at-unquoted
set -- "a b" c "" d; for i in $@; do echo "[$i]"; done
### param-star-quoted
set -- "a b" c d; echo "$*"; IFS=:; echo "$*"; IFS=; echo "$*"
### param-star-unquoted
set -- "a b" c; for i in $*; do echo "[$i]"; done
### param-at-empty
set --; for i in "$@"; do echo no; done; echo "[$@]" "[$*]"
### param-at-concat
set -- a b c; for i in x"$@"y; do echo "[$i]"; done
### param-at-in-assign
set -- a b c; x="$@"; echo "$x"; y=$*; echo "$y"
### param-length-at
set -- a bb ccc; echo ${#@} ${#*}
### param-hyphen
set -f; case $- in *f*) echo has-f;; esac; set +f; case $- in *f*) echo still;; *) echo no-f;; esac
### param-unset-u-default-ok
set -u; unset x; echo ${x-ok} ${x:-ok2}; echo "${x+set}"end
### param-bad-subst
echo ${x!y}
### param-bad-subst-runtime-after
echo before; echo ${x!y}; echo after
### param-assign-positional-error
echo ${1=x}
### param-special-in-braces
set -- a b; echo ${#} ${?} ${-+has} ${@} ${*}
### param-ifs-default
printf '%s' "$IFS" | od -An -c | tr -s ' '
### param-names-underscore
_a_1=x; echo $_a_1 ${_a_1}
### param-adjacent
a=1 b=2; echo $a$b ${a}x$b "$a$b"
### param-name-stops
x=v; echo $x-1 $x.y $x/z "$x"_ ${x}_
### param-pattern-star-quoted-var
x='*'; y=abc; echo ${y#$x} ${y#"$x"}
### param-trim-pattern-assigns
z=; echo "[${z##${z:=}}]"; z=; echo "[${z%%${z:=abc}}]"; echo $z; z=aXb; echo "${z%%X${z:=q}}" "${z#${z:=a}}"
