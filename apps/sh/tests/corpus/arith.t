### arith-basic
echo $((1+2)) $((7-10)) $((3*4)) $((17/5)) $((17%5)) $((-17/5)) $((-17%5))
### arith-precedence
echo $((2+3*4)) $(((2+3)*4)) $((10-4-3)) $((2*3%4)) $((1+2<<1))
### arith-unary
echo $((-5)) $((+5)) $((!0)) $((!5)) $((~0)) $((~5)) $((- -1)) $((!!3))
### arith-compare
echo $((1<2)) $((2<1)) $((1<=1)) $((2>=3)) $((3>2)) $((1==1)) $((1!=1))
### arith-bitwise
echo $((12&10)) $((12|10)) $((12^10)) $((1<<4)) $((256>>4)) $((-8>>1))
### arith-logical
echo $((1&&0)) $((1&&2)) $((0||0)) $((0||3)) $((0&&1/0)) $((1||1/0))
### arith-ternary
echo $((1?2:3)) $((0?2:3)) $((0?1:0?2:3)) $((1?0?4:5:6))
### arith-ternary-short
echo $((1?5:1/0)) $((0?1/0:6))
### arith-vars
x=5 y=3; echo $((x+y)) $(($x*$y)) $((x*y-x/y))
### arith-unset-var
unset z; echo $((z+1)) $((z))
### arith-empty-var
z=; echo $((z+1))
### arith-assign
x=1; echo $((x=5)) $x; echo $((x+=2)) $((x-=1)) $((x*=3)) $((x/=2)) $((x%=4)) $x
### arith-assign-shift-bit
x=1; echo $((x<<=3)) $((x>>=1)) $((x|=1)) $((x&=6)) $((x^=7)) $x
### arith-assign-chain
echo $((a=b=3)) $a $b
### arith-hex-octal
echo $((0x1f)) $((0X10)) $((010)) $((0)) $((077))
### arith-var-hex-value
x=0x10; echo $((x+1)); y=010; echo $((y))
### arith-spaces
echo $(( 1 + 2 )) $((	3	*	3 ))
### arith-nested-paren
echo $((((1+2))*((3)))) $(( (1+2) * (3+4) ))
### arith-nested-expansion
x=2; echo $(( $(echo 3) * $x )) $(( ${x}0 + 1 ))
### arith-in-dq
x=4; echo "$((x*x))"
### arith-large
echo $((9223372036854775807)) $((9223372036854775807+1)) $((-9223372036854775807-1))
### arith-div-zero
echo $((1/0)); echo notreached
### arith-mod-zero
echo $((5%0))
### arith-syntax-error
echo $((1 +)); echo notreached
### arith-expecting-eof
echo $((1 2))
### arith-illegal-number
x=abc; echo $((x)) ; y='3+4'; echo $((y))
### arith-assign-readonly
readonly r=1; echo $((r=2)); echo notreached
### arith-empty
echo "[$(( ))]"
### arith-missing-colon
echo $((1?2))
### arith-negative-mod
echo $((-7%3)) $((7%-3))
### arith-comparisons-chain
echo $((1<2<3)) $((3>2>1)) $((1==1==1))
### arith-increment-not
x=3; echo $((++x)) $((--x)) $x
### arith-in-assignment-word
i=0; i=$((i+1)); i=$((i+1)); echo $i
### arith-loop-count
i=0; while [ $i -lt 100 ]; do i=$((i+1)); done; echo $i
### arith-unary-vars
x=-3; echo $((-x)) $((x*-1)) $((!x))
