package tests

// End-to-end tests of interactive spork: the built binary runs on a
// pseudo-terminal (github.com/creack/pty) with HOME set to a new
// directory, and the tests type at it and wait for what it prints. They
// never assert timing: every wait has a generous deadline, and the tests
// only send keys once the prompt they are meant for is on screen.

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// waitDeadline bounds every wait for output; tests never depend on it
// being short.
const waitDeadline = 20 * time.Second

// term is a spork (or a command around it) running on a pseudo-terminal.
type term struct {
	t    *testing.T
	cmd  *exec.Cmd
	pty  *os.File
	mu   sync.Mutex
	out  bytes.Buffer // everything the terminal showed
	seen int          // how far expect has consumed out
	done chan struct{}
	home string
}

// dollar is how \$ renders for the user running the tests.
func dollar() string {
	if os.Geteuid() == 0 {
		return "#"
	}
	return "$"
}

// newHome makes a home directory with the given files (name → content).
func newHome(t *testing.T, files map[string]string) string {
	t.Helper()
	home := t.TempDir()
	for name, content := range files {
		p := filepath.Join(home, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return home
}

// startTerm runs argv on a new 80x24 pseudo-terminal in home.
func startTerm(t *testing.T, home string, env []string, argv ...string) *term {
	t.Helper()
	if buildErr != nil {
		t.Fatalf("%v\n%s", buildErr, buildOutput)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = home
	cmd.Env = []string{"HOME=" + home, "TERM=xterm", "LANG=C"}
	path := "PATH=/usr/local/bin:/usr/bin:/bin"
	for _, kv := range env {
		if strings.HasPrefix(kv, "PATH=") {
			path = kv
		} else {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, path)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatal(err)
	}
	tm := &term{t: t, cmd: cmd, pty: f, done: make(chan struct{}), home: home}
	go func() {
		defer close(tm.done)
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			tm.mu.Lock()
			tm.out.Write(buf[:n])
			tm.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		f.Close()
		<-tm.done
		cmd.Wait()
	})
	return tm
}

// startSpork runs the built spork interactively on a pseudo-terminal.
func startSpork(t *testing.T, home string, env []string, args ...string) *term {
	return startTerm(t, home, env, append([]string{sporkBin}, args...)...)
}

// expect waits until the terminal has shown s after what earlier expects
// consumed, and consumes up to the end of it.
func (tm *term) expect(s string) {
	tm.t.Helper()
	deadline := time.Now().Add(waitDeadline)
	for {
		tm.mu.Lock()
		rest := tm.out.String()[tm.seen:]
		if i := strings.Index(rest, s); i >= 0 {
			tm.seen += i + len(s)
			tm.mu.Unlock()
			return
		}
		tm.mu.Unlock()
		select {
		case <-tm.done:
			tm.mu.Lock()
			rest = tm.out.String()[tm.seen:]
			tm.mu.Unlock()
			if strings.Contains(rest, s) {
				continue
			}
			tm.t.Fatalf("spork ended without showing %q; it showed:\n%q", s, rest)
		default:
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("no %q within %v; the terminal showed:\n%q", s, waitDeadline, rest)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// shown returns what the terminal showed since the last expect.
func (tm *term) shown() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.out.String()[tm.seen:]
}

// all returns everything the terminal showed.
func (tm *term) all() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.out.String()
}

// send types s.
func (tm *term) send(s string) {
	tm.t.Helper()
	if _, err := tm.pty.Write([]byte(s)); err != nil {
		tm.t.Fatalf("typing %q: %v", s, err)
	}
}

// wait waits for the program to exit and returns its status.
func (tm *term) wait() int {
	tm.t.Helper()
	exited := make(chan error, 1)
	go func() { exited <- tm.cmd.Wait() }()
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			tm.t.Fatal(err)
		}
		return 0
	case <-time.After(waitDeadline):
		tm.t.Fatalf("still running after %v; the terminal showed:\n%q", waitDeadline, tm.shown())
		return -1
	}
}

const testRC = "PS1='\\[\\e[1m\\]<\\W>\\[\\e[0m\\]\\$ '\nPS2='more> '\n"

// rcPrompt is how testRC's PS1 shows in the home directory.
func rcPrompt() string {
	return "\x1b[1m<~>\x1b[0m" + dollar() + " "
}

func TestInteractiveDefaultPrompt(t *testing.T) {
	home := newHome(t, nil)
	tm := startSpork(t, home, nil)
	tm.expect("spork-0.1" + dollar() + " ")
	tm.send("echo $((6*7))\r")
	tm.expect("42\r\n")
	tm.expect("spork-0.1" + dollar() + " ")
	tm.send("\x04")
	tm.expect("exit")
	if st := tm.wait(); st != 0 {
		t.Errorf("status %d after ^D", st)
	}
}

func TestInteractivePromptsAndMultiLineFor(t *testing.T) {
	home := newHome(t, map[string]string{".sporkrc": testRC})
	tm := startSpork(t, home, nil)
	ps1 := rcPrompt()
	tm.expect(ps1)
	tm.send("for i in 1 2 3\r")
	tm.expect("more> ")
	tm.send("do echo n$i\r")
	tm.expect("more> ")
	tm.send("done\r")
	tm.expect("n1\r\nn2\r\nn3\r\n")
	tm.expect(ps1)
	// an open quote, a trailing |, a here-document
	tm.send("echo 'a\r")
	tm.expect("more> ")
	tm.send("b' |\r")
	tm.expect("more> ")
	tm.send("tr ab AB\r")
	tm.expect("A\r\nB\r\n")
	tm.expect(ps1)
	tm.send("cat <<END\r")
	tm.expect("more> ")
	tm.send("doc $((1+1))\r")
	tm.expect("more> ")
	tm.send("END\r")
	tm.expect("doc 2\r\n")
	tm.expect(ps1)
	// a syntax error gives a fresh prompt
	tm.send("echo )\r")
	tm.expect("syntax error")
	tm.expect(ps1)
	tm.send("echo st=$?\r")
	tm.expect("st=2")
	tm.expect(ps1)
	tm.send("history\r")
	tm.expect("for i in 1 2 3; do echo n$i; done")
	tm.expect(ps1)
	tm.send("exit 3\r")
	if st := tm.wait(); st != 3 {
		t.Errorf("exit 3: status %d", st)
	}
}

func TestInteractiveHistorySurvivesRestart(t *testing.T) {
	home := newHome(t, nil)
	tm := startSpork(t, home, nil)
	tm.expect("spork-0.1")
	tm.send("echo first-$((1+1))\r")
	tm.expect("first-2\r\n")
	tm.send(" echo secret\r")
	tm.expect("secret\r\n")
	tm.send("echo last\r")
	tm.expect("last\r\n")
	tm.send("echo last\r")
	tm.expect("last\r\n")
	tm.send("\x04")
	tm.wait()

	hist := filepath.Join(home, ".spork_history")
	st, err := os.Stat(hist)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("history file mode %v, want 0600", st.Mode().Perm())
	}

	tm = startSpork(t, home, nil)
	tm.expect("spork-0.1")
	tm.send("history\r")
	tm.expect("    1  echo first-$((1+1))\r\n    2  echo last\r\n    3  history\r\n")
	tm.expect("spork-0.1")
	// up arrow twice: the entry before "history"; run it again
	tm.send("\x1b[A\x1b[A")
	tm.expect("echo last")
	tm.send("\r")
	tm.expect("last\r\n")
	// ^R searches backwards
	tm.expect("spork-0.1")
	tm.send("\x12first")
	tm.expect("first")
	tm.send("\r")
	tm.expect("first-2\r\n")
	tm.send("\x04")
	tm.wait()
	data, _ := os.ReadFile(hist)
	if strings.Contains(string(data), "secret") {
		t.Errorf("a line starting with a space was stored:\n%s", data)
	}
}

