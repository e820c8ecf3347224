package shell

import (
	"strings"
	"testing"
)

func TestTypeCommand(t *testing.T) {
	cases := []struct {
		src, want string
		status    int
	}{
		{`f() { :; }; type -t f cd if ls`, "function\nbuiltin\nkeyword\nfile\n", 0},
		{`type -t nothing_here_zz`, "", 1},
		{`type cd if`, "cd is a shell builtin\nif is a shell keyword\n", 0},
		{`alias ll='ls -l'; type ll`, "ll is an alias for ls -l\n", 0}, // dash's wording
		{`f() { :; }; command -v f cd if`, "f\ncd\nif\n", 0},
		{`alias ll='ls -l'; command -v ll`, "alias ll='ls -l'\n", 0},
		{`command -v nonexistent_zz`, "", 1},
		{`echo() { printf 'function\n'; }; echo x; command echo real`, "function\nreal\n", 0},
		{`PATH=/nonexistent; command -p true && echo ok`, "ok\n", 0},
		{`builtin echo via`, "via\n", 0},
		{`builtin nope_zz`, "", 1},
		{`hash -r; hash nonexistent_zz`, "", 1},
		{`type -p cd`, "", 0},
		{`command -V cd`, "cd is a shell builtin\n", 0},
	}
	for _, c := range cases {
		checkOut(t, c.src, "", c.want, c.status)
	}
	out, _, _ := runScript(t, `type ls; command -v ls; hash -r; hash ls; hash`, "")
	lines := strings.Split(out, "\n")
	if len(lines) < 4 || !strings.HasPrefix(lines[0], "ls is /") || !strings.HasPrefix(lines[1], "/") || !strings.HasPrefix(lines[2], "/") || !strings.HasSuffix(lines[2], "/ls") {
		t.Errorf("type/command/hash output %q", out)
	}
	checkErr(t, `type nope_zz`, "type: nope_zz: not found")
	out, _, _ = runScript(t, `help cd`, "")
	if !strings.HasPrefix(out, "cd [-L|-P]") {
		t.Errorf("help cd: %q", out)
	}
}

func TestAlias(t *testing.T) {
	cases := []struct {
		src, want string
		status    int
	}{
		{`alias b=2 a='x y'; alias`, "alias a='x y'\nalias b='2'\n", 0},
		{`alias a="it's"; alias a`, "alias a='it'\\''s'\n", 0},
		{`alias nope`, "", 1},
		{`alias a=1; unalias a; alias a`, "", 1},
		{`unalias nope`, "", 1},
		{`alias a=1 b=2; unalias -a; alias`, "", 0},
	}
	for _, c := range cases {
		checkOut(t, c.src, "", c.want, c.status)
	}
	checkErr(t, `alias nope`, "alias: nope: not found")
}
