//go:build linux && (amd64 || arm64)

package exec

import (
	"errors"
	"fmt"
	"io"
	"os"
	osexec "os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// helperEnv makes the test binary act as a helper process (see TestMain).
const helperEnv = "SPORK_EXEC_TEST_HELPER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(helper(mode))
	}
	checkChildNotInstrumented()
	os.Exit(m.Run())
}

// variant is one way of launching: a launcher, and whether clone3 (with
// CLONE_CLEAR_SIGHAND) is used or the plain clone fallback.
type variant struct {
	name   string
	new    func() Launcher
	clone3 bool
}

var variants = []variant{
	{"spawn", NewSpawn, true},
	{"fork", NewFork, true},
	{"spawn-clone", NewSpawn, false},
	{"fork-clone", NewFork, false},
}

// forEach runs f for every variant.
func forEach(t *testing.T, f func(t *testing.T, l Launcher)) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			if !v.clone3 {
				old := noClone3.Swap(true)
				defer noClone3.Store(old)
			} else if noClone3.Load() {
				t.Skip("clone3 not available")
			}
			f(t, v.new())
		})
	}
}

// reap waits for pid (there is no reaper in the test binary).
func reap(t testing.TB, pid int) unix.WaitStatus {
	t.Helper()
	var ws unix.WaitStatus
	for {
		_, err := unix.Wait4(pid, &ws, 0, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			t.Fatalf("wait4(%d): %v", pid, err)
		}
		return ws
	}
}

var devNull = func() int {
	fd, err := unix.Open("/dev/null", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		panic(err)
	}
	return fd
}()

// capture launches the Spec made by mk (given the write end of a pipe for
// the child's output) and returns what the child wrote and its status.
func capture(t testing.TB, l Launcher, mk func(w int) *Spec) (string, int, unix.WaitStatus) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := mk(int(w.Fd()))
	pid, err := l.Launch(s)
	w.Close()
	if err != nil {
		if pid > 0 {
			reap(t, pid)
		}
		t.Fatalf("%s: launch %s: %v", l.Name(), s.Path, err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	ws := reap(t, pid)
	if !ws.Exited() || ws.ExitStatus() != 0 {
		t.Fatalf("%s: %s %q: status %v, output %q", l.Name(), s.Path, s.Argv, ws, out)
	}
	return string(out), pid, ws
}

// stdout gives the child /dev/null for input, w for output and errors.
func stdout(w int) []int { return []int{devNull, w, w} }

func TestArgvEnv(t *testing.T) {
	forEach(t, func(t *testing.T, l Launcher) {
		env := []string{"A=1", "B=two words", "EMPTY="}
		out, _, _ := capture(t, l, func(w int) *Spec {
			return &Spec{
				Path:  "/bin/cat",
				Argv:  []string{"zero", "/proc/self/cmdline", "/proc/self/environ"},
				Env:   env,
				Files: stdout(w),
			}
		})
		want := "zero\x00/proc/self/cmdline\x00/proc/self/environ\x00" + strings.Join(env, "\x00") + "\x00"
		if out != want {
			t.Errorf("got %q, want %q", out, want)
		}

		// A nil Env is the parent's environment; an empty one is empty.
		t.Setenv("SPORK_EXEC_TEST_VAR", "inherited")
		out, _, _ = capture(t, l, func(w int) *Spec {
			return &Spec{Path: "/bin/cat", Argv: []string{"cat", "/proc/self/environ"}, Files: stdout(w)}
		})
		if !strings.Contains(out, "\x00SPORK_EXEC_TEST_VAR=inherited\x00") {
			t.Errorf("nil Env: environment lacks the parent's variable: %q", out)
		}
		out, _, _ = capture(t, l, func(w int) *Spec {
			return &Spec{Path: "/bin/cat", Argv: []string{"cat", "/proc/self/environ"}, Env: []string{}, Files: stdout(w)}
		})
		if out != "" {
			t.Errorf("empty Env: got %q", out)
		}
	})
}

// A prepared Env is what the child gets, launch after launch, and wins
// over Env; NewEnv refuses what execve could not pass.
func TestPreparedEnv(t *testing.T) {
	vars := []string{"A=1", "B=two words"}
	block, err := NewEnv(vars)
	if err != nil {
		t.Fatal(err)
	}
	forEach(t, func(t *testing.T, l Launcher) {
		for range 3 {
			out, _, _ := capture(t, l, func(w int) *Spec {
				return &Spec{Path: "/bin/cat", Argv: []string{"cat", "/proc/self/environ"}, Env: []string{"IGNORED=1"}, Environ: block, Files: stdout(w)}
			})
			if want := "A=1\x00B=two words\x00"; out != want {
				t.Errorf("got %q, want %q", out, want)
			}
		}
	})
	if _, err := NewEnv([]string{"A=x\x00y"}); err != unix.EINVAL {
		t.Errorf("NewEnv with a NUL byte: got %v, want EINVAL", err)
	}
}

func TestDir(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	forEach(t, func(t *testing.T, l Launcher) {
		for _, tc := range []struct{ dir, want string }{{dir, dir}, {"", cwd}, {"/", "/"}} {
			out, _, _ := capture(t, l, func(w int) *Spec {
				return &Spec{Path: "/bin/readlink", Argv: []string{"readlink", "/proc/self/cwd"}, Dir: tc.dir, Files: stdout(w)}
			})
			if got := strings.TrimSpace(out); got != tc.want {
				t.Errorf("Dir %q: cwd %q, want %q", tc.dir, got, tc.want)
			}
		}
	})
}

// procStatus parses /proc/PID/status as printed by a child.
func procStatus(t *testing.T, out string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			m[k] = strings.TrimSpace(v)
		}
	}
	return m
}