func TestInteractiveCompletion(t *testing.T) {
	home := newHome(t, map[string]string{
		"my file.txt": "content of my file\n",
		"alpha1":      "",
		"alpha2":      "",
	})
	bin := filepath.Join(home, "bin")
	os.Mkdir(bin, 0o755)
	os.WriteFile(filepath.Join(bin, "zzsporkcmd"), []byte("#!/bin/sh\necho ran-zz\n"), 0o755)
	tm := startSpork(t, home, []string{"PATH=" + bin + ":/usr/bin:/bin"})
	tm.expect("spork-0.1")
	// a command name
	tm.send("zzsporkc\t")
	tm.expect("zzsporkcmd ")
	tm.send("\r")
	tm.expect("ran-zz\r\n")
	// a file name with a space
	tm.expect("spork-0.1")
	tm.send("cat my\t")
	tm.expect(`cat my\ file.txt `)
	tm.send("\r")
	tm.expect("content of my file\r\n")
	// the shared prefix first, then a second Tab lists the candidates
	tm.expect("spork-0.1")
	tm.send("echo alp\t")
	tm.expect("echo alpha")
	tm.send("\t")
	tm.expect("alpha1")
	tm.expect("alpha2")
	tm.send("2\r")
	tm.expect("alpha2\r\n")
	// a file name after a variable's directory, kept as typed
	tm.expect("spork-0.1")
	tm.send("cat $HOME/my\t")
	tm.expect(`cat $HOME/my\ file.txt `)
	tm.send("\r")
	tm.expect("content of my file\r\n")
	// ^C after a listing drops the line, as in bash (readline only closed
	// the listing, and the next keys went on the same line)
	tm.expect("spork-0.1")
	tm.send("echo alp\t\t")
	tm.expect("alpha2")
	tm.send("\x03")
	tm.expect("^C")
	tm.expect("spork-0.1")
	tm.send("echo st=$?\r")
	tm.expect("st=130\r\n")
	tm.send("\x04")
	tm.wait()
}

