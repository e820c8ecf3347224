package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// runTimeout bounds any single run.
const runTimeout = 15 * time.Minute

// env is the environment of every shell run.
var env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C", "HOME=/"}

// loop is the measured part of every shell's script: markers around n
// launches of /bin/true. The Vm lines come first, for the resident size,
// then the commands in before.
func loop(n int, before string) string {
	return fmt.Sprintf(`grep -E '^Vm(RSS|PTE):' /proc/$$/status
%secho ready
i=0
while [ "$i" -lt %d ]; do
	/bin/true
	i=$((i + 1))
done
echo done
`, before, n)
}

// runSpork runs the loop in spork holding a ballast of size bytes, in
// spawn or fork mode, and reads launchstat at the end.
func runSpork(bin string, size int64, spawn bool, n int) (sample, error) {
	mode := "+o"
	if spawn {
		mode = "-o"
	}
	script := loop(n, "launchstat -r\n") + "launchstat\n"
	s, out, err := runShell([]string{bin, "--ballast", strconv.FormatInt(size, 10), mode, "spawnmode", "-c", script}, n)
	if err != nil {
		return s, err
	}
	want := "fork"
	if spawn {
		want = "spawn"
	}
	for _, line := range out {
		f := strings.Fields(line)
		if len(f) == 7 && f[0] == want {
			if f[1] != strconv.Itoa(n) {
				return s, fmt.Errorf("launchstat counted %s %s launches, not %d", f[1], want, n)
			}
			s.p50, _ = strconv.ParseFloat(f[3], 64)
			s.p99, _ = strconv.ParseFloat(f[5], 64)
			return s, nil
		}
	}
	return s, fmt.Errorf("no %s line in launchstat's output %q", want, out)
}

// runRefShell runs the loop in bash or dash holding a variable of size
// bytes, built as ../shared/bench/bigmem.sh builds it.
func runRefShell(shell string, size int64, n int) (sample, error) {
	setup := "x=\n"
	if size > 0 {
		setup = fmt.Sprintf("x=$(head -c %d /dev/zero | tr '\\0' a)\n", size)
	}
	s, _, err := runShell([]string{shell, "-c", setup + loop(n, "") + `[ "${#x}" -eq ` + strconv.FormatInt(size, 10) + " ] || echo short variable >&2\n"}, n)
	return s, err
}

// runShell runs argv, whose script prints the loop's markers, and returns
// the sample and the lines of output that are not markers or Vm lines.
func runShell(argv []string, n int) (sample, []string, error) {
	var s sample
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return s, nil, err
	}
	if err := cmd.Start(); err != nil {
		return s, nil, err
	}
	var ready, done time.Time
	var rest []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "ready":
			ready = time.Now()
		case line == "done":
			done = time.Now()
		case strings.HasPrefix(line, "VmRSS:"):
			s.rssKB = kBField(line)
		case strings.HasPrefix(line, "VmPTE:"):
			s.pteKB = kBField(line)
		default:
			rest = append(rest, line)
		}
	}
	err = cmd.Wait()
	switch {
	case err != nil:
		return s, rest, fmt.Errorf("%s: %v: %s", argv[0], err, strings.TrimSpace(stderr.String()))
	case stderr.Len() > 0:
		return s, rest, fmt.Errorf("%s: %s", argv[0], strings.TrimSpace(stderr.String()))
	case ready.IsZero() || done.IsZero():
		return s, rest, fmt.Errorf("%s: markers missing from its output", argv[0])
	}
	s.perLaunch = float64(done.Sub(ready).Microseconds()) / float64(n)
	return s, rest, nil
}

// kBField reads "Name:   1234 kB".
func kBField(line string) int64 {
	_, val, _ := strings.Cut(line, ":")
	num, _, _ := strings.Cut(strings.TrimSpace(val), " ")
	v, _ := strconv.ParseInt(num, 10, 64)
	return v
}

// runC runs the C launchbench once holding mib MiB for fork and
// posix_spawn (or one of them): at most n launches of each, fork stopping
// after about budget seconds.
func runC(bin string, mib int64, n int, budget float64, doFork, doSpawn bool) (fork, spawn sample, err error) {
	var methods []string
	if doFork {
		methods = append(methods, "fork")
	}
	if doSpawn {
		methods = append(methods, "spawn")
	}
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-m", strconv.FormatInt(mib, 10), "-t", "nohuge", "-r", "1", "-n", strconv.Itoa(n),
		"-T", strconv.FormatFloat(budget, 'f', -1, 64), "-M", strings.Join(methods, ","), "-p", "/bin/true")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return fork, spawn, fmt.Errorf("launchbench: %v", err)
	}
	var rss, pte int64
	got := 0
	for line := range strings.SplitSeq(string(out), "\n") {
		kv := fieldsOf(line)
		if strings.HasPrefix(line, "# ") {
			rss, _ = strconv.ParseInt(kv["VmRSS_kB"], 10, 64)
			pte, _ = strconv.ParseInt(kv["VmPTE_kB"], 10, 64)
			continue
		}
		if !strings.HasPrefix(line, "RESULT ") {
			continue
		}
		s := sample{rssKB: rss, pteKB: pte}
		s.perLaunch, _ = strconv.ParseFloat(kv["rt_mean_us"], 64)
		ret, _ := strconv.ParseFloat(kv["ret_med_us"], 64)
		switch kv["method"] {
		case "fork":
			fork = s // fork's "ret" is fork() returning, not exec: not comparable
		case "spawn":
			s.p50 = ret
			spawn = s
		}
		got++
	}
	if got != len(methods) {
		return fork, spawn, fmt.Errorf("launchbench: unexpected output %q", out)
	}
	return fork, spawn, nil
}

// cBase returns C launchbench's own resident size, in kB, at -m 0.
func cBase(bin string) (int64, error) {
	fork, _, err := runC(bin, 0, 1, 1, true, false)
	return fork.rssKB, err
}

// fieldsOf splits "a=1 b=2" words into a map.
func fieldsOf(line string) map[string]string {
	m := map[string]string{}
	for _, w := range strings.Fields(line) {
		if k, v, ok := strings.Cut(w, "="); ok {
			m[k] = v
		}
	}
	return m
}
