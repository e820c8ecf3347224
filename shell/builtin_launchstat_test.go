package shell

import (
	"strings"
	"testing"
	"time"

	"github.com/spork-sh/spork/exec"
)

func TestFormatLaunchStats(t *testing.T) {
	got := formatLaunchStats([]namedStats{
		{"fork", exec.Stats{Count: 120, Failed: 0, P50: 612 * time.Microsecond, P90: 820 * time.Microsecond, P99: 1500*time.Microsecond + 999, Max: 2100 * time.Microsecond}},
		{"spawn", exec.Stats{Failed: 1}},
	}, []procField{{"VmRSS", 8124}, {"VmPTE", -1}})
	want := "" +
		"mode    launches  failed   p50_us   p90_us   p99_us   max_us\n" +
		"fork         120       0      612      820     1500     2100\n" +
		"spawn          0       1        -        -        -        -\n" +
		"VmRSS       8124 kB\n" +
		"VmPTE          - kB\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// The table in the help text has the same layout.
	if !strings.Contains(launchstatHelp, strings.Join(strings.Split(want, "\n")[:2], "\n      ")) {
		t.Errorf("help text's example does not match the format:\n%s", launchstatHelp)
	}
}

func TestReadProcStatus(t *testing.T) {
	f := readProcStatus("VmRSS", "VmPTE", "NoSuchField")
	if f[0].name != "VmRSS" || f[0].kB <= 0 || f[1].kB <= 0 || f[2].kB != -1 {
		t.Errorf("readProcStatus: %+v", f)
	}
}

func TestLaunchstatCounts(t *testing.T) {
	r := New(Options{Arg0: "spork"})
	out, errOut, st := runIn(t, r, `
launchstat -r
/bin/true; /bin/true
set -o spawnmode
/bin/true
./no-such-program 2>/dev/null
launchstat
launchstat -r
`, "")
	if st != 0 || errOut != "" {
		t.Fatalf("status %d stderr %q", st, errOut)
	}
	lines := strings.Split(out, "\n")
	if len(lines) < 5 {
		t.Fatalf("short output %q", out)
	}
	fork, spawn := strings.Fields(lines[1]), strings.Fields(lines[2])
	if fork[0] != "fork" || fork[1] != "2" || fork[2] != "0" {
		t.Errorf("fork line %q", lines[1])
	}
	if spawn[0] != "spawn" || spawn[1] != "1" || spawn[2] != "1" {
		t.Errorf("spawn line %q", lines[2])
	}
	if s := exec.StatsOf(r.sh.fork); s.Count != 0 || s.Failed != 0 {
		t.Errorf("launchstat -r left fork stats %+v", s)
	}
	if s := exec.StatsOf(r.sh.spawn); s.Count != 0 || s.Failed != 0 {
		t.Errorf("launchstat -r left spawn stats %+v", s)
	}

	checkOut(t, "launchstat -r -r; echo $?", "", "0\n", 0)
	checkErr(t, "launchstat -q", "launchstat: -q: invalid option")
	checkErr(t, "launchstat now", "launchstat: now: unexpected argument")
	out, _, _ = runScript(t, "help launchstat", "")
	if !strings.HasPrefix(out, "launchstat [-r] - ") || !strings.Contains(out, "VmPTE") {
		t.Errorf("help launchstat: %q", out)
	}
	out, _, _ = runScript(t, "help", "")
	if !strings.Contains(out, "\n launchstat [-r] - show launch counts and latencies of both launch modes\n let ") {
		t.Errorf("help's listing shows more than launchstat's summary line:\n%s", out)
	}
}