func TestInteractiveProgrammableCompletion(t *testing.T) {
	home := newHome(t, map[string]string{".sporkrc": `
_mycmd() { COMPREPLY=( $(compgen -W "start stop status" -- "$2") ); echo "fn-stderr" >&2; false; }
complete -F _mycmd mycmd
mycmd() { echo "mycmd:$1"; }
`})
	tm := startSpork(t, home, nil)
	tm.expect("spork-0.1")
	// one match: inserted with a space; the function's stderr shows
	tm.send("mycmd star\t")
	tm.expect("fn-stderr")
	tm.expect("mycmd start ")
	tm.send("\r")
	tm.expect("mycmd:start\r\n")
	// $? is the last command's, not the completion function's
	tm.expect("spork-0.1")
	tm.send("mycmd sta\t")
	tm.expect("fn-stderr")
	tm.send("tus\r")
	tm.expect("mycmd:status\r\n")
	tm.expect("spork-0.1")
	tm.send("echo st=$? ${COMP_LINE-unset}\r")
	tm.expect("st=0 unset\r\n")
	tm.send("\x04")
	tm.wait()
}

func TestInteractiveInterruptAndSuspend(t *testing.T) {
	home := newHome(t, map[string]string{".sporkrc": testRC})
	tm := startSpork(t, home, nil)
	ps1 := rcPrompt()
	tm.expect(ps1)
	// ^C drops a half-typed line
	tm.send("echo half-typed")
	tm.expect("half-typed")
	tm.send("\x03")
	tm.expect("^C")
	tm.expect(ps1)
	tm.send("echo st=$?\r")
	tm.expect("st=130\r\n")
	// ^C in a continuation line drops the whole command
	tm.expect(ps1)
	tm.send("for i in 1\r")
	tm.expect("more> ")
	tm.send("\x03")
	tm.expect(ps1)
	// ^Z at the prompt does nothing (the shell is not stopped)
	tm.send("\x1a")
	tm.send("echo still-$((2+3))\r")
	tm.expect("still-5\r\n")
	tm.expect(ps1)
	// ^C at the prompt runs a trap on INT, as in bash
	tm.send("trap 'echo got-INT' INT\r")
	tm.expect("INT\r\n") // the line was taken: ps1 alone also matches its redraws
	tm.expect(ps1)
	tm.send("\x03")
	tm.expect("got-INT\r\n")
	tm.expect(ps1)
	tm.send("trap - INT\r")
	tm.expect(ps1)
	// a SIGINT or SIGTERM sent to the shell does not kill it
	tm.send("kill -INT $$; kill -TERM $$; echo survived\r")
	tm.expect("survived\r\n")
	tm.expect(ps1)
	tm.send("\x04")
	tm.expect("exit")
	if st := tm.wait(); st != 0 {
		t.Errorf("status %d", st)
	}
}

