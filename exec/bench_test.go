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

// bigHeap gives the parent 512 MiB of touched heap, where fork has page
// tables to copy and spawn has none.
func bigHeap(b *testing.B, l Launcher) {
	heap := make([]byte, 512<<20)
	for i := 0; i < len(heap); i += 4096 {
		heap[i] = 1
	}
	benchLaunch(b, l)
	heap[0]++
}

func BenchmarkSpawnHeap512M(b *testing.B) { bigHeap(b, NewSpawn()) }
func BenchmarkForkHeap512M(b *testing.B)  { bigHeap(b, NewFork()) }
