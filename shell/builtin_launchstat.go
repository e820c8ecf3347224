package shell

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spork-sh/spork/exec"
)

func init() {
	builtins["launchstat"] = launchstatBuiltin
	builtinHelp["launchstat"] = launchstatHelp
}

// launchstatHelp is the text `help launchstat` prints; `help` alone shows
// its first line.
const launchstatHelp = `launchstat [-r] - show launch counts and latencies of both launch modes
    For each launch mode (fork: the classic fork/exec, the default; spawn:
    clone(CLONE_VM|CLONE_VFORK), chosen by set -o spawnmode) print the
    number of external commands launched, the number of launches that
    failed before exec, and the launch latency, from the start of the
    launch until the child has exec'd as the shell sees it, at the 50th,
    90th and 99th percentile and its maximum, in microseconds (percentiles
    are within about 6%; "-" when there was no launch). Then print the
    shell's resident size (VmRSS) and page-table size (VmPTE) in kB, from
    /proc/self/status. The counts cover the whole shell process, its
    subshells and background jobs included, since it started or since the
    last launchstat -r.

      mode    launches  failed   p50_us   p90_us   p99_us   max_us
      fork         120       0      612      820     1500     2100
      spawn          0       0        -        -        -        -
      VmRSS      8124 kB
      VmPTE        84 kB

    Options:
      -r  reset the counts and latencies of both modes; print nothing

    Exit status: 0, or 2 for a bad option.`

// launchstatBuiltin prints the launch statistics of the shell's two
// launchers, or resets them with -r.
func launchstatBuiltin(r *Runner, args []string) int {
	opts, rest, bad, missing := builtinGetopt(args[1:], "r")
	if bad != "" {
		return r.optError("launchstat", bad, missing, "launchstat: usage: launchstat [-r]\n")
	}
	if len(rest) > 0 {
		r.errorf("launchstat: %s: unexpected argument", rest[0])
		r.errWrite("launchstat: usage: launchstat [-r]\n")
		return 2
	}
	if len(opts) > 0 {
		exec.ResetStats(r.sh.fork)
		exec.ResetStats(r.sh.spawn)
		return 0
	}
	return r.out(formatLaunchStats(
		[]namedStats{{"fork", exec.StatsOf(r.sh.fork)}, {"spawn", exec.StatsOf(r.sh.spawn)}},
		readProcStatus("VmRSS", "VmPTE")))
}

// namedStats is one launch mode's line of the table.
type namedStats struct {
	mode  string
	stats exec.Stats
}

// formatLaunchStats lays out launchstat's table: a header, one line per
// mode, then one line per /proc/self/status field ("-" when unknown).
func formatLaunchStats(modes []namedStats, mem []procField) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-6s %9s %7s %8s %8s %8s %8s\n", "mode", "launches", "failed", "p50_us", "p90_us", "p99_us", "max_us")
	for _, m := range modes {
		s := m.stats
		us := func(d time.Duration) string {
			if s.Count == 0 {
				return "-"
			}
			return strconv.FormatInt(d.Microseconds(), 10)
		}
		fmt.Fprintf(&b, "%-6s %9d %7d %8s %8s %8s %8s\n", m.mode, s.Count, s.Failed, us(s.P50), us(s.P90), us(s.P99), us(s.Max))
	}
	for _, f := range mem {
		v := "-"
		if f.kB >= 0 {
			v = strconv.FormatInt(f.kB, 10)
		}
		fmt.Fprintf(&b, "%-6s %9s kB\n", f.name, v)
	}
	return b.String()
}

// procField is one "Name: N kB" line of /proc/self/status; kB is -1 when
// the file or the line is missing.
type procField struct {
	name string
	kB   int64
}

// readProcStatus returns the named kB fields of /proc/self/status, in the
// order asked.
func readProcStatus(names ...string) []procField {
	fields := make([]procField, len(names))
	for i, n := range names {
		fields[i] = procField{name: n, kB: -1}
	}
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return fields
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		for i := range fields {
			if fields[i].name != name {
				continue
			}
			num, _, _ := strings.Cut(strings.TrimSpace(val), " ")
			if n, err := strconv.ParseInt(num, 10, 64); err == nil {
				fields[i].kB = n
			}
		}
	}
	return fields
}

// ForkLaunches returns how many processes the shell has started in fork
// mode, failed ones included, since it started or since the last
// launchstat -r: for policies that depend on how much it forks.
func (r *Runner) ForkLaunches() int {
	s := exec.StatsOf(r.sh.fork)
	return s.Count + s.Failed
}
