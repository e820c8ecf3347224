package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// A shell's live data is usually tiny, but the Go runtime lets the heap
// grow to 4 MiB (at the default GOGC of 100) before it collects, and keeps
// the pages it freed. Every page held is a page a fork must copy the
// mapping of and the exec'd child must unmap: a fork/exec launch costs about
// 60 µs more per MiB of the parent's anonymous memory at these sizes (see
// README.md, "Comparing launch modes"). So while the live heap is small,
// spork collects at smallHeapGCPercent (a 0.8 MiB floor instead of 4 MiB);
// once a script holds more than largeHeap of live data, it goes back to the
// runtime's default, where collections are rarer and cost what they cost
// any Go program.
const (
	smallHeapGCPercent = 20
	largeHeap          = 4 << 20
)

// tuneGC starts the policy above, unless the user chose GOGC themselves.
func tuneGC() {
	if os.Getenv("GOGC") != "" {
		return
	}
	debug.SetGCPercent(smallHeapGCPercent)
	// Arming starts the runtime's finalizer goroutine, and with it often a
	// thread: a shell that is done within armDelay (spork -c true) does
	// not pay for that, and none collects before then anyway.
	time.AfterFunc(armDelay, (&gcPolicy{percent: smallHeapGCPercent, sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}).arm)
}

// armDelay is how long after start-up the policy begins to watch.
const armDelay = 20 * time.Millisecond

// gcPolicy looks at the live heap after each collection and sets the GC
// percentage for the next ones.
type gcPolicy struct {
	percent int
	sample  []metrics.Sample
}

// arm makes the next collection call check: a sentinel object that only
// the finalizer knows becomes garbage at once, and its finalizer runs after
// the collection that found it.
func (p *gcPolicy) arm() {
	runtime.SetFinalizer(new(gcSentinel), func(*gcSentinel) {
		p.check()
		p.arm()
	})
}

// gcSentinel is big enough not to share the tiny allocator's blocks, whose
// finalizers may never run.
type gcSentinel struct{ _ [32]byte }

func (p *gcPolicy) check() {
	metrics.Read(p.sample)
	if p.sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	want := smallHeapGCPercent
	if p.sample[0].Value.Uint64() > largeHeap {
		want = 100
	}
	if want != p.percent {
		p.percent = want
		debug.SetGCPercent(want)
	}
}
