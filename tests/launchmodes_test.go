package tests

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Tests of spork's two launch modes through the built binary: every check
// runs once after `set +o spawnmode` (fork/exec) and once after
// `set -o spawnmode` (clone(CLONE_VM|CLONE_VFORK)), and both must show the
// same child.

// launchModes are the two settings every check runs under.
var launchModes = []struct{ name, set string }{
	{"fork", "set +o spawnmode"},
	{"spawn", "set -o spawnmode"},
}

// sporkRun runs spork with args in dir and returns its output and status.
func sporkRun(t *testing.T, dir string, timeout time.Duration, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	if buildErr != nil {
		t.Fatalf("%v\n%s", buildErr, buildOutput)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, sporkBin, args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + dir, "LANG=C"}
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := runInGroup(cmd)
	if ctx.Err() != nil {
		t.Fatalf("spork %q: hung (killed after %v); stdout so far:\n%s", args, timeout, so.String())
	}
	if strings.Contains(se.String(), "panic") || strings.Contains(se.String(), "goroutine ") || strings.Contains(se.String(), "fatal error") {
		t.Fatalf("spork %q crashed:\n%s", args, se.String())
	}
	status = -1
	if cmd.ProcessState != nil {
		ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
		switch {
		case ws.Exited():
			status = ws.ExitStatus()
		case ws.Signaled():
			status = 128 + int(ws.Signal())
		}
	} else if err != nil {
		t.Fatalf("spork %q: %v", args, err)
	}
	return so.String(), se.String(), status
}

// inBothModes runs script under each launch mode (the mode's set command
// first) in a fresh directory and hands the output to check.
func inBothModes(t *testing.T, script string, check func(t *testing.T, dir, stdout, stderr string, status int)) {
	t.Helper()
	for _, m := range launchModes {
		t.Run(m.name, func(t *testing.T) {
			dir := t.TempDir()
			out, errOut, st := sporkRun(t, dir, 30*time.Second, "-c", m.set+"\n"+script)
			check(t, dir, out, errOut, st)
		})
	}
}

// expectOutput is a check that wants exactly this stdout, empty stderr and
// status 0.
func expectOutput(want string) func(t *testing.T, dir, stdout, stderr string, status int) {
	return func(t *testing.T, dir, stdout, stderr string, status int) {
		t.Helper()
		want := strings.ReplaceAll(want, "$DIR", dir)
		if stdout != want || stderr != "" || status != 0 {
			t.Errorf("got stdout %q, stderr %q, status %d\nwant stdout %q, no stderr, status 0", stdout, stderr, status, want)
		}
	}
}

func TestLaunchModeArgv(t *testing.T) {
	inBothModes(t, `
/usr/bin/printf '[%s]\n' a 'b c' '' "$(echo d)" '*'
cat /proc/self/cmdline | tr '\0' '|'; echo
/bin/cat /proc/self/cmdline | tr '\0' '|'; echo
`, expectOutput("[a]\n[b c]\n[]\n[d]\n[*]\ncat|/proc/self/cmdline|\n/bin/cat|/proc/self/cmdline|\n"))
}

func TestLaunchModeEnv(t *testing.T) {
	inBothModes(t, `
export EXPORTED=1
NOTEXPORTED=2
PREFIX=3 env | grep -E '^(EXPORTED|NOTEXPORTED|PREFIX|PATH)=' | sort
env | grep '^PREFIX=' || echo no PREFIX
unset EXPORTED
env | grep '^EXPORTED=' || echo no EXPORTED
`, expectOutput("EXPORTED=1\nPATH=/usr/local/bin:/usr/bin:/bin\nPREFIX=3\nno PREFIX\nno EXPORTED\n"))
}

func TestLaunchModeCwd(t *testing.T) {
	inBothModes(t, `
mkdir -p sub/inner
cd sub/inner
/bin/pwd
readlink /proc/self/cwd
(cd ..; /bin/pwd)
/bin/pwd
`, expectOutput("$DIR/sub/inner\n$DIR/sub/inner\n$DIR/sub\n$DIR/sub/inner\n"))
}

