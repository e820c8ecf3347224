package shell

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestComplete(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	os.Mkdir(bin, 0o755)
	os.WriteFile(filepath.Join(bin, "zzmycmd"), []byte("#!/bin/sh\n"), 0o755)
	os.WriteFile(filepath.Join(bin, "zzmydata"), []byte("x"), 0o644)
	work := filepath.Join(dir, "work")
	os.Mkdir(work, 0o755)
	os.WriteFile(filepath.Join(work, "my file.txt"), nil, 0o644)
	os.WriteFile(filepath.Join(work, "my$odd'name"), nil, 0o644)
	os.Mkdir(filepath.Join(work, "mydir"), 0o755)
	os.WriteFile(filepath.Join(work, ".hidden"), nil, 0o644)
	t.Setenv("HOME", work)
	r := New(Options{Arg0: "spork"})
	r.setString("PATH", bin)
	r.dir = work
	r.setString("ZZVAR_ONE", "1")
	r.setString("ZZVAR_TWO", "2")
	r.setFunc("zzmyfunc", nil)
	r.aliases = r.aliases.own()
	r.aliases.m["zzmyalias"] = "ls"

	for _, c := range []struct {
		line  string
		want  []string
		shown int
	}{
		{"zzmyc", []string{"md "}, 5},
		{"zzmya", []string{"lias "}, 5},
		{"echo x | zzmy", []string{"alias", "cmd"}, 4},
		{"a=1 zzmyc", []string{"md "}, 5},
		{"if zzmyc", []string{"md "}, 5},
		{"(zzmyc", []string{"md "}, 6 - 1},
		{"echo $(zzmyc", []string{"md "}, 5},
		{"histor", []string{"y "}, 6},
		{"", nil, 0},
		{"cat my\\ f", []string{"ile.txt "}, 5},
		{"cat my", []string{"\\ file.txt", "\\$odd\\'name", "dir/"}, 2},
		{"cat 'my f", []string{"ile.txt' "}, 5},
		{"cat \"my\\$", []string{"odd'name\" "}, 5},
		{"cat my\\$", []string{"odd\\'name "}, 4},
		{"cd m", []string{"ydir/"}, 1},
		{"cat ~/my\\ ", []string{"file.txt "}, 4},
		{"cat .h", []string{"idden "}, 2},
		{"echo $ZZVAR_", []string{"ONE", "TWO"}, 6},
		{"echo ${ZZVAR_O", []string{"NE}"}, 7},
		{"cat < my\\ f", []string{"ile.txt "}, 5},
		{"cat $HOME/my\\ f", []string{"ile.txt "}, 5},
		{"cat \"${HOME}\"/my\\ f", []string{"ile.txt "}, 5},
		{"cat \"$HOME/my f", []string{"ile.txt\" "}, 4},
		{"cd $HOME/m", []string{"ydir/"}, 1},
		{"cat '$HOME/my", nil, 0},
	} {
		got := r.Complete(c.line, len(c.line))
		if !reflect.DeepEqual(got.Candidates, c.want) || (c.want != nil && got.Shown != c.shown) {
			t.Errorf("Complete(%q) = %q shown %d, want %q shown %d", c.line, got.Candidates, got.Shown, c.want, c.shown)
		}
	}
	// in the middle of a line
	line := "cat my\\ f | wc"
	if got := r.Complete(line, len("cat my\\ f")); !reflect.DeepEqual(got.Candidates, []string{"ile.txt "}) {
		t.Errorf("mid-line completion %q", got.Candidates)
	}
}
