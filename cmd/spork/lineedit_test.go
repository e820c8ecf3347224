package main

import (
	"strings"
	"testing"

	"github.com/chzyer/readline"
)

// readlineWidth is the width readline v1.5.1 gives a prompt when it places
// the cursor (RuneBuffer.promptLen).
func readlineWidth(p string) int {
	var rs readline.Runes
	return rs.WidthAll(rs.ColorFilter([]rune(p)))
}

func TestSplitPromptWidth(t *testing.T) {
	for _, c := range []struct {
		prompt, before, last string
		width                int
	}{
		{"spork-0.1$ ", "", "spork-0.1$ ", 11},
		// colour spans stay in place and count for nothing
		{"\x01\x1b[1;32m\x02me\x01\x1b[0m\x02:~$ ", "", "\x1b[1;32mme\x1b[0m:~$ ", 6},
		// a window title is printed before the prompt
		{"\x01\x1b]0;me@host: ~\a\x02me$ ", "\x1b]0;me@host: ~\a", "me$ ", 4},
		// other escape sequences too (cursor movement, erase)
		{"\x01\x1b[K\x02$ ", "\x1b[K", "$ ", 2},
		// lines before the last are printed once
		{"me@host ~\n\x01\x1b[33m\x02$\x01\x1b[0m\x02 ", "me@host ~\r\n", "\x1b[33m$\x1b[0m ", 2},
		// an unclosed span and a trailing escape do not break readline
		{"$ \x01\x1b[1m", "", "$ \x1b[1m", 2},
		{"$ \x1b", "", "$ ", 2},
	} {
		before, last := splitPrompt(c.prompt)
		if before != c.before || last != c.last {
			t.Errorf("splitPrompt(%q) = %q, %q; want %q, %q", c.prompt, before, last, c.before, c.last)
		}
		if w := readlineWidth(last); w != c.width {
			t.Errorf("prompt %q: readline width %d, want %d", c.prompt, w, c.width)
		}
	}
}

func TestFilterInputRune(t *testing.T) {
	var e lineEditor
	if r, ok := e.filterInputRune(readline.CharCtrlZ); r == readline.CharCtrlZ || !ok {
		t.Errorf("^Z passes through as %d", r)
	}
	if r, ok := e.filterInputRune('a'); r != 'a' || !ok {
		t.Errorf("'a' became %d", r)
	}
}

func TestWrapFixWriter(t *testing.T) {
	var b strings.Builder
	w := wrapFixWriter{&b}
	in := "# abc\b\b\b\x1b[A\r\x1b[60C\b\b"
	if n, err := w.Write([]byte(in)); n != len(in) || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if want := "# abc\b\b\x1b[A\r\x1b[60C\b\b"; b.String() != want {
		t.Errorf("wrote %q, want %q", b.String(), want)
	}
}

func TestCommonPrefix(t *testing.T) {
	got := commonPrefix([][]rune{[]rune("alpha1"), []rune("alpha2"), []rune("alp")})
	if string(got) != "alp" {
		t.Errorf("commonPrefix = %q", string(got))
	}
}
