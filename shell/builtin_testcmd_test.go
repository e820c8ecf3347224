package shell

import "testing"

func TestTestBuiltin(t *testing.T) {
	cases := []struct {
		src    string
		status int
	}{
		{`test`, 1},
		{`test ""`, 1},
		{`test a`, 0},
		{`test -n`, 0},
		{`test ! a`, 1},
		{`test -z ""`, 0},
		{`test -q x`, 2},
		{`test a = a`, 0},
		{`test a != a`, 1},
		{`test 1 -eq 01`, 0},
		{`test " 5 " -gt 3`, 0},
		{`test abc -eq 1`, 2},
		{`test ! -z a`, 0},
		{`test "(" a ")"`, 0},
		{`test a -a ""`, 1},
		{`test a -o ""`, 0},
		{`test ! a = b`, 0},
		{`test "(" a = b ")"`, 1},
		{`test a = b -o b = b`, 0},
		{`test ! "(" a = a ")" -a b`, 1},
		{`test a b c d e`, 2},
		{`[ a = a ]`, 0},
		{`[ a = a`, 2},
		{`[ ]`, 1},
		{`test -d / -a -e /`, 0},
		{`test b \> a`, 0},
		{`test a \< b`, 0},
		{`test = = =`, 0},
		{`test -n = -n`, 0},
		{`test ! ! a`, 0},
		{`x=1; test -v x`, 0},
		{`test -v nonexistent_var`, 1},
		{`test / -ef /`, 0},
	}
	for _, c := range cases {
		checkOut(t, c.src, "", "", c.status)
	}
	checkErr(t, `test abc -eq 1`, "test: abc: integer expression expected")
	checkErr(t, `[ a = a`, "[: missing `]'")
}
