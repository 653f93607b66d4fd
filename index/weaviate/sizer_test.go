package weaviate

import (
	"cmp"
	"math/rand/v2"
	"sync"
	"testing"
)

// The request size halves on a failure for the cluster's load, once for
// any number of failures of requests sent at one size, and after a run of
// requests of the current size that went in, one request at a time tries
// a step larger; it stays between 1 and the batch size.
func TestBatchSizer(t *testing.T) {
	type event struct {
		op    string // "took", "refused", "abandoned", or "next"
		n     int    // objects in the request (0: the size then); for next, the size it gives
		probe bool   // the request is the probe; for next, what it says
		times int    // 0: once
		size  int    // the size afterwards
	}
	// A batch size of 32 grows by steps of 2.
	events := []event{
		{op: "took", n: 32, times: 40, size: 32}, // never above the batch size
		{op: "next", n: 32, size: 32},
		{op: "refused", n: 32, size: 16},           // halved
		{op: "refused", n: 32, times: 3, size: 16}, // the other writers' requests of 32: stale
		{op: "refused", n: 20, size: 16},           // larger than the size: stale too
		{op: "took", n: 16, times: 15, size: 16},   // one short of a run
		{op: "took", n: 8, times: 5, size: 16},     // smaller requests do not count
		{op: "next", n: 16, size: 16},
		{op: "took", n: 16, size: 16}, // the run is complete: one request tries a step more
		{op: "next", n: 18, probe: true, size: 16},
		{op: "next", n: 16, size: 16}, // while the others keep to the size
		{op: "took", n: 18, probe: true, size: 18},
		{op: "next", n: 18, size: 18},
		{op: "took", times: 16, size: 18},
		{op: "next", n: 20, probe: true, size: 18},
		{op: "refused", n: 20, probe: true, size: 10}, // a failed probe halves from its own size
		{op: "took", times: 16, size: 10},
		{op: "next", n: 12, probe: true, size: 10},
		{op: "refused", n: 10, size: 5},              // a failure while the probe is out
		{op: "next", n: 5, size: 5},                  // ends the trial
		{op: "refused", n: 12, probe: true, size: 5}, // and the probe's failure then counts for nothing
		{op: "took", times: 16, size: 5},
		{op: "next", n: 7, probe: true, size: 5},
		{op: "took", n: 3, probe: true, size: 5}, // a probe cut short
		{op: "next", n: 7, probe: true, size: 5}, // goes again
		{op: "abandoned", probe: true, size: 5},  // so does one that failed otherwise
		{op: "next", n: 7, probe: true, size: 5},
		{op: "took", n: 7, probe: true, size: 7},
		{op: "refused", size: 3},
		{op: "refused", size: 1},
		{op: "refused", n: 1, times: 5, size: 1}, // never below 1
		{op: "took", n: 1, times: 16, size: 1},
		{op: "next", n: 3, probe: true, size: 1}, // from 1 up by a step
		{op: "took", n: 3, probe: true, size: 3},
	}
	s := newBatchSizer(32)
	for i, ev := range events {
		for range max(ev.times, 1) {
			n := cmp.Or(ev.n, s.peek())
			switch ev.op {
			case "took":
				s.took(n, ev.probe)
			case "refused":
				s.refused(n, ev.probe)
			case "abandoned":
				s.abandoned(ev.probe)
			case "next":
				if got, probe := s.next(); got != ev.n || probe != ev.probe {
					t.Fatalf("event %d: next() = %d, %t; want %d, %t", i, got, probe, ev.n, ev.probe)
				}
			}
		}
		if got := s.peek(); got != ev.size {
			t.Fatalf("event %d (%s %d, probe %t, × %d): size %d, want %d", i, ev.op, ev.n, ev.probe, max(ev.times, 1), got, ev.size)
		}
	}

	// The default batch size comes back from 1 in 16 steps of 13, each a
	// run and its probe.
	s = newBatchSizer(200)
	s.refused(1, false)
	requests := 0
	for s.peek() < 200 && requests < 1000 {
		n, probe := s.next()
		s.took(n, probe)
		requests++
	}
	if want := 16 * (growAfter + 1); s.peek() != 200 || requests != want {
		t.Fatalf("from 1: size %d after %d requests; want 200 after %d", s.peek(), requests, want)
	}
	for range 3 * growAfter {
		if n, probe := s.next(); n != 200 || probe {
			t.Fatalf("at the batch size: next() = %d, %t; want 200, false", n, probe)
		}
		s.took(200, false)
	}
}

// Writers that share a sizer fail together and succeed together: their
// requests sent at one size halve it once, and only one of them tries a
// larger size.
func TestBatchSizerConcurrent(t *testing.T) {
	s := newBatchSizer(64)
	together := func(f func()) {
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 64 {
			wg.Go(func() {
				<-start
				f()
			})
		}
		close(start)
		wg.Wait()
	}
	together(func() { s.refused(64, false) })
	if got := s.peek(); got != 32 {
		t.Fatalf("64 requests of 64 refused at once: size %d, want 32", got)
	}
	together(func() { s.took(32, false) })
	var mu sync.Mutex
	sizes := map[int]int{}
	together(func() {
		n, _ := s.next()
		mu.Lock()
		sizes[n]++
		mu.Unlock()
	})
	if sizes[36] != 1 || sizes[32] != 63 {
		t.Fatalf("after 64 requests of 32 went in, 64 writers got sizes %v; want one 36 and 63 times 32", sizes)
	}

	// Writers that take their size, then succeed or fail at random, never
	// see a size out of its bounds.
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for range 2000 {
				n, probe := s.next()
				if n < 1 || n > 64 {
					t.Errorf("size %d, want within [1, 64]", n)
					return
				}
				switch r.IntN(20) {
				case 0:
					s.refused(n, probe)
				case 1:
					s.abandoned(probe)
				default:
					s.took(n, probe)
				}
			}
		})
	}
	wg.Wait()
}

// peek is the size requests carry, without handing out a probe.
func (s *batchSizer) peek() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size
}
