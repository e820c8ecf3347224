package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Job control through a real pseudo-terminal: ^Z, fg, bg, jobs, kill, wait
// and the terminal handed over and back, in both launch modes.

const (
	ctrlC = "\x03"
	ctrlD = "\x04"
	ctrlZ = "\x1a"
)

// jobPrompt is the prompt the job-control tests set, easy to find between
// the line editor's redraws.
const jobPrompt = "PROMPT> "

// startJobShell starts an interactive spork with jobPrompt, at its first
// prompt.
func startJobShell(t *testing.T) *term {
	t.Helper()
	home := newHome(t, map[string]string{".sporkrc": "PS1='" + jobPrompt + "'\n"})
	tm := startSpork(t, home, nil)
	tm.expect(jobPrompt)
	return tm
}

// noise is what the line editor draws around the text: escape sequences,
// carriage returns, and the partial-line mark ("%", spaces, "\r \r").
var noise = regexp.MustCompile(`\x1b\[7m%\x1b\[0m *\r \r|\x1b\[[0-9;?]*[A-Za-z]|\r| \x08`)

// run types a command line and waits for the next prompt, returning what
// the command printed, without the line editor's echo and escapes.
func (tm *term) run(line string) string {
	tm.t.Helper()
	tm.typeLine(line)
	return tm.untilPrompt()
}

// typeLine types a command line a key at a time, as a person does,
// waiting for the line editor to show each key, then Enter, and waits for
// the line to be taken. (A burst of keys right after a job stopped could
// lose one to the editor restarting.)
func (tm *term) typeLine(line string) {
	tm.t.Helper()
	for i := range len(line) {
		tm.send(line[i : i+1])
		tm.expect(line[:i+1])
	}
	tm.send("\n")
	tm.expect(line + "\r\n")
}

// untilPrompt waits for the next prompt and returns what was shown before
// it, without the line editor's noise.
func (tm *term) untilPrompt() string {
	tm.t.Helper()
	tm.mu.Lock()
	mark := tm.seen
	tm.mu.Unlock()
	tm.expect(jobPrompt)
	tm.mu.Lock()
	shown := tm.out.String()[mark : tm.seen-len(jobPrompt)]
	tm.mu.Unlock()
	return noise.ReplaceAllString(shown, "")
}

