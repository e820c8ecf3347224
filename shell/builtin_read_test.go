package shell

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	cases := []struct {
		src, stdin, want string
		status           int
	}{
		{`read a b; echo "[$a][$b]"`, "  x  y  z  \n", "[x][y  z]\n", 0},
		{`IFS=: read a b; echo "[$a][$b]"`, "x:y:\n", "[x][y]\n", 0},
		{`IFS=: read a b; echo "[$a][$b]"`, "x:y::\n", "[x][y::]\n", 0},
		{`IFS=": " read a b c; echo "[$a][$b][$c]"`, " x :: y\n", "[x][][y]\n", 0},
		{`read a b; echo "[$a][$b]"`, `  a\ b  c\  ` + "\n", "[a b][c ]\n", 0},
		{`read -r a b; echo "[$a][$b]"`, `  a\ b  c\  ` + "\n", "[a\\][b  c\\]\n", 0},
		{`read; echo "[$REPLY]"`, "  lead  \n", "[  lead  ]\n", 0},
		{`read x y; echo "[$x][$y]"`, "a\\\nb c\n", "[ab][c]\n", 0},
		{`read -N 4 x; echo "[$x]"`, "ab cdef\n", "[ab c]\n", 0},
		{`read -n 4 x y; echo "[$x][$y]"`, "ab cdef\n", "[ab][c]\n", 0},
		{`read -d , x y; echo "[$x][$y] $?"`, "a b,c\n", "[a][b] 0\n", 0},
		{`read x; echo "[$x] $?"`, "abc", "[abc] 1\n", 0},
		{`read x; echo "[$x] $?"`, "", "[] 1\n", 0},
		{`read -a arr; echo "${#arr[@]} ${arr[2]}"`, " 1 2  3 \n", "3 3\n", 0},
		{`IFS= read a b; echo "[$a][$b]"`, "  x y  \n", "[  x y  ][]\n", 0},
		{`IFS=, read -r a b c; echo "[$a][$b][$c]"`, "x,,y,z,\n", "[x][][y,z,]\n", 0},
		{`read 1x`, "hi\n", "", 1},
		{`read -u 7 x`, "", "", 1},
		{`read -t 0 <<< x; echo $?`, "", "0\n", 0},
		{`read -t 1 x; echo "$? $x"`, "ready\n", "0 ready\n", 0},
		{`read a; read b; echo "$a-$b"`, "one\ntwo\n", "one-two\n", 0},
		{`n=0; while read -r l; do n=$((n+1)); done; echo "$n $l"`, "a\nb\nc", "2 c\n", 0},
	}
	for _, c := range cases {
		checkOut(t, c.src, c.stdin, c.want, c.status)
	}
}

// TestReadSeekable checks that read on a regular file leaves the offset
// just after the line, so the next command sees the rest.
func TestReadSeekable(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	var b strings.Builder
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	b.WriteString(`back\` + "\nslash\n")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	src := fmt.Sprintf(`exec 3< %s; read -r a <&3; read -r b <&3; read -u 3 c; echo "$a|$b|$c"
n=0; while read -r l; do n=$((n+1)); last=$l; done <&3; echo "$n $last"
exec 4< %s; i=0; while [ $i -lt 3000 ]; do read -r x <&4; i=$((i+1)); done; read y <&4; echo "$y"; read z <&4; echo "$z $?"`, p, p)
	checkOut(t, src, "", "line 0|line 1|line 2\n2999 slash\nbackslash\n 1\n", 0)
}

func TestMapfile(t *testing.T) {
	cases := []struct{ src, stdin, want string }{
		{`mapfile -t lines; echo "${#lines[@]} ${lines[2]}"`, "l1\nl2\nl3\n", "3 l3\n"},
		{`readarray -t -n 2 first; echo "${first[@]}"`, "l1\nl2\nl3\n", "l1 l2\n"},
		{`mapfile; printf '[%s]' "${MAPFILE[@]}"`, "a\nb", "[a\n][b]"},
		{`mapfile -s 1 -t x; echo "${x[*]}"`, "a\nb\nc\n", "b c\n"},
		{`x=(a b c d); mapfile -O 1 -t x; echo "${x[*]}"`, "1\n2\n", "a 1 2 d\n"},
		{`mapfile -d , -t y; echo "${y[*]}"`, "a,b,c", "a b c\n"},
	}
	for _, c := range cases {
		checkOut(t, c.src, c.stdin, c.want, 0)
	}
}
