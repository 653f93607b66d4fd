package embedded

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"wenda/index"
)

// Group commit. What a Put costs is mostly fixed: one persisted bleve
// batch and one fsynced log record, whatever the size of the document.
// So Puts queue, and a committer takes all those waiting, up to bounds,
// and commits them together, as one batch and one log record (commit):
// Puts that arrive while a commit is under way share the next one. Each
// Put still changes its documents atomically — the group appears all at
// once, in one record — and returns only when the record holding it is
// durable, or with the group's error, in which case none of the group is
// visible. A writer alone commits at once, as before; several (the upload
// workers, an inbox being applied) share the fixed cost.

// The bounds of one group: a Put larger than maxGroupBytes still goes
// alone, but no Put joins a group that would grow past it.
const (
	maxGroupPuts  = 256
	maxGroupBytes = 32 << 20
)

// putQueue holds the Puts waiting to be committed, oldest first.
type putQueue struct {
	mu      sync.Mutex
	waiting []*putReq
	// committing: a committer goroutine runs; it stops when it finds the
	// queue empty.
	committing bool
}

// putReq is one Put in the queue.
type putReq struct {
	ctx     context.Context
	entries []index.Entry
	size    int
	// taken: the committer has taken it into a group (under
	// putQueue.mu); from then on its outcome is the group's, whatever its
	// context says.
	taken bool
	done  chan error
}

// put is Writer.Put for this collection; see index.Writer for what it
// promises. It queues the entries and waits for the commit that takes
// them; a Put whose context ends while it waits leaves the queue.
func (c *collection) put(ctx context.Context, entries []index.Entry) error {
	if c.readOnly {
		return index.ErrReadOnly
	}
	dim := c.meta.Embedder.Dim
	seen := make(map[string]bool, len(entries))
	for i := range entries {
		if err := entries[i].Validate(dim); err != nil {
			return err
		}
		if seen[entries[i].Doc.ID] {
			return fmt.Errorf("document %s is twice in one put", entries[i].Doc.ID)
		}
		seen[entries[i].Doc.ID] = true
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	q := &c.puts
	r := &putReq{ctx: ctx, entries: entries, size: putSize(dim, entries), done: make(chan error, 1)}
	q.mu.Lock()
	q.waiting = append(q.waiting, r)
	if !q.committing {
		q.committing = true
		go c.committer()
	}
	q.mu.Unlock()
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		if q.withdraw(r) {
			return ctx.Err()
		}
		// Taken: its group is being committed and decides.
		return <-r.done
	}
}

// committer commits groups of the Puts waiting until there are none.
func (c *collection) committer() {
	for {
		c.wmu.Lock()
		group := c.puts.take()
		if len(group) == 0 {
			c.wmu.Unlock()
			return
		}
		entries := group[0].entries
		if len(group) > 1 {
			entries = nil
			for _, r := range group {
				entries = append(entries, r.entries...)
			}
		}
		err := c.commit(entries)
		c.wmu.Unlock()
		for _, r := range group {
			r.done <- err
		}
	}
}

// take removes from the head of the queue the Puts of the next group: in
// order, while no two of them hold the same document (a later Put of a
// document must come after an earlier one, never beside it) and the group
// stays within its bounds. A Put whose context has ended is answered with
// its error and left out.
func (q *putQueue) take() []*putReq {
	q.mu.Lock()
	defer q.mu.Unlock()
	var (
		group []*putReq
		ids   = map[string]bool{}
		size  int
		i     int
	)
take:
	for ; i < len(q.waiting); i++ {
		r := q.waiting[i]
		if err := r.ctx.Err(); err != nil {
			r.taken = true
			r.done <- err
			continue
		}
		if len(group) > 0 && (len(group) == maxGroupPuts || size+r.size > maxGroupBytes) {
			break
		}
		for _, en := range r.entries {
			if ids[en.Doc.ID] {
				break take
			}
		}
		for _, en := range r.entries {
			ids[en.Doc.ID] = true
		}
		r.taken = true
		group = append(group, r)
		size += r.size
	}
	// slices.Delete clears the tail, so the queue holds no taken entries.
	q.waiting = slices.Delete(q.waiting, 0, i)
	if len(group) == 0 {
		q.committing = false
	}
	return group
}

// withdraw takes a Put out of the queue unless the committer has taken it.
func (q *putQueue) withdraw(r *putReq) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if r.taken {
		return false
	}
	for i, w := range q.waiting {
		if w == r {
			q.waiting = slices.Delete(q.waiting, i, i+1)
			break
		}
	}
	return true
}
