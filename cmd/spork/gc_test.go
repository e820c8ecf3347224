package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

// The policy collects often while the live heap is small and goes back to
// the runtime's default once a script holds more than largeHeap.
func TestGCPolicy(t *testing.T) {
	old := debug.SetGCPercent(smallHeapGCPercent)
	defer debug.SetGCPercent(old)
	p := &gcPolicy{percent: smallHeapGCPercent, sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}

	big := make([]byte, 2*largeHeap)
	runtime.GC()
	p.check()
	if p.percent != 100 {
		t.Errorf("with %d MiB live: percent %d, want 100", len(big)>>20, p.percent)
	}
	runtime.KeepAlive(big)

	big = nil
	runtime.GC()
	p.check()
	if p.percent != smallHeapGCPercent {
		t.Errorf("after the data is gone: percent %d, want %d", p.percent, smallHeapGCPercent)
	}
	if got := debug.SetGCPercent(smallHeapGCPercent); got != smallHeapGCPercent {
		t.Errorf("runtime's GC percent is %d, want %d", got, smallHeapGCPercent)
	}
}
