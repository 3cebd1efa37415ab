### split-default
x="  a   b	c
d  "; set -- $x; echo $#; echo "$1|$2|$3|$4"
### split-colon
IFS=:; x="a:b::c:"; set -- $x; echo $#; for i in "$@"; do echo "[$i]"; done
### split-leading-delim
IFS=:; x=":a"; set -- $x; echo $#; echo "[$1][$2]"
### split-mixed-ws-nonws
IFS=' :'; x=" a : b :: c "; set -- $x; echo $#; for i in "$@"; do echo "[$i]"; done
### split-empty-ifs
IFS=; x="a b c"; set -- $x; echo $#
### split-unset-ifs
unset IFS; x="a	b
c"; set -- $x; echo $#
### split-quoted-not-split
x="a b"; set -- "$x"; echo $#
### split-partial-quoted
x="a b"; set -- pre$x"post"; echo $#; echo "$1|$2"
### split-literal-not-split
IFS=a; set -- bab; echo $#; x=bab; set -- $x; echo $# "$1|$2"
### split-cmdsub
set -- $(echo "a b  c"); echo $#
### split-cmdsub-quoted
set -- "$(echo "a b  c")"; echo $#
### split-empty-expansion-removed
x=; set -- $x $x "$x"; echo $#
### split-ifs-whitespace-only-field
IFS=' '; x='   '; set -- $x; echo $#
### split-nonws-only
IFS=:; x=':::'; set -- $x; echo $#
### split-in-for
x="1 2 3"; for i in $x; do echo $i; done
### split-arith-result
IFS=1; echo $((111+0)) | od -c | head -1 | tr -s ' '; set -- $((515)); echo $#
### split-ifs-tab-only
IFS='	'; x="a b	c"; set -- $x; echo $#; echo "$1"
### split-assignment-no-split
x="a b"; y=$x; set -- $y; echo $#
### split-at-with-ifs
IFS=:; set -- "a:b" c; for i in $@; do echo "[$i]"; done
### split-star-empty-ifs
IFS=; set -- a b; for i in $*; do echo "[$i]"; done
### split-newline-ifs
IFS='
'; x="a b
c d"; for i in $x; do echo "[$i]"; done
### split-read-builtin
echo "  one two  three  " | { read a b; echo "[$a][$b]"; }
### split-ifs-backslash
IFS='\'; x='a\b'; set -- $x; echo $# $1 $2
