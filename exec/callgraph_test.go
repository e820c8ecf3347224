//go:build linux && (amd64 || arm64)

package exec

import (
	"bytes"
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"regexp"
	"runtime"

	child "github.com/spork-sh/spork/exec/internal/_child"
	"sort"
	"strings"
	"testing"
)

// childPkg is the package of the child routine.
const childPkg = "github.com/spork-sh/spork/exec/internal/_child"

// checkChildNotInstrumented stops the test binary when the child routine
// was compiled with coverage counters under -race: they call into the race
// runtime, and a launch would hang or crash. That happens only when
// -coverpkg names the child package (the directory's leading underscore
// keeps `go test -cover ./...` from matching it).
func checkChildNotInstrumented() {
	if !raceEnabled || testing.CoverMode() == "" {
		return
	}
	before := testing.Coverage()
	child.Probe()
	if testing.Coverage() != before {
		fmt.Fprintf(os.Stderr, "%s is instrumented for coverage under -race, so the child would run the race runtime: leave it out of -coverpkg\n", childPkg)
		os.Exit(2)
	}
}

// raceEnabled is set under -race (race_test.go).
var raceEnabled bool

// TestChildCallGraph disassembles this test binary (so under -race or
// -cover it sees that instrumentation) and checks that what the child runs,
// from child.Start down, calls nothing but the package's own nosplit
// functions and assembly stubs: no runtime function at all. go test strips
// the binary it runs, so the test builds it again with `go test -c` and the
// same -race and -cover settings when the running binary has no symbols.
func TestChildCallGraph(t *testing.T) {
	if testing.Short() {
		t.Skip("disassembles the test binary")
	}
	goTool, err := osexec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goTool); err != nil {
			t.Skip("no go tool to disassemble with")
		}
	}
	const pkg = childPkg + "."
	objdump := func(bin string) ([]byte, error) {
		return osexec.Command(goTool, "tool", "objdump", "-s", regexp.QuoteMeta(pkg), bin).CombinedOutput()
	}
	out, err := objdump(os.Args[0])
	if err != nil && bytes.Contains(out, []byte("no symbol section")) {
		bin := filepath.Join(t.TempDir(), "exec.test")
		args := []string{"test", "-c", "-o", bin}
		if raceEnabled {
			args = append(args, "-race")
		}
		if mode := testing.CoverMode(); mode != "" {
			args = append(args, "-cover", "-covermode="+mode)
		}
		build := osexec.Command(goTool, append(args, ".")...)
		if b, err := build.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", build, err, b)
		}
		t.Logf("disassembling %s", build)
		out, err = objdump(bin)
	}
	if err != nil {
		t.Fatalf("objdump: %v\n%s", err, out)
	}
	funcs := map[string][]string{}
	var cur string
	for _, line := range strings.Split(string(out), "\n") {
		if name, ok := strings.CutPrefix(line, "TEXT "); ok {
			cur, _, _ = strings.Cut(name, "(SB)")
			funcs[cur] = nil
		} else if cur != "" && strings.TrimSpace(line) != "" {
			funcs[cur] = append(funcs[cur], line)
		}
	}
	call := regexp.MustCompile(`\s(CALL|JMP|BL|B|CALLQ|JMPQ)\s+([^\s]+)`)
	target := regexp.MustCompile(`^([^\s(]+)\(SB\)$`)
	seen := map[string]bool{}
	var visit func(fn string, path []string)
	visit = func(fn string, path []string) {
		if seen[fn] {
			return
		}
		seen[fn] = true
		body, ok := funcs[fn]
		if !ok {
			t.Errorf("%s: calls %s, not a function of the child package", strings.Join(path, " → "), fn)
			return
		}
		path = append(path, strings.TrimPrefix(fn, pkg))
		for _, ins := range body {
			if strings.Contains(ins, "runtime.") {
				t.Errorf("%s: refers to the runtime: %s", strings.Join(path, " → "), strings.TrimSpace(ins))
			}
			m := call.FindStringSubmatch(ins)
			if m == nil {
				continue
			}
			if tm := target.FindStringSubmatch(m[2]); tm != nil {
				visit(tm[1], path)
			} else if !strings.HasPrefix(m[2], "0x") && !strings.HasPrefix(m[2], "$") && !strings.HasPrefix(m[2], "-") && !strings.HasPrefix(m[2], "+") && !strings.HasPrefix(m[2], "PC") && !strings.HasPrefix(m[2], ".") {
				// an address within the function is a branch; anything
				// else (a register, memory) is an indirect call
				t.Errorf("%s: indirect call or jump: %s", strings.Join(path, " → "), strings.TrimSpace(ins))
			}
		}
	}
	visit(pkg+"Start", nil)
	var names []string
	for fn := range seen {
		names = append(names, strings.TrimPrefix(fn, pkg))
	}
	sort.Strings(names)
	t.Logf("child call graph: %s", strings.Join(names, ", "))
	for _, want := range []string{"Start", "run", "rawSyscall6.abi0", "rawVfork.abi0"} {
		if !seen[pkg+want] {
			t.Errorf("call graph lacks %s: disassembly not understood?\n%s", want, bytes.TrimSpace(out[:min(len(out), 2000)]))
		}
	}
}
