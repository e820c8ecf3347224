package shell

import (
	"io"
	"os"
	"strings"
	"testing"
)

// runScript runs src in a new shell with stdin as standard input and
// returns what it wrote to standard output and standard error, and its
// status.
func runScript(t *testing.T, src, stdin string) (stdout, stderr string, status int) {
	t.Helper()
	r := New(Options{Arg0: "spork"})
	return runIn(t, r, src, stdin)
}

// runIn runs src in the shell state r with captured output.
func runIn(t *testing.T, r *Runner, src, stdin string) (stdout, stderr string, status int) {
	t.Helper()
	inR, inW, err := pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		f := os.NewFile(uintptr(inW.fd), "stdin")
		io.WriteString(f, stdin)
		f.Close()
	}()
	old0 := r.setFd(0, inR)
	defer func() { r.setFd(0, old0).unref() }()
	return captureOutput(t, r, func() int { return r.RunString(src) })
}

// captureOutput runs fn with the shell's standard output and error going
// to pipes and returns what was written.
func captureOutput(t *testing.T, r *Runner, fn func() int) (string, string, int) {
	t.Helper()
	outR, outW, err := pipe()
	if err != nil {
		t.Fatal(err)
	}
	errR, errW, err := pipe()
	if err != nil {
		t.Fatal(err)
	}
	collect := func(f *File) <-chan string {
		ch := make(chan string, 1)
		go func() {
			file := os.NewFile(uintptr(f.fd), "out")
			b, _ := io.ReadAll(file)
			file.Close()
			ch <- string(b)
		}()
		return ch
	}
	outCh, errCh := collect(outR), collect(errR)
	old1 := r.setFd(1, outW)
	old2 := r.setFd(2, errW)
	st := fn()
	r.setFd(1, old1).unref()
	r.setFd(2, old2).unref()
	return <-outCh, <-errCh, st
}

// checkOut runs src and compares standard output and status.
func checkOut(t *testing.T, src, stdin, want string, wantStatus int) {
	t.Helper()
	out, errOut, st := runScript(t, src, stdin)
	if out != want || st != wantStatus {
		t.Errorf("script %q:\n got stdout %q status %d (stderr %q)\nwant stdout %q status %d",
			src, out, st, errOut, want, wantStatus)
	}
}

// checkErr runs src and checks that standard error contains substr.
func checkErr(t *testing.T, src, substr string) {
	t.Helper()
	_, errOut, _ := runScript(t, src, "")
	if !strings.Contains(errOut, substr) {
		t.Errorf("script %q: stderr %q does not contain %q", src, errOut, substr)
	}
}
