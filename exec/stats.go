package exec

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

// Stats summarises a launcher's launches since it was made or last reset,
// for the launchstat builtin. Latency runs from the start of Launch until
// the parent knows the child exec'd (EOF on the error pipe). Percentiles
// come from a log-linear histogram with 16 buckets per power of two, so
// they are within about 6% (the upper edge of the bucket they fall in,
// never above Max); Max is exact.
type Stats struct {
	Count  int // launches that exec'd, each with a latency
	Failed int // launches that failed (not in the latencies)
	// P50, P90 and P99 are percentiles of the latency, Max its maximum;
	// all zero when Count is.
	P50 time.Duration
	P90 time.Duration
	P99 time.Duration
	Max time.Duration
}

// StatsOf returns the statistics of a launcher made by [NewSpawn] or
// [NewFork], and the zero Stats for any other Launcher.
func StatsOf(l Launcher) Stats {
	if s, ok := l.(interface{ Stats() Stats }); ok {
		return s.Stats()
	}
	return Stats{}
}

// ResetStats clears the statistics of a launcher made by [NewSpawn] or
// [NewFork]. A launch that finishes while the reset runs may or may not
// be counted.
func ResetStats(l Launcher) {
	if s, ok := l.(interface{ ResetStats() }); ok {
		s.ResetStats()
	}
}

const (
	subBits  = 4
	nSub     = 1 << subBits
	nBuckets = (64-subBits+1)*nSub + nSub
)

// histogram is a fixed-size, lock-free log-linear histogram of durations in
// nanoseconds: values below 16 have a bucket each, and each power of two
// above is split in 16 equal buckets. About 8 KiB, whatever the count.
type histogram struct {
	buckets [nBuckets]atomic.Uint64
	count   atomic.Uint64
	failed  atomic.Uint64
	max     atomic.Int64
}

func bucketOf(v uint64) int {
	if v < nSub {
		return int(v)
	}
	shift := bits.Len64(v) - 1 - subBits
	return (shift+1)*nSub + int(v>>uint(shift)) - nSub
}

// bucketTop returns the largest value that falls in bucket i.
func bucketTop(i int) uint64 {
	if i < nSub {
		return uint64(i)
	}
	shift := uint(i/nSub - 1)
	m := uint64(i%nSub + nSub)
	top := (m+1)<<shift - 1
	if top < m<<shift { // overflow in the last bucket
		return math.MaxUint64
	}
	return top
}

func (h *histogram) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.buckets[bucketOf(uint64(d))].Add(1)
	h.count.Add(1)
	for {
		m := h.max.Load()
		if int64(d) <= m || h.max.CompareAndSwap(m, int64(d)) {
			break
		}
	}
}

func (h *histogram) fail() { h.failed.Add(1) }

func (h *histogram) reset() {
	for i := range h.buckets {
		h.buckets[i].Store(0)
	}
	h.count.Store(0)
	h.failed.Store(0)
	h.max.Store(0)
}

func (h *histogram) snapshot() Stats {
	var counts [nBuckets]uint64
	var total uint64
	for i := range h.buckets {
		counts[i] = h.buckets[i].Load()
		total += counts[i]
	}
	s := Stats{Count: int(total), Failed: int(h.failed.Load()), Max: time.Duration(h.max.Load())}
	if total == 0 {
		return s
	}
	q := func(p float64) time.Duration {
		rank := uint64(math.Ceil(p * float64(total)))
		if rank < 1 {
			rank = 1
		}
		var cum uint64
		for i, c := range counts {
			cum += c
			if cum >= rank {
				d := time.Duration(bucketTop(i))
				if bucketTop(i) > math.MaxInt64 || d > s.Max {
					d = s.Max
				}
				return d
			}
		}
		return s.Max
	}
	s.P50, s.P90, s.P99 = q(0.50), q(0.90), q(0.99)
	return s
}
