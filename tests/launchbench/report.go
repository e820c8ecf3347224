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
		"C: launchbench's mean launch→reap round trip; \"C fork+exec at spork's RSS\" holds enough memory (-m MiB) that its VmRSS equals spork's at that ballast "+
		"(spork is several MiB resident before any ballast: the Go runtime and heap). Ratios are medians of per-round ratios.\n\n",
		machine(), c.rounds, c.n, c.forkBudget, c.minN)

	// Per-launch latency, with spork beside C for each measured mode.
	head := []string{"ballast"}
	if c.fork {
		head = append(head, sporkFork, cFork, "fork ratio", cForkRSS, "ratio at same RSS")
	}
	if c.spawn {
		head = append(head, sporkSpawn, cSpawn, "spawn ratio")
	}
	head = append(head, c.shells...)
	table(&b, head)
	var notes []string
	for _, r := range results {
		latency := func(v string) string {
			cl := r.cell(v)
			if len(cl.samples) == 0 {
				if why := cl.why(); why != "" {
					notes = append(notes, fmt.Sprintf("%s at %s: %s", v, sizeName(r.size), why))
				}
				return "—"
			}
			return us(medianOf(cl))
		}
		line := []string{sizeName(r.size)}
		if c.fork {
			line = append(line, latency(sporkFork), latency(cFork), ratio(pairedRatio(r.cell(sporkFork), r.cell(cFork))),
				latency(cForkRSS)+fmt.Sprintf(" (-m %d)", r.sameMiB), ratio(pairedRatio(r.cell(sporkFork), r.cell(cForkRSS))))
		}
		if c.spawn {
			line = append(line, latency(sporkSpawn), latency(cSpawn), ratio(pairedRatio(r.cell(sporkSpawn), r.cell(cSpawn))))
		}
		for _, sh := range c.shells {
			line = append(line, latency(sh))
		}
		row(&b, line...)
	}

	// Resident sizes and the launchers' own view.
	fmt.Fprintf(&b, "\nResident size (VmRSS, MiB) of each process during its loop, spork's page tables, and the launch→exec latency "+
		"the launcher itself sees (spork: `launchstat` p50 and p99; C posix_spawn: median return of posix_spawn):\n\n")
	sporkAny, cAny := sporkSpawn, cSpawn
	if !c.spawn {
		sporkAny, cAny = sporkFork, cFork
	}
	head = []string{"ballast", "spork RSS", "C RSS"}
	for _, sh := range c.shells {
		head = append(head, sh+" RSS")
	}
	head = append(head, "spork VmPTE kB")
	if c.fork {
		head = append(head, "fork p50", "fork p99")
	}
	if c.spawn {
		head = append(head, "spawn p50", "spawn p99", "C posix_spawn p50")
	}
	table(&b, head)
	for _, r := range results {
		stat := func(v string, f func(sample) float64) float64 { return r.cell(v).stat(f) }
		rss := func(v string) string { return mib(stat(v, func(s sample) float64 { return float64(s.rssKB) })) }
		line := []string{sizeName(r.size), rss(sporkAny), rss(cAny)}
		for _, sh := range c.shells {
			line = append(line, rss(sh))
		}
		line = append(line, us(stat(sporkAny, func(s sample) float64 { return float64(s.pteKB) })))
		p50 := func(s sample) float64 { return s.p50 }
		p99 := func(s sample) float64 { return s.p99 }
		if c.fork {
			line = append(line, us(stat(sporkFork, p50)), us(stat(sporkFork, p99)))
		}
		if c.spawn {
			line = append(line, us(stat(sporkSpawn, p50)), us(stat(sporkSpawn, p99)), us(stat(cSpawn, p50)))
		}
		row(&b, line...)
	}

	// The targets, up to 4G.
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
		var parts []string
		if c.spawn {
			sp := pairedRatio(r.cell(sporkSpawn), r.cell(cSpawn))
			parts = append(parts, fmt.Sprintf("spawn mode %s of C posix_spawn (target ≤ 1.10×) %s", ratio(sp), verdict(sp, 1.10)))
		}
		if c.fork {
			fk := pairedRatio(r.cell(sporkFork), r.cell(cForkRSS))
			nominal := pairedRatio(r.cell(sporkFork), r.cell(cFork))
			parts = append(parts, fmt.Sprintf("fork mode %s of C fork+exec at the same resident size (target ≤ 1.20×) %s, %s of C at -m %s",
				ratio(fk), verdict(fk, 1.20), ratio(nominal), sizeName(r.size)))
		}
		fmt.Fprintf(&b, "- %s: %s\n", sizeName(r.size), strings.Join(parts, "; "))
	}
	if base != nil && c.spawn {
		for _, r := range results {
			if r.size == 0 || r.size > 4<<30 {
				continue
			}
			f := medianOf(r.cell(sporkSpawn)) / medianOf(base.cell(sporkSpawn))
			fmt.Fprintf(&b, "- spawn mode flat: at %s %s of at 0 (target ≤ 1.20× at 4G) %s\n", sizeName(r.size), ratio(f), verdict(f, 1.20))
		}
	}

	if c.fork && c.spawn {
		fmt.Fprintf(&b, "\nSpawn against fork (the seed's \"posix_spawn gave a 20%% reduction in launch latency\"): reduction = 1 − spawn/fork, median of per-round ratios:\n\n")
		table(&b, []string{"ballast", "spork", "C"})
		for _, r := range results {
			row(&b, sizeName(r.size),
				reduction(pairedRatio(r.cell(sporkSpawn), r.cell(sporkFork))),
				reduction(pairedRatio(r.cell(cSpawn), r.cell(cFork))))
		}
	}
	if len(notes) > 0 {
		fmt.Fprintf(&b, "\nNot measured:\n\n")
		for _, n := range notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	return b.String()
}

// table writes a markdown table's header and alignment rows.
func table(b *strings.Builder, head []string) {
	row(b, head...)
	align := make([]string, len(head))
	for i := range align {
		align[i] = "---:"
	}
	row(b, align...)
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

// verdict compares v with limit at the precision ratio shows.
func verdict(v, limit float64) string {
	switch {
	case math.IsNaN(v):
		return "(not measured)"
	case math.Round(v*100) <= math.Round(limit*100):
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
