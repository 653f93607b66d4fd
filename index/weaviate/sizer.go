package weaviate

import "sync"

// batchSizer is how many objects the engine's next write request carries
// at most: Config.BatchSize while the cluster takes requests that large,
// fewer after one failed for the cluster's load. Without it every batch
// would start at the full size and, under sustained load, wait out a whole
// timeout before it is split (see writeSplitting): one lost timeout per
// batch for the length of an ingest. It is one per engine, shared by every
// writer of every Put, and safe for concurrent use.
//
// The policy is additive increase, multiplicative decrease (AIMD):
//
//   - A request of n objects that fails for the cluster's load sets the
//     size to n/2, at least 1: the size its halves go again at. A request
//     larger than the current size was formed before the size last went
//     down and its failure counts for nothing: the writers' requests sent
//     at one size, which time out together, halve it once, not once each.
//   - After growAfter requests in a row of at least the current size went
//     in, one request, the probe, tries a size a step larger: a sixteenth
//     of Config.BatchSize (rounded up), up to Config.BatchSize. When it
//     goes in, that is the size; when it fails for the load, the size
//     halves from it as above.
//
// The increase is additive, and tried by one request at a time, because
// every request above what the cluster takes costs a whole timeout before
// it is split. Growing by a step, the size comes back to the limit (where
// it fails and halves) once every few runs, where doubling would overshoot
// it after every run; and while the probe is out the other writers keep
// to the size that goes in, so a failed probe holds one request, not one
// per writer. From a size of 1 back to the full size takes 16 steps, some
// 270 requests.
type batchSizer struct {
	max  int // Config.BatchSize
	step int

	mu      sync.Mutex
	size    int
	run     int  // requests of at least size that went in since size last changed
	trial   int  // the size the probe tries; 0 when there is none
	probing bool // the probe is out
}

// growAfter is how many requests in a row of the current size must go in
// before a larger size is tried.
const growAfter = 16

func newBatchSizer(limit int) *batchSizer {
	limit = max(limit, 1)
	return &batchSizer{max: limit, step: max(1, (limit+15)/16), size: limit}
}

// next is how many objects the next request carries at most, and whether
// it is the probe. Its outcome goes back with the same probe flag, to
// took, refused or abandoned.
func (s *batchSizer) next() (n int, probe bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.trial > 0 && !s.probing {
		s.probing = true
		return s.trial, true
	}
	return s.size, false
}

// took records that a request of n objects went in.
func (s *batchSizer) took(n int, probe bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if probe {
		// A probe cut short (the last objects of a write) says nothing:
		// the next request tries again.
		s.probing = false
	}
	if s.trial > 0 && n >= s.trial {
		s.size, s.trial, s.run = s.trial, 0, 0
		return
	}
	if n < s.size {
		// A remainder, or the half of a failed request: it says nothing
		// about whether a request of the current size goes in.
		return
	}
	s.run++
	if s.run >= growAfter {
		s.run = 0
		if s.trial == 0 && s.size < s.max {
			s.trial = min(s.size+s.step, s.max)
		}
	}
}

// refused records that a request of n objects failed for the cluster's
// load (see overloaded).
func (s *batchSizer) refused(n int, probe bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if probe {
		s.probing = false
	} else if n > s.size {
		return
	}
	s.size = min(s.size, max(1, n/2))
	s.trial, s.run = 0, 0
}

// abandoned records that a request failed otherwise, or was not sent:
// when it was the probe, the next request tries again.
func (s *batchSizer) abandoned(probe bool) {
	if probe {
		s.mu.Lock()
		s.probing = false
		s.mu.Unlock()
	}
}
