# echo: reference busybox echo (-n, -e, -E)
echo
echo hello world
echo -n hello
echo -e 'a\tb\nc'
echo 'a\tb'
echo -E 'a\tb'
echo -ne 'x\ny'
echo -en 'x\ny'
echo -eE 'a\tb'
echo -Ee 'a\tb'
echo -- -n
echo -x hi
echo - hi
echo -e '\0101\101\x41\x4a\x4g'
echo -e 'stop\chere' after
echo -e '\a\b\e\f\r\v\\' 
echo -e 'trail\'
echo -e '\q\x'
echo -e '\0\00\000\0000' 
echo -n
echo -nn -ee 'a\nb'
echo a '' b