func TestInteractiveStartupFiles(t *testing.T) {
	home := newHome(t, map[string]string{
		".sporkrc": "echo rc-read\nalias hi='echo hello from alias'\n",
		".profile": "echo profile-read\nexport FROM_PROFILE=yes\n",
		"env.sh":   "echo env-read\nPS1='login> '\n",
	})
	tm := startSpork(t, home, nil)
	tm.expect("rc-read")
	tm.expect("spork-0.1")
	tm.send("hi\r")
	tm.expect("hello from alias\r\n")
	tm.send("exit\r")
	tm.wait()
	if strings.Contains(tm.all(), "profile-read") {
		t.Errorf("a non-login shell read ~/.profile")
	}

	// a login shell reads ~/.profile first; $ENV replaces ~/.sporkrc
	tm = startSpork(t, home, []string{"ENV=$HOME/env.sh"}, "-l")
	tm.expect("profile-read")
	tm.expect("env-read")
	tm.expect("login> ")
	tm.send("echo $FROM_PROFILE\r")
	tm.expect("yes\r\n")
	tm.send("exit\r")
	tm.wait()
	if strings.Contains(tm.all(), "rc-read") {
		t.Errorf("~/.sporkrc read although $ENV is set")
	}
}

func TestInteractiveHelp(t *testing.T) {
	home := newHome(t, nil)
	tm := startSpork(t, home, nil)
	tm.expect("spork-0.1")
	tm.send("help\r")
	tm.expect("cd [-L|-P] [dir] - change the shell working directory")
	tm.expect("history [-c] [-d offset] [n]")
	tm.send("exit\r")
	tm.wait()
}

func TestInteractiveTerminalModes(t *testing.T) {
	home := newHome(t, map[string]string{".sporkrc": testRC})
	// stty runs after spork exits, on the same terminal
	tm := startTerm(t, home, nil, "/bin/sh", "-c", sporkBin+"; echo AFTER; stty -a")
	ps1 := rcPrompt()
	tm.expect(ps1)
	tm.send("stty -echo -icanon\r")
	tm.expect(ps1)
	// the prompt still echoes what is typed
	tm.send("echo visible")
	tm.expect("visible")
	tm.send("\r")
	tm.expect("visible\r\n")
	tm.expect(ps1)
	// output without a final newline: the prompt starts on a new line
	tm.send("printf partial\r")
	tm.expect("partial\x1b[7m%\x1b[0m")
	tm.expect(ps1)
	tm.send("exit\r")
	tm.expect("AFTER")
	tm.expect("speed")
	<-tm.done
	after := tm.shown()
	if !strings.Contains(after, " icanon") || !strings.Contains(after, " echo ") {
		t.Errorf("terminal not restored at exit: stty -a says\n%s", after)
	}
}

