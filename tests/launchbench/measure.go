package main

import (
	"fmt"
	"math"
	"os"
	"sort"
	"time"
)

// Variant names, as the tables and the chart show them.
const (
	sporkFork  = "spork fork"
	sporkSpawn = "spork spawn"
	cFork      = "C fork+exec"
	cSpawn     = "C posix_spawn"
	// cForkRSS is C fork+exec with its anonymous memory raised until its
	// resident size matches spork's at the same ballast: the comparison
	// "at the same resident size" asks for, since spork itself (the Go
	// runtime and heap) is resident before any ballast.
	cForkRSS = "C fork+exec at spork's RSS"
)

// sample is one run of one variant at one size.
type sample struct {
	perLaunch float64 // µs per launch
	rssKB     int64   // resident size during the loop
	pteKB     int64   // page tables
	p50, p99  float64 // launch→exec in µs as the launcher sees it (spork: launchstat; C posix_spawn: median "ret")
}

// cell holds one variant's samples at one size, round by round (a failed
// or skipped round has none).
type cell struct {
	n       int            // launches per run
	samples map[int]sample // by round
	skipped string         // why the variant did not run at this size
	errs    []string       // failed runs
}

// sizeResult is every variant at one ballast size.
type sizeResult struct {
	size  int64
	cells map[string]*cell
	// sameMiB is the -m at which C's resident size matches spork fork's
	// at this ballast (0 when not probed).
	sameMiB int64
}

// cell returns variant v's cell, or an empty one when v was not measured.
func (r *sizeResult) cell(v string) *cell {
	if cl := r.cells[v]; cl != nil {
		return cl
	}
	return &cell{samples: map[int]sample{}}
}

// variants returns the variant names in table order.
func variants(c *config) []string {
	var v []string
	if c.fork {
		v = append(v, sporkFork, cFork, cForkRSS)
	}
	if c.spawn {
		v = append(v, sporkSpawn, cSpawn)
	}
	return append(v, c.shells...)
}

// forkStyle reports whether a variant copies the parent's page tables on
// each launch (so its run is shortened at large sizes).
func forkStyle(v string) bool { return v != sporkSpawn && v != cSpawn }

// sameRSS returns the -m (MiB) that gives C the resident size spork has in
// fork mode at ballast size: C's anonymous memory plus its own base
// (cBaseKB, its VmRSS at -m 0) equals spork's VmRSS, probed with a short
// loop. It is never below the ballast itself.
func sameRSS(c *config, size, cBaseKB int64) (int64, error) {
	s, err := runSpork(c.spork, size, false, c.minN)
	if err != nil {
		return 0, err
	}
	return max(size>>20, (s.rssKB-cBaseKB+512)>>10), nil
}

// launches chooses N for a variant at a size: the full -n for spawn-style
// variants, and for fork-style ones as many as fit in -fork-seconds by the
// estimate of about 0.8 ms plus 45 ms per GiB.
func launches(c *config, v string, size int64) int {
	if !forkStyle(v) {
		return c.n
	}
	est := 800 + 45000*float64(size)/float64(1<<30) // µs
	n := int(c.forkBudget * 1e6 / est)
	return max(c.minN, min(n, c.n))
}

// cRunner stands for both C variants in a round's order: one launchbench
// process measures both.
const cRunner = "C"