// runUntil runs a command line again and again until its output matches
// re, as a user polls jobs.
func (tm *term) runUntil(line, re string) string {
	tm.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(waitDeadline)
	for {
		out := tm.run(line)
		if rx.MatchString(out) {
			return out
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("%s: output %q never matched %q", line, out, re)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitForeground waits until the program named comm leads the job that has
// the terminal: the foreground command has started (and exec'd, so that
// a ^Z now stops a process the shell knows; a child stopped between clone
// and exec would keep its launch from returning until continued).
func (tm *term) waitForeground(comm string) {
	tm.t.Helper()
	deadline := time.Now().Add(waitDeadline)
	for time.Now().Before(deadline) {
		pg, err := unix.IoctlGetInt(int(tm.pty.Fd()), unix.TIOCGPGRP)
		if err == nil && pg != tm.cmd.Process.Pid && groupRuns(pg, comm) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	tm.t.Fatalf("no %s took the terminal within %v", comm, waitDeadline)
}

// stopSleep starts sleep 100 in the foreground and stops it with ^Z.
func (tm *term) stopSleep() {
	tm.t.Helper()
	tm.send("sleep 100\n")
	tm.expect("sleep 100\r\n")
	tm.waitForeground("sleep")
	tm.send(ctrlZ)
	mustMatch(tm.t, "^Z", tm.untilPrompt(), `Stopped +sleep 100\n$`)
}

// groupRuns reports whether a process named comm is in process group pg.
func groupRuns(pg int, comm string) bool {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...
		s := string(b)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open {
			continue
		}
		fields := strings.Fields(s[end+1:])
		if len(fields) > 2 && s[open+1:end] == comm && fields[2] == strconv.Itoa(pg) {
			return true
		}
	}
	return false
}

// eachLaunchMode runs fn once with fork/exec and once with spawnmode.
func eachLaunchMode(t *testing.T, fn func(t *testing.T, tm *term)) {
	for _, mode := range []string{"fork", "spawn"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			tm := startJobShell(t)
			if mode == "spawn" {
				tm.run("set -o spawnmode")
			}
			fn(t, tm)
		})
	}
}

func mustMatch(t *testing.T, what, got, re string) {
	t.Helper()
	if !regexp.MustCompile(re).MatchString(got) {
		t.Fatalf("%s: output %q does not match %q", what, got, re)
	}
}

func TestJobStopAndResumeExternal(t *testing.T) {
	eachLaunchMode(t, func(t *testing.T, tm *term) {
		tm.send("sleep 100\n")
		tm.expect("sleep 100\r\n")
		tm.waitForeground("sleep")
		tm.send(ctrlZ)
		mustMatch(t, "^Z", tm.untilPrompt(), `\[1\]\+  Stopped +sleep 100\n$`)
		mustMatch(t, "jobs", tm.run("jobs"), `^\[1\]\+  Stopped +sleep 100\n$`)
		mustMatch(t, "wait for a stopped job", tm.run("wait %1; echo st=$?"), `wait: job 1 is stopped\nst=148\n$`)
		mustMatch(t, "wait skips stopped jobs", tm.run("wait; echo st=$?"), `^st=0\n$`)
		mustMatch(t, "bg", tm.run("bg"), `^\[1\]\+ sleep 100 &\n$`)
		mustMatch(t, "jobs after bg", tm.run("jobs"), `^\[1\]\+  Running +sleep 100 &\n$`)
		mustMatch(t, "jobs -p", tm.run("jobs -p"), `^[0-9]+\n$`)
		tm.typeLine("fg")
		tm.expect("sleep 100\r\n")
		tm.waitForeground("sleep")
		tm.send(ctrlZ)
		mustMatch(t, "^Z again", tm.untilPrompt(), `\[1\]\+  Stopped +sleep 100\n$`)
		// naming a job brings it to the foreground, as in bash
		tm.typeLine("%1")
		tm.expect("sleep 100\r\n")
		tm.waitForeground("sleep")
		tm.send(ctrlC)
		tm.untilPrompt()
		mustMatch(t, "status after ^C", tm.run("echo st=$?"), `st=130`)
		mustMatch(t, "jobs at the end", tm.run("jobs"), `^$`)
		mustMatch(t, "% with no job", tm.run("%; echo st=$?"), `fg: %: no such job\nst=1\n$`)
	})
}

func TestJobStopAndResumeLoop(t *testing.T) {
	eachLaunchMode(t, func(t *testing.T, tm *term) {
		tm.send("i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.05; done\n")
		tm.expect("tick 3\r\n")
		tm.send(ctrlZ)
		mustMatch(t, "^Z", tm.untilPrompt(), `\[1\]\+  Stopped +while :; do i=\$\(\(i \+ 1\)\); echo tick \$i; sleep 0\.05; done\n$`)
		tm.typeLine("fg")
		tm.expect("done\r\n")
		tm.expect("tick")
		tm.send(ctrlC)
		tm.untilPrompt()
		mustMatch(t, "status after ^C", tm.run("echo st=$?"), `st=130`)
		// ^Z and ^C while only builtins run reach the loop too.
		tm.send("echo started; while :; do :; done\n")
		tm.expect("started\r\n")
		tm.send(ctrlZ)
		mustMatch(t, "^Z", tm.untilPrompt(), `\[1\]\+  Stopped +while :; do :; done\n$`)
		mustMatch(t, "kill %1", tm.run("kill %1; wait %1; echo w=$?"), `^\[1\]\+  Terminated +while :; do :; done\nw=143\n$`)
		tm.send("echo started; while :; do :; done\n")
		tm.expect("started\r\n")
		tm.send(ctrlC)
		tm.untilPrompt()
		mustMatch(t, "status after ^C", tm.run("echo st=$?"), `st=130`)
	})
}

func TestJobWaitAndKill(t *testing.T) {
	eachLaunchMode(t, func(t *testing.T, tm *term) {
		mustMatch(t, "start", tm.run("sh -c 'sleep 0.2; exit 7' &"), `^\[1\] [0-9]+\n$`)
		// an interactive shell shows the status line of a job wait collected, as bash does
		mustMatch(t, "wait %1", tm.run("wait %1; echo w=$?"), `^\[1\]\+  Exit 7 +sh -c 'sleep 0.2; exit 7'\nw=7\n$`)
		tm.run("sleep 100 &")
		tm.run("sleep 100 &")
		mustMatch(t, "two jobs", tm.run("jobs"), `^\[1\]-  Running +sleep 100 &\n\[2\]\+  Running +sleep 100 &\n$`)
		// the process id in a field of 5, as bash prints it
		mustMatch(t, "jobs -l", tm.run("jobs -l"), `^\[1\]- [ 0-9]{5,} Running +sleep 100 &\n\[2\]\+ [ 0-9]{5,} Running +sleep 100 &\n$`)
		mustMatch(t, "wait %2", tm.run("kill %2; wait %2; echo w=$?"), `^\[2\]\+  Terminated +sleep 100\nw=143\n$`)
		mustMatch(t, "wait", tm.run("kill -s KILL %sleep; wait; echo w=$?"), `^\[1\]\+  Killed +sleep 100\nw=0\n$`)
		mustMatch(t, "wait after jobs showed it", tm.run("sh -c 'exit 3' & sleep 0.3; jobs >/dev/null; wait; echo w=$?"), `^\[1\] [0-9]+\nw=0\n$`)
		mustMatch(t, "no such job", tm.run("fg %9; echo st=$?"), `fg: %9: no such job\nst=1`)
	})
}

func TestJobBackgroundReadStops(t *testing.T) {
	eachLaunchMode(t, func(t *testing.T, tm *term) {
		tm.run("cat &")
		tm.runUntil("jobs", `^\[1\]\+  Stopped +cat\n$`)
		tm.typeLine("fg")
		tm.expect("cat\r\n")
		tm.waitForeground("cat")
		tm.send("hello\n")
		tm.expect("hello\r\nhello\r\n")
		tm.send(ctrlD)
		tm.untilPrompt()
	})
}

func TestJobTerminalModesAfterStop(t *testing.T) {
	eachLaunchMode(t, func(t *testing.T, tm *term) {
		modes := `stty -a | tr ' ' '\n' | grep -E '^-?(icanon|echo)$' | tr '\n' ' '; echo`
		mustMatch(t, "modes at start", tm.run(modes), `^icanon echo`)
		tm.send("sh -c 'stty -icanon -echo; echo changed; exec sleep 100'\n")
		tm.expect("changed\r\n")
		tm.waitForeground("sleep")
		tm.send(ctrlZ)
		mustMatch(t, "^Z", tm.untilPrompt(), `Stopped +sh -c 'stty -icanon -echo; echo changed; exec sleep 100'\n$`)
		mustMatch(t, "modes after stop", tm.run(modes), `^icanon echo`)
		tm.typeLine("fg")
		tm.expect("exec sleep 100'\r\n")
		tm.waitForeground("sleep")
		tm.send(ctrlC)
		tm.untilPrompt()
		mustMatch(t, "modes after ^C", tm.run(modes), `^icanon echo`)
	})
}

func TestJobLeavingWithStoppedJobs(t *testing.T) {
	tm := startJobShell(t)
	tm.stopSleep()
	mustMatch(t, "first exit", tm.run("exit"), `There are stopped jobs\.`)
	tm.send("exit\n")
	tm.wait()
}

func TestJobNoZombies(t *testing.T) {
	tm := startJobShell(t)
	tm.run("for i in 1 2 3 4 5 6 7 8 9 10; do true & /bin/true | cat & done; wait")
	tm.run("for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.01; (true; /bin/true) & done; wait")
	out := tm.run("ps -o stat= --ppid $$ | grep -c Z")
	if strings.TrimSpace(out) != "0" {
		t.Fatalf("zombie children: %q", out)
	}
}

// A process of a job that is not in the foreground can hand the terminal
// to its own group behind the shell's back: one launched by a loop in the
// instant of a ^Z does so after the shell took the terminal back. The
// line editor then reads from a terminal that is not the shell's (EIO); it
// must take the terminal back and lose none of the keys typed, not give up
// reading (the rest of the line ran as a command, then every line read as
// the end of input). Here a background job takes the terminal when told
// to, while the shell waits at the prompt.
func TestJobTerminalTakenBackAtPrompt(t *testing.T) {
	if _, err := exec.LookPath("perl"); err != nil {
		t.Skip("perl is not installed")
	}
	tm := startJobShell(t)
	script := `use POSIX;
$SIG{TTOU} = "IGNORE";
$SIG{USR1} = sub {};
sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGUSR1));
open(my $f, ">", "ready") or die; close $f;
sigsuspend(POSIX::SigSet->new);
tcsetpgrp(0, getpgrp) or die "tcsetpgrp: $!";
print "took\n";
pause;
`
	if err := os.WriteFile(filepath.Join(tm.home, "steal.pl"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	out := tm.run("perl steal.pl &")
	m := regexp.MustCompile(`\[1\] ([0-9]+)\n`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no job number and pid in %q", out)
	}
	pid, _ := strconv.Atoi(m[1])
	// the job holds the terminal open: end it before the terminal's cleanup
	t.Cleanup(func() { unix.Kill(pid, unix.SIGKILL) })
	deadline := time.Now().Add(waitDeadline)
	for {
		if _, err := os.Stat(filepath.Join(tm.home, "ready")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the job did not start within %v", waitDeadline)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := unix.Kill(pid, unix.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	tm.expect("took\r\n")
	mustMatch(t, "a line typed after", tm.run("echo ok"), `^ok\n$`)
	mustMatch(t, "jobs", tm.run("jobs"), `^\[1\]\+  Running +perl steal\.pl &\n$`)
	mustMatch(t, "kill", tm.run("kill %1; wait %1; echo w=$?"), `w=143\n$`)
}

// The process that holds a compound job's process group ends with its
// shell, even one killed by SIGKILL, which cannot end it itself.
func TestJobGroupHolderEndsWithShell(t *testing.T) {
	tm := startJobShell(t)
	out := tm.run("{ while :; do sleep 1; done; } &")
	m := regexp.MustCompile(`\[1\] ([0-9]+)\n`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no job number and pid in %q", out)
	}
	holder, _ := strconv.Atoi(m[1])
	comm, err := os.ReadFile("/proc/" + m[1] + "/cmdline")
	if err != nil || !strings.HasPrefix(string(comm), "spork-job-group") {
		t.Fatalf("job leader %d is not the group holder: %q, %v", holder, comm, err)
	}
	if err := tm.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(waitDeadline)
	for alive(holder) {
		if time.Now().After(deadline) {
			unix.Kill(holder, unix.SIGKILL)
			t.Fatalf("the group holder %d outlived its shell by %v", holder, waitDeadline)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// alive reports whether a process exists and has not ended (a zombie whose
// new parent does not reap it has ended).
func alive(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// the state follows the command name in parentheses
	i := strings.LastIndexByte(string(stat), ')')
	return i < 0 || i+2 >= len(stat) || (stat[i+2] != 'Z' && stat[i+2] != 'X')
}

// The read builtin runs in the shell's own process: reading the terminal,
// it must give way to ^C and ^Z as a process would (before, it went on
// reading, and took the keys typed at the next prompt), stop when in the
// background, and read again when brought back with fg.
func TestJobReadBuiltinFromTerminal(t *testing.T) {
	eachLaunchMode(t, func(t *testing.T, tm *term) {
		tm.typeLine("read x")
		tm.send("abc" + ctrlC)
		tm.untilPrompt()
		mustMatch(t, "after ^C", tm.run(`echo "st=$? x=$x"`), `^st=130 x=\n$`)
		tm.typeLine("read y")
		tm.send(ctrlZ)
		mustMatch(t, "^Z", tm.untilPrompt(), `\[1\]\+  Stopped +read y\n$`)
		mustMatch(t, "a line after ^Z", tm.run("echo one"), `^one\n$`)
		tm.typeLine("fg")
		tm.expect("read y\r\n")
		tm.send("typed\n")
		tm.untilPrompt()
		mustMatch(t, "after fg", tm.run(`echo "st=$?"; jobs`), `^st=0\n$`)
		tm.run("read z &")
		tm.runUntil("jobs", `^\[1\]\+  Stopped +read z\n$`)
		tm.typeLine("fg")
		tm.expect("read z\r\n")
		tm.send("val\n")
		tm.untilPrompt()
		mustMatch(t, "background read brought back", tm.run(`echo "st=$?"; jobs`), `^st=0\n$`)
		// a process of the job holds the terminal meanwhile
		tm.typeLine(`read x | cat; echo "st=${PIPESTATUS[*]}"`)
		tm.send("abc\n")
		mustMatch(t, "read | cat", tm.untilPrompt(), `st=0 0\n$`)
	})
}

// disown of a stopped job warns that the job is left stopped, as bash does.
func TestJobDisownStoppedWarns(t *testing.T) {
	tm := startJobShell(t)
	tm.stopSleep()
	mustMatch(t, "disown", tm.run("p=$(jobs -p); disown %1; kill -KILL $p; jobs"),
		`^spork: warning: deleting stopped job 1 with process group [0-9]+\n$`)
	tm.send("exit\n")
	tm.wait()
}

// ^C that kills a foreground job ends the whole command line, as in bash:
// in "make; ./run" a ^C in make must not start ./run. This holds for a
// command substitution in progress (its command does not run) and for
// the wait builtin (which ^C ends). A program that catches ^C and exits
// normally does not end the line.
func TestJobInterruptEndsCommandLine(t *testing.T) {
	eachLaunchMode(t, func(t *testing.T, tm *term) {
		interrupt := func(line, comm string) {
			t.Helper()
			tm.typeLine(line)
			tm.waitForeground(comm)
			tm.send(ctrlC)
			out := tm.untilPrompt()
			if strings.Contains(out, "after") {
				t.Fatalf("%s: the line went on after ^C: %q", line, out)
			}
			mustMatch(t, line+": status", tm.run("echo st=$?"), `^st=130\n$`)
		}
		interrupt("sleep 100; echo after", "sleep")
		interrupt("sleep 100 | cat; echo after", "sleep")
		tm.run("f() { sleep 100; echo in-f; }")
		interrupt("f; echo after", "sleep")
		interrupt(`echo "after $(sleep 100; echo x)"; echo after`, "sleep")

		// wait, a builtin: the terminal stays the shell's
		tm.typeLine("sleep 100 & wait; echo after")
		tm.expect("]")
		tm.send(ctrlC)
		out := tm.untilPrompt()
		if strings.Contains(out, "after") {
			t.Fatalf("wait: the line went on after ^C: %q", out)
		}
		mustMatch(t, "wait: status", tm.run("echo st=$?; kill %1"), `^st=130\n`)

		tm.typeLine(`sh -c 'trap "exit 0" INT; echo ready; while :; do sleep 1; done'; echo after=$?`)
		tm.expect("ready")
		tm.waitForeground("sleep")
		tm.send(ctrlC)
		mustMatch(t, "a program catching ^C", tm.untilPrompt(), `after=0\n`)
	})
}

// ^Z stops a job once its processes have stopped, as in bash: a program
// that catches the signal and puts the terminal back first (less, vi) is
// still the terminal's until it stops itself, and one that ignores ^Z
// runs on to its end. (The shell took the terminal back and said
// "Stopped" as soon as the job's group holder stopped; less then cleared
// the message and set the modes of the line being edited.)
func TestJobStopWaitsForItsProcesses(t *testing.T) {
	if _, err := exec.LookPath("perl"); err != nil {
		t.Skip("no perl")
	}
	eachLaunchMode(t, func(t *testing.T, tm *term) {
		tm.typeLine(`perl -e '$|=1; $SIG{TSTP} = sub { sleep 1; print "cleaned up\n"; kill "STOP", $$ }; print "ready\n"; sleep 1 while 1'`)
		tm.expect("ready\r\n")
		tm.waitForeground("perl")
		tm.send(ctrlZ)
		mustMatch(t, "^Z", tm.untilPrompt(), `^\^Zcleaned up\n\n\[1\]\+  Stopped +perl`)
		mustMatch(t, "jobs", tm.run("jobs"), `^\[1\]\+  Stopped +perl`)
		mustMatch(t, "kill", tm.run("kill -9 %1; wait %1"), `Killed +perl`)

		tm.typeLine(`sh -c 'trap "" TSTP; echo ready; read x; echo finished $x'; echo next`)
		tm.expect("ready\r\n")
		tm.waitForeground("sh")
		tm.send(ctrlZ)
		tm.expect("^Z")
		tm.send("go\n")
		mustMatch(t, "^Z ignored", tm.untilPrompt(), `finished go\nnext\n$`)
		mustMatch(t, "no job", tm.run("jobs"), `^$`)
	})
}

// bg prints the mark the job had, as bash does: "-" for the previous job.
func TestJobBgMark(t *testing.T) {
	tm := startJobShell(t)
	tm.stopSleep()
	tm.typeLine("sleep 101")
	tm.waitForeground("sleep")
	tm.send(ctrlZ)
	mustMatch(t, "^Z", tm.untilPrompt(), `\[2\]\+  Stopped +sleep 101\n$`)
	mustMatch(t, "bg %1", tm.run("bg %1"), `^\[1\]- sleep 100 &\n$`)
	mustMatch(t, "bg", tm.run("bg"), `^\[2\]\+ sleep 101 &\n$`)
	tm.run("kill %1 %2")
}
