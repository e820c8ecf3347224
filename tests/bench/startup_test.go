// Package bench holds benchmarks of the spork binary as a whole; the
// script-level comparison with dash and bash is compare.sh, next to this
// file.
package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
)

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// build compiles cmd/spork twice: as the toolchain builds it by default
// (cgo on when a C compiler is found: mvdan.cc/sh/v3/expand imports
// os/user, which then links the C library) and with CGO_ENABLED=0 (a
// static binary).
func build(b *testing.B) string {
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "spork-bench-")
		if buildErr != nil {
			return
		}
		for name, cgo := range map[string]string{"spork-cgo": "1", "spork": "0"} {
			cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, name), "./cmd/spork")
			cmd.Dir = "../.."
			cmd.Env = append(os.Environ(), "CGO_ENABLED="+cgo)
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = &buildError{err, string(out)}
				return
			}
		}
	})
	if buildErr != nil {
		b.Fatal(buildErr)
	}
	return binDir
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return "go build ./cmd/spork: " + e.err.Error() + "\n" + e.out }

// BenchmarkStartup times `SH -c true`, start to reap, for spork (static
// and cgo builds) and, when installed, dash and bash:
//
//	go test -run X -bench Startup -count 5 ./tests/bench/
func BenchmarkStartup(b *testing.B) {
	dir := build(b)
	shells := []struct{ name, path string }{
		{"spork", filepath.Join(dir, "spork")},
		{"spork-cgo", filepath.Join(dir, "spork-cgo")},
	}
	for _, ref := range []string{"dash", "bash"} {
		if p, err := exec.LookPath(ref); err == nil {
			shells = append(shells, struct{ name, path string }{ref, p})
		}
	}
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		b.Fatal(err)
	}
	defer devnull.Close()
	attr := &syscall.ProcAttr{Env: os.Environ(), Files: []uintptr{devnull.Fd(), devnull.Fd(), devnull.Fd()}}
	for _, sh := range shells {
		b.Run(sh.name, func(b *testing.B) {
			argv := []string{sh.name, "-c", "true"}
			for b.Loop() {
				pid, err := syscall.ForkExec(sh.path, argv, attr)
				if err != nil {
					b.Fatal(err)
				}
				var ws syscall.WaitStatus
				if _, err := syscall.Wait4(pid, &ws, 0, nil); err != nil || ws.ExitStatus() != 0 {
					b.Fatalf("%s -c true: %v %v", sh.name, ws, err)
				}
			}
		})
	}
}
