package shell

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// compgen and complete, compared with bash where it is installed (the
// expected outputs below are bash's).
func TestCompgen(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"dir1", "sp ace", ".hid"} {
		os.Mkdir(filepath.Join(dir, d), 0o755)
	}
	for _, f := range []string{"a.c", "b.txt", ".dot", "x y", "dir1/f"} {
		os.WriteFile(filepath.Join(dir, f), nil, 0o644)
	}
	os.WriteFile(filepath.Join(dir, ".hid", "hosts"), []byte("# c\n10.0.0.1 zeta alpha # x\n\n10.0.0.2\tbeta\n"), 0o644)
	cases := []struct {
		src, want string
		status    int
	}{
		{`compgen -W "start stop status" st`, "start\nstop\nstatus\n", 0},
		{`compgen -W "start stop status" -- sta`, "start\nstatus\n", 0},
		{`compgen -W "a b" zz`, "", 1},
		{`compgen`, "", 0},
		{`compgen -P "<" -S ">" -W "aa ab b" a`, "<aa>\n<ab>\n", 0},
		{`compgen -W '"q r" x\ y $PWD_X' ; :`, "q r\nx y\n", 0},
		{`x=1 IFS=: ; compgen -W "a b:c"`, "a b\nc\n", 0},
		{`compgen -W '$(echo x y) "$(echo p q)" z'`, "x\ny\np q\nz\n", 0},
		{`v="a b"; compgen -W '$v ${v:-c d} a{1,2} *'`, "a\nb\na\nb\na1\na2\n*\n", 0},
		{`compgen -X '*.c' -W "a.c b.h c.c"`, "b.h\n", 0},
		{`compgen -X '!*.c' -W "a.c b.h c.c"`, "a.c\nc.c\n", 0},
		{`compgen -X '&.c' -W "a.c x.c b" ''`, "a.c\nx.c\nb\n", 0},
		{`compgen -X '&' -W 'a*b axb a*' 'a*'; compgen -X '!&*' -W 'a?b a?c axb' 'a?'`, "a*b\na?b\na?c\n", 0},
		{`compgen -f | sort`, ".dot\n.hid\na.c\nb.txt\ndir1\nsp ace\nx y\n", 0},
		{`compgen -d | sort`, ".hid\ndir1\nsp ace\n", 0},
		{`compgen -f dir1/`, "dir1/f\n", 0},
		{`compgen -G '*' | sort`, "a.c\nb.txt\ndir1\nsp ace\nx y\n", 0},
		{`compgen -G '.d*'; compgen -G '*/f'`, ".dot\ndir1/f\n", 0},
		{`compgen -A directory d`, "dir1\n", 0},
		{`compgen -o dirnames -W zz d`, "dir1\n", 0},
		{`compgen -o plusdirs -W zz "" | sort`, ".hid\ndir1\nsp ace\nzz\n", 0},
		{`compgen -o default -W zz d`, "dir1\n", 0},
		{`compgen -k whi`, "while\n", 0},
		{`HOSTFILE=.hid/hosts; compgen -A hostname; compgen -A hostname b`, "zeta\nalpha\nbeta\nbeta\n", 0},
		{`compgen -b compg`, "compgen\n", 0},
		{`f1() { :; }; f2() { :; }; compgen -A function f | sort`, "f1\nf2\n", 0},
		{`alias ll=ls; compgen -a l`, "ll\n", 0},
		{`ZZA=1; export ZZB=2; compgen -v ZZ; compgen -e ZZ`, "ZZA\nZZB\nZZB\n", 0},
		{`compgen -A export ZZNONE`, "", 1},
		{`compgen -A nosuch`, "", 2},
		{`compgen -c compg`, "compgen\n", 0},
		{`f() { COMPREPLY=(one two); }; compgen -F f 2>/dev/null`, "one\ntwo\n", 0},
		{`complete -W "a b" -o nospace x; complete -p x`, "complete -o nospace -W 'a b' x\n", 0},
		{`complete -F _f -o default -d git; complete -p`, "complete -o default -d -F _f git\n", 0},
		{`complete -D -F _l; complete -E -W y; complete -p`, "complete -F _l -D\ncomplete -W 'y' -E\n", 0},
		{`complete -I -F _i; compopt -o nospace -I; complete -p -I; complete -r -I`, "complete -o nospace -F _i -I\n", 0},
		{`complete -W a x; complete -r x; complete -p x`, "", 1},
		{`complete -W a y; complete -r nosuch`, "", 1},
		{`complete -o bogus x`, "", 2},
		{`complete -W 'a b' -- 'we ird' "it's"; complete -p 'we ird' "it's"`, "complete -W 'a b' 'we ird'\ncomplete -W 'a b' 'it'\\''s'\n", 0},
		{`complete -C 'cmd' -F _f x; complete -p x`, "complete -C 'cmd' -F _f x\n", 0},
	}
	var bash string
	if p, err := exec.LookPath("bash"); err == nil {
		bash = p
	}
	for _, c := range cases {
		r := New(Options{Arg0: "spork"})
		r.dir = dir
		out, _, st := runIn(t, r, c.src, "")
		if out != c.want || st != c.status {
			t.Errorf("%s: got %q status %d, want %q status %d", c.src, out, st, c.want, c.status)
		}
		if bash == "" {
			continue
		}
		cmd := exec.Command(bash, "-c", c.src)
		cmd.Dir = dir
		b, err := cmd.Output()
		bst := 0
		if e, ok := err.(*exec.ExitError); ok {
			bst = e.ExitCode()
		}
		if string(b) != c.want || bst != c.status {
			t.Errorf("bash disagrees with the table on %s: %q status %d", c.src, b, bst)
		}
	}
}

