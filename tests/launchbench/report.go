package main

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// markdown lays the results out as markdown tables, with the targets and
// the spawn-versus-fork reduction spelled out.
func markdown(c *config, results []*sizeResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Launch latency against resident size\n\n")
	fmt.Fprintf(&b, "%s; %d paired rounds; per launch of /bin/true in µs, median over rounds. "+
		"Shells: wall time of a loop of N launches divided by N (spork spawn N=%d; fork-style runs as many as fit in about %gs, at least %d). "+
		"C: launchbench's mean launch→reap round trip. Ratios are medians of per-round ratios.\n\n",
		machine(), c.rounds, c.n, c.forkBudget, c.minN)

	vs := variants(c)
	head := []string{"ballast", sporkFork, cFork, "fork ratio", sporkSpawn, cSpawn, "spawn ratio"}
	head = append(head, c.shells...)
	row(&b, head...)
	row(&b, strings.Split(strings.Repeat("---:,", len(head)), ",")[:len(head)]...)
	var notes []string
	for _, r := range results {
		cells := map[string]string{}
		for _, v := range vs {
			cl := r.cell(v)
			cells[v] = us(cl.stat(func(s sample) float64 { return s.perLaunch }))
			if len(cl.samples) == 0 {
				cells[v] = "—"
				if why := cl.why(); why != "" {
					notes = append(notes, fmt.Sprintf("%s at %s: %s", v, sizeName(r.size), why))
				}
			}
		}
		line := []string{sizeName(r.size), cells[sporkFork], cells[cFork], ratio(pairedRatio(r.cell(sporkFork), r.cell(cFork))),
			cells[sporkSpawn], cells[cSpawn], ratio(pairedRatio(r.cell(sporkSpawn), r.cell(cSpawn)))}
		for _, sh := range c.shells {
			line = append(line, cells[sh])
		}
		row(&b, line...)
	}

	fmt.Fprintf(&b, "\nResident size (VmRSS, MiB) of each process during its loop, spork's page tables, and the launch→exec latency "+
		"the launcher itself sees (spork: `launchstat` p50 and p99; C posix_spawn: median return of posix_spawn):\n\n")
	head = []string{"ballast", "spork RSS", "C RSS"}
	for _, sh := range c.shells {
		head = append(head, sh+" RSS")
	}
	head = append(head, "spork VmPTE kB", "fork p50", "fork p99", "spawn p50", "spawn p99", "C posix_spawn p50")
	row(&b, head...)
	row(&b, strings.Split(strings.Repeat("---:,", len(head)), ",")[:len(head)]...)
	for _, r := range results {
		rss := func(v string) string {
			return mib(r.cell(v).stat(func(s sample) float64 { return float64(s.rssKB) }))
		}
		line := []string{sizeName(r.size), rss(sporkSpawn), rss(cSpawn)}
		for _, sh := range c.shells {
			line = append(line, rss(sh))
		}
		fk, sp := r.cell(sporkFork), r.cell(sporkSpawn)
		line = append(line,
			us(sp.stat(func(s sample) float64 { return float64(s.pteKB) })),
			us(fk.stat(func(s sample) float64 { return s.p50 })),
			us(fk.stat(func(s sample) float64 { return s.p99 })),
			us(sp.stat(func(s sample) float64 { return s.p50 })),
			us(sp.stat(func(s sample) float64 { return s.p99 })),
			us(r.cell(cSpawn).stat(func(s sample) float64 { return s.p50 })))
		row(&b, line...)
	}

	fmt.Fprintf(&b, "\nTargets:\n\n")
	var base *sizeResult
	for _, r := range results {
		if r.size == 0 {
			base = r
		}
	}
	for _, r := range results {
		if r.size > 4<<30 {
			continue
		}
		sp := pairedRatio(r.cell(sporkSpawn), r.cell(cSpawn))
		fk := pairedRatio(r.cell(sporkFork), r.cell(cFork))
		fmt.Fprintf(&b, "- %s: spawn mode %s of C posix_spawn (target ≤ 1.10×) %s; fork mode %s of C fork+exec (target ≤ 1.20×) %s\n",
			sizeName(r.size), ratio(sp), verdict(sp, 1.10), ratio(fk), verdict(fk, 1.20))
	}
	if base != nil {
		for _, r := range results {
			if r.size == 0 || r.size > 4<<30 {
				continue
			}
			f := medianOf(r.cell(sporkSpawn)) / medianOf(base.cell(sporkSpawn))
			fmt.Fprintf(&b, "- spawn mode flat: at %s %s of at 0 (target ≤ 1.20× at 4G) %s\n", sizeName(r.size), ratio(f), verdict(f, 1.20))
		}
	}

	fmt.Fprintf(&b, "\nSpawn against fork (the seed's \"posix_spawn gave a 20%% reduction in launch latency\"): reduction = 1 − spawn/fork, median of per-round ratios:\n\n")
	row(&b, "ballast", "spork", "C")
	row(&b, "---:", "---:", "---:")
	for _, r := range results {
		row(&b, sizeName(r.size),
			reduction(pairedRatio(r.cell(sporkSpawn), r.cell(sporkFork))),
			reduction(pairedRatio(r.cell(cSpawn), r.cell(cFork))))
	}
	if len(notes) > 0 {
		fmt.Fprintf(&b, "\nNot measured:\n\n")
		for _, n := range notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	return b.String()
}

// why says why a cell has no samples.
func (cl *cell) why() string {
	if cl.skipped != "" {
		return cl.skipped
	}
	if len(cl.errs) > 0 {
		return "failed: " + cl.errs[0]
	}
	return ""
}

func medianOf(cl *cell) float64 { return cl.stat(func(s sample) float64 { return s.perLaunch }) }

func row(b *strings.Builder, cells ...string) {
	b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
}

// us formats microseconds with thousands separators.
func us(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	s := strconv.FormatInt(int64(math.Round(v)), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func mib(kB float64) string {
	if math.IsNaN(kB) {
		return "—"
	}
	return us(kB / 1024)
}

func ratio(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.2f×", v)
}

func reduction(r float64) string {
	if math.IsNaN(r) {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", 100*(1-r))
}

func verdict(v, limit float64) string {
	switch {
	case math.IsNaN(v):
		return "(not measured)"
	case v <= limit:
		return "met"
	}
	return "**missed**"
}

// machine describes where the benchmark ran.
func machine() string {
	model := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	kernel := ""
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = "Linux " + strings.TrimSpace(string(data)) + ", "
	}
	return fmt.Sprintf("%s%d× %s, %s total memory", kernel, runtime.NumCPU(), model, sizeName(memTotal()))
}

// memTotal returns MemTotal rounded to GiB, in bytes.
func memTotal() int64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			num, _, _ := strings.Cut(strings.TrimSpace(rest), " ")
			kB, _ := strconv.ParseInt(num, 10, 64)
			return (kB + 1<<19) >> 20 << 30
		}
	}
	return 0
}
