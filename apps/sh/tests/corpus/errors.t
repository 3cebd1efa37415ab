### err-not-found
nosuchcmd_zz; echo $?
### err-not-found-path
./nosuch_zz; echo $?
### err-not-executable
touch f; ./f; echo $?
### err-directory
mkdir d; ./d; echo $?
### err-script-no-shebang
printf 'echo from-script $1\n' > s; chmod +x s; ./s arg
### err-shebang-script
printf '#!/bin/sh\necho shebang\n' > s; chmod +x s; ./s
### err-syntax-fi
echo before
fi
echo after
### err-syntax-eof-if
echo start
if true; then
echo x
### err-syntax-paren
echo )
### err-syntax-done
while true; do done
### err-syntax-unterminated-dq
echo "abc
### err-syntax-unterminated-sq
echo 'abc
### err-syntax-brace
{ echo
### err-syntax-case
case x in
### err-syntax-redirection
echo > >
### err-syntax-newline-redirect
echo <
### err-syntax-pipe-eof
echo a |
### err-syntax-double-pipe
echo a | | b
### err-syntax-semicolon
; echo x
### err-syntax-andand
&& echo x
### err-syntax-backquote
echo `echo a
### err-syntax-cmdsub
echo $(echo a
### err-syntax-missing-brace-param
echo ${x
### err-syntax-for-var
for 1 in a; do :; done
### err-syntax-line-number
echo one
echo two

if then
### err-syntax-in-function
f() {
  echo x
  )
}
### err-syntax-later-line-runs-earlier
echo first
echo second
echo $((
### err-syntax-empty-group
{ }
### err-syntax-then
if then fi
### err-syntax-else-empty
if true; then echo; else; fi
### err-syntax-esac
esac
### err-syntax-dsemi
echo a ;; b
### err-syntax-not-not
! ! true
### err-syntax-func-paren
f() (
### err-syntax-word-after-subshell
(echo a) b
### err-syntax-assign-paren
x=1 (
### err-syntax-amp-amp-amp
echo a &&& b
### err-syntax-in-eval-exits
eval 'fi'; echo after
### err-syntax-heredoc-eof
cat <<EOF
no end
### err-exit-status-values
(exit 0); echo $?; (exit 255); echo $?; (exit 256); echo $?
### err-exit-large
exit 300
### err-exit-illegal
exit abc
### err-exit-negative
exit -1
### err-status-127-126
nosuch_q 2>/dev/null; a=$?; touch n; ./n 2>/dev/null; echo $a $?
### err-special-builtin-fatal
set -- a; shift 5; echo notreached
### err-regular-builtin-nonfatal
cd /no/where; echo "continues $?"
### err-unset-u
set -u; echo $undefined_v; echo notreached
### err-unset-u-positional
set -u; echo $1; echo notreached
### err-unset-u-at-ok
set -u; echo "$@" ok
### err-readonly-assign
readonly ro=1; ro=2; echo notreached
### err-readonly-temp
readonly ro=1; ro=2 true; echo "after $?"
### err-command-not-found-redirected
nosuch 2>/dev/null; echo $?
### err-redirect-then-not-found
nosuch > f; echo $?; [ -f f ] && echo created
### err-param-error-message
unset v; : ${v:?"custom text"}
### err-in-subshell-only
(echo ${v?sub-error}); echo "parent continues $?"
### err-divide-zero-in-subshell
(echo $((1/0))); echo "status $?"
### err-signal-exit-status
"$SH" -c 'kill -TERM $$'; echo $?
### err-killed-child-status
sleep 5 & pid=$!; kill -KILL $pid; wait $pid 2>/dev/null; echo $?
### err-killed-child-reported-by-its-wait
sleep 5 & pid=$!; (sleep 0.3; kill -KILL $pid) & wait $pid; echo $?
### err-killed-child-collected-before-its-wait
sleep 5 & pid=$!; kill -KILL $pid; sleep 0.5; wait $pid; echo $?
### err-bad-fd-redirect
echo x 3>&- >&3; echo "status $?"
### err-cannot-open-input
cat < /nonexistent/file; echo $?
### err-bad-substitution-exit
echo ${x!}; echo notreached
### err-nested-shell-syntax
"$SH" -c 'if'; echo $?
### err-nested-shell-c-missing
"$SH" -c; echo $?
### err-nested-script-missing
"$SH" nosuch_script.sh; echo $?
### err-nested-illegal-option
"$SH" -Q -c 'echo x'; echo $?
### err-nested-args
"$SH" -c 'echo $0 $1 $#' zero one two
### err-nested-stdin-script
echo 'echo from stdin $1' | "$SH" -s arg