// TestInteractiveViAndEmacsModes: set -o vi edits in vi's way (Escape,
// then b moves back a word and cw changes it); set -o emacs goes back to
// emacs keys (^A to the start of the line).
func TestInteractiveViAndEmacsModes(t *testing.T) {
	home := newHome(t, nil)
	tm := startSpork(t, home, nil)
	prompt := "spork-0.1" + dollar() + " "
	tm.expect(prompt)
	tm.send("set -o vi\r")
	tm.expect(prompt)
	tm.send("echo hello world")
	tm.send("\x1b")
	// a pause, so that Escape and b are two keys, not Alt-b
	time.Sleep(300 * time.Millisecond)
	tm.send("bcwthere\r")
	tm.expect("hello there\r\n")
	tm.expect(prompt)
	tm.send("set -o emacs\r")
	tm.expect(prompt)
	tm.send("cho emacs\x01e\r")
	tm.expect("emacs\r\n")
	tm.expect(prompt)
	tm.send("set -o | grep -E '^(vi|emacs)' | tr -s ' \\t' ' '\r")
	tm.expect("emacs on\r\nvi off\r\n")
	tm.send("exit\r")
	tm.wait()
}

// The window can change size while a command has the terminal: the kernel
// then tells only the foreground job (SIGWINCH), not the shell. The line
// editor must still wrap at the new width: here it moves the cursor back
// over the wrap of a line longer than the new width, which it does by
// going up a line and right by the width.
func TestInteractiveResizeDuringCommand(t *testing.T) {
	tm := startJobShell(t)
	tm.send("sleep 100\n")
	tm.expect("sleep 100\r\n")
	tm.waitForeground("sleep")
	if err := pty.Setsize(tm.pty, &pty.Winsize{Rows: 24, Cols: 50}); err != nil {
		t.Fatal(err)
	}
	tm.send(ctrlC)
	tm.untilPrompt()
	tm.send("echo " + strings.Repeat("x", 55) + strings.Repeat("\x02", 50))
	tm.expect("\x1b[A\r\x1b[50C")
	tm.send(ctrlC)
	tm.expect(jobPrompt)
	tm.send("exit\n")
	tm.wait()
}

// read -n and read -d take the terminal's keys one at a time, as in bash:
// read -n 1 returns on the first key, without waiting for Enter.
func TestInteractiveReadCountFromTerminal(t *testing.T) {
	tm := startJobShell(t)
	// The keys may arrive before read has set the terminal's modes, and
	// then are not echoed: only the result is checked, and that it came
	// without an Enter.
	tm.typeLine(`read -n 1 c; echo "[$c]"`)
	tm.send("y")
	mustMatch(t, "read -n 1", tm.untilPrompt(), `^y?\[y\]\n$`)
	tm.typeLine(`read -d , w; echo "[$w]"`)
	tm.send("ab,")
	mustMatch(t, "read -d ,", tm.untilPrompt(), `^(ab,)?\[ab\]\n$`)
	modes := `stty -a | tr ' ' '\n' | grep -E '^-?icanon$'`
	mustMatch(t, "modes after", tm.run(modes), `^icanon\n$`)
	tm.send("exit\n")
	tm.wait()
}

func TestInteractiveHistoryExpansion(t *testing.T) {
	home := newHome(t, map[string]string{".sporkrc": testRC})
	tm := startSpork(t, home, nil)
	ps1 := rcPrompt()
	tm.expect(ps1)
	tm.send("echo hx-$((6*7)) /d/f.txt\r")
	tm.expect("hx-42 /d/f.txt\r\n")
	tm.expect(ps1)
	// the expanded line is echoed, then run
	tm.send("^hx^HX\r")
	tm.expect("echo HX-$((6*7)) /d/f.txt\r\n")
	tm.expect("HX-42 /d/f.txt\r\n")
	tm.expect(ps1)
	tm.send("echo !$:h:t !$:e !!:0\r")
	tm.expect("echo d .txt echo\r\n")
	tm.expect("d .txt echo\r\n")
	tm.expect(ps1)
	// a failed event: an error, nothing runs or goes into the history
	tm.send("!nosuch\r")
	tm.expect("spork: !nosuch: event not found\r\n")
	tm.expect(ps1)
	// :p prints and keeps the line in the history without running it
	tm.send("!?HX?:p\r")
	tm.expect("echo HX-$((6*7)) /d/f.txt\r\n")
	tm.expect(ps1)
	tm.send("echo '!!' \\!x\r")
	tm.expect("!! !x\r\n")
	tm.expect(ps1)
	// a continuation line is expanded in the quote the command left open
	tm.send("echo \"q\r")
	tm.expect("more> ")
	tm.send("!!:0\" '!!'\r")
	tm.expect("echo\" '!!'\r\n")
	tm.expect("q\r\necho !!\r\n")
	tm.expect(ps1)
	tm.send("history 5\r")
	tm.expect("    3  echo d .txt echo\r\n    4  echo HX-$((6*7)) /d/f.txt\r\n    5  echo '!!' \\!x\r\n")
	tm.expect(ps1)
	tm.send("set +H; echo !!\r")
	tm.expect("!!\r\n")
	tm.expect(ps1)
	tm.send("exit\r")
	if st := tm.wait(); st != 0 {
		t.Errorf("status %d", st)
	}
}

