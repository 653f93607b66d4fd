package embedded

import "sync"

// epochs let a writer switch a document's version without pausing
// searches and delete the version it replaced only when no search can
// still want it.
//
// A search enters the current epoch, sees the catalogue as of that epoch
// (each document's newest version whose epoch is not later), and leaves.
// A writer publishes new versions under the next epoch, then waits until
// every search that entered an earlier epoch has left before it deletes
// the versions those searches may still look up. Searches never wait;
// a writer waits at most for the searches already running.
type epochs struct {
	mu      sync.Mutex
	cond    *sync.Cond
	cur     uint64
	readers map[uint64]int // searches running in each epoch
}

func newEpochs() *epochs {
	e := &epochs{readers: map[uint64]int{}}
	e.cond = sync.NewCond(&e.mu)
	return e
}

// enter registers a search and returns its epoch.
func (e *epochs) enter() uint64 {
	e.mu.Lock()
	ep := e.cur
	e.readers[ep]++
	e.mu.Unlock()
	return ep
}

// leave ends a search that entered ep.
func (e *epochs) leave(ep uint64) {
	e.mu.Lock()
	if e.readers[ep]--; e.readers[ep] == 0 {
		delete(e.readers, ep)
		e.cond.Broadcast()
	}
	e.mu.Unlock()
}

// advance starts a new epoch and returns it.
func (e *epochs) advance() uint64 {
	e.mu.Lock()
	e.cur++
	ep := e.cur
	e.mu.Unlock()
	return ep
}

// wait returns when no search that entered an epoch before ep is running.
func (e *epochs) wait(ep uint64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for e.running(ep) {
		e.cond.Wait()
	}
}

func (e *epochs) running(before uint64) bool {
	for ep, n := range e.readers {
		if ep < before && n > 0 {
			return true
		}
	}
	return false
}
