### heredoc-basic
cat <<EOF
line1
line2
EOF
### heredoc-expansion
x=val; cat <<EOF
x=$x \$x $(echo cmd) $((1+1)) \\ \`
EOF
### heredoc-quoted-delim
x=val; cat <<'EOF'
x=$x $(echo no) \$ \\
EOF
### heredoc-dq-delim
x=val; cat <<"EOF"
$x
EOF
### heredoc-partial-quoted-delim
cat <<E"O"F
$HOME_NOT
EOF
### heredoc-strip-tabs
cat <<-EOF
	tabbed
		double
	EOF
### heredoc-strip-tabs-quoted
cat <<-'EOF'
	$x
	EOF
### heredoc-two
cat <<A; cat <<B
first
A
second
B
### heredoc-in-pipe
cat <<EOF | tr a-z A-Z
lower
EOF
### heredoc-fd
cat 3<<EOF <&3
from fd3
EOF
### heredoc-continuation
cat <<EOF
a\
b
EOF
### heredoc-continuation-quoted
cat <<'EOF'
a\
b
EOF
### heredoc-delim-with-space-line
cat <<EOF
 EOF
EOF
### heredoc-empty
cat <<EOF
EOF
echo after
### heredoc-in-function
f() {
	cat <<EOF
in function $1
EOF
}; f arg; f again
### heredoc-in-loop
for i in 1 2; do cat <<EOF
iter $i
EOF
done
### heredoc-double-quotes-kept
cat <<EOF
"quoted" 'single'
EOF
### heredoc-backslash-other
cat <<EOF
\a \n \"
EOF
### heredoc-eof-no-delim
cat <<EOF
unterminated
### heredoc-with-cmdsub-multiline
cat <<EOF
$(echo one
echo two)
EOF
### heredoc-large
i=0; { while [ $i -lt 500 ]; do echo "line $i of a long here document body"; i=$((i+1)); done; } > gen.inc
{ echo 'cat <<EOF'; cat gen.inc; echo EOF; } > big.sh; "$SH" big.sh | wc -l
### heredoc-in-subshell
(cat <<EOF
sub
EOF
)
### heredoc-after-command-on-line
cat <<EOF; echo same line
body
EOF
### heredoc-param-ops
x=abc.def; cat <<EOF
${x%.*} ${x#*.} ${#x} ${y:-dflt}
EOF
### heredoc-to-read
read a b <<EOF
first second third
EOF
echo "$a|$b"
### heredoc-in-cmdsub
x=$(cat <<EOF
inside
EOF
); echo "$x"
### heredoc-pipe-to-while
cat <<EOF | while read n; do echo "n=$n"; done
1
2
EOF
### heredoc-two-on-one-command
cat <<A 3<<B
a-body
A
b-body
B
### heredoc-dollar-single-quote
cat <<EOF
it's $'x'
EOF