func TestInteractiveSuspend(t *testing.T) {
	home := newHome(t, map[string]string{".sporkrc": testRC})
	tm := startSpork(t, home, nil)
	ps1 := rcPrompt()
	tm.expect(ps1)
	// an interactive spork run from this one stops, and fg continues it
	tm.send(sporkBin + "\r")
	tm.expect(ps1)
	tm.send("echo inner-$((1+1))\r")
	tm.expect("inner-2\r\n")
	tm.expect(ps1)
	tm.send("suspend\r")
	tm.expect("Stopped")
	tm.expect(ps1)
	tm.send("fg\r")
	tm.expect(ps1)
	tm.send("echo back-$((2+3))\r")
	tm.expect("back-5\r\n")
	tm.expect(ps1)
	tm.send("exit 4\r")
	tm.expect(ps1)
	tm.send("echo outer-$?\r")
	tm.expect("outer-4\r\n")
	tm.expect(ps1)
	// a login shell refuses
	tm.send(sporkBin + " -l\r")
	tm.expect(ps1)
	tm.send("suspend\r")
	tm.expect("spork: suspend: cannot suspend a login shell\r\n")
	tm.expect(ps1)
	tm.send("exit\r")
	tm.expect(ps1)
	tm.send("exit 0\r")
	if st := tm.wait(); st != 0 {
		t.Errorf("status %d", st)
	}
}

func TestInteractiveFc(t *testing.T) {
	home := newHome(t, map[string]string{
		".sporkrc": testRC,
		"ed.sh":    "#!/bin/sh\nsed -i s/one/ONE/ \"$1\"\necho 'echo two' >>\"$1\"\n",
	})
	os.Chmod(filepath.Join(home, "ed.sh"), 0o755)
	tm := startSpork(t, home, []string{"FCEDIT=" + filepath.Join(home, "ed.sh")})
	ps1 := rcPrompt()
	tm.expect(ps1)
	tm.send("echo one\r")
	tm.expect("one\r\n")
	tm.expect(ps1)
	// fc -s echoes the command it runs, after the substitution
	tm.send("fc -s one=1\r")
	tm.expect("echo 1\r\n1\r\n")
	tm.expect(ps1)
	// the editor ($FCEDIT) edits the entry; each command is echoed, then run
	tm.send("fc -2\r")
	tm.expect("echo ONE\r\nONE\r\necho two\r\ntwo\r\n")
	tm.expect(ps1)
	tm.send("fc -e false; echo st=$?\r")
	tm.expect("st=1\r\n")
	tm.expect(ps1)
	// the commands run replace the fc lines in the history
	tm.send("fc -l\r")
	tm.expect("1\t echo one\r\n2\t echo 1\r\n3\t echo ONE\r\n4\t echo two\r\n")
	tm.expect(ps1)
	tm.send("exit\r")
	if st := tm.wait(); st != 0 {
		t.Errorf("status %d", st)
	}
}
