package tests

import (
	"regexp"
	"strings"
	"testing"
)

// Job control through a real pseudo-terminal: ^Z, fg, bg, jobs, kill, wait
// and the terminal handed over and back, in both launch modes.

const (
	ctrlC = "\x03"
	ctrlD = "\x04"
	ctrlZ = "\x1a"
)

// eachLaunchMode runs fn once with fork/exec and once with spawnmode.
func eachLaunchMode(t *testing.T, fn func(t *testing.T, term *terminal)) {
	for _, mode := range []string{"fork", "spawn"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			term := startTerminal(t)
			if mode == "spawn" {
				term.run("set -o spawnmode")
			}
			fn(t, term)
		})
	}
}

func mustMatch(t *testing.T, what, got, re string) {
	t.Helper()
	if !regexp.MustCompile(re).MatchString(got) {
		t.Fatalf("%s: output %q does not match %q", what, got, re)
	}
}

func TestStopAndResumeExternal(t *testing.T) {
	eachLaunchMode(t, func(t *testing.T, term *terminal) {
		term.send("sleep 100\n")
		term.waitJobTerminal()
		term.send(ctrlZ)
		term.expect(`\[1\]\+  Stopped +sleep 100\r?\nPROMPT> `)
		mustMatch(t, "jobs", term.run("jobs"), `^\[1\]\+  Stopped +sleep 100\n$`)
		mustMatch(t, "bg", term.run("bg"), `^\[1\]\+ sleep 100 &\n$`)
		mustMatch(t, "jobs after bg", term.run("jobs"), `^\[1\]\+  Running +sleep 100 &\n$`)
		mustMatch(t, "jobs -p", term.run("jobs -p"), `^[0-9]+\n$`)
		term.send("fg\n")
		term.expect(`fg\r?\nsleep 100\r?\n`)
		term.waitJobTerminal()
		term.send(ctrlC)
		term.expect(`PROMPT> $`)
		mustMatch(t, "status after ^C", term.run("echo st=$?"), `st=130`)
		mustMatch(t, "jobs at the end", term.run("jobs"), `^$`)
	})
}

func TestStopAndResumeLoop(t *testing.T) {
	eachLaunchMode(t, func(t *testing.T, term *terminal) {
		term.send("i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.05; done\n")
		term.expect(`tick 3\r?\n`)
		term.send(ctrlZ)
		term.expect(`\[1\]\+  Stopped +while :; do i=\$\(\(i \+ 1\)\); echo tick \$i; sleep 0\.05; done\r?\nPROMPT> `)
		// The loop's variable stays with the job: the shell went on
		// without it, as it would without a forked job.
		term.run("true")
		term.send("fg\n")
		term.expect(`(?s)fg\r?\nwhile .*done\r?\n(.*\n)?tick [0-9]+\r?\n`)
		term.send(ctrlC)
		term.expect(`PROMPT> $`)
		mustMatch(t, "status after ^C", term.run("echo st=$?"), `st=130`)
		// ^Z while only builtins run stops the loop too.
		term.send("echo started; while :; do :; done\n")
		term.expect(`started\r?\n`)
		term.send(ctrlZ)
		term.expect(`\[1\]\+  Stopped +while :; do :; done\r?\nPROMPT> `)
		mustMatch(t, "kill %1", term.run("kill %1; wait %1; echo w=$?"), `^w=143\n$`)
	})
}

func TestWaitAndKillJobs(t *testing.T) {
	eachLaunchMode(t, func(t *testing.T, term *terminal) {
		mustMatch(t, "start", term.run("sh -c 'sleep 0.2; exit 7' &"), `^\[1\] [0-9]+\n$`)
		mustMatch(t, "wait %1", term.run("wait %1; echo w=$?"), `w=7`)
		term.run("sleep 100 &")
		term.run("sleep 100 &")
		mustMatch(t, "two jobs", term.run("jobs"), `^\[1\]-  Running +sleep 100 &\n\[2\]\+  Running +sleep 100 &\n$`)
		mustMatch(t, "wait %2", term.run("kill %2; wait %2; echo w=$?"), `^w=143\n$`)
		term.run("kill -s KILL %sleep")
		mustMatch(t, "wait $!", term.run("wait; echo w=$?"), `w=0`)
		mustMatch(t, "no such job", term.run("fg %9; echo st=$?"), `fg: %9: no such job\nst=1`)
	})
}

func TestBackgroundReadStopsOnTerminal(t *testing.T) {
	eachLaunchMode(t, func(t *testing.T, term *terminal) {
		term.run("cat &")
		term.runUntil("jobs", `^\[1\]\+  Stopped +cat\n$`)
		term.send("fg\n")
		term.expect(`fg\r?\ncat\r?\n`)
		term.send("hello\n")
		term.expect(`hello\r?\nhello\r?\n`)
		term.send(ctrlD)
		term.expect(`PROMPT> $`)
	})
}

func TestTerminalModesAfterStoppedJob(t *testing.T) {
	eachLaunchMode(t, func(t *testing.T, term *terminal) {
		modes := `stty -a | tr ' ' '\n' | grep -E '^-?(icanon|echo)$' | tr '\n' ' '`
		mustMatch(t, "modes at start", term.run(modes), `icanon echo`)
		term.send("sh -c 'stty -icanon -echo; echo changed; sleep 100'\n")
		term.expect(`changed\r?\n`)
		term.send(ctrlZ)
		term.expect(`Stopped +sh -c 'stty -icanon -echo; echo changed; sleep 100'\r?\nPROMPT> `)
		mustMatch(t, "modes after stop", term.run(modes), `^icanon echo`)
		term.send("fg\n")
		term.expect(`sleep 100'\r?\n`)
		term.waitJobTerminal()
		term.send(ctrlC)
		term.expect(`PROMPT> $`)
		mustMatch(t, "modes after ^C", term.run(modes), `^icanon echo`)
	})
}

func TestLeavingWithStoppedJobs(t *testing.T) {
	term := startTerminal(t)
	term.send("sleep 100\n")
	term.waitJobTerminal()
	term.send(ctrlZ)
	term.expect(`Stopped +sleep 100\r?\nPROMPT> `)
	mustMatch(t, "first exit", term.run("exit"), `There are stopped jobs\.`)
	term.send("exit\n")
	term.wait()
}

func TestNoZombiesAfterManyJobs(t *testing.T) {
	term := startTerminal(t)
	term.run("for i in 1 2 3 4 5 6 7 8 9 10; do true & /bin/true | cat & done; wait")
	term.run("for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.01; (true; /bin/true) & done; wait")
	out := term.run("ps -o stat= --ppid $$ | grep -c Z")
	if strings.TrimSpace(out) != "0" {
		t.Fatalf("zombie children: %q", out)
	}
}