func TestLaunchModeUmask(t *testing.T) {
	inBothModes(t, `
umask 027
grep '^Umask' /proc/self/status
(umask 077; grep '^Umask' /proc/self/status)
grep '^Umask' /proc/self/status
umask 002
touch file
stat -c %a file
`, expectOutput("Umask:\t0027\nUmask:\t0077\nUmask:\t0027\n664\n"))
}

// TestLaunchModeDescriptors lists the descriptors a child has open: only
// 0, 1 and 2 and what redirections open (ls's own directory descriptor is
// the lowest free one).
func TestLaunchModeDescriptors(t *testing.T) {
	inBothModes(t, `
fds() { ls /proc/self/fd | tr '\n' ' '; echo; }
fds
fds 5>/dev/null
exec 7>/dev/null
fds
exec 7>&-
fds 3</dev/null
fds 0<&- 2>&-   # ls's directory takes descriptor 0
x=$(ls /proc/self/fd | tr '\n' ' '); echo "$x"
echo | ls /proc/self/fd | tr '\n' ' '; echo
`, expectOutput("0 1 2 3 \n0 1 2 3 5 \n0 1 2 3 7 \n0 1 2 3 4 \n0 1 \n0 1 2 3 \n0 1 2 3 \n"))
}

// TestLaunchModeSignals checks the child's dispositions and mask: a signal
// the shell traps is back to default, one trapped with ” is ignored, and
// nothing is blocked or caught (cat catches no signal of its own).
func TestLaunchModeSignals(t *testing.T) {
	inBothModes(t, `
cat /proc/self/status | grep -E '^Sig(Ign|Cgt|Blk)'
trap 'echo caught' USR1
trap '' INT
cat /proc/self/status | grep -E '^Sig(Ign|Cgt|Blk)'
sh -c 'kill -USR1 $$; echo not reached'; echo "usr1 status $?"
sh -c 'kill -INT $$; echo int ignored'
kill -USR1 $$
echo after
`, func(t *testing.T, dir, stdout, stderr string, status int) {
		want := "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\nSigCgt:\t0000000000000000\n" +
			"SigBlk:\t0000000000000000\nSigIgn:\t0000000000000002\nSigCgt:\t0000000000000000\n" +
			"usr1 status 138\nint ignored\ncaught\nafter\n"
		if stdout != want || status != 0 {
			t.Errorf("got stdout %q status %d (stderr %q)\nwant %q status 0", stdout, status, stderr, want)
		}
	})
}

// TestLaunchModeProcessGroup: without job control (a non-interactive
// shell) no group is asked for, and children stay in the shell's.
func TestLaunchModeProcessGroup(t *testing.T) {
	inBothModes(t, `
shell=$(cut -d' ' -f5 /proc/$$/stat)
child=$(cut -d' ' -f5 /proc/self/stat)
bg=$(cut -d' ' -f5 /proc/self/stat &
wait)
[ "$shell" = "$child" ] && [ "$shell" = "$bg" ] && echo same group
`, expectOutput("same group\n"))
}

// TestLaunchModeExecFailures: the statuses and errno messages of a launch
// that fails, and a file without #! that execve refuses (ENOEXEC) run as a
// script.
func TestLaunchModeExecFailures(t *testing.T) {
	inBothModes(t, `
printf 'echo script ran with "$1"\nexit 3\n' > noshebang; chmod +x noshebang
printf 'echo x\n' > notexec
printf '#!/nonexistent/interp\necho x\n' > badinterp; chmod +x badinterp
mkdir adir
./noshebang arg; echo "status $?"
./notexec; echo "status $?"
./adir; echo "status $?"
./missing; echo "status $?"
/nonexistent/dir/cmd; echo "status $?"
nosuchcommand; echo "status $?"
./badinterp; echo "status $?"
`, func(t *testing.T, dir, stdout, stderr string, status int) {
		wantOut := "script ran with arg\nstatus 3\nstatus 126\nstatus 126\nstatus 127\nstatus 127\nstatus 127\nstatus 127\n"
		if stdout != wantOut || status != 0 {
			t.Errorf("got stdout %q status %d\nwant %q", stdout, status, wantOut)
		}
		for _, msg := range []string{
			"./notexec: Permission denied",
			"./adir: Is a directory",
			"./missing: No such file or directory",
			"/nonexistent/dir/cmd: No such file or directory",
			"nosuchcommand: command not found",
			"./badinterp: cannot execute: required file not found",
		} {
			if !strings.Contains(stderr, msg) {
				t.Errorf("stderr lacks %q:\n%s", msg, stderr)
			}
		}
	})
}

