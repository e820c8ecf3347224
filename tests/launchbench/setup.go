package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// moduleRoot returns the directory of the go.mod of the current module.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %v", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside the spork module (run from its checkout)")
	}
	return filepath.Dir(mod), nil
}

// buildSpork builds cmd/spork of the module at root into dir: static
// (CGO_ENABLED=0) unless cgo is set, as tests/bench/compare.sh does. The
// default cgo build links the C library (for os/user and net), whose
// mappings make each fork copy and tear down more.
func buildSpork(root, dir string, cgo bool) (string, error) {
	bin := filepath.Join(dir, "spork")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/spork")
	cmd.Dir = root
	if !cgo {
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/spork: %v\n%s", err, out)
	}
	return bin, nil
}

// buildC copies launchbench.c from src (read-only) to dir and builds it
// there with gcc, as its Makefile does.
func buildC(src, dir string) (string, error) {
	code, err := os.ReadFile(filepath.Join(src, "launchbench.c"))
	if err != nil {
		return "", fmt.Errorf("the C launchbench: %v (give its directory with -c)", err)
	}
	c := filepath.Join(dir, "launchbench.c")
	if err := os.WriteFile(c, code, 0o644); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "launchbench")
	if out, err := exec.Command("gcc", "-O2", "-Wall", "-o", bin, c).CombinedOutput(); err != nil {
		return "", fmt.Errorf("gcc launchbench.c: %v\n%s", err, out)
	}
	return bin, nil
}

// parseSizes reads a comma-separated list of sizes.
func parseSizes(s string) ([]int64, error) {
	var sizes []int64
	for f := range strings.SplitSeq(s, ",") {
		v, err := parseSize(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		sizes = append(sizes, v)
	}
	return sizes, nil
}

// parseSize reads bytes, or a number with a binary suffix K, M, G or T.
func parseSize(s string) (int64, error) {
	num := strings.ToUpper(s)
	shift := 0
	if n := len(num); n > 0 {
		if i := strings.IndexByte("KMGT", num[n-1]); i >= 0 {
			shift = 10 * (i + 1)
			num = num[:n-1]
		}
	}
	v, err := strconv.ParseUint(num, 10, 64)
	if err != nil || v > math.MaxInt64>>shift {
		return 0, fmt.Errorf("%q: not a size (bytes, or a number with K, M, G or T)", s)
	}
	return int64(v) << shift, nil
}

// sizeName writes a size the way -sizes takes it: 0, 256M, 4G.
func sizeName(v int64) string {
	for _, u := range []struct {
		shift  uint
		suffix string
	}{{40, "T"}, {30, "G"}, {20, "M"}, {10, "K"}} {
		if v != 0 && v%(1<<u.shift) == 0 {
			return strconv.FormatInt(v>>u.shift, 10) + u.suffix
		}
	}
	return strconv.FormatInt(v, 10)
}

// memAvailable returns MemAvailable from /proc/meminfo in bytes, or -1.
func memAvailable() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			num, _, _ := strings.Cut(strings.TrimSpace(rest), " ")
			kB, err := strconv.ParseInt(num, 10, 64)
			if err != nil {
				return -1
			}
			return kB << 10
		}
	}
	return -1
}
