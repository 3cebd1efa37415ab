### echo-basic
echo a b c; echo; echo -n no-newline; echo
### echo-escapes
echo 'a\tb\nc' 'd\\e' 'x\0101y' 'bell\a' | od -An -c | tr -s ' '
### echo-c-stops
echo 'abc\cdef' ghi; echo after
### echo-dash-e-literal
echo -e x; echo -n -n x; echo; echo -- x
### echo-dash-n-second
echo x -n
### printf-basic
printf '%s-%s\n' a b c d
### printf-numbers
printf '%d %i %o %x %X %u\n' 42 -7 8 255 255 3
### printf-width
printf '[%5s][%-5s][%05d][%.2s][%+d]\n' ab cd 42 xyz 5
### printf-float
printf '%.3f %e %g\n' 3.14159 12345.678 0.0001
### printf-char
printf '%c%c\n' hello world
### printf-b
printf '%b|%s\n' 'a\tb' 'a\tb'
### printf-b-c
printf '%b' 'stop\chere'; echo; echo next
### printf-escapes
printf 'a\101\tb\\c\n'
### printf-percent
printf '100%%\n'
### printf-missing-args
printf '%s|%d|%s\n' only
### printf-char-code
printf '%d %d\n' "'A" '"a'
### printf-bad-number
printf '%d\n' abc; echo "status $?"
### printf-partial-number
printf '%d\n' 12x; echo "status $?"
### printf-no-args
printf; echo "status $?"
### printf-invalid-directive
printf '%q\n' x; echo "status $?"
### printf-star
printf '[%*d][%-*s]\n' 4 7 3 ab
### printf-hex-input
printf '%d %d\n' 0x1f 010
### printf-reuse
printf '%s=%s\n' a 1 b 2 c
### printf-no-conversion-args
printf 'plain\n' extra args
### read-basic
echo "a b c" | { read x y; echo "[$x][$y]"; }
### read-raw
printf 'a\\b c\\\nd\n' | { read -r x; echo "[$x]"; }
### read-backslash
printf 'a\\b c\\\nd\n' | { read x; echo "[$x]"; }
### read-eof-status
printf 'no newline' | { read x; echo "$? [$x]"; }
### read-empty-input
: | { read x; echo "$? [$x]"; }
### read-ifs
echo "a:b:c" | { IFS=: read x y; echo "[$x][$y]"; }
### read-leading-trailing-ws
echo "   padded   " | { read x; echo "[$x]"; }
### read-more-vars-than-fields
echo "one" | { read a b c; echo "[$a][$b][$c]"; }
### read-multiple-lines
printf 'l1\nl2\nl3\n' | { read a; read b; echo "$b $a"; cat; }
### read-no-var
read; echo $?
### read-bad-var
echo x | read 1bad; echo $?
### read-prompt-not-tty
echo val | { read -p 'prompt> ' v; echo "[$v]"; }
### read-ifs-nonws-trailing
echo "a:b:" | { IFS=: read x y; echo "[$x][$y]"; }
### read-escaped-ifs
echo 'a\ b c' | { read x y; echo "[$x][$y]"; }
### test-strings
[ abc = abc ] && echo eq; [ abc != abd ] && echo ne; [ -n x ] && echo n; [ -z "" ] && echo z
### test-numbers
[ 5 -gt 3 ] && echo gt; [ 3 -lt 5 ] && echo lt; [ 5 -eq 5 ] && echo eq; [ 5 -ne 4 ] && echo ne; [ 5 -ge 5 ] && echo ge; [ 4 -le 5 ] && echo le
### test-negative-numbers
[ -5 -lt 3 ] && echo ok; [ " 7 " -eq 7 ] && echo spaces
### test-files
mkdir d; touch f; [ -d d ] && echo d; [ -f f ] && echo f; [ -e f ] && echo e; [ -f d ] || echo not-f; [ -s f ] || echo empty
### test-not
[ ! -e nofile ] && echo absent; [ ! ] && echo bang-alone
### test-and-or
[ 1 = 1 -a 2 = 2 ] && echo and; [ 1 = 2 -o 2 = 2 ] && echo or; [ 1 = 2 -a 2 = 2 ] || echo nand
### test-parens
[ \( 1 = 1 \) ] && echo p1; [ ! \( 1 = 2 \) ] && echo p2
### test-one-arg
[ x ] && echo nonempty; [ "" ] || echo empty; [ -n ] && echo dash-n-alone
### test-missing-bracket
[ a = a; echo "status $?"
### test-bad-number
[ a -eq 1 ]; echo "status $?"
### test-unexpected-operator
[ a b c ]; echo "status $?"
### test-arg-expected
[ 1 -eq ]; echo "status $?"
### test-string-compare
[ abc \< abd ] && echo lt; [ b \> a ] && echo gt
### test-builtin-name
test 1 -eq 1 && echo test-ok
### test-nt-ot
touch -d 2000-01-01 old; touch new; [ new -nt old ] && echo newer; [ old -ot new ] && echo older; [ new -nt missing ] && echo vs-missing
### test-ef
touch f; ln -s f l; [ f -ef l ] && echo same
### test-symlink
touch f; ln -s f l; [ -h l ] && echo h; [ -L l ] && echo L; [ -h f ] || echo not-link
### test-x-r-w
touch f; chmod 755 f; [ -x f ] && echo x; [ -r f ] && echo r; [ -w f ] && echo w
### test-empty-string-ops
[ "" = "" ] && echo eq-empty; [ -z "$unset" ] && echo unset-z
### test-four-args
[ ! a = b ] && echo four; [ \( a = a \) ] && echo paren4
### test-many-args
[ a = a -a b = b -a c = c ] && echo many
### export-basic
export A=1; "$SH" -c 'echo $A'
### export-existing
B=2; export B; "$SH" -c 'echo $B'
### export-p
export Z1=v; export -p | grep 'Z1'
### export-no-value
export NOVAL; export -p | grep NOVAL; "$SH" -c 'echo "[${NOVAL-unset}]"'
### export-bad-name
export 1bad=x; echo notreached
### export-quote-output
export Q="it's \"x\""; export -p | grep ' Q='
### readonly-basic
readonly R=1; R=2; echo notreached
### readonly-p
readonly RO=x; readonly -p | grep RO
### readonly-unset
readonly R2=1; unset R2; echo notreached
### readonly-no-value
readonly RV; RV=1; echo no
### unset-var
x=1; unset x; echo "[${x-unset}]"
### unset-v
x=1; unset -v x; echo "[${x-unset}]"
### unset-f
f() { :; }; unset -f f; type f >/dev/null 2>&1 || echo gone
### unset-nonexistent
unset nothing_here; echo $?
### unset-bad-name
unset 1x; echo notreached
### eval-basic
eval 'echo evaluated'; x='echo a; echo b'; eval "$x"
### eval-vars
eval x=5; echo $x; cmd='y=$x'; eval $cmd; echo $y
### eval-status
eval false; echo $?; eval; echo $?
### eval-nested
eval 'eval "echo nested"'
### eval-syntax-error
eval 'if'; echo notreached
### eval-multiline
eval 'echo one
echo two'
### eval-function-def
eval 'ef() { echo from-eval; }'; ef
### dot-basic
echo 'echo sourced $1' > inc.sh; . ./inc.sh
### dot-vars
echo 'DV=set; dotf() { echo dotf; }' > inc.sh; . ./inc.sh; echo $DV; dotf
### dot-return
printf 'echo a\nreturn 3\necho b\n' > inc.sh; . ./inc.sh; echo "status $?"
### dot-missing
. ./missing.sh; echo notreached
### dot-path-search
mkdir bin; echo 'echo via-path' > bin/incp; PATH=$PWD/bin:$PATH; . incp
### dot-status-last
echo 'false' > inc.sh; . ./inc.sh; echo $?
### exec-no-command-redirect
exec 3>f; echo three >&3; exec 3>&-; cat f
### exec-command
exec echo replaced; echo notreached
### exec-status
exec "$SH" -c 'exit 6'
### exec-not-found
exec nosuchcmd; echo notreached
### command-builtin
command echo via-command
### command-skips-function
ls() { echo func; }; command ls -d . 
### command-v
command -v echo; command -v sh >/dev/null && echo found; command -v nosuch; echo $?
### command-v-function
f() { :; }; command -v f; command -v if
### command-V
command -V echo | head -1; command -V :
### command-special-no-exit
command shift 3; echo "survived $?"
### type-various
f() { :; }; type echo : f if
### type-not-found
type nosuchcmd_zz; echo $?
### true-false-colon
true; echo $?; false; echo $?; :; echo $?; : ignored args; echo $?
### cd-basic
mkdir -p a/b; cd a/b; pwd | sed 's|.*/\(a/b\)$|\1|'
### cd-dotdot
mkdir -p a/b; cd a/b; cd ..; pwd | sed 's|.*/||'
### cd-dash
mkdir x y; cd x; cd ../y; cd - | sed 's|.*/||'; pwd | sed 's|.*/||'
### cd-home
mkdir h; HOME=$PWD/h; cd; pwd | sed 's|.*/||'
### cd-fail
cd /nonexistent/dir; echo "status $?"
### cd-oldpwd-pwd
mkdir z; cd z; echo "$PWD" | sed 's|.*/||'; echo "$OLDPWD" | grep -c work
### cd-symlink-logical
mkdir real; ln -s real link; cd link; pwd | sed 's|.*/||'; pwd -P | sed 's|.*/||'; cd ..; pwd | grep -c link
### cd-cdpath
mkdir -p p/target; CDPATH=$PWD/p; cd target | sed 's|.*/p/|p/|'
### pwd-basic
pwd | grep -c /
### umask-print-set
umask 022; umask; umask 077; umask; umask -S
### umask-symbolic
umask 000; umask u=rwx,g=rx,o=; umask
### umask-effect
umask 077; touch newf; ls -l newf | cut -c1-10
### trap-exit
trap 'echo exiting' EXIT; echo body
### trap-exit-status
trap 'echo "in trap $?"' EXIT; (exit 3); exit
### trap-list
trap 'echo hi' EXIT; trap 'x' INT; trap
### trap-reset
trap 'echo no' EXIT; trap - EXIT; echo body
### trap-ignore
trap '' INT; trap; kill -INT $$; echo survived
### trap-signal
trap 'echo got-usr1' USR1; kill -USR1 $$; echo after
### trap-bad
trap 'x' NOSUCHSIG; echo "status $?"
### trap-numeric
trap 'echo t15' 15; kill -TERM $$; echo after
### trap-exit-in-subshell
(trap 'echo sub-exit' EXIT; echo in-sub); echo out
### trap-not-inherited
trap 'echo parent' EXIT; (echo child); echo done
### trap-exit-on-error
trap 'echo cleanup' EXIT; echo ${unset_var?gone}
### trap-in-function
f() { trap 'echo ftrap' EXIT; }; f; echo after-f
### trap-int-reset-number
trap 'echo x' INT; trap 2; trap
### wait-all
(sleep 0.5; echo one) & (echo two) & wait; echo waited
### wait-pid-status
(exit 5) & p=$!; wait $p; echo $?
### wait-unknown
wait 99999; echo $?
### wait-job-spec-missing
wait %3; echo $?
### wait-no-jobs
wait; echo $?
### jobs-basic
sleep 1 & jobs | grep -c Running; wait
### getopts-basic
set -- -a -b val -c arg; while getopts ab:c o; do echo "$o ${OPTARG-}"; done; shift $((OPTIND-1)); echo "rest $*"
### getopts-combined
set -- -ab -c; while getopts abc o; do echo $o; done; echo $OPTIND
### getopts-illegal
set -- -x; getopts ab o; echo "$o $?"
### getopts-missing-arg
set -- -b; getopts ab: o; echo "$o $?"
### getopts-silent
set -- -x -b; getopts :ab: o; echo "$o $OPTARG"; getopts :ab: o; echo "$o $OPTARG"
### getopts-double-dash
set -- -a -- -b; while getopts ab o; do echo $o; done; echo $OPTIND
### getopts-args-given
while getopts xy: o -x -y 1 rest; do echo "$o ${OPTARG-}"; done
### getopts-attached-arg
set -- -bVAL; getopts b: o; echo "$o $OPTARG"
### getopts-reset
set -- -a; getopts a o; echo $o; OPTIND=1; getopts a o; echo $o again
### getopts-usage
getopts; echo "status $?"
### getopts-no-options
set -- file; getopts a o; echo "$? $OPTIND"
### kill-list
kill -l | head -3 | tr '\n' ' '; echo; kill -l 130
### kill-usage
kill; echo "status $?"
### kill-self-term-trap
trap 'echo term' TERM; kill $$; echo after
### kill-bg
sleep 5 & kill $!; wait $! 2>/dev/null; echo $?
### times-format
times | sed 's/[0-9]/N/g'
### hash-noop
hash; echo $?
### local-in-function
f() { local a=1 b; b=2; echo $a $b; }; f; echo "[${a-}][${b-}]"
### alias-absent
echo $(command -v alias >/dev/null; echo x)
