# printf: reference busybox
printf 'hello\n'
printf '%s\n' a b c
printf '%s %s\n' a b c
printf '%d|%5d|%-5d|%05d|%+d|% d\n' 42 42 42 42 42 42
printf '%i %u %o %x %X %#x %#o\n' 10 10 10 255 255 255 8
printf '%d\n' "'A" '"B' 0x10 010 -5 ' 7'
printf '%d\n' abc
printf '%d\n' 12x
printf '%d\n' ''
printf '%d\n' 99999999999999999999
printf '%u\n' -1
printf '%x\n' -1
printf '%c|%c|%c\n' abc x ''
printf '%5s|%-5s|%.2s|%5.1s|\n' abc abc abc abc
printf '%*d|%-*s|%.*s|\n' 5 1 4 ab 2 abcdef
printf '%f %.2f %8.3f %-8.1f|\n' 3.14159 3.14159 3.14159 3.14159
printf '%e %E %g %G\n' 1.5 1.5 0.0001 1e20
printf '%.0f %.0e\n' 2.5 12345
printf '%f\n' abc
printf '%f\n' "'a"
printf '%b\n' 'a\tb\nc' '\0101\101' '\x41'
printf '%b|\n' 'a\cb' more
printf '%5b|%-5b|\n' ab cd ||| echo '   ab|cd   |'
printf 'x\c y\n'
printf '\101\x41\0101\n' | od -c
printf '\a\b\f\n\r\t\v\\\"' | od -c
printf '\q\x\n'
printf '%%|%s%%\n' a
printf '%q\n' x
printf '%\n'
printf '%5\n'
printf
printf -- '%s\n' x
printf '%s\n'
printf '%d %s\n' 1
printf 'no conversions\n' a b
printf '%s-%s\n' 1 2 3 4 5
printf '%ld %lld %hd\n' 1 2 3
printf '%s\n' -n
printf -n
printf '%d\n' 0x
printf '%o\n' 0777
printf '%x\n' "'é"
printf '%b' '\0' | od -c
printf '%.3d|%8.3d\n' 5 5
printf '%#g %+.3e\n' 1 2
printf '%d %d\n' 1 x 3
