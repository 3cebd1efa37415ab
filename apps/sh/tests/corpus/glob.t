### glob-star
touch a b c .h; echo *
### glob-question
touch ab ac abc; echo a?
### glob-bracket
touch a1 a2 a3 b1; echo a[12] [ab]1 a[!1] a[^2]
### glob-range
touch x1 x5 x9 xa; echo x[0-5] x[a-z] x[!0-9]
### glob-class
touch f1 fA fb f_; echo f[[:digit:]] f[[:upper:]] f[[:lower:]] f[[:alpha:]]
### glob-nomatch
echo nomatch* 'q'?x [z]
### glob-dotfiles
touch .a .b c; echo * ; echo .* ; echo .[ab]
### glob-sorted
touch c b a B A 1; echo *
### glob-dir-pattern
mkdir d1 d2 e; touch d1/f d2/g e/h; echo d*/* */h
### glob-trailing-slash
mkdir dd; touch ff; echo */
### glob-quoted-part
touch 'a*b' axb; echo 'a*'b a"*"b a\*b
### glob-var-pattern
touch p1 p2; x='p*'; echo $x "$x"
### glob-noglob
touch q1; set -f; echo q*; set +f; echo q*
### glob-in-assignment
touch z1; x=z*; echo "$x"
### glob-case-pattern-not-file
touch m1; case m1 in m*) echo matched;; esac
### glob-bracket-literal
touch '[' 'a]'; echo [ a] "["
### glob-bracket-unclosed
touch '[ab'; echo [ab
### glob-bracket-first-close
touch ']' a; echo []] [!]]
### glob-absolute
echo /bin/s[h] | tr ' ' '\n' | head -1
### glob-dot-dotdot
touch .x; echo .*
### glob-nested-dirs
mkdir -p a/b/c; touch a/b/c/f; echo a/*/c/* */*/*/f
### glob-no-match-dir
echo nodir/*
### glob-many
i=0; while [ $i -lt 30 ]; do touch f$i; i=$((i+1)); done; echo f* | wc -w; echo f1*
### glob-escaped-in-bracket
touch a- ab; echo a[\-] a[b-]
### glob-hidden-in-subdir
mkdir s; touch s/.h s/v; echo s/*
### glob-unreadable-ok
echo /nonexist*/x
### glob-for-loop
touch one two; for f in *; do echo "file $f"; done
