package main

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// The policy collects often while the shell forks and its live heap is
// small, and goes back to the runtime's default when it stops forking or
// holds more than largeHeap.
func TestGCPolicy(t *testing.T) {
	old := debug.SetGCPercent(forkGCPercent)
	defer debug.SetGCPercent(old)
	forks := 0
	p := &gcPolicy{forks: func() int { return forks }, percent: forkGCPercent}
	step := func(launched int, want int, what string) {
		t.Helper()
		forks += launched
		runtime.GC()
		p.check()
		if p.percent != want {
			t.Errorf("%s: percent %d, want %d", what, p.percent, want)
		}
		if got := debug.SetGCPercent(want); got != want {
			t.Errorf("%s: the runtime's GC percent is %d, want %d", what, got, want)
		}
	}

	step(0, defaultGC, "no launches")
	step(forkHeavy, forkGCPercent, "a loop of launches")
	step(1, defaultGC, "launches stopped")
	step(100, forkGCPercent, "launches again")

	big := make([]byte, 2*largeHeap)
	step(100, defaultGC, "launches with a large live heap")
	runtime.KeepAlive(big)

	forks = 0 // launchstat -r
	step(forkHeavy, forkGCPercent, "after the counts were reset")
}

// The first look, armDelay after start-up, collects often only if the
// shell has forked by then.
func TestGCPolicyFirstLook(t *testing.T) {
	old := debug.SetGCPercent(defaultGC)
	defer debug.SetGCPercent(old)
	for _, tc := range []struct {
		forks, want int
	}{{0, defaultGC}, {1, forkGCPercent}} {
		p := &gcPolicy{forks: func() int { return tc.forks }, percent: defaultGC}
		p.firstLook()
		if p.percent != tc.want {
			t.Errorf("%d forks: percent %d, want %d", tc.forks, p.percent, tc.want)
		}
		if got := debug.SetGCPercent(defaultGC); got != tc.want {
			t.Errorf("%d forks: the runtime's GC percent is %d, want %d", tc.forks, got, tc.want)
		}
	}
}
