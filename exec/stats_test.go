package exec

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

func TestHistogramBuckets(t *testing.T) {
	prev := -1
	for _, v := range []uint64{0, 1, 15, 16, 17, 31, 32, 33, 1000, 1 << 20, 123456789, 1 << 40, 1<<63 - 1, 1 << 63, ^uint64(0)} {
		i := bucketOf(v)
		if i < prev || i >= nBuckets {
			t.Fatalf("bucketOf(%d) = %d after %d", v, i, prev)
		}
		prev = i
		if top := bucketTop(i); top < v || (i > 0 && bucketTop(i-1) >= v) {
			t.Errorf("value %d in bucket %d [%d, %d]", v, i, bucketTop(i-1)+1, top)
		}
	}
}

func TestHistogramPercentiles(t *testing.T) {
	var h histogram
	// 1..10000 µs, shuffled, recorded from several goroutines.
	vals := rand.Perm(10000)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, v := range vals[g*2500 : (g+1)*2500] {
				h.record(time.Duration(v+1) * time.Microsecond)
			}
		}()
	}
	wg.Wait()
	h.fail()
	s := h.snapshot()
	if s.Count != 10000 || s.Failed != 1 || s.Max != 10000*time.Microsecond {
		t.Fatalf("%+v", s)
	}
	for _, c := range []struct {
		got  time.Duration
		want float64
	}{{s.P50, 5000}, {s.P90, 9000}, {s.P99, 9900}} {
		us := float64(c.got) / float64(time.Microsecond)
		if us < c.want || us > c.want*1.07 {
			t.Errorf("percentile %.0fµs, want %.0fµs (+7%%): %+v", us, c.want, s)
		}
	}
	h.reset()
	if s := h.snapshot(); s != (Stats{}) {
		t.Errorf("after reset: %+v", s)
	}
}

func TestStatsOf(t *testing.T) {
	for _, l := range []Launcher{NewSpawn(), NewFork()} {
		l.(interface{ Stats() Stats }).Stats()
		ResetStats(l)
		if s := StatsOf(l); s != (Stats{}) {
			t.Errorf("%s: %+v", l.Name(), s)
		}
	}
	if s := StatsOf(nil); s != (Stats{}) {
		t.Errorf("nil launcher: %+v", s)
	}
}