func hexField(t *testing.T, m map[string]string, k string) uint64 {
	t.Helper()
	v, err := strconv.ParseUint(m[k], 16, 64)
	if err != nil {
		t.Fatalf("%s: %q: %v", k, m[k], err)
	}
	return v
}

func set(sigs ...unix.Signal) SignalSet {
	var s SignalSet
	for _, sig := range sigs {
		s = s.Add(sig)
	}
	return s
}

func TestSignalsUmaskPgid(t *testing.T) {
	// The test process catches SIGINT and SIGUSR2 and ignores SIGHUP and
	// SIGWINCH (the Go runtime catches every other signal besides).
	signal.Ignore(unix.SIGHUP, unix.SIGWINCH)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, unix.SIGINT, unix.SIGUSR2)
	defer signal.Reset(unix.SIGHUP, unix.SIGWINCH, unix.SIGINT, unix.SIGUSR2)

	self, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	ours := procStatus(t, string(self))
	ourIgn := hexField(t, ours, "SigIgn")
	if ourIgn&uint64(set(unix.SIGHUP, unix.SIGWINCH)) == 0 || hexField(t, ours, "SigCgt")&uint64(set(unix.SIGINT)) == 0 {
		t.Fatalf("test set-up: SigIgn %x SigCgt %s", ourIgn, ours["SigCgt"])
	}
	ourPgid := unix.Getpgrp()
	ourUmask := unix.Umask(0o22)
	unix.Umask(ourUmask)

	forEach(t, func(t *testing.T, l Launcher) {
		for _, tc := range []struct {
			name string
			spec Spec
		}{
			{"inherit", Spec{}},
			{"sets", Spec{
				Default:  set(unix.SIGWINCH, unix.SIGINT, unix.SIGKILL),
				Ignore:   set(unix.SIGQUIT, unix.SIGTERM, unix.SIGSTOP),
				Mask:     set(unix.SIGUSR1, unix.SIGCHLD),
				Umask:    0o027,
				UmaskSet: true,
				Setpgid:  true,
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				out, pid, _ := capture(t, l, func(w int) *Spec {
					s := tc.spec
					s.Path, s.Argv, s.Files = "/bin/cat", []string{"cat", "/proc/self/status"}, stdout(w)
					return &s
				})
				m := procStatus(t, out)
				if got := hexField(t, m, "SigCgt"); got != 0 {
					t.Errorf("SigCgt = %x, want 0", got)
				}
				wantIgn := (ourIgn | uint64(tc.spec.Ignore)) &^ uint64(tc.spec.Default) &^ unblockable
				if got := hexField(t, m, "SigIgn"); got != wantIgn {
					t.Errorf("SigIgn = %x, want %x", got, wantIgn)
				}
				if got := hexField(t, m, "SigBlk"); got != uint64(tc.spec.Mask) {
					t.Errorf("SigBlk = %x, want %x", got, uint64(tc.spec.Mask))
				}
				wantUmask := ourUmask
				if tc.spec.UmaskSet {
					wantUmask = tc.spec.Umask
				}
				if got, _ := strconv.ParseUint(m["Umask"], 8, 32); int(got) != wantUmask {
					t.Errorf("Umask = %s, want %#o", m["Umask"], wantUmask)
				}
				wantPgid := ourPgid
				if tc.spec.Setpgid {
					wantPgid = pid
				}
				if m["NSpgid"] != strconv.Itoa(wantPgid) || m["Pid"] != strconv.Itoa(pid) {
					t.Errorf("Pid %s NSpgid %s, want %d %d", m["Pid"], m["NSpgid"], pid, wantPgid)
				}
			})
		}
	})
}

