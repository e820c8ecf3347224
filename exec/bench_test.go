//go:build linux && (amd64 || arm64)

package exec

import "testing"

// benchLaunch launches /bin/true and reaps it, b.N times: the round trip
// launchbench measures.
func benchLaunch(b *testing.B, l Launcher) {
	s := &Spec{Path: "/bin/true", Argv: []string{"true"}, Env: []string{}, Files: []int{devNull, devNull, devNull}}
	for b.Loop() {
		pid, err := l.Launch(s)
		if err != nil {
			b.Fatal(err)
		}
		reap(b, pid)
	}
	st := StatsOf(l)
	b.ReportMetric(float64(st.P50.Microseconds()), "p50-launch-µs")
}

func BenchmarkSpawn(b *testing.B) { benchLaunch(b, NewSpawn()) }
func BenchmarkFork(b *testing.B)  { benchLaunch(b, NewFork()) }
