package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"time"
)

// A shell's live data is usually tiny, but the Go runtime lets the heap
// grow to 4 MiB (at the default GOGC of 100) before it collects, and keeps
// the pages it freed. Every page held is a page a fork must copy the
// mapping of and the exec'd child must unmap: a fork/exec launch costs about
// 60 µs more per MiB of the parent's anonymous memory at these sizes (see
// README.md, "Keeping fork cheap"). Collecting more often costs CPU, though,
// in a script that allocates much and launches little (strings.sh runs 17%
// slower at GOGC 20). So after each collection spork chooses for the next
// ones: forkGCPercent (a 0.8 MiB floor instead of 4 MiB) while the shell
// forks (forkHeavy launches or more since the last collection) and holds
// less than largeHeap of live data, the runtime's default otherwise. It
// starts at the default, so that a start that only parses (an rc file
// sourcing an 80 kB completion script) is not slowed by collections, and
// takes its first look armDelay after start-up: a shell that has forked by
// then goes to forkGCPercent, so that a loop of launches does not grow to
// 4 MiB before the first collection.
const (
	forkGCPercent = 20
	defaultGC     = 100
	largeHeap     = 4 << 20
	forkHeavy     = 8
)

// tuneGC starts the policy above, unless the user chose GOGC themselves.
// forks returns the number of fork launches so far; it may go down (launchstat
// -r).
func tuneGC(forks func() int) {
	if os.Getenv("GOGC") != "" {
		return
	}
	p := &gcPolicy{forks: forks, percent: defaultGC}
	// Arming starts the runtime's finalizer goroutine, and with it often a
	// thread: a shell that is done within armDelay (spork -c true) does
	// not pay for that.
	time.AfterFunc(armDelay, p.start)
}

// start takes the first look, then looks after every collection.
func (p *gcPolicy) start() {
	p.firstLook()
	p.arm()
}

// firstLook sends a shell that has forked to forkGCPercent at once.
func (p *gcPolicy) firstLook() {
	if n := p.forks(); n > 0 {
		p.lastForks = n
		p.percent = forkGCPercent
		debug.SetGCPercent(forkGCPercent)
	}
}

// armDelay is how long after start-up the policy begins to watch.
const armDelay = 20 * time.Millisecond

// gcPolicy looks at the live heap and the launches after each collection
// and sets the GC percentage for the next ones.
type gcPolicy struct {
	forks     func() int
	lastForks int
	percent   int
	mem       *runtime.MemStats // made at the first look: it is 5 kB
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
	forks := p.forks()
	launched := forks - p.lastForks
	if launched < 0 {
		launched = forks // the counts were reset
	}
	p.lastForks = forks
	want := defaultGC
	if launched >= forkHeavy && p.heapAfterGC() <= largeHeap {
		want = forkGCPercent
	}
	if want != p.percent {
		p.percent = want
		debug.SetGCPercent(want)
	}
}

// heapAfterGC is the heap in use just after the collection that ran check:
// the live data, and what was made since. Reading it stops the world for a
// moment, so check asks only after a run of launches, each of which costs
// far more. (runtime/metrics would read it without a stop, but its package
// initialisation adds a tenth of a millisecond to every start.)
func (p *gcPolicy) heapAfterGC() uint64 {
	if p.mem == nil {
		p.mem = new(runtime.MemStats)
	}
	runtime.ReadMemStats(p.mem)
	return p.mem.HeapAlloc
}