// TestSpawnmodeOption: the option is listed, tested, set from the command
// line, and inherited by subshells, functions, pipelines and background
// jobs, whose launches launchstat counts under the mode in force.
func TestSpawnmodeOption(t *testing.T) {
	dir := t.TempDir()
	out, errOut, st := sporkRun(t, dir, 30*time.Second, "-c", `
[ -o spawnmode ] && echo on || echo off
set -o | grep spawnmode
set -o spawnmode
[ -o spawnmode ] && echo on || echo off
set -o | grep spawnmode
set +o | grep spawnmode
set +o spawnmode
set +o | grep spawnmode
`)
	want := "off\nspawnmode      \toff\non\nspawnmode      \ton\nset -o spawnmode\nset +o spawnmode\n"
	if out != want || errOut != "" || st != 0 {
		t.Errorf("got %q (stderr %q, status %d)\nwant %q", out, errOut, st, want)
	}

	out, errOut, st = sporkRun(t, dir, 30*time.Second, "-o", "spawnmode", "-c", `[ -o spawnmode ] && echo on; set +o spawnmode; [ -o spawnmode ] || echo off`)
	if out != "on\noff\n" || st != 0 {
		t.Errorf("spork -o spawnmode: got %q (stderr %q, status %d)", out, errOut, st)
	}

	inherit := `
f() { /bin/true; [ -o spawnmode ] && echo f on || echo f off; }
launchstat -r
f
( /bin/true; [ -o spawnmode ] && echo sub on || echo sub off )
/bin/true | /bin/cat
/bin/true & wait
x=$(/bin/echo cmdsubst)
table=$(launchstat)
echo "$table" | awk 'NR > 1 && NR < 4 { print $1, $2, $3 }'
`
	for _, m := range []struct{ set, want string }{
		{"set +o spawnmode", "f off\nsub off\nfork 6 0\nspawn 0 0\n"},
		{"set -o spawnmode", "f on\nsub on\nfork 0 0\nspawn 6 0\n"},
	} {
		out, errOut, st = sporkRun(t, dir, 30*time.Second, "-c", m.set+"\n"+inherit)
		if out != m.want || errOut != "" || st != 0 {
			t.Errorf("%s: got %q (stderr %q, status %d)\nwant %q", m.set, out, errOut, st, m.want)
		}
	}
}

