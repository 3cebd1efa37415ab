### quote-single
echo 'a b   c' '$x' '\n' 'it''s'
### quote-double
x=val; echo "a  $x  b" "\$x" "\\" "\`" "\"" "\a"
### quote-backslash
echo a\ b \$x \\ \' \" c\
d
### quote-mixed
x=1; echo "'$x'" '"$x"' "a"'b'c"d"
### quote-empty-args
set -- "" '' a ""; echo $#
### quote-empty-var-quoted
x=; set -- "$x" $x; echo $#
### quote-dollar-at-end
echo "a$" a$ '$'
### quote-dollar-nonname
echo $- | tr -d a-zA-Z; echo "$%" $%
### quote-newline-in-quotes
echo "a
b"; echo 'c
d'
### quote-backslash-newline-dq
echo "a\
b"
### quote-backslash-newline-sq
echo 'a\
b'
### quote-tab
printf '%s\n' "a	b"
### quote-hash-midword
echo a#b #comment
echo '#not' "#not" \#not
### quote-keywords-as-args
echo if then else fi do done case esac while until for in '{' '}' '!'
### quote-keyword-quoted
"if" 2>/dev/null; echo $?
### quote-escaped-glob
echo \* "*" '*'
### quote-single-in-double
echo "it's" "a'b'c"
### quote-backslash-in-single
echo 'a\nb' 'c\\d'
### quote-dq-backslash-others
echo "\n\t\z\$\""
### quote-nested-cmdsub
echo "$(echo "inner $(echo "deep")")"
### quote-backquote-escapes
echo `echo \\\\ \$HOME_X`
### quote-backquote-in-dq
x=v; echo "`echo \"$x\"`"
### quote-assign-no-split
x="a   b"; y=$x; echo "$y"
### quote-assign-glob-no-expand
x=*; echo "$x"
### quote-long-string
x=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; echo ${#x}
### quote-ifs-in-quoted
IFS=:; x="a:b"; echo "$x"; set -- $x; echo $#
### quote-unicode
echo 'héllo wörld ✓' "ünï"
### quote-special-chars-literal
echo '; & | < > ( ) $ ` \ " *?[]'
