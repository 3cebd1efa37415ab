### e-basic
set -e; true; false; echo notreached
### e-if-condition
set -e; if false; then echo no; fi; echo survived
### e-and-left
set -e; false && echo no; echo survived
### e-or-left
set -e; false || echo rescued; echo survived
### e-and-right
set -e; true && false; echo notreached
### e-not
set -e; ! true; echo survived
### e-while-cond
set -e; while false; do :; done; echo survived
### e-until-cond
set -e; until true; do :; done; echo survived
### e-pipeline-last
set -e; false | true; echo survived; true | false; echo notreached
### e-subshell
set -e; (false); echo notreached
### e-subshell-inner
set -e; (false; echo not-in-sub); echo notreached
### e-group
set -e; { false; echo no; }; echo notreached
### e-function-body
set -e; f() { false; echo not-in-f; }; f; echo notreached
### e-function-tested
set -e; f() { false; echo in-f-continues; }; f || echo f-failed; echo survived
### e-function-in-if
set -e; f() { false; echo cont; return 1; }; if f; then :; fi; echo survived
### e-cmdsub-assign
set -e; x=$(false); echo notreached
### e-cmdsub-in-arg
set -e; echo $(false) survived
### e-case-body
set -e; case a in a) false; echo no;; esac; echo notreached
### e-for-body
set -e; for i in 1 2; do echo $i; false; done; echo notreached
### e-exit-trap
set -e; trap 'echo trap-ran' EXIT; false
### e-set-plus
set -e; set +e; false; echo survived
### e-in-subshell-only
(set -e; false; echo no); echo "outer $?"
### e-last-and-or
set -e; false || false; echo notreached
### e-eval
set -e; eval false; echo notreached
### e-dot
set -e; echo 'false; echo in-dot' > inc; . ./inc; echo notreached
### e-bg-ignored
set -e; false & wait; echo survived
### e-status
set -e; (exit 3); echo no
### e-nested-function-or
set -e; g() { false; echo g-cont; }; f() { g; echo f-cont; }; f && echo ok
### u-basic
set -u; x=1; echo $x; echo $y; echo no
### u-default-ok
set -u; echo ${y:-d} ${y-e}; echo "${y+p}"end
### u-length
set -u; echo ${#y}
### u-arith
set -u; echo $((y+1))
### u-special-ok
set -u; echo $# $? "$@" ok
### x-trace
set -x; echo traced; x=1; echo "$x" 'a b'
### x-trace-ps4
PS4='>> '; set -x; echo hi
### x-trace-off
set -x; set +x; echo quiet
### x-trace-pipeline
# Both members trace at once and dash writes "+ " and the command apart,
# so lines may interleave: compare the characters, not their order.
{ set -x; echo a | cat; } 2>&1 | fold -w1 | sort | tr -d "\n"; echo
### x-trace-assign-cmd
set -x; v=1 true
### f-noglob
touch a; set -f; echo *; set +f; echo *
### n-noexec
set -n; echo not-run
### n-syntax-checked
set -n
if then
### v-verbose
set -v
echo visible
x=1
### v-verbose-off
set -v; set +v; echo quiet
### a-allexport
set -a; AX=1; "$SH" -c 'echo $AX'
### C-noclobber
echo 1 > f; set -C; echo 2 > f; cat f
### e-command-substitution-status-only
set -e; x=$(true); echo ok
### e-while-body
set -e; i=0; while [ $i -lt 2 ]; do i=$((i+1)); false; done; echo notreached
### e-return-nonzero
set -e; f() { return 3; }; f; echo notreached
### e-not-function
set -e; f() { return 3; }; ! f; echo survived
