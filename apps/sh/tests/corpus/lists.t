### list-and
true && echo yes; false && echo no; echo $?
### list-or
false || echo yes; true || echo no; echo $?
### list-chain
false && echo a || echo b; true || echo c && echo d
### list-semicolon
echo 1; echo 2 ; echo 3
### list-newline-after-and
true &&
echo next
### list-newline-after-or
false ||

echo next2
### list-background
echo bg > f & wait; cat f
### list-background-status
false & echo $?; wait
### list-background-wait-status
(exit 3) & wait $!; echo $?
### list-background-order
sleep 0 & wait; echo done
### list-group
{ echo a; echo b; }; { echo c; }
### list-group-vars-persist
{ x=1; }; echo $x
### list-group-newlines
{
echo x
echo y
}
### list-subshell-isolated
x=1; (x=2; echo $x); echo $x
### list-subshell-exit
(exit 4); echo $?; (false); echo $?
### list-subshell-cd
mkdir d; (cd d; pwd | sed 's|.*/||'); pwd | sed 's|.*/||' | grep -c d
### list-subshell-nested
(echo a; (echo b; (echo c)))
### list-not-group
! { false; }; echo $?
### list-status-of-list
false; true; echo $?
### list-group-status
{ false; }; echo $?
### list-empty-lines
echo a


echo b
### list-comment-lines
# a comment
echo a # trailing
  # indented
echo b
### list-bg-group
{ echo in-bg > f; } & wait; cat f
### list-bg-pipeline
echo x | cat > f & wait; cat f
### list-and-or-precedence
false && echo a || echo b && echo c
### list-bg-stdin-devnull
echo input > f; exec < f; cat & wait