func TestJoinGroup(t *testing.T) {
	forEach(t, func(t *testing.T, l Launcher) {
		leader, err := l.Launch(&Spec{Path: "/bin/sleep", Argv: []string{"sleep", "10"}, Setpgid: true, Files: stdout(devNull)})
		if err != nil {
			t.Fatal(err)
		}
		defer reap(t, leader)
		defer unix.Kill(leader, unix.SIGKILL)
		out, _, _ := capture(t, l, func(w int) *Spec {
			return &Spec{Path: "/bin/cat", Argv: []string{"cat", "/proc/self/status"}, Setpgid: true, Pgid: leader, Files: stdout(w)}
		})
		if got := procStatus(t, out)["NSpgid"]; got != strconv.Itoa(leader) {
			t.Errorf("pgid %s, want %d", got, leader)
		}
	})
}

// fdList parses `ls -l /proc/self/fd`: descriptor → target, leaving out the
// descriptor ls reads the directory with.
func fdList(t *testing.T, out string) map[int]string {
	t.Helper()
	self := regexp.MustCompile(`^/proc/\d+/fd$`)
	m := map[int]string{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || f[len(f)-2] != "->" {
			continue
		}
		fd, err := strconv.Atoi(f[len(f)-3])
		if err != nil {
			t.Fatalf("bad ls line %q", line)
		}
		if !self.MatchString(f[len(f)-1]) {
			m[fd] = f[len(f)-1]
		}
	}
	return m
}

