package shell

import "testing"

func TestPrintf(t *testing.T) {
	cases := []struct {
		src, want string
		status    int
	}{
		{`printf '%s|%d|%x|%X|%o|%c|%%\n' str 42 255 255 8 char`, "str|42|ff|FF|10|c|%\n", 0},
		{`printf '%i %u\n' -7 7`, "-7 7\n", 0},
		{`printf '[%5s][%-5s][%.2s][%5.1s]\n' ab ab abcdef xyz`, "[   ab][ab   ][ab][    x]\n", 0},
		{`printf '[%5d][%-5d][%05d][%+d][% d]\n' 42 42 42 42 42`, "[   42][42   ][00042][+42][ 42]\n", 0},
		{`printf '[%#x][%#o][%.3d][%#x]\n' 255 8 7 0`, "[0xff][010][007][0]\n", 0},
		{`printf '%f %.2f %5.1f %e %.3e %g %g\n' 3.14159 2.5 9.87 12345.678 0.00012 0.0001 100000`,
			"3.141590 2.50   9.9 1.234568e+04 1.200e-04 0.0001 100000\n", 0},
		{`printf '%g %g %G %g\n' 1e-5 123456789 1e100 0`, "1e-05 1.23457e+08 1E+100 0\n", 0},
		{`printf '%s=%s\n' a 1 b 2 c`, "a=1\nb=2\nc=\n", 0},
		{`printf '[%s][%d]\n'`, "[][0]\n", 0},
		{`printf 'x\n' a b`, "x\n", 0},
		{`printf 'a\tb\\c\n'`, "a\tb\\c\n", 0},
		{`printf '\101\0101\x41\n'`, "A\b1A\n", 0},
		{`printf '%b\n' 'tab\there' '\0101'`, "tab\there\nA\n", 0},
		{`printf '%b|%s\n' 'a\cb' zz`, "a", 0},
		{`printf '%d %d\n' "'A" '"a'`, "65 97\n", 0},
		{`printf '%d %d %d\n' 0x10 010 -0x1`, "16 8 -1\n", 0},
		{`printf '%d\n' abc`, "0\n", 1},
		{`printf '%d\n' 12abc`, "12\n", 1},
		{`printf '%u %x\n' -1 -1`, "18446744073709551615 ffffffffffffffff\n", 0},
		{`printf '[%*s][%-*d][%.*s]\n' 6 hi 4 7 2 abc`, "[    hi][7   ][ab]\n", 0},
		{`printf '[%*s]\n' -4 a`, "[a   ]\n", 0},
		{`printf '%q\n' 'a b' "it's" '$x' plain '' '~a' 'x
y'`, "a\\ b\nit\\'s\n\\$x\nplain\n''\n\\~a\n$'x\\ny'\n", 0},
		{`printf -v v '%s-%s' a b; echo "$v"`, "a-b\n", 0},
		{`printf -v 'a[2]' %s z; echo "${a[2]}"`, "z\n", 0},
		{`printf -- '-%s-\n' x`, "-x-\n", 0},
		{`printf '%c%c%c\n' hello world !`, "hw!\n", 0},
		{`printf '%5%|\n'`, "", 1},
		{`printf '%f %F %e\n' inf -inf nan`, "inf -INF nan\n", 0},
		{`printf '%(%Y-%m-%d)T\n' 0`, "1970-01-01\n", 0},
		{`printf`, "", 2},
	}
	for _, c := range cases {
		checkOut(t, c.src, "", c.want, c.status)
	}
	checkErr(t, `printf '%d\n' abc`, "printf: abc: invalid number")
}
