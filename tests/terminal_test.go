package tests

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// terminal drives the spork binary through a pseudo-terminal, as a user at
// a real terminal would: it types, and waits for what the screen shows.
type terminal struct {
	t    *testing.T
	pty  *os.File
	proc *os.Process

	mu   sync.Mutex
	out  bytes.Buffer // everything the shell wrote
	seen int          // how far expect has consumed out
	eof  chan struct{}
}

// expectTimeout bounds every wait for output: generous, since the machines
// are shared, and never a measure of speed.
const expectTimeout = 20 * time.Second

// startTerminal starts spork (with args) as the session leader of a new
// pseudo-terminal, with HOME in a fresh directory and a fixed prompt.
func startTerminal(t *testing.T, args ...string) *terminal {
	t.Helper()
	if buildErr != nil {
		t.Fatalf("cannot test spork: %v\n%s", buildErr, buildOutput)
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: 200})
	home := t.TempDir()
	env := []string{"HOME=" + home, "TERM=dumb", "PATH=" + os.Getenv("PATH"), "PS1=$ ", "ENV=/dev/null", "HISTFILE=" + home + "/history"}
	proc, err := os.StartProcess(sporkBin, append([]string{"spork"}, args...), &os.ProcAttr{
		Dir:   home,
		Env:   env,
		Files: []*os.File{tty, tty, tty},
		Sys:   &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0},
	})
	tty.Close()
	if err != nil {
		ptmx.Close()
		t.Fatalf("start spork: %v", err)
	}
	term := &terminal{t: t, pty: ptmx, proc: proc, eof: make(chan struct{})}
	go term.read()
	t.Cleanup(term.close)
	term.send("PS1='PROMPT> '\n")
	term.expect(`PROMPT> $`)
	return term
}

func (term *terminal) read() {
	defer close(term.eof)
	buf := make([]byte, 4096)
	for {
		n, err := term.pty.Read(buf)
		if n > 0 {
			term.mu.Lock()
			term.out.Write(buf[:n])
			term.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

func (term *terminal) close() {
	term.proc.Signal(syscall.SIGKILL)
	term.proc.Wait()
	term.pty.Close()
	<-term.eof
}

// send types s.
func (term *terminal) send(s string) {
	term.t.Helper()
	if _, err := term.pty.Write([]byte(s)); err != nil {
		term.t.Fatalf("typing %q: %v", s, err)
	}
}

// run types a command line and waits for the next prompt, returning what
// the command printed (without the echoed line and the prompt).
func (term *terminal) run(line string) string {
	term.t.Helper()
	term.send(line + "\n")
	out := term.expect(`(?s)^(.*)PROMPT> $`)
	out = strings.ReplaceAll(out, "\r\n", "\n")
	out = strings.TrimPrefix(out, line+"\n")
	return strings.TrimSuffix(out, "PROMPT> ")
}

// runUntil runs a command line again and again until its output matches
// re, as a user polls jobs; it returns the matching output.
func (term *terminal) runUntil(line, re string) string {
	term.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(expectTimeout)
	for {
		out := term.run(line)
		if rx.MatchString(out) {
			return out
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("%s: output %q never matched %q", line, out, re)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// expect waits until the output not yet consumed matches re, consumes it
// and returns it. The match must reach the end of what was written.
func (term *terminal) expect(re string) string {
	term.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(expectTimeout)
	for {
		term.mu.Lock()
		rest := term.out.String()[term.seen:]
		if loc := rx.FindStringIndex(rest); loc != nil && strings.TrimRight(rest[loc[1]:], "\r\n") == "" {
			term.seen += len(rest)
			term.mu.Unlock()
			return rest
		}
		term.mu.Unlock()
		select {
		case <-term.eof:
			term.t.Fatalf("shell ended while waiting for %q; output so far:\n%s", re, rest)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("no %q within %v; output so far:\n%s", re, expectTimeout, rest)
		}
	}
}

// waitJobTerminal waits until a job of the shell, not the shell itself,
// has the terminal: the foreground command has started.
func (term *terminal) waitJobTerminal() {
	term.t.Helper()
	deadline := time.Now().Add(expectTimeout)
	for time.Now().Before(deadline) {
		pg, err := unix.IoctlGetInt(int(term.pty.Fd()), unix.TIOCGPGRP)
		if err == nil && pg != term.proc.Pid {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	term.t.Fatalf("no job took the terminal within %v", expectTimeout)
}

// wait waits for the shell to end and returns its exit status.
func (term *terminal) wait() int {
	term.t.Helper()
	done := make(chan *os.ProcessState, 1)
	go func() {
		st, _ := term.proc.Wait()
		done <- st
	}()
	select {
	case st := <-done:
		if st == nil {
			return -1
		}
		return st.ExitCode()
	case <-time.After(expectTimeout):
		term.t.Fatalf("shell did not end; output:\n%s", term.out.String())
		return -1
	}
}