// fdTarget is what /proc shows for one of our descriptors.
func fdTarget(t *testing.T, fd int) string {
	t.Helper()
	s, err := os.Readlink(fmt.Sprintf("/proc/self/fd/%d", fd))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFiles(t *testing.T) {
	// A descriptor without close-on-exec must not leak into children.
	leak, err := unix.Open("/dev/null", unix.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(leak)
	var pa, pb [2]int
	if err := unix.Pipe2(pa[:], unix.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	if err := unix.Pipe2(pb[:], unix.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, fd := range append(pa[:], pb[:]...) {
			unix.Close(fd)
		}
	}()
	a, b := pa[1], pb[1]
	top := max(a, b, leak) + 1

	forEach(t, func(t *testing.T, l Launcher) {
		for _, tc := range []struct {
			name  string
			files func(w int) []int
			want  func(w int) map[int]int // child fd → parent fd
		}{
			{"std", stdout, func(w int) map[int]int { return map[int]int{0: devNull, 1: w, 2: w} }},
			{"closed", func(w int) []int { return []int{-1, w, -1} }, func(w int) map[int]int { return map[int]int{1: w} }},
			{"swap", func(w int) []int {
				// Child a is parent b and child b parent a: pass 2 would
				// clobber the lower one before using it but for pass 1.
				f := make([]int, top)
				for i := range f {
					f[i] = -1
				}
				f[0], f[1], f[2] = devNull, w, w
				f[a], f[b] = b, a
				return f
			}, func(w int) map[int]int { return map[int]int{0: devNull, 1: w, 2: w, a: b, b: a} }},
			{"same", func(w int) []int {
				f := make([]int, top)
				for i := range f {
					f[i] = -1
				}
				f[0], f[1], f[2] = devNull, w, w
				f[a] = a          // close-on-exec cleared in place
				f[leak] = devNull // the leaky descriptor replaced
				return f
			}, func(w int) map[int]int { return map[int]int{0: devNull, 1: w, 2: w, a: a, leak: devNull} }},
			{"rotate", func(w int) []int {
				// Child a is parent b, b is leak and leak is a.
				f := make([]int, top)
				for i := range f {
					f[i] = -1
				}
				f[0], f[1], f[2] = devNull, w, w
				f[a], f[b], f[leak] = b, leak, a
				return f
			}, func(w int) map[int]int { return map[int]int{0: devNull, 1: w, 2: w, a: b, b: leak, leak: a} }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var want map[int]string
				out, _, _ := capture(t, l, func(w int) *Spec {
					want = map[int]string{}
					for c, p := range tc.want(w) {
						want[c] = fdTarget(t, p)
					}
					return &Spec{Path: "/bin/ls", Argv: []string{"ls", "-l", "/proc/self/fd"}, Files: tc.files(w)}
				})
				got := fdList(t, out)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("child descriptors\n%v\nwant\n%v", got, want)
				}
			})
		}
	})
}

// TestNilFiles runs in a helper process whose descriptors 0, 1 and 2 we
// choose, since a nil Files hands the child the parent's own.
func TestNilFiles(t *testing.T) {
	forEach(t, func(t *testing.T, l Launcher) {
		out := runHelper(t, "nilfiles "+l.Name(), noClone3.Load(), nil)
		got := fdList(t, out)
		if len(got) != 3 || got[0] != "/dev/null" || !strings.HasPrefix(got[1], "pipe:") || got[2] != got[1] {
			t.Errorf("child descriptors %v, want 0 /dev/null, 1 and 2 our pipe", got)
		}
	})
}

// runHelper runs the test binary as a helper in mode, its stdin /dev/null
// or the given tty, its stdout and stderr a pipe, and returns its output.
func runHelper(t *testing.T, mode string, noclone3 bool, tty *os.File) string {
	t.Helper()
	cmd := osexec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode)
	if noclone3 {
		cmd.Env = append(cmd.Env, helperEnv+"_NOCLONE3=1")
	}
	if tty != nil {
		cmd.Stdin = tty
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper %s: %v\n%s", mode, err, out)
	}
	return string(out)
}