func TestProgrammableTab(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub dir"), 0o755)
	os.WriteFile(filepath.Join(dir, "file1"), nil, 0o644)
	r := New(Options{Arg0: "spork"})
	r.dir = dir
	_, errOut, st := runIn(t, r, `
_mycmd() {
	LOG="$1|$2|$3|${COMP_WORDS[*]}|$COMP_CWORD|$COMP_LINE|$COMP_POINT|$COMP_TYPE"
	COMPREPLY=( $(compgen -W "start stop status --opt=val" -- "$2") )
	return 3
}
complete -F _mycmd mycmd
_nosp() { COMPREPLY=(abc); compopt -o nospace; }
complete -F _nosp nosp
complete -W "alpha beta" -o default wl
_files() { local IFS=$'\n'; COMPREPLY=( $(compgen -f -- "$2") ); }
complete -o filenames -F _files fl
_slow() { while :; do :; done; }
complete -F _slow slow
_bad() { echo oops >&2; return 1; }
complete -F _bad bad
_reload() { complete -W "loaded" reload; return 124; }
complete -F _reload reload
complete -I -W "zzone zztwo"
`, "")
	if st != 0 || errOut != "" {
		t.Fatalf("setup: %d %s", st, errOut)
	}
	r.lastStatus = 42
	for _, c := range []struct {
		line string
		want []string
	}{
		{"mycmd st", []string{"art", "atus", "op"}},
		{"mycmd sta", []string{"rt ", "tus "}[:2]},
		{"mycmd star", []string{"t "}},
		{"echo x; mycmd sto", []string{"p "}},
		{"nosp a", []string{"bc"}},
		{"wl al", []string{"pha "}},
		{"wl fi", []string{"le1 "}},
		{"fl su", []string{`b\ dir/`}},
		{"fl fi", []string{"le1 "}},
		{"reload lo", []string{"aded "}},
		{"nocomp fi", []string{"le1 "}},
		{"zzo", []string{"ne "}},
		{"echo x; zzt", []string{"wo "}},
	} {
		got := r.Complete(c.line, len(c.line)).Candidates
		if c.line == "mycmd sta" {
			c.want = []string{"rt", "tus"}
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %q, want %q", c.line, got, c.want)
		}
	}
	line := "mycmd x st  ; :"
	r.Complete(line, 10)
	if got, want := r.getString("LOG"), "mycmd|st|x|mycmd x st|2|mycmd x st  |10|9"; got != want {
		t.Errorf("COMP_ variables: got %q, want %q", got, want)
	}
	r.Complete("mycmd x  y", 8)
	if got, want := r.getString("LOG"), "mycmd||x|mycmd x  y|2|mycmd x  y|8|9"; got != want {
		t.Errorf("between words: got %q, want %q", got, want)
	}
	if r.lastStatus != 42 || r.Get("COMP_WORDS").IsSet() {
		t.Errorf("$? or COMP_WORDS changed: %d", r.lastStatus)
	}
	_, errOut, _ = captureOutput(t, r, func() int {
		r.Complete("bad x", 5)
		return 0
	})
	if !strings.Contains(errOut, "oops") {
		t.Errorf("stderr of the function: %q", errOut)
	}
	if testing.Short() {
		return
	}
	defer func(d time.Duration) { compFuncLimit = d }(compFuncLimit)
	compFuncLimit = 300 * time.Millisecond
	if got := r.Complete("slow x", 6).Candidates; got != nil {
		t.Errorf("slow: %q", got)
	}
	if out, _, _ := runIn(t, r, "echo still here", ""); out != "still here\n" {
		t.Errorf("after the slow function: %q", out)
	}
}

