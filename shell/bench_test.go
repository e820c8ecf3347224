package shell

import (
	"os"
	"testing"
)

// Benchmarks through the interpreter: one command run by RunString per
// iteration, in the process running the benchmark. Compare the two launch
// modes with
//
//	go test -run X -bench 'External|Pipeline|CmdSubst' -benchtime 2000x ./shell/
//
// (the shell-level comparison with dash and bash is tests/bench/compare.sh).

// quietRunner returns a shell whose standard output is /dev/null.
func quietRunner(b *testing.B, spawn bool) *Runner {
	b.Helper()
	r := New(Options{Arg0: "bench"})
	if err := r.SetOption("spawnmode", spawn); err != nil {
		b.Fatal(err)
	}
	if st := r.RunString("exec 1>" + os.DevNull); st != 0 {
		b.Fatalf("exec 1>%s: status %d", os.DevNull, st)
	}
	return r
}

func benchScript(b *testing.B, script string) {
	for _, mode := range []struct {
		name  string
		spawn bool
	}{{"fork", false}, {"spawn", true}} {
		b.Run(mode.name, func(b *testing.B) {
			r := quietRunner(b, mode.spawn)
			for b.Loop() {
				if st := r.RunString(script); st != 0 {
					b.Fatalf("%q: status %d", script, st)
				}
			}
		})
	}
}

// BenchmarkExternal is extcmd.sh's loop body: launch /bin/true and wait.
func BenchmarkExternal(b *testing.B) { benchScript(b, "/bin/true") }

// BenchmarkPipeline is pipe-create.sh's: a builtin piped into a program.
func BenchmarkPipeline(b *testing.B) { benchScript(b, "echo x | cat >/dev/null") }

// BenchmarkCmdSubst is cmdsubst.sh's: a builtin's output captured.
func BenchmarkCmdSubst(b *testing.B) { benchScript(b, "x=$(echo hi)") }

// BenchmarkCmdSubstExternal captures a program's output.
func BenchmarkCmdSubstExternal(b *testing.B) { benchScript(b, "x=$(/bin/echo hi)") }
