package shell

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeEditor replays scripted lines (or errors) and records the prompts
// it was asked to show.
type fakeEditor struct {
	steps   []any // string or error
	prompts []string
	history []string
}

func (f *fakeEditor) ReadLine(prompt string, continued bool) (string, error) {
	kind := "PS1:"
	if continued {
		kind = "PS2:"
	}
	f.prompts = append(f.prompts, kind+prompt)
	if len(f.steps) == 0 {
		return "", io.EOF
	}
	s := f.steps[0]
	f.steps = f.steps[1:]
	if err, ok := s.(error); ok {
		return "", err
	}
	return s.(string), nil
}

func (f *fakeEditor) SetHistory(entries []string) {
	if f.history == nil {
		f.history = entries // what the first prompt offers
	}
}

func (f *fakeEditor) SetCompleter(func(string, int) Completion) {}

// runInteractive runs an interactive shell on ed with HOME set to a new
// directory and returns its output and status.
func runInteractive(t *testing.T, ed *fakeEditor, setup func(home string)) (home, stdout, stderr string, status int) {
	t.Helper()
	home = t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("ENV", "")
	os.Unsetenv("ENV")
	for _, v := range []string{"HISTFILE", "HISTSIZE", "HISTFILESIZE", "HISTCONTROL", "PS1"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	if setup != nil {
		setup(home)
	}
	r := New(Options{Arg0: "spork", Interactive: true})
	out, errOut, st := captureOutput(t, r, func() int {
		return r.Exit(r.Interactive(Session{Editor: ed, Version: "0.1.0"}))
	})
	return home, out, errOut, st
}

func TestInteractiveLoop(t *testing.T) {
	ed := &fakeEditor{steps: []any{
		"echo one",
		"for i in 1 2", "do echo $i", "done",
		"echo 'open", "quote'",
		"if true", "then echo yes", "fi",
		"echo a |", "tr a b",
		"cat <<EOF", "doc", "EOF",
		"echo con\\", "tinued",
		"echo 'half", ErrInterrupted,
		"echo st=$?",
		"echo )",
		"echo st=$?",
		" echo hidden",
		"echo st=$?",
		"echo st=$?",
		"PS1='[\\u \\W]\\$ '",
	}}
	home, out, errOut, st := runInteractive(t, ed, nil)
	want := "one\n1\n2\nopen\nquote\nyes\nb\ndoc\ncontinued\nst=130\nst=2\nhidden\nst=0\nst=0\n"
	if out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	if st != 0 {
		t.Errorf("status %d", st)
	}
	if !strings.Contains(errOut, "syntax error") || !strings.HasSuffix(errOut, "exit\n") {
		t.Errorf("stderr %q", errOut)
	}
	ps1 := "spork-0.1$ "
	if os.Geteuid() == 0 {
		ps1 = "spork-0.1# "
	}
	wantPrompts := []string{"PS1:" + ps1,
		"PS1:" + ps1, "PS2:> ", "PS2:> ",
		"PS1:" + ps1, "PS2:> ",
		"PS1:" + ps1, "PS2:> ", "PS2:> ",
		"PS1:" + ps1, "PS2:> ",
		"PS1:" + ps1, "PS2:> ", "PS2:> ",
		"PS1:" + ps1, "PS2:> ",
		"PS1:" + ps1, "PS2:> ",
	}
	for i, p := range wantPrompts {
		if i >= len(ed.prompts) || ed.prompts[i] != p {
			t.Fatalf("prompts %q, want prefix %q", ed.prompts, wantPrompts)
		}
	}
	last := ed.prompts[len(ed.prompts)-1]
	wd, _ := os.Getwd()
	wantLast := "PS1:[" + userName() + " " + filepath.Base(wd) + "]" + map[bool]string{true: "#", false: "$"}[os.Geteuid() == 0] + " "
	if last != wantLast {
		t.Errorf("last prompt %q, want %q", last, wantLast)
	}
	data, err := os.ReadFile(filepath.Join(home, ".spork_history"))
	if err != nil {
		t.Fatal(err)
	}
	entries := parseHistoryFile(string(data))
	wantEntries := []string{"echo one", "for i in 1 2; do echo $i; done", "echo 'open\nquote'",
		"if true; then echo yes; fi", "echo a | tr a b", "cat <<EOF\ndoc\nEOF", "echo continued",
		"echo st=$?", "echo )", "echo st=$?", "PS1='[\\u \\W]\\$ '"}
	if strings.Join(entries, "|") != strings.Join(wantEntries, "|") {
		t.Errorf("history file entries\n%q\nwant\n%q", entries, wantEntries)
	}
	if st, _ := os.Stat(filepath.Join(home, ".spork_history")); st.Mode().Perm() != 0o600 {
		t.Errorf("history file mode %v", st.Mode().Perm())
	}
}

func TestInteractiveHistoryAcrossSessions(t *testing.T) {
	var home string
	ed := &fakeEditor{steps: []any{"echo first", "echo second"}}
	home, _, _, _ = runInteractive(t, ed, nil)
	hist := filepath.Join(home, ".spork_history")
	data, _ := os.ReadFile(hist)
	ed2 := &fakeEditor{steps: []any{"history", "echo third", "history 2"}}
	_, out, _, _ := runInteractive(t, ed2, func(h string) {
		os.WriteFile(filepath.Join(h, ".spork_history"), data, 0o600)
	})
	wantOut := "    1  echo first\n    2  echo second\n    3  history\nthird\n    4  echo third\n    5  history 2\n"
	if out != wantOut {
		t.Errorf("stdout %q, want %q", out, wantOut)
	}
	if len(ed2.history) != 2 || ed2.history[1] != "echo second" {
		t.Errorf("editor got history %q before the first prompt", ed2.history)
	}
}

func TestHistoryLimits(t *testing.T) {
	ed := &fakeEditor{steps: []any{
		"HISTSIZE=3 HISTFILESIZE=4",
		"echo a", "echo a", "echo b", "echo c", "echo d",
		"history",
		"history -d 5", "history",
		"history -c", "history",
	}}
	home, out, _, _ := runInteractive(t, ed, nil)
	want := "a\na\nb\nc\nd\n" +
		"    4  echo c\n    5  echo d\n    6  history\n" +
		"    5  history\n    6  history -d 5\n    7  history\n" +
		"    1  history\n"
	if out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	data, _ := os.ReadFile(filepath.Join(home, ".spork_history"))
	entries := parseHistoryFile(string(data))
	if len(entries) != 4 || entries[3] != "history" || entries[0] != "history -d 5" {
		t.Errorf("history file %q", entries)
	}
}

func TestParseHistoryFile(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a\nb\n\nc\n", "a|b|c"},
		{"old\n#1700000000\nfor i in 1\ndo :\ndone\n#1700000001\necho x\n", "old|for i in 1\ndo :\ndone|echo x"},
		{"#12\n#13\nx\n", "x"},
	} {
		if got := strings.Join(parseHistoryFile(c.in), "|"); got != c.want {
			t.Errorf("parseHistoryFile(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestStartupFiles(t *testing.T) {
	ed := &fakeEditor{steps: []any{"echo $FROM_RC $FROM_PROFILE"}}
	_, out, _, _ := runInteractive(t, ed, func(home string) {
		os.WriteFile(filepath.Join(home, ".sporkrc"), []byte("FROM_RC=rc\n"), 0o644)
		os.WriteFile(filepath.Join(home, ".profile"), []byte("FROM_PROFILE=profile\n"), 0o644)
	})
	if out != "rc\n" {
		t.Errorf("rc: stdout %q", out)
	}
	ed = &fakeEditor{steps: []any{"echo $FROM_ENV $FROM_RC"}}
	_, out, _, _ = runInteractive(t, ed, func(home string) {
		os.WriteFile(filepath.Join(home, ".sporkrc"), []byte("FROM_RC=rc\n"), 0o644)
		os.WriteFile(filepath.Join(home, "envfile"), []byte("FROM_ENV=env\n"), 0o644)
		os.Setenv("ENV", "$HOME/envfile")
	})
	if out != "env\n" {
		t.Errorf("ENV: stdout %q", out)
	}
	ed = &fakeEditor{steps: []any{"echo not reached"}}
	_, out, _, st := runInteractive(t, ed, func(home string) {
		os.WriteFile(filepath.Join(home, ".sporkrc"), []byte("echo bye; exit 7\n"), 0o644)
	})
	if out != "bye\n" || st != 7 {
		t.Errorf("exit in rc: stdout %q status %d", out, st)
	}
}

func TestIgnoreEOF(t *testing.T) {
	ed := &fakeEditor{steps: []any{"set -o ignoreeof; IGNOREEOF=1", io.EOF, "echo still here"}}
	_, out, errOut, _ := runInteractive(t, ed, nil)
	if out != "still here\n" || !strings.Contains(errOut, `Use "exit" to leave the shell.`) {
		t.Errorf("stdout %q stderr %q", out, errOut)
	}
}

func TestDecodePrompt(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	r := New(Options{Arg0: "/bin/spork"})
	r.sh.ia.version = "0.1.0"
	dir := filepath.Join(home, "a$b")
	r.setString("PWD", dir)
	dollar := `\$`
	if os.Geteuid() == 0 {
		dollar = "#"
	}
	for _, c := range []struct{ in, want string }{
		{`\s-\v\$ `, "spork-0.1" + dollar + " "},
		{`\V`, "0.1.0"},
		{`\w`, `~/a\$b`},
		{`\W`, `a\$b`},
		{`\u`, userName()},
		{`\h`, strings.SplitN(hostName(), ".", 2)[0]},
		{`\[\e[1m\]x\[\e[0m\]`, "\x01\x1b[1m\x02x\x01\x1b[0m\x02"},
		{`a\nb\\c\101\q`, "a\nb\\\\cA\\q"},
		{`\D{%Y}`, "2024"},
		{`\t`, "13:04:05"},
		{`\d`, "Fri Mar 01"},
	} {
		now := mustTime(t, "2024-03-01T13:04:05Z")
		if got := r.decodePrompt(c.in, now); got != c.want {
			t.Errorf("decodePrompt(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	r.setString("PS1", `\w $(echo sub) ${X:-x}\$ `)
	r.lastStatus = 3
	want := "~/a$b sub x" + map[bool]string{true: "#", false: "$"}[os.Geteuid() == 0] + " "
	if got := r.renderPrompt("PS1"); got != want {
		t.Errorf("renderPrompt = %q, want %q", got, want)
	}
	if r.lastStatus != 3 {
		t.Errorf("prompt changed $? to %d", r.lastStatus)
	}
	r.setString("PROMPT_DIRTRIM", "2")
	r.setString("PWD", "/usr/local/share/doc")
	if got := r.promptDir(false); got != "/.../share/doc" {
		t.Errorf("PROMPT_DIRTRIM: %q", got)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestHelpCoversEveryBuiltin(t *testing.T) {
	for _, n := range builtinNames() {
		if _, ok := builtinHelp[n]; !ok {
			t.Errorf("builtin %s has no help line", n)
		}
	}
}

func TestHistoryOptionOff(t *testing.T) {
	ed := &fakeEditor{steps: []any{
		"echo a", "set +o history", "echo secret", "set -o history", "echo b", "history",
	}}
	_, out, _, _ := runInteractive(t, ed, nil)
	// as bash: a line goes into the history as it is read, so the line
	// that turns history on again is not kept
	want := "a\nsecret\nb\n    1  echo a\n    2  set +o history\n    3  echo b\n    4  history\n"
	if out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
}

func TestPromptFromEnvironment(t *testing.T) {
	ed := &fakeEditor{steps: []any{"echo $PS2"}}
	_, out, _, _ := runInteractive(t, ed, func(string) {
		os.Setenv("PS1", "env> ") // runInteractive's t.Setenv restores it
		t.Setenv("PS2", "more> ")
	})
	if out != "more>\n" || len(ed.prompts) == 0 || ed.prompts[0] != "PS1:env> " {
		t.Errorf("stdout %q, prompts %q: want PS1 and PS2 from the environment", out, ed.prompts)
	}
}