func TestSplitCompWords(t *testing.T) {
	for _, c := range []struct {
		line  string
		point int
		words string
		cword int
	}{
		{"git log --format=a", 18, "git,log,--format,=,a", 4},
		{"git log --format=", 17, "git,log,--format,=", 3},
		{"git show HEAD:fi", 16, "git,show,HEAD,:,fi", 4},
		{`cmd "a b" c`, 11, `cmd,"a b",c`, 2},
		{"cmd ", 4, "cmd,", 1},
		{"cmd a  b", 6, "cmd,a,,b", 2},
		{`cmd a\ b`, 8, `cmd,a\ b`, 1},
		{"cmd >out", 8, "cmd,>,out", 2},
	} {
		ws, cw := splitCompWords(c.line, c.point, defaultWordbreaks)
		var texts []string
		for _, w := range ws {
			texts = append(texts, w.text)
		}
		if strings.Join(texts, ",") != c.words || cw != c.cword {
			t.Errorf("%q: got %q %d, want %q %d", c.line, texts, cw, c.words, c.cword)
		}
	}
}

// complete -p prints what eval turns back into the same compspecs, also
// for names that need quoting or start with a dash (bash's output fails
// on those).
func TestCompletePrintRoundTrip(t *testing.T) {
	r := New(Options{Arg0: "spork"})
	src := `complete -W "it's \"b\" \$x" -X '!*.@(c|h)' -P "p'" -S ' s' 'we ird'
complete -C 'echo "$1"' -F _f -- -dash
complete -o nospace -A hostname -u -G '*.txt' "a'b" ''
complete -W '' -E
complete -F _d -D
`
	out, errOut, st := runIn(t, r, src+`complete -p`, "")
	if st != 0 || errOut != "" {
		t.Fatalf("complete -p: %d %s", st, errOut)
	}
	r2 := New(Options{Arg0: "spork"})
	got, errOut, st := runIn(t, r2, "eval "+singleQuote(out)+"; complete -p", "")
	if st != 0 || errOut != "" || got != out {
		t.Errorf("round trip: status %d, stderr %q\n got %q\nwant %q", st, errOut, got, out)
	}
	if !strings.Contains(out, " -- -dash\n") || !strings.Contains(out, " 'we ird'\n") {
		t.Errorf("complete -p: %q", out)
	}
}
