### if-basic
if true; then echo t; fi; if false; then echo f; fi; echo end
### if-else
if false; then echo a; else echo b; fi
### if-elif
x=2; if [ $x = 1 ]; then echo one; elif [ $x = 2 ]; then echo two; else echo other; fi
### if-elif-chain
for x in 1 2 3 4; do if [ $x = 1 ]; then echo a; elif [ $x = 2 ]; then echo b; elif [ $x = 3 ]; then echo c; else echo d; fi; done
### if-status-no-branch
false; if false; then :; fi; echo $?
### if-status-branch
if true; then (exit 5); fi; echo $?
### if-cond-list
if false; true; then echo ok; fi
### if-multiline
if true
then
  echo multi
else
  echo no
fi
### while-basic
i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done
### while-false
while false; do echo never; done; echo $?
### until-basic
i=0; until [ $i -ge 3 ]; do echo $i; i=$((i+1)); done
### while-break
i=0; while true; do i=$((i+1)); [ $i -gt 3 ] && break; echo $i; done
### while-continue
i=0; while [ $i -lt 5 ]; do i=$((i+1)); [ $i = 3 ] && continue; echo $i; done
### while-status
i=0; while [ $i -lt 2 ]; do i=$((i+1)); false; done; echo $?
### for-basic
for i in a b c; do echo $i; done
### for-no-in
set -- x y z; for i; do echo $i; done
### for-no-in-newline
set -- p q; for i
do echo $i; done
### for-empty-list
for i in; do echo never; done; echo "status $?"
### for-var-persists
for i in 1 2 3; do :; done; echo $i
### for-glob
touch f1 f2; for f in f*; do echo $f; done
### for-break-nested
for i in 1 2 3; do for j in a b c; do [ $j = b ] && break 2; echo $i$j; done; done; echo out
### for-continue-nested
for i in 1 2; do for j in a b c; do [ $j = b ] && continue 2; echo $i$j; done; done
### for-break-too-many
for i in 1 2; do break 5; done; echo ok
### break-outside-loop
break; echo still
### continue-outside-loop
continue; echo still
### break-zero
for i in 1; do break 0; done
### for-keyword-names
for do in 1; do echo $do; done
### for-in-newline
for i in a b
do
echo $i
done
### for-bad-var
for 1x in a; do :; done
### case-basic
case abc in abc) echo exact;; esac
### case-pattern
case hello in h*) echo glob;; *) echo default;; esac
### case-alternatives
for w in cat dog bird; do case $w in cat|dog) echo pet;; *) echo other;; esac; done
### case-no-match-status
false; case x in y) echo no;; esac; echo $?
### case-match-status
case x in x) (exit 3);; esac; echo $?
### case-paren-pattern
case x in (x) echo paren;; esac
### case-empty-body
case x in x) ;; esac; echo "status $?"
### case-last-no-dsemi
case x in y) echo y;; x) echo x
esac
### case-quoted-pattern
case '*' in "*") echo star;; esac; case a in "*") echo no;; *) echo yes;; esac
### case-var-pattern
p='a*'; case abc in $p) echo var-glob;; esac; case abc in "$p") echo no;; *) echo quoted;; esac
### case-bracket
case 5 in [0-9]) echo digit;; esac; case b in [!a]) echo not-a;; esac
### case-question
case ab in ??) echo two;; esac
### case-empty-subject
case "" in "") echo empty;; esac
### case-multiline
case a in
  a)
    echo one
    echo two
    ;;
  b)
    echo no
    ;;
esac
### case-keyword-patterns
case in in in) echo in;; esac; case esac in (esac) echo esac;; esac
### case-escaped
case 'a b' in a\ b) echo esc;; esac
### case-backslash-in-var
x='\'; case '\' in $x) echo bs;; esac
### case-first-match
case abc in a*) echo first;; ab*) echo second;; esac
### case-in-newline
case x
in x) echo nl;; esac
### case-tilde
HOME=/h; case /h/x in ~/x) echo tilde;; esac
### case-expansion-subject
x=hello; case ${x%lo} in hel) echo trimmed;; esac
### loop-nested-while-for
for i in 1 2; do j=0; while [ $j -lt 2 ]; do echo $i$j; j=$((j+1)); done; done
### loop-redirect-input
printf 'a\nb\n' > f; while read x; do echo "[$x]"; done < f; echo done
### loop-pipe-break
i=0; while :; do i=$((i+1)); echo $i; [ $i -ge 3 ] && break; done | tail -1
### until-status
until true; do :; done; echo $?
### while-cond-break
while break; do echo never; done; echo after
