package shell

import (
	"errors"
	"strings"
	"testing"
)

// histTestEntries is the history the expansion tests run against.
var histTestEntries = []string{
	`echo foo bar.c /a/b/c.tar.gz baz`,
	`true ls -l /usr/lib/x.so 2>&1 | cat >/dev/null && echo 'q !x' "d q"`,
	`echo /tmp/dir.d/file.txt`,
	`echo one two three`,
}

// TestHistoryExpand checks history expansion against bash 5.2: each want
// is what bash printed for the line, after `history -s` of the entries
// above (in a non-interactive bash with set -o history -H, which expands
// as an interactive one does), or the error it gave.
func TestHistoryExpand(t *testing.T) {
	tests := []struct {
		line, want string
		printOnly  bool
		err        string
	}{
		{`!!`, `echo one two three`, false, ""},
		{`!1`, `echo foo bar.c /a/b/c.tar.gz baz`, false, ""},
		{`!-2`, `echo /tmp/dir.d/file.txt`, false, ""},
		{`!-4:1`, `foo`, false, ""},
		{`!ec`, `echo one two three`, false, ""},
		{`!true:p`, `true ls -l /usr/lib/x.so 2>&1 | cat >/dev/null && echo 'q !x' "d q"`, true, ""},
		{`!?dir?`, `echo /tmp/dir.d/file.txt`, false, ""},
		{`echo !?dir?:%`, `echo /tmp/dir.d/file.txt`, false, ""},
		{`echo !?bar:%`, "", false, `!?bar:%: event not found`},
		{`echo !$`, `echo three`, false, ""},
		{`echo !^`, `echo one`, false, ""},
		{`echo !*`, `echo one two three`, false, ""},
		{`echo !:0`, `echo echo`, false, ""},
		{`echo !:2-3`, `echo two three`, false, ""},
		{`echo !:1*`, `echo one two three`, false, ""},
		{`echo !:1-`, `echo one two`, false, ""},
		{`echo !:2-$`, `echo two three`, false, ""},
		{`echo !:^-2`, `echo one two`, false, ""},
		{`echo !-4:2*`, `echo bar.c /a/b/c.tar.gz baz`, false, ""},
		{`echo !-4:$:h`, `echo baz`, false, ""},
		{`echo !-4:$:t`, `echo baz`, false, ""},
		{`echo !-4:2:r`, `echo bar`, false, ""},
		{`echo !-4:2:e`, `echo .c`, false, ""},
		{`echo !-4:3:h:h`, `echo /a`, false, ""},
		{`echo !-4:3:r:r:e`, `echo /a/b/c`, false, ""},
		{`echo !-2:$:h:t`, `echo dir.d`, false, ""},
		{`echo !-3:4`, `echo 2>&1`, false, ""},
		{`echo !-3:5`, `echo |`, false, ""},
		{`echo !-3:$`, `echo "d q"`, false, ""},
		{`echo !-3:7-9`, `echo > /dev/null &&`, false, ""},
		{`echo !-3:9`, `echo &&`, false, ""},
		{`echo !-3:*:q`, `echo 'ls -l /usr/lib/x.so 2>&1 | cat > /dev/null && echo '\''q !x'\'' "d q"'`, false, ""},
		{`echo !-1:x`, `echo 'echo' 'one' 'two' 'three'`, false, ""},
		{`echo !:s/two/2/`, `echo echo one 2 three`, false, ""},
		{`echo !:gs/o/0/`, `echo ech0 0ne tw0 three`, false, ""},
		{`echo !:s/o/[&]/`, `echo ech[o] one two three`, false, ""},
		{`echo !:s/o/\&/`, `echo ech& one two three`, false, ""},
		{`echo !:s|o|/|`, `echo ech/ one two three`, false, ""},
		{`echo !:s/on/ON`, `echo echo ONe two three`, false, ""},
		{`echo !:s/t\/w/X/`, "", false, `:s/t\/w/X/: substitution failed`},
		{`echo !-4:s/a/X/:s/a/Y/`, `echo echo foo bXr.c /Y/b/c.tar.gz baz`, false, ""},
		{`echo !-4:gs/a/X/:p`, `echo echo foo bXr.c /X/b/c.tXr.gz bXz`, true, ""},
		{`echo !-4:G&`, "", false, `:G&: no previous substitution`},
		{`echo !-4:s/a/A/ !-4:&`, `echo echo foo bAr.c /a/b/c.tar.gz baz echo foo bAr.c /a/b/c.tar.gz baz`, false, ""},
		{`echo !-4:s/a/A/ !-4:g&`, `echo echo foo bAr.c /a/b/c.tar.gz baz echo foo bAr.c /A/b/c.tAr.gz bAz`, false, ""},
		{`echo !?/a/?:s//Z/`, `echo echo foo bar.c Zb/c.tar.gz baz`, false, ""},
		{`^one^1^`, `echo 1 two three`, false, ""},
		{`^one^1^ tail`, `echo 1 two three tail`, false, ""},
		{`^o^0`, `ech0 one two three`, false, ""},
		{`^zz^y`, "", false, `:s^zz^y: substitution failed`},
		{`echo !#`, `echo echo `, false, ""},
		{`echo a !#:1`, `echo a a`, false, ""},
		{`echo 'it!s' !!:1`, `echo 'it!s' one`, false, ""},
		{`echo "!!"`, `echo "echo one two three"`, false, ""},
		{`echo "a!" b!= c! \!! d!`, `echo "a!" b!= c! \!! d!`, false, ""},
		{`echo $! ${!x} [!a]`, `echo $! ${!x} [!a]`, false, ""},
		{`echo # !!`, `echo # !!`, false, ""},
		{`echo a#!!`, `echo a#echo one two three`, false, ""},
		{`echo !!#`, `echo echo one two three#`, false, ""},
		{`echo "$(echo '!!')" $(echo !!:0)`, `echo "$(echo '!!')" $(echo echo)`, false, ""},
		{`echo $'\'!!' '!!'`, `echo $'\'!!' '!!'`, false, ""},
		{`echo !ec:s/foo/F/`, "", false, `:s/foo/F/: substitution failed`},
		{`echo !/tmp`, "", false, `!/tmp: event not found`},
		{`echo "!ec"`, `echo "echo one two three"`, false, ""},
		{`echo !-4;echo !-3:1`, `echo echo foo bar.c /a/b/c.tar.gz baz;echo ls`, false, ""},
		{`!zzz`, "", false, `!zzz: event not found`},
		{`!99`, "", false, `!99: event not found`},
		{`!0`, "", false, `!0: event not found`},
		{`!-99`, "", false, `!-99: event not found`},
		{`!?nothing?`, "", false, `!?nothing?: event not found`},
		{`echo !:9`, "", false, `:9: bad word specifier`},
		{`echo !!:z`, "", false, `z: unrecognized history modifier`},
		{`echo !!:s/zz/y/`, "", false, `:s/zz/y/: substitution failed`},
		{`!!:&`, "", false, `:&: no previous substitution`},
		{`echo !!:`, "", false, `: unrecognized history modifier`},
		{`echo !!:0-9`, "", false, `:0-9: bad word specifier`},
		{`echo !-1:3-2`, "", false, `:3-2: bad word specifier`},
		{`echo !-3:2x`, `echo -lx`, false, ""},
	}
	for _, tc := range tests {
		got, p, err := historyExpand(tc.line, histTestEntries, 1, 0, nil)
		if tc.err != "" {
			var he *histError
			if err == nil || !errors.As(err, &he) || err.Error() != tc.err {
				t.Errorf("%q: got %q, %v; want error %q", tc.line, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want || p != tc.printOnly {
			t.Errorf("%q: got %q, print %v, %v; want %q, print %v", tc.line, got, p, err, tc.want, tc.printOnly)
		}
	}
}

// TestHistoryExpandLines checks what carries from line to line: the quote a
// continuation line starts in, the last substitution and search. The wants
// are bash's for the same lines (within a multi-line echo "...", echo '...'
// and cat <<E for the quoted ones).
func TestHistoryExpandLines(t *testing.T) {
	entries := []string{"echo one two"}
	st := &histExpandState{}
	steps := []struct {
		line  string
		quote byte
		want  string
	}{
		{`x!" !1 "!1`, '"', `x!" echo one two "echo one two`},
		{`a !1 b`, '\'', `a !1 b`},
		{`a' !1`, '\'', `a' echo one two`},
		{`!1`, histQuoteHeredoc, `!1`},
		{`echo !?tw?`, 0, `echo echo one two`},
		{`echo !%`, 0, `echo two`},
		{`echo !1:s//2/`, 0, `echo echo one 2o`},
		{`echo !1:s/one/1/ !1:&`, 0, `echo echo 1 two echo 1 two`},
		{`echo !1:&`, 0, `echo echo 1 two`},
		{`echo !1:gs/o/0/ !1:g&`, 0, `echo ech0 0ne tw0 ech0 0ne tw0`},
	}
	for _, s := range steps {
		got, _, err := historyExpand(s.line, entries, 1, s.quote, st)
		if err != nil || got != s.want {
			t.Errorf("%q (quote %q): got %q, %v; want %q", s.line, s.quote, got, err, s.want)
		}
	}
}

// TestHistoryExpandNumbers checks !n against the numbers the entries have
// when older ones were dropped (HISTSIZE), and an empty history.
func TestHistoryExpandNumbers(t *testing.T) {
	entries := []string{"echo a", "echo b"}
	for line, want := range map[string]string{"!41": "echo a", "!42": "echo b", "!-2": "echo a"} {
		if got, _, err := historyExpand(line, entries, 41, 0, nil); err != nil || got != want {
			t.Errorf("%q: got %q, %v; want %q", line, got, err, want)
		}
	}
	for _, line := range []string{"!1", "!40", "!43", "!-3"} {
		if _, _, err := historyExpand(line, entries, 41, 0, nil); err == nil || err.Error() != line+": event not found" {
			t.Errorf("%q: got %v, want event not found", line, err)
		}
	}
	for _, line := range []string{"!!", "echo !$", "^a^b", "!x", "!?x"} {
		if _, _, err := historyExpand(line, nil, 1, 0, nil); err == nil {
			t.Errorf("%q with no history: no error", line)
		}
	}
	// !( is an extended glob, never an expansion (bash: under extglob)
	if got, _, err := historyExpand("ls !(*.o) !!", entries, 1, 0, nil); err != nil || got != "ls !(*.o) echo b" {
		t.Errorf("!(: got %q, %v", got, err)
	}
}

// TestHistQuoteOf checks the quoting a continuation line starts in.
func TestHistQuoteOf(t *testing.T) {
	for src, want := range map[string]byte{
		"echo 'a\n":          '\'',
		"echo \"a\n":         '"',
		"echo \"$(echo 'a\n": '\'',
		"cat <<E\n":          histQuoteHeredoc,
		"if true\n":          0,
		"echo a |\n":         0,
	} {
		_, err := parseCommand(src)
		if got := histQuoteOf(err); got != want {
			t.Errorf("%q: got %q, want %q", src, got, want)
		}
	}
}

// TestHistoryExpandNoPanic feeds history expansion lines made of the
// characters that matter to it: it must give a result or an error, never
// panic.
func TestHistoryExpandNoPanic(t *testing.T) {
	const chars = "!!!^^:$*%-?#&sgGahtreqxp//\\'\"01239 ab(){}[];|<>\n\t=é"
	entries := []string{"echo a/b.c 'x y' \"$(z)\" 2>&1 | d", "!", "", "é^é"}
	seed := uint32(1)
	next := func(n int) int {
		seed = seed*1664525 + 1013904223
		return int(seed>>8) % n
	}
	st := &histExpandState{}
	for range 50000 {
		var b strings.Builder
		for range next(16) + 1 {
			b.WriteByte(chars[next(len(chars))])
		}
		for _, q := range []byte{0, '\'', '"'} {
			historyExpand(b.String(), entries, 1, q, st)
		}
	}
}

func FuzzHistoryExpand(f *testing.F) {
	for _, s := range []string{"!!", "echo !$:h:t", "^a^b^", "!?x?:%", "!-1:s/a/b/:gs|x|y|:p", "echo '!!' \\!x !#:0"} {
		f.Add(s)
	}
	entries := []string{"echo a/b.c 'x y' \"$(z)\" 2>&1 | d", "ls"}
	f.Fuzz(func(t *testing.T, line string) {
		for _, q := range []byte{0, '\'', '"', histQuoteHeredoc} {
			historyExpand(line, entries, 1, q, &histExpandState{})
		}
	})
}

// TestHistoryExpandDropsContinuation checks that a continuation line whose
// expansion fails (or ends in :p) is left out of the command, newline
// included, as bash does.
func TestHistoryExpandDropsContinuation(t *testing.T) {
	ed := &fakeEditor{steps: []any{"echo one", `echo "a`, "!zzz x", "!!:p", `b"`}}
	_, out, errOut, _ := runInteractive(t, ed, nil)
	if out != "one\na\nb\n" {
		t.Errorf("stdout %q, want %q", out, "one\na\nb\n")
	}
	if !strings.Contains(errOut, "!zzz: event not found") {
		t.Errorf("stderr %q", errOut)
	}
}
