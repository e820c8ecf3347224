package shell

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFcList(t *testing.T) {
	ed := &fakeEditor{steps: []any{
		"echo one", "echo two", "echo three",
		"fc -l",       // 4: the last 16, without itself
		"fc -l 2",     // 5: from 2 to the entry before the fc line
		"fc -l -2",    // 6: offsets from the end
		"fc -ln 1 2",  // 7: no numbers
		"fc -lr 1 2",  // 8: reversed
		"fc -l 2 1",   // 9: last before first: reversed too
		"fc -l echo",  // 10: the newest entry starting with echo
		"fc -l 99 -9", // 11: out of range: clamped
		"fc -l -- -0", // 12: the fc line itself
		"fc -l nosuch; echo st=$?",
		"fc -l -q; echo st=$?",
	}}
	_, out, errOut, _ := runInteractive(t, ed, nil)
	want := "one\ntwo\nthree\n1\t echo one\n2\t echo two\n3\t echo three\n" +
		"2\t echo two\n3\t echo three\n4\t fc -l\n" +
		"4\t fc -l\n5\t fc -l 2\n" +
		"\t echo one\n\t echo two\n" +
		"2\t echo two\n1\t echo one\n" +
		"2\t echo two\n1\t echo one\n" +
		"3\t echo three\n4\t fc -l\n5\t fc -l 2\n6\t fc -l -2\n7\t fc -ln 1 2\n8\t fc -lr 1 2\n9\t fc -l 2 1\n" +
		"1\t echo one\n2\t echo two\n" +
		"12\t fc -l -- -0\n" +
		"st=1\n" +
		"st=2\n"
	if out != want {
		t.Errorf("stdout\n%s\nwant\n%s", out, want)
	}
	for _, e := range []string{"spork: fc: no command found\n", "spork: fc: -q: invalid option\nfc: usage: fc [-e ename] [-lnr] [first] [last] or fc -s [pat=rep] [command]\n"} {
		if !strings.Contains(errOut, e) {
			t.Errorf("stderr %q lacks %q", errOut, e)
		}
	}
}

func TestFcListSixteen(t *testing.T) {
	var steps []any
	for i := range 20 {
		steps = append(steps, "echo "+string(rune('a'+i)))
	}
	steps = append(steps, "fc -l")
	_, out, _, _ := runInteractive(t, &fakeEditor{steps: steps}, nil)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	lines = lines[20:]
	if len(lines) != 16 || lines[0] != "5\t echo e" || lines[15] != "20\t echo t" {
		t.Errorf("fc -l listed %q", lines)
	}
}

func TestFcExecute(t *testing.T) {
	ed := &fakeEditor{steps: []any{
		"echo aaa bbb aaa",
		"fc -s",                       // runs it again (a repeat: not stored again)
		"fc -s a=x b=y",               // every a, then every b
		"fc -s xx=z echo; echo st=$?", // the newest entry starting with echo
		"fc -e - echo",                // POSIX's spelling
		"fc -s nosuch; echo st=$?",
		"fc -s -- -0; echo st=$?",
		"history",
	}}
	home, out, errOut, _ := runInteractive(t, ed, nil)
	want := "aaa bbb aaa\naaa bbb aaa\nxxx yyy xxx\nzx yyy zx\nst=0\nzx yyy zx\nst=1\nst=1\n" +
		"    1  echo aaa bbb aaa\n    2  echo xxx yyy xxx\n    3  echo zx yyy zx\n" +
		"    4  fc -s nosuch; echo st=$?\n    5  fc -s -- -0; echo st=$?\n    6  history\n"
	if out != want {
		t.Errorf("stdout\n%s\nwant\n%s", out, want)
	}
	wantErr := "echo aaa bbb aaa\necho xxx yyy xxx\necho zx yyy zx\necho zx yyy zx\n" +
		"spork: fc: no command found\nspork: fc: no command found\n"
	if !strings.HasPrefix(errOut, wantErr) {
		t.Errorf("stderr\n%s\nwant prefix\n%s", errOut, wantErr)
	}
	// the history file has the commands run instead of the fc lines
	data, _ := os.ReadFile(filepath.Join(home, ".spork_history"))
	got := strings.Join(parseHistoryFile(string(data)), "|")
	if wantFile := "echo aaa bbb aaa|echo xxx yyy xxx|echo zx yyy zx|fc -s nosuch; echo st=$?|fc -s -- -0; echo st=$?|history"; got != wantFile {
		t.Errorf("history file %q, want %q", got, wantFile)
	}
}

func TestFcEdit(t *testing.T) {
	ed := &fakeEditor{steps: []any{
		"echo aaa", "echo bbb",
		"fc -e 'sed -i s/a/c/g' 1 2",           // edits both, runs both, keeps both
		"fc -e false; echo st=$?",              // a failing editor: nothing runs
		"FCEDIT=$HOME/ed.sh fc -2",             // $FCEDIT
		"EDITOR=$HOME/ed.sh fc -e true -- -99", // -e before $EDITOR; out of range: the oldest
		"for i in 1 2", "do echo $i", "done",
		"EDITOR=$HOME/ed.sh fc",
		"fc -e true -- -0; echo st=$?",
		"fc -l",
	}}
	home, out, errOut, _ := runInteractive(t, ed, func(home string) {
		os.WriteFile(filepath.Join(home, "ed.sh"), []byte("#!/bin/sh\necho 'echo edited' >>\"$1\"\n"), 0o755)
	})
	want := "aaa\nbbb\nccc\nbbb\nst=1\nccc\nedited\naaa\n1\n2\n1\n2\nedited\nst=1\n" +
		"1\t echo aaa\n2\t echo bbb\n3\t echo ccc\n4\t echo bbb\n5\t echo ccc\n6\t echo edited\n7\t echo aaa\n" +
		"8\t for i in 1 2; do echo $i; done\n9\t echo edited\n" + // a repeat is not stored (HISTCONTROL)
		"10\t fc -e true -- -0; echo st=$?\n"
	if out != want {
		t.Errorf("stdout\n%s\nwant\n%s", out, want)
	}
	wantErr := "echo ccc\necho bbb\necho ccc\necho edited\necho aaa\nfor i in 1 2; do echo $i; done\necho edited\n" +
		"spork: fc: history specification out of range\n"
	if !strings.HasPrefix(errOut, wantErr) {
		t.Errorf("stderr\n%s\nwant prefix\n%s", errOut, wantErr)
	}
	data, _ := os.ReadFile(filepath.Join(home, ".spork_history"))
	if entries := parseHistoryFile(string(data)); len(entries) != 11 || entries[2] != "echo ccc" {
		t.Errorf("history file %q", entries)
	}
}

func TestFcSubshellKeepsHistory(t *testing.T) {
	ed := &fakeEditor{steps: []any{
		"echo a", "(fc -s a=b)", "x=$(fc -l -1); echo \"$x\"", "history",
	}}
	_, out, _, _ := runInteractive(t, ed, nil)
	want := "a\nb\n2\t (fc -s a=b)\n    1  echo a\n    2  (fc -s a=b)\n    3  x=$(fc -l -1); echo \"$x\"\n    4  history\n"
	if out != want {
		t.Errorf("stdout\n%s\nwant\n%s", out, want)
	}
}
