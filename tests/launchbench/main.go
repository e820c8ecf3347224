// Command launchbench compares spork's two launch modes with each other, with
// bash and dash, and with the C floor of ../shared/launchbench, as the
// shell's resident size grows.
//
// For each ballast size it runs, in paired rounds (every variant once per
// round, back to back):
//
//   - spork --ballast SIZE, in fork mode (set +o spawnmode) and in spawn mode
//     (set -o spawnmode), running a loop of N launches of /bin/true;
//   - bash and dash running the same loop while they hold a variable of SIZE
//     bytes, built as ../shared/bench/bigmem.sh builds it;
//   - the C launchbench (copied to a temporary directory and built there
//     with gcc, since shared/ is read-only) at -m SIZE -t nohuge, for fork+exec
//     and posix_spawn.
//
// A shell's per-launch latency is the wall time of its launch loop divided by
// N: the shell prints a marker line before and after the loop and the
// benchmark timestamps both as they arrive on a pipe, so building the
// ballast or the variable, and tearing the process down, are not counted.
// For C it is launchbench's mean round trip (launch until reaped) over its
// loop. spork's own view, launchstat's p50 (launch until the child exec'd),
// is reported beside it. Each figure is the median over the rounds; ratios
// are medians of per-round ratios.
//
// It prints markdown tables and writes a PNG chart of latency against
// resident size:
//
//	go run ./tests/launchbench                       # full run, several minutes
//	go run ./tests/launchbench -sizes 0,256M -rounds 3 -n 200   # quick
//	go run ./tests/launchbench -modes spawn -shells '' -rounds 9  # spawn against C only
//	go run ./tests/launchbench -png docs/launch-latency.png -md docs/launch-latency.md
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// config is what the flags set.
type config struct {
	spork      string   // spork binary; built when empty
	sizes      []int64  // ballast sizes in bytes
	rounds     int      // paired rounds per size
	n          int      // launches per spawn-style run
	forkBudget float64  // seconds a fork-style loop should take at most
	minN       int      // fewest launches of any run
	shells     []string // reference shells holding a variable
	shellMax   int64    // largest variable the reference shells build
	cSource    string   // directory of launchbench.c
	fork       bool     // measure fork-style launchers (spork fork, C fork+exec)
	spawn      bool     // measure spawn-style launchers (spork spawn, C posix_spawn)
	png, md    string   // outputs
	cgo        bool     // build spork with the toolchain's cgo default
}

func main() {
	os.Exit(run())
}

func run() int {
	var c config
	var sizes, shells, shellMax, modes string
	flag.StringVar(&c.spork, "spork", "", "spork binary to measure (default: build ./cmd/spork into a temporary directory)")
	flag.StringVar(&sizes, "sizes", "0,256M,1G,4G,8G", "ballast sizes (bytes or K/M/G suffix); a size that MemAvailable cannot hold with room to spare is skipped")
	flag.IntVar(&c.rounds, "rounds", 5, "paired rounds per size (figures are medians over rounds)")
	flag.IntVar(&c.n, "n", 400, "launches per run for spawn-style variants (spork spawn, C posix_spawn)")
	flag.Float64Var(&c.forkBudget, "fork-seconds", 3, "fork-style runs get as many launches as fit in about this many seconds (at most -n)")
	flag.IntVar(&c.minN, "min-n", 20, "fewest launches of any run")
	flag.StringVar(&shells, "shells", "bash,dash", "reference shells, comma separated (empty for none)")
	flag.StringVar(&shellMax, "shell-max", "1G", "largest variable the reference shells build (they take ~15 s per GiB and peak at twice the size)")
	flag.StringVar(&c.cSource, "c", "", "directory holding launchbench.c (default: ../shared/launchbench beside the module root)")
	flag.StringVar(&modes, "modes", "fork,spawn", "launch modes to measure in spork and C: fork, spawn or both")
	flag.StringVar(&c.png, "png", "launch-latency.png", "chart to write (empty for none)")
	flag.BoolVar(&c.cgo, "cgo", false, "build spork with the toolchain's default cgo setting (dynamic, links the C library) instead of CGO_ENABLED=0")
	flag.StringVar(&c.md, "md", "", "also write the markdown report to this file")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: launchbench [flags]\n\nCompares spork's fork and spawn launch modes with bash, dash and C as resident size grows.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		return 2
	}
	var err error
	if c.sizes, err = parseSizes(sizes); err != nil {
		fmt.Fprintf(os.Stderr, "launchbench: -sizes: %v\n", err)
		return 2
	}
	if c.shellMax, err = parseSize(shellMax); err != nil {
		fmt.Fprintf(os.Stderr, "launchbench: -shell-max: %v\n", err)
		return 2
	}
	for m := range strings.SplitSeq(modes, ",") {
		switch m {
		case "fork":
			c.fork = true
		case "spawn":
			c.spawn = true
		default:
			fmt.Fprintf(os.Stderr, "launchbench: -modes: %q: not fork or spawn\n", m)
			return 2
		}
	}
	if shells != "" {
		c.shells = strings.Split(shells, ",")
	}
	if c.rounds < 1 || c.n < 1 || c.minN < 1 {
		fmt.Fprintln(os.Stderr, "launchbench: -rounds, -n and -min-n must be positive")
		return 2
	}

	tmp, err := os.MkdirTemp("", "launchbench-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "launchbench: %v\n", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintf(os.Stderr, "launchbench: %v\n", err)
		return 1
	}
	if c.spork == "" {
		if c.spork, err = buildSpork(root, tmp, c.cgo); err != nil {
			fmt.Fprintf(os.Stderr, "launchbench: %v\n", err)
			return 1
		}
	}
	if c.cSource == "" {
		c.cSource = filepath.Join(root, "..", "shared", "launchbench")
	}
	cBin, err := buildC(c.cSource, tmp)
	if err != nil {
		fmt.Fprintf(os.Stderr, "launchbench: %v\n", err)
		return 1
	}

	cBaseKB, err := cBase(cBin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "launchbench: %v\n", err)
		return 1
	}
	results := measure(&c, cBin, cBaseKB)
	report := markdown(&c, results)
	fmt.Print(report)
	if c.md != "" {
		if err := os.WriteFile(c.md, []byte(report), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "launchbench: %v\n", err)
			return 1
		}
	}
	if c.png != "" {
		if err := chart(results, c.png); err != nil {
			fmt.Fprintf(os.Stderr, "launchbench: chart: %v\n", err)
			return 1
		}
		fmt.Fprintf(os.Stderr, "launchbench: wrote %s\n", c.png)
	}
	return 0
}
