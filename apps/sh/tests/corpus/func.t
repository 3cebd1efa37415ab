### func-basic
f() { echo "in f"; }; f
### func-args
f() { echo "$# $1 $2"; }; f a "b c"
### func-return
f() { return 5; }; f; echo $?
### func-return-default
f() { false; return; }; f; echo $?
### func-last-status
f() { true; false; }; f; echo $?
### func-recursion
fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }; fact 6
### func-globals
f() { g=set; }; f; echo $g
### func-local
x=outer; f() { local x=inner; echo $x; }; f; echo $x
### func-local-unset-after
f() { local y; y=1; echo $y; }; f; echo "[${y-unset}]"
### func-local-nested
x=0; f() { local x=1; g; echo "f $x"; }; g() { echo "g $x"; x=2; }; f; echo "top $x"
### func-local-dash
f() { local -; set -f; echo *; }; touch a; f; echo *
### func-local-outside
local x=1
### func-redefine
f() { echo one; }; f; f() { echo two; }; f
### func-unset
f() { echo f; }; unset -f f; f 2>/dev/null || echo gone
### func-positional-restored
set -- a b; f() { set -- x; echo $1; }; f; echo $1 $#
### func-dollar-zero
f() { echo "$0" | sed 's|.*/||'; }; f
### func-multiline
f()
{
	echo multi
}
f
### func-subshell-body
f() ( x=inner; echo $x ); x=outer; f; echo $x
### func-body-if
f() if true; then echo if-body; fi; f
### func-simple-body
f() echo simple; f
### func-bad-name
1f() { :; }
### func-name-keyword
if() { :; }
### func-return-in-loop
f() { for i in 1 2 3; do [ $i = 2 ] && return $i; echo $i; done; }; f; echo $?
### func-break-in-func
f() { break; }; for i in 1 2; do f; echo $i; done
### func-assign-prefix
f() { echo "[$v]"; }; v=1 f; echo "[$v]"
### func-assign-prefix-exported
f() { "$SH" -c 'echo "[$v]"'; }; v=exp f
### func-redirect-def
f() { echo body; } > out; f; cat out
### func-redefine-while-running
f() { f() { echo new; }; echo old; }; f; f
### func-recursion-depth
f() { [ $1 -gt 0 ] && f $(( $1 - 1 )); echo -n .; }; f 50; echo
### func-return-outside
return 3; echo no
### func-exit-inside
f() { exit 7; }; f; echo no
### func-type
f() { :; }; type f
### func-in-pipeline
f() { echo p; }; f | cat; f | f
### func-many-args
f() { echo $#; shift 10; echo $1; }; f 1 2 3 4 5 6 7 8 9 10 11 12
### func-special-builtin-precedence
set() { echo mine; }; set -- a; echo $1
### func-shadow-builtin
echo() { printf 'wrapped %s\n' "$*"; }; echo hi; command echo real
### func-local-readonly
f() { local r=1; readonly r; }; f; r=2; echo "r=$r"
### func-nested-def
outer() { inner() { echo inner-called; }; }; outer; inner
