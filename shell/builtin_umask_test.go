package shell

import "testing"

func TestUmask(t *testing.T) {
	cases := []struct {
		src, want string
		status    int
	}{
		{`umask 022; umask; umask -S`, "0022\nu=rwx,g=rx,o=rx\n", 0},
		{`umask u=rwx,g=rx,o=; umask`, "0027\n", 0},
		{`umask 027; umask g-w,o+r; umask`, "0023\n", 0},
		{`umask a=r; umask; umask -S`, "0333\nu=r,g=r,o=r\n", 0},
		{`umask 7777; umask`, "0777\n", 0},
		{`umask 8`, "", 1},
		{`umask x=r`, "", 1},
		{`umask 022; umask -p`, "umask 0022\n", 0},
		{`umask 022; (umask 077; umask); umask`, "0077\n0022\n", 0},
	}
	for _, c := range cases {
		checkOut(t, c.src, "", c.want, c.status)
	}
}
