package shell

import "testing"

func TestEcho(t *testing.T) {
	cases := []struct{ src, want string }{
		{`echo a b   c`, "a b c\n"},
		{`echo`, "\n"},
		{`echo -n x`, "x"},
		{`echo -e 'a\tb\nc'`, "a\tb\nc\n"},
		{`echo 'a\tb'`, "a\\tb\n"},
		{`echo -ne 'x\n'`, "x\n"},
		{`echo -E 'x\ty'`, "x\\ty\n"},
		{`echo -x y`, "-x y\n"},
		{`echo -- x`, "-- x\n"},
		{`echo -e 'a\cb' c`, "a"},
		{`echo -e '\0101\x41\101'`, "AA\\101\n"},
		{`echo - -n`, "- -n\n"},
	}
	for _, c := range cases {
		checkOut(t, c.src, "", c.want, 0)
	}
}