// TestLaunchstat: the table's shape, its counts, -r, bad usage and help.
func TestLaunchstat(t *testing.T) {
	dir := t.TempDir()
	out, errOut, st := sporkRun(t, dir, 30*time.Second, "-c", `
launchstat
/bin/true; /bin/true
./missing-program 2>/dev/null
set -o spawnmode
/bin/true
launchstat
launchstat -r
launchstat
`)
	if errOut != "" || st != 0 {
		t.Fatalf("stderr %q status %d", errOut, st)
	}
	tables := strings.Split(out, "mode ")
	if len(tables) != 4 {
		t.Fatalf("want 3 tables, got:\n%s", out)
	}
	header := regexp.MustCompile(`^\s+launches\s+failed\s+p50_us\s+p90_us\s+p99_us\s+max_us\n`)
	line := func(mode string) *regexp.Regexp {
		return regexp.MustCompile(`(?m)^` + mode + `\s+(\d+)\s+(\d+)\s+(\d+|-)\s+(\d+|-)\s+(\d+|-)\s+(\d+|-)$`)
	}
	mem := regexp.MustCompile(`(?m)^VmRSS\s+(\d+) kB\nVmPTE\s+(\d+) kB\n\z`)
	counts := [][2]string{{"0 0", "0 0"}, {"2 1", "1 0"}, {"0 0", "0 0"}}
	for i, tab := range tables[1:] {
		if !header.MatchString(tab) || !mem.MatchString(tab) {
			t.Errorf("table %d malformed:\n%s", i+1, tab)
			continue
		}
		for j, mode := range []string{"fork", "spawn"} {
			m := line(mode).FindStringSubmatch(tab)
			if m == nil {
				t.Errorf("table %d: no %s line:\n%s", i+1, mode, tab)
				continue
			}
			if got := m[1] + " " + m[2]; got != counts[i][j] {
				t.Errorf("table %d: %s launches/failed %q, want %q", i+1, mode, got, counts[i][j])
			}
			if (m[1] == "0") != (m[3] == "-") {
				t.Errorf("table %d: %s: latencies %v with %s launches", i+1, mode, m[3:], m[1])
			}
			if m[1] != "0" {
				p50, _ := strconv.Atoi(m[3])
				p90, _ := strconv.Atoi(m[4])
				p99, _ := strconv.Atoi(m[5])
				mx, _ := strconv.Atoi(m[6])
				if !(p50 <= p90 && p90 <= p99 && p99 <= mx) {
					t.Errorf("table %d: %s: percentiles out of order: %v", i+1, mode, m[3:])
				}
			}
		}
	}

	_, errOut, st = sporkRun(t, dir, 10*time.Second, "-c", "launchstat -x")
	if st != 2 || !strings.Contains(errOut, "launchstat: -x: invalid option") || !strings.Contains(errOut, "usage: launchstat [-r]") {
		t.Errorf("launchstat -x: status %d stderr %q", st, errOut)
	}
	_, errOut, st = sporkRun(t, dir, 10*time.Second, "-c", "launchstat extra")
	if st != 2 || !strings.Contains(errOut, "usage: launchstat [-r]") {
		t.Errorf("launchstat extra: status %d stderr %q", st, errOut)
	}
	out, _, st = sporkRun(t, dir, 10*time.Second, "-c", "help launchstat; help | grep -c launchstat")
	if st != 0 || !strings.Contains(out, "launchstat [-r]") || !strings.Contains(out, "VmPTE") || !strings.HasSuffix(out, "\n1\n") {
		t.Errorf("help launchstat: status %d\n%s", st, out)
	}
}

// TestBallast: --ballast makes the shell resident by that much; a bad size
// is a usage error.
func TestBallast(t *testing.T) {
	dir := t.TempDir()
	for _, arg := range [][]string{{"--ballast", "64M"}, {"--ballast=64MiB"}, {"--ballast", "67108864"}} {
		out, errOut, st := sporkRun(t, dir, 30*time.Second, append(arg, "-c", "launchstat | awk '$1 == \"VmRSS\" { print $2 }'")...)
		kB, err := strconv.Atoi(strings.TrimSpace(out))
		if st != 0 || err != nil || kB < 64<<10 {
			t.Errorf("%q: VmRSS %q kB (stderr %q, status %d), want at least 64 MiB", arg, out, errOut, st)
		}
	}
	for _, bad := range []string{"lots", "-1", "1X", "", "99999999999T"} {
		_, errOut, st := sporkRun(t, dir, 10*time.Second, "--ballast", bad, "-c", "echo ran")
		if st != 2 || !strings.Contains(errOut, "--ballast") || !strings.Contains(errOut, "usage: spork") {
			t.Errorf("--ballast %q: status %d stderr %q, want a usage error", bad, st, errOut)
		}
	}
	_, errOut, st := sporkRun(t, dir, 10*time.Second, "--ballast")
	if st != 2 || !strings.Contains(errOut, "--ballast: option requires an argument") {
		t.Errorf("--ballast alone: status %d stderr %q", st, errOut)
	}
}

