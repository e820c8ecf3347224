package shell

import "testing"

func TestLetUlimit(t *testing.T) {
	cases := []struct {
		src, want string
		status    int
	}{
		{`command let 'x=1+2' y++; echo "$? $x $y"`, "1 3 1\n", 0},
		{`builtin let 0`, "", 1},
		{`command let '1+'`, "", 1},
		{`ulimit -n >/dev/null; echo $?`, "0\n", 0},
		{`(ulimit -n 100)`, "", 1},
		{`ulimit -a | grep -c 'open files'`, "1\n", 0},
	}
	for _, c := range cases {
		checkOut(t, c.src, "", c.want, c.status)
	}
}