// measure runs every variant at every size in paired rounds and returns
// the samples.
func measure(c *config, cBin string, cBaseKB int64) []*sizeResult {
	var results []*sizeResult
	var runners []string
	if c.fork {
		runners = append(runners, sporkFork)
	}
	if c.spawn {
		runners = append(runners, sporkSpawn)
	}
	runners = append(runners, cRunner)
	runners = append(runners, c.shells...)
	for _, size := range c.sizes {
		res := &sizeResult{size: size, cells: map[string]*cell{}}
		results = append(results, res)
		for _, v := range variants(c) {
			res.cells[v] = &cell{n: launches(c, v, size), samples: map[int]sample{}}
		}
		if c.fork {
			m, err := sameRSS(c, size, cBaseKB)
			if err != nil {
				res.cells[cForkRSS].skipped = "probing spork's resident size failed: " + err.Error()
			}
			res.sameMiB = m
		}
		for _, v := range c.shells {
			if size > c.shellMax {
				res.cells[v].skipped = fmt.Sprintf("variable larger than -shell-max %s", sizeName(c.shellMax))
			}
		}
		for round := range c.rounds {
			// Rotate the order from round to round, so no variant always
			// runs right after the same neighbour.
			for i := range runners {
				runOne(c, cBin, res, runners[(i+round)%len(runners)], round)
			}
		}
	}
	return results
}

// runOne runs one runner once at res's size, unless it is skipped there
// or memory is short.
func runOne(c *config, cBin string, res *sizeResult, runner string, round int) {
	size := res.size
	cells := []*cell{res.cells[runner]}
	need := size + 1<<30
	switch runner {
	case cRunner:
		cells = nil
		for _, v := range []string{cFork, cSpawn} {
			if cl := res.cells[v]; cl != nil {
				cells = append(cells, cl)
			}
		}
	case sporkFork, sporkSpawn:
	default:
		need = 2*size + 1<<30 // the variable's copies while it is built
	}
	if cells[0].skipped != "" {
		return
	}
	// Memory a finished run held can take a moment to come back.
	avail := memAvailable()
	for try := 0; avail >= 0 && avail < need && try < 20; try++ {
		time.Sleep(500 * time.Millisecond)
		avail = memAvailable()
	}
	if avail >= 0 && avail < need {
		for _, cl := range cells {
			cl.skipped = fmt.Sprintf("MemAvailable %s < %s needed", sizeName(avail>>20<<20), sizeName(need))
		}
		return
	}
	switch runner {
	case sporkFork, sporkSpawn:
		s, err := runSpork(c.spork, size, runner == sporkSpawn, cells[0].n)
		record(res, runner, round, s, err)
	case cRunner:
		fk, sp, err := runC(cBin, size>>20, c.n, c.forkBudget, c.fork, c.spawn)
		if c.fork {
			record(res, cFork, round, fk, err)
			if res.cells[cForkRSS].skipped == "" {
				same, _, err := runC(cBin, res.sameMiB, c.n, c.forkBudget, true, false)
				record(res, cForkRSS, round, same, err)
			}
		}
		if c.spawn {
			record(res, cSpawn, round, sp, err)
		}
	default:
		s, err := runRefShell(runner, size, cells[0].n)
		record(res, runner, round, s, err)
	}
}

// record files one run's sample, or its error, and shows progress.
func record(res *sizeResult, v string, round int, s sample, err error) {
	cl := res.cells[v]
	if err != nil {
		cl.errs = append(cl.errs, err.Error())
		fmt.Fprintf(os.Stderr, "launchbench: %s %s round %d: %v\n", sizeName(res.size), v, round+1, err)
		return
	}
	cl.samples[round] = s
	fmt.Fprintf(os.Stderr, "launchbench: %-5s %-14s round %d: %8.0f µs/launch  RSS %7d kB\n",
		sizeName(res.size), v, round+1, s.perLaunch, s.rssKB)
}

// median returns the median of xs, or NaN for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// stat returns the median over rounds of f applied to a cell's samples.
func (cl *cell) stat(f func(sample) float64) float64 {
	var xs []float64
	for _, s := range cl.samples {
		xs = append(xs, f(s))
	}
	return median(xs)
}

// pairedRatio returns the median over the rounds both cells ran of
// a's per-launch latency divided by b's.
func pairedRatio(a, b *cell) float64 {
	var xs []float64
	for r, sa := range a.samples {
		if sb, ok := b.samples[r]; ok && sb.perLaunch > 0 {
			xs = append(xs, sa.perLaunch/sb.perLaunch)
		}
	}
	return median(xs)
}