// helper is the test binary's other life, as a process of its own.
func helper(mode string) int {
	if os.Getenv(helperEnv+"_NOCLONE3") != "" {
		noClone3.Store(true)
	}
	kind, name, _ := strings.Cut(mode, " ")
	l := NewFork()
	if name == "spawn" {
		l = NewSpawn()
	}
	launch := func(s *Spec) bool {
		pid, err := l.Launch(s)
		if pid > 0 {
			var ws unix.WaitStatus
			unix.Wait4(pid, &ws, 0, nil)
		}
		if err != nil {
			fmt.Println("launch:", err)
			return false
		}
		return true
	}
	switch kind {
	case "nilfiles":
		// A descriptor without close-on-exec, which must not leak.
		if _, err := unix.Open("/dev/null", unix.O_RDONLY, 0); err != nil {
			fmt.Println(err)
			return 1
		}
		if !launch(&Spec{Path: "/bin/ls", Argv: []string{"ls", "-l", "/proc/self/fd"}}) {
			return 1
		}
	case "foreground":
		// Twice: the second launch comes from a background process group
		// (the first child took the terminal), so its tcsetpgrp works only
		// because SIGTTOU is blocked.
		for range 2 {
			if !launch(&Spec{Path: "/bin/cat", Argv: []string{"cat", "/proc/self/stat"}, Setpgid: true, Foreground: true, TTY: 0}) {
				return 1
			}
		}
	default:
		fmt.Println("unknown helper mode", mode)
		return 2
	}
	return 0
}

func TestForeground(t *testing.T) {
	forEach(t, func(t *testing.T, l Launcher) {
		tty := openPty(t)
		out := runHelper(t, "foreground "+l.Name(), noClone3.Load(), tty)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 2 {
			t.Fatalf("helper output %q", out)
		}
		for _, line := range lines {
			// pid (comm) state ppid pgrp session tty_nr tpgid ...
			_, rest, _ := strings.Cut(line, ") ")
			f := strings.Fields(rest)
			pid, _, _ := strings.Cut(line, " ")
			if len(f) < 6 || f[2] != pid || f[5] != pid {
				t.Errorf("child stat %q: want pgrp and tpgid %s", line, pid)
			}
		}
	})
}

// openPty opens a new pseudo-terminal and returns its slave side.
func openPty(t *testing.T) *os.File {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skip("no pty:", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestExecErrors(t *testing.T) {
	dir := t.TempDir()
	noExec := filepath.Join(dir, "noexec")
	script := filepath.Join(dir, "script")
	if err := os.WriteFile(noExec, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, []byte("echo no hash-bang line\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	forEach(t, func(t *testing.T, l Launcher) {
		for _, tc := range []struct {
			name  string
			spec  Spec
			step  string
			errno unix.Errno
		}{
			{"ENOENT", Spec{Path: filepath.Join(dir, "missing")}, "execve", unix.ENOENT},
			{"EACCES", Spec{Path: noExec}, "execve", unix.EACCES},
			{"ENOEXEC", Spec{Path: script}, "execve", unix.ENOEXEC},
			{"EISDIR", Spec{Path: dir}, "execve", unix.EACCES},
			{"chdir", Spec{Path: "/bin/true", Dir: filepath.Join(dir, "missing")}, "chdir", unix.ENOENT},
			{"badfd", Spec{Path: "/bin/true", Files: []int{devNull, 1 << 30}}, "dup", unix.EBADF},
			{"setpgid", Spec{Path: "/bin/true", Setpgid: true, Pgid: 1 << 30}, "setpgid", unix.EPERM},
			{"tcsetpgrp", Spec{Path: "/bin/true", Setpgid: true, Foreground: true, TTY: devNull}, "tcsetpgrp", unix.ENOTTY},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := StatsOf(l)
				s := tc.spec
				s.Argv = []string{"x"}
				if s.Files == nil {
					s.Files = []int{devNull, devNull, devNull}
				}
				pid, err := l.Launch(&s)
				if pid <= 0 {
					t.Fatalf("pid %d, err %v: want a child pid", pid, err)
				}
				ws := reap(t, pid)
				if !ws.Exited() || ws.ExitStatus() != 127 {
					t.Errorf("status %v, want exit 127", ws)
				}
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("err %v (%T), want *Error", err, err)
				}
				if e.Step != tc.step || e.Errno != tc.errno || e.Path != s.Path || !errors.Is(err, tc.errno) {
					t.Errorf("err %+v, want step %s errno %v", e, tc.step, tc.errno)
				}
				if after := StatsOf(l); after.Failed != before.Failed+1 || after.Count != before.Count {
					t.Errorf("stats %+v after %+v: want one more failure", after, before)
				}
			})
		}

		// Invalid Specs fail before any child exists.
		for _, s := range []Spec{
			{Path: "/bin/true", Argv: []string{"a\x00b"}},
			{Path: "/bin/\x00true"},
			{Path: "/bin/true", Env: []string{"A=\x00"}},
			{Path: "/bin/true", Dir: "/\x00"},
			{Path: "/bin/true", Files: []int{-2}},
		} {
			pid, err := l.Launch(&s)
			var e *Error
			if pid != 0 || !errors.As(err, &e) || (e.Errno != unix.EINVAL && e.Errno != unix.EBADF) {
				t.Errorf("%+v: pid %d err %v, want 0 and EINVAL/EBADF", s, pid, err)
			}
		}
	})
}

