### shift-basic
set -- a b c d; shift; echo "$@"; shift 2; echo "$@" $#
### shift-zero
set -- a b; shift 0; echo "$@"
### shift-too-many
set -- a; shift 2; echo notreached
### shift-too-many-in-command
set -- a; command shift 2; echo "status $?"
### shift-illegal
shift x
### set-positional
set -- x y z; echo $# $1 $3
### set-dashdash-empty
set -- a b; set --; echo $#
### set-options-and-args
set -f a b c; echo $# $1; case $- in *f*) echo f;; esac
### set-dash-alone
set -x; set - a b; echo $#; case $- in *x*) echo x;; *) echo nox;; esac
### set-o-noglob
set -o noglob; echo *; set +o noglob
### set-illegal-option
set -q; echo notreached
### set-illegal-o
set -o nosuchopt; echo notreached
### set-print-vars
x='a b'; y="it's"; set | grep -E '^(x|y)='
### set-plus-o
set -e; set +o | grep -E 'errexit|noglob'
### set-o-list
set -u; set -o | grep -E 'nounset|xtrace'
### positional-in-function-restore
set -- outer; f() { echo "$1 $#"; set -- changed; echo $1; }; f in one; echo $1 $#
### dollar-hash-function
f() { echo $#; }; f; f a; f a b "c d"
### dollar-zero-function
f() { echo $0 | sed 's|.*/||'; }; f
### lineno-not-checked
echo ok