// TestLaunchStress launches thousands of processes in fork mode from
// concurrent background jobs running pipelines and command substitutions,
// while another job keeps sending the shell a trapped SIGUSR1. Nothing may
// hang, crash, fail, leave a zombie or leak a descriptor.
func TestLaunchStress(t *testing.T) {
	workers, rounds := 5, 120 // 3 launches a round: 1800, plus the sender's
	if testing.Short() {
		rounds = 30
	}
	dir := t.TempDir()
	script := fmt.Sprintf(`
set +o spawnmode
signals=0
trap 'signals=$((signals + 1))' USR1
# Warm up, so that descriptors opened once (the Go runtime's poller) are
# open already.
x=$(/bin/echo warm | /bin/cat); /bin/true & wait
kill -USR1 $$
ls /proc/$$/fd > fds.before
: > running
( while [ -e running ]; do kill -USR1 $$; /bin/true; done ) &
sender=$!
pids=
w=0
while [ $w -lt %d ]; do
	(
		i=0
		while [ $i -lt %d ]; do
			got=$(/bin/echo "$w.$i" | /bin/cat)
			[ "$got" = "$w.$i" ] || echo "worker $w round $i: got '$got'"
			/bin/true || echo "worker $w round $i: true failed"
			i=$((i + 1))
		done
		echo "worker $w done"
	) &
	pids="$pids $!"
	w=$((w + 1))
done
# wait returns early (status > 128) when a trapped signal arrives.
waitfor() {
	st=129
	while [ $st -gt 128 ]; do wait $1; st=$?; done
	[ $st = 0 ] || echo "job $1: status $st"
}
for p in $pids; do waitfor $p; done
rm running
waitfor $sender
[ "$signals" -gt 0 ] && echo "signals arrived"
# A descriptor opened since must be gone within two seconds (a finished
# job's pipes can be closed a moment after wait returns). The Go
# runtime's poller (an epoll and an eventfd) opens once, when first used.
newfds() {
	ls -l /proc/$$/fd > fds.after 2> fds.err
	awk 'NR == FNR { old[$1] = 1; next }
		NF >= 11 && !($9 in old) && $11 !~ /^anon_inode:\[(eventpoll|eventfd)\]$|\/fds\.(after|err)$/ { print $9 " -> " $11 }' fds.before fds.after > fds.new
	[ -s fds.new ]
}
tries=0
while newfds && [ $tries -lt 40 ]; do
	sleep 0.05; tries=$((tries + 1))
done
[ -s fds.new ] && echo "descriptors leaked: $(cat fds.new)" || echo "no descriptor leak"
# Every child has been waited for: none may be left, zombie or not.
for f in /proc/[0-9]*/stat; do
	read -r pid comm state ppid rest 2>/dev/null < "$f" || continue
	[ "$ppid" = "$$" ] && echo "child left: $pid $comm $state"
done
launchstat | awk '$1 == "fork" { print "failed launches:", $3; print $2 > "launches" }'
`, workers, rounds)
	out, errOut, st := sporkRun(t, dir, 120*time.Second, "-c", script)
	var want strings.Builder
	for w := range workers {
		fmt.Fprintf(&want, "worker %d done\n", w)
	}
	want.WriteString("signals arrived\nno descriptor leak\nfailed launches: 0\n")
	if n, err := os.ReadFile(filepath.Join(dir, "launches")); err == nil {
		t.Logf("%s fork launches", strings.TrimSpace(string(n)))
	}
	got := sortWorkerLines(out)
	if got != want.String() || st != 0 || errOut != "" {
		t.Errorf("got stdout:\n%s\nstderr %q status %d\nwant:\n%s", out, errOut, st, want.String())
	}
}

// sortWorkerLines puts the "worker N done" lines, which come in any order,
// in order.
func sortWorkerLines(out string) string {
	lines := strings.SplitAfter(out, "\n")
	var workers, rest []string
	for _, l := range lines {
		if strings.HasPrefix(l, "worker ") && strings.HasSuffix(l, " done\n") {
			workers = append(workers, l)
		} else {
			rest = append(rest, l)
		}
	}
	for i := 1; i < len(workers); i++ {
		for j := i; j > 0 && workers[j] < workers[j-1]; j-- {
			workers[j], workers[j-1] = workers[j-1], workers[j]
		}
	}
	return strings.Join(workers, "") + strings.Join(rest, "")
}