// fdCount counts our open descriptors.
func fdCount(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents) - 1
}

// TestStress launches many children from several goroutines while others
// churn the heap and signals keep arriving.
func TestStress(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 400
	}
	fds := fdCount(t)
	stop := make(chan struct{})
	var bg sync.WaitGroup

	// GC churn: a ring of live garbage, replaced all the time.
	for g := 0; g < 2; g++ {
		bg.Add(1)
		go func() {
			defer bg.Done()
			ring := make([][]byte, 256)
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				ring[i%len(ring)] = make([]byte, 64<<10+i%4096)
			}
		}()
	}
	// Signals: SIGUSR1 to ourselves in a loop, caught by signal.Notify.
	sigs := make(chan os.Signal, 64)
	signal.Notify(sigs, unix.SIGUSR1)
	defer signal.Reset(unix.SIGUSR1)
	var nsig int
	bg.Add(2)
	go func() {
		defer bg.Done()
		for {
			select {
			case <-stop:
				return
			case <-sigs:
				nsig++
			}
		}
	}()
	go func() {
		defer bg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			unix.Kill(os.Getpid(), unix.SIGUSR1)
			time.Sleep(20 * time.Microsecond)
		}
	}()

	launchers := []Launcher{NewFork(), NewSpawn()}
	const workers = 6
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := launchers[w%2]
			for i := w; i < n; i += workers {
				pid, err := l.Launch(&Spec{Path: "/bin/true", Argv: []string{"true"}, Files: []int{devNull, devNull, devNull}, Setpgid: i%3 == 0})
				if err != nil {
					errs <- fmt.Errorf("launch %d: pid %d: %v", i, pid, err)
					return
				}
				var ws unix.WaitStatus
				for {
					_, err = unix.Wait4(pid, &ws, 0, nil)
					if err != unix.EINTR {
						break
					}
				}
				if err != nil || !ws.Exited() || ws.ExitStatus() != 0 {
					errs <- fmt.Errorf("launch %d: pid %d: wait %v status %v", i, pid, err, ws)
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Minute):
		buf := make([]byte, 1<<20)
		t.Fatalf("hang:\n%s", buf[:runtime.Stack(buf, true)])
	}
	close(stop)
	bg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if _, err := unix.Wait4(-1, nil, unix.WNOHANG, nil); err != unix.ECHILD {
		t.Errorf("wait4(-1): %v, want ECHILD (a child left over)", err)
	}
	if got := fdCount(t); got != fds {
		t.Errorf("%d descriptors open, %d before", got, fds)
	}
	var total int
	for _, l := range launchers {
		st := StatsOf(l)
		total += st.Count
		t.Logf("%s: %+v", l.Name(), st)
	}
	if total != n {
		t.Errorf("stats count %d launches, want %d", total, n)
	}
	t.Logf("%d launches, %d signals caught", n, nsig)
}
