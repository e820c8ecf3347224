package main

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// chart draws per-launch latency against resident size, one line per
// variant, both axes logarithmic (fork grows by three orders of magnitude
// where spawn stays flat), and saves it as a PNG.
func chart(results []*sizeResult, path string) error {
	p := plot.New()
	p.Title.Text = "Launch latency of /bin/true against the launching process's resident size"
	p.X.Label.Text = "resident size of the launching process (VmRSS, MiB, log scale)"
	p.Y.Label.Text = "µs per launch (log scale)"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
	p.Legend.Top, p.Legend.Left = true, true
	p.Add(plotter.NewGrid())

	var names []string
	seen := map[string]bool{}
	for _, r := range results {
		for v := range r.cells {
			if !seen[v] {
				seen[v] = true
				names = append(names, v)
			}
		}
	}
	order := map[string]int{sporkFork: 0, cFork: 1, sporkSpawn: 2, cSpawn: 3}
	sort.Slice(names, func(i, j int) bool {
		oi, iok := order[names[i]]
		oj, jok := order[names[j]]
		switch {
		case iok && jok:
			return oi < oj
		case iok != jok:
			return iok
		}
		return names[i] < names[j]
	})

	var args []any
	for _, v := range names {
		var xys plotter.XYs
		for _, r := range results {
			cl := r.cells[v]
			x := cl.stat(func(s sample) float64 { return float64(s.rssKB) / 1024 })
			y := medianOf(cl)
			if math.IsNaN(x) || math.IsNaN(y) || x <= 0 || y <= 0 {
				continue
			}
			xys = append(xys, plotter.XY{X: x, Y: y})
		}
		if len(xys) > 0 {
			args = append(args, v, xys)
		}
	}
	if len(args) == 0 {
		return fmt.Errorf("nothing measured")
	}
	if err := plotutil.AddLinePoints(p, args...); err != nil {
		return err
	}
	return p.Save(9*vg.Inch, 5.5*vg.Inch, path)
}
