package weaviate

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/weaviate/weaviate-go-client/v5/weaviate/filters"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/graphql"

	"wenda/index"
)

// How a process keeps its term statistics current.
const (
	// feedMargin is how far back each read of the change feed reaches
	// before the newest change already seen, for changes that became
	// visible late or were stamped by a clock a little behind.
	feedMargin = recentWindow
	// statsHorizon is how long the feed and the statistics of retired
	// versions are kept. A process that has not read the feed for longer
	// counts everything again.
	statsHorizon = 30 * time.Minute
	// reconcileEvery is how often a process compares the versions it
	// counted with those the documents name, which repairs what a writer
	// that died between its switch and its feed entry left out.
	reconcileEvery = 5 * time.Minute
	// gcEvery is how often a process removes feed entries and retired
	// statistics past the horizon.
	gcEvery = 5 * time.Minute
	// idleAfter is how long a collection's statistics are kept current
	// with nobody asking for them; then the process forgets them.
	idleAfter = 10 * time.Minute
)

// errRecount says that the statistics must be counted again from the
// documents: a retired version's statistics were gone before this process
// subtracted them.
var errRecount = errors.New("term statistics: a retired version's counts are gone")

// tracker holds one collection's term statistics in this process: the sum
// of the statistics of the versions its documents name. It is built from
// every document once, then follows the change feed; this process's own
// writes are applied when they return, so it reads its own writes.
type tracker struct {
	e    *Engine
	coll string

	// mu guards the sums, which searches read.
	mu     sync.RWMutex
	df     map[string]int
	chunks int
	terms  int

	// sync serialises everything that changes the sums: building,
	// reconciling and reading the feed. Each reads the versions the
	// documents name after the one before it, so the last one applied is
	// the newest.
	sync                  sync.Mutex
	counted               map[string]string // document → the version counted
	created               time.Time         // the collection's, when built
	watermark             int64             // newest feed stamp read, Unix ms
	seen                  map[string]int64  // feed entries applied → their stamp
	polled                time.Time         // when the feed was last read whole
	reconciled, collected time.Time
	// saved is when this process last wrote a snapshot (see snapshot.go);
	// changedSinceSave, how many documents changed since.
	saved            time.Time
	changedSinceSave int

	ready   chan struct{} // closed when built (or failed: err)
	err     error
	lastUse time.Time // guarded by e.trackers.mu
}

// trackers are the collections whose statistics this process keeps.
type trackers struct {
	mu sync.Mutex
	by map[string]*tracker
}

// tracker returns the collection's tracker, starting one (and its
// background loop) when there is none.
func (e *Engine) tracker(coll string) *tracker {
	e.trackers.mu.Lock()
	defer e.trackers.mu.Unlock()
	if e.trackers.by == nil {
		e.trackers.by = map[string]*tracker{}
	}
	t := e.trackers.by[coll]
	if t == nil {
		t = &tracker{e: e, coll: coll, ready: make(chan struct{})}
		e.trackers.by[coll] = t
		e.bg.Add(1)
		go t.run()
	}
	t.lastUse = time.Now()
	return t
}

// closeTrackers saves a snapshot of every collection whose sums changed
// since the last one, so that the next process starts from them.
func (e *Engine) closeTrackers() {
	e.trackers.mu.Lock()
	var ts []*tracker
	for _, t := range e.trackers.by {
		ts = append(ts, t)
	}
	e.trackers.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*e.cfg.Timeout)
	defer cancel()
	for _, t := range ts {
		select {
		case <-t.ready:
		default:
			continue
		}
		if t.err != nil {
			continue
		}
		t.sync.Lock()
		if t.changedSinceSave > 0 {
			_ = t.saveSnapshot(ctx)
		}
		t.sync.Unlock()
	}
}

// LoadStats loads the term statistics of every collection, as the first
// search in each would, and keeps them current from then on even when
// nobody searches: a server calls it before it says it is ready, so that
// no user's search waits for them. A collection whose statistics fail to
// load is reported, and loads them again at its first search.
func (e *Engine) LoadStats(ctx context.Context) error {
	e.keepStats.Store(true)
	cs, err := e.Collections(ctx)
	if err != nil {
		return err
	}
	ts := make([]*tracker, len(cs))
	for i, c := range cs {
		ts[i] = e.tracker(c.ID) // each loads in its own goroutine
	}
	var errs []error
	for _, t := range ts {
		select {
		case <-t.ready:
		case <-ctx.Done():
			return ctx.Err()
		}
		if t.err != nil {
			errs = append(errs, fmt.Errorf("term statistics of %s: %w", t.coll, t.err))
		}
	}
	return errors.Join(errs...)
}

// existingTracker returns the collection's tracker if one is built.
func (e *Engine) existingTracker(coll string) *tracker {
	e.trackers.mu.Lock()
	t := e.trackers.by[coll]
	e.trackers.mu.Unlock()
	if t == nil {
		return nil
	}
	select {
	case <-t.ready:
		if t.err == nil {
			return t
		}
	default:
	}
	return nil
}

// forget drops a tracker (when it failed, went idle, or its collection
// went away); the next question about the collection starts another.
func (e *Engine) forget(t *tracker) {
	e.trackers.mu.Lock()
	if e.trackers.by[t.coll] == t {
		delete(e.trackers.by, t.coll)
	}
	e.trackers.mu.Unlock()
}

// TermStats returns the number of chunks, their mean number of terms and
// the number of chunks holding each of the terms, from the sums this
// process keeps (see tracker): no request goes to the cluster, except to
// count everything once when the process first needs the collection.
// This process's own writes count as soon as they return; other
// processes' writes count within about a second (Config.StatsRefresh),
// or within five minutes when their writer died between its switch and
// its feed entry.
func (e *Engine) TermStats(ctx context.Context, coll string, terms []string) (index.TermStats, error) {
	t := e.tracker(coll)
	select {
	case <-t.ready:
	case <-ctx.Done():
		return index.TermStats{}, ctx.Err()
	}
	if t.err != nil {
		return index.TermStats{}, fmt.Errorf("term statistics of %s: %w", coll, t.err)
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	st := index.TermStats{Chunks: t.chunks, DF: make(map[string]int, len(terms))}
	if t.chunks > 0 {
		st.AvgTerms = float64(t.terms) / float64(t.chunks)
	}
	for _, term := range terms {
		if n := t.df[term]; n > 0 {
			st.DF[term] = n
		}
	}
	return st, nil
}

// run builds the sums, then keeps them current until the engine closes,
// the collection goes, or nobody has asked for a while.
func (t *tracker) run() {
	defer t.e.bg.Done()
	ctx := t.e.bgCtx
	t.err = t.build(ctx)
	if t.err != nil {
		t.err = t.e.searchError(ctx, t.coll, t.err)
		t.e.forget(t)
		close(t.ready)
		return
	}
	close(t.ready)
	tick := time.NewTicker(t.e.cfg.StatsRefresh)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			t.e.forget(t)
			return
		case <-tick.C:
		}
		t.e.trackers.mu.Lock()
		idle := !t.e.keepStats.Load() && time.Since(t.lastUse) > idleAfter
		t.e.trackers.mu.Unlock()
		if idle {
			t.e.forget(t)
			return
		}
		if err := t.refresh(ctx); err != nil {
			if ctx.Err() != nil {
				continue
			}
			if c, cerr := t.e.collection(ctx, t.coll); errors.Is(cerr, index.ErrNotFound) || (cerr == nil && !c.Created.Equal(t.created)) {
				// The collection is gone, or made anew.
				t.e.forget(t)
				return
			}
			// Anything else (a node down, a timeout) may pass: the sums
			// stay as they are, a little behind, and the next tick
			// tries again. Past the horizon, count again.
			if time.Since(t.polled) > statsHorizon-feedMargin || errors.Is(err, errRecount) {
				t.sync.Lock()
				t.buildLocked(ctx)
				t.sync.Unlock()
			}
		}
	}
}

// refresh reads the feed, and now and then reconciles and collects.
func (t *tracker) refresh(ctx context.Context) error {
	t.sync.Lock()
	defer t.sync.Unlock()
	c, err := t.e.collection(ctx, t.coll)
	if err != nil {
		return err
	}
	if !c.Created.Equal(t.created) {
		return errors.New("the collection was made anew")
	}
	if time.Since(t.polled) > statsHorizon-feedMargin {
		return t.buildLocked(ctx)
	}
	if err := t.poll(ctx); err != nil {
		return err
	}
	if time.Since(t.reconciled) > reconcileEvery {
		if err := t.reconcileAll(ctx); err != nil {
			return err
		}
	}
	if time.Since(t.collected) > gcEvery {
		t.collected = time.Now()
		t.e.collectFeed(ctx, t.coll)
	}
	if n := t.changedSinceSave; n > 0 && (n >= snapshotAfter || time.Since(t.saved) > snapshotEvery) {
		if err := t.saveSnapshot(ctx); err != nil {
			return err
		}
	}
	return nil
}

// build starts the sums from the collection's snapshot when there is a
// recent one, else from every document.
func (t *tracker) build(ctx context.Context) error {
	t.sync.Lock()
	defer t.sync.Unlock()
	c, err := t.e.collection(ctx, t.coll)
	if err != nil {
		return err
	}
	s, err := t.e.loadSnapshot(ctx, c)
	if err != nil || s == nil {
		return t.buildLocked(ctx)
	}
	t.mu.Lock()
	t.df, t.chunks, t.terms = s.DF, s.Chunks, s.Terms
	t.mu.Unlock()
	now := time.Now()
	t.counted, t.created, t.seen, t.watermark = s.Counted, c.Created, map[string]int64{}, s.Watermark
	t.polled, t.collected, t.saved = now, now, now
	// The feed brings what changed since the snapshot, and reconciling
	// at once what a writer that died before its feed entry left out:
	// reading every document's version is cheap beside reading every
	// version's statistics, which only the changed documents need.
	if err := t.poll(ctx); err != nil {
		// A retired version's statistics are gone, or the feed cannot
		// be read: count everything.
		return t.buildLocked(ctx)
	}
	if err := t.reconcileAll(ctx); err != nil {
		return t.buildLocked(ctx)
	}
	return nil
}

// buildLocked counts everything again: the statistics of the version each
// document names, added up. Changes made meanwhile are in the feed, which
// is read from before the count began.
func (t *tracker) buildLocked(ctx context.Context) error {
	c, err := t.e.collection(ctx, t.coll)
	if err != nil {
		return err
	}
	start := time.Now()
	df := map[string]int{}
	counted := map[string]string{}
	chunks, terms := 0, 0
	err = t.e.scanGens(ctx, t.coll, func(gens map[string]string) error {
		sts, err := t.e.statsFor(ctx, t.coll, gens)
		if err != nil {
			return err
		}
		for doc, gen := range gens {
			st := sts[gen]
			for term, n := range st.DF {
				df[term] += n
			}
			chunks += st.Chunks
			terms += st.Terms
			counted[doc] = gen
		}
		return nil
	})
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.df, t.chunks, t.terms = df, chunks, terms
	t.mu.Unlock()
	t.counted, t.created, t.seen = counted, c.Created, map[string]int64{}
	t.watermark = start.UnixMilli()
	t.polled, t.reconciled, t.collected = start, start, start
	if err := t.poll(ctx); err != nil {
		return err
	}
	// The next process to start goes on from here instead of counting
	// everything again; failing that, it counts.
	_ = t.saveSnapshot(ctx)
	return nil
}

// poll applies the changes in the feed since the last read, less the
// margin; changes already applied are skipped.
func (t *tracker) poll(ctx context.Context) error {
	since := t.watermark - feedMargin.Milliseconds()
	started := time.Now()
	var (
		docs    []string
		entries = map[string]int64{}
		newest  = t.watermark
		from    = since
	)
	for {
		prev := from
		res, err := call(ctx, t.e, t.e.client.Experimental().Search().WithCollection(t.e.feedClass(t.coll)).
			WithProperties(pChange, pStamp).
			WithWhere(filters.Where().WithPath([]string{pStamp}).WithOperator(filters.GreaterThanEqual).WithValueInt(from)).
			WithSort(graphql.Sort{Path: []string{pStamp}, Order: graphql.Asc}).WithLimit(feedPage).
			WithConsistencyLevel(t.e.cfg.Consistency).Do)
		if err != nil {
			return fmt.Errorf("read the changes of %s: %w", t.coll, unwrapFault(err))
		}
		var fresh []string
		for _, r := range res {
			id, stamp := propString(r.Properties, pChange), int64(asInt(r.Properties[pStamp]))
			newest = max(newest, stamp)
			if _, ok := t.seen[id]; !ok {
				if _, ok := entries[id]; !ok {
					entries[id] = stamp
					fresh = append(fresh, id)
				}
			}
			from = max(from, stamp)
		}
		if len(fresh) > 0 {
			ds, err := t.e.changedDocs(ctx, t.coll, fresh)
			if err != nil {
				return err
			}
			docs = append(docs, ds...)
		}
		// A full page reads on from its newest stamp (entries read twice
		// are skipped); a page of one stamp only would read itself again.
		if len(res) < feedPage || from == prev {
			break
		}
	}
	if len(docs) > 0 {
		if err := t.reconcile(ctx, docs, nil); err != nil {
			return err
		}
	}
	for id, stamp := range entries {
		t.seen[id] = stamp
	}
	t.watermark = newest
	for id, stamp := range t.seen {
		if stamp < t.watermark-feedMargin.Milliseconds() {
			delete(t.seen, id)
		}
	}
	t.polled = started
	return nil
}

// feedPage is how many feed entries one request reads.
const feedPage = 1000

// changedDocs returns the documents the feed entries name.
func (e *Engine) changedDocs(ctx context.Context, coll string, ids []string) ([]string, error) {
	var docs []string
	for start := 0; start < len(ids); start += feedPage {
		part := ids[start:min(start+feedPage, len(ids))]
		res, err := call(ctx, e, e.client.Experimental().Search().WithCollection(e.feedClass(coll)).
			WithProperties(pJSON).
			WithWhere(filters.Where().WithPath([]string{pChange}).WithOperator(filters.ContainsAny).WithValueText(part...)).
			WithLimit(len(part)).WithConsistencyLevel(e.cfg.Consistency).Do)
		if err != nil {
			return nil, fmt.Errorf("read the changes of %s: %w", coll, unwrapFault(err))
		}
		for _, r := range res {
			var c change
			if err := json.Unmarshal([]byte(propString(r.Properties, pJSON)), &c); err != nil {
				return nil, fmt.Errorf("a change of %s: %w", coll, err)
			}
			docs = append(docs, c.Docs...)
		}
	}
	return docs, nil
}

// reconcile brings the sums in line with the versions the documents name
// now. known holds statistics the caller has at hand (a Put's own), by
// version. The caller holds t.sync.
func (t *tracker) reconcile(ctx context.Context, docs []string, known map[string]genStats) error {
	docs = dedupe(docs)
	cur, err := t.e.currentGens(ctx, t.coll, docs)
	if err != nil {
		return err
	}
	var need []string
	for _, d := range docs {
		old, now := t.counted[d], cur[d].gen
		if old == now {
			continue
		}
		for _, g := range []string{old, now} {
			if _, ok := known[g]; g != "" && !ok {
				need = append(need, g)
			}
		}
	}
	fetched, err := t.e.statsOf(ctx, t.coll, need)
	if err != nil {
		return err
	}
	get := func(doc, gen string, current bool) (genStats, error) {
		if st, ok := known[gen]; ok {
			return st, nil
		}
		if st, ok := fetched[gen]; ok {
			return st, nil
		}
		if !current {
			return genStats{}, fmt.Errorf("%w (%s, version %s)", errRecount, doc, gen)
		}
		return t.e.countChunks(ctx, t.coll, doc, gen)
	}
	type delta struct {
		doc, gen string
		sub, add genStats
	}
	var ds []delta
	for _, d := range docs {
		old, now := t.counted[d], cur[d].gen
		if old == now {
			continue
		}
		x := delta{doc: d, gen: now}
		if old != "" {
			if x.sub, err = get(d, old, false); err != nil {
				return err
			}
		}
		if now != "" {
			if x.add, err = get(d, now, true); err != nil {
				return err
			}
		}
		ds = append(ds, x)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.changedSinceSave += len(ds)
	for _, x := range ds {
		for term, n := range x.sub.DF {
			if t.df[term] -= n; t.df[term] <= 0 {
				delete(t.df, term)
			}
		}
		for term, n := range x.add.DF {
			t.df[term] += n
		}
		t.chunks += x.add.Chunks - x.sub.Chunks
		t.terms += x.add.Terms - x.sub.Terms
		if x.gen == "" {
			delete(t.counted, x.doc)
		} else {
			t.counted[x.doc] = x.gen
		}
	}
	return nil
}

// reconcileAll compares every document's version with the one counted.
func (t *tracker) reconcileAll(ctx context.Context) error {
	start := time.Now()
	var changed []string
	present := map[string]bool{}
	err := t.e.scanGens(ctx, t.coll, func(gens map[string]string) error {
		for doc, gen := range gens {
			present[doc] = true
			if t.counted[doc] != gen {
				changed = append(changed, doc)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for doc := range t.counted {
		if !present[doc] {
			changed = append(changed, doc)
		}
	}
	if len(changed) > 0 {
		if err := t.reconcile(ctx, changed, nil); err != nil {
			return err
		}
	}
	t.reconciled = start
	return nil
}

// applyOwn applies this process's own write at once (waiting for the
// sums to be built, which Put started), so that the process reads its own
// writes. Failing that, the feed brings the write a moment later.
func (e *Engine) applyOwn(ctx context.Context, coll string, docs []string, known map[string]genStats) {
	e.trackers.mu.Lock()
	t := e.trackers.by[coll]
	e.trackers.mu.Unlock()
	if t == nil {
		return
	}
	select {
	case <-t.ready:
	case <-ctx.Done():
		return
	}
	if t.err != nil {
		return
	}
	t.sync.Lock()
	defer t.sync.Unlock()
	_ = t.reconcile(ctx, docs, known)
}

// scanGens reads the version every document names, a page at a time.
func (e *Engine) scanGens(ctx context.Context, coll string, fn func(gens map[string]string) error) error {
	after := ""
	for {
		s := e.client.Experimental().Search().WithCollection(e.docClass(coll)).WithProperties(pDocID, pGen).
			WithSort(graphql.Sort{Path: []string{pDocID}, Order: graphql.Asc}).WithLimit(listPage).
			WithConsistencyLevel(e.cfg.Consistency)
		if after != "" {
			s = s.WithWhere(filters.Where().WithPath([]string{pDocID}).WithOperator(filters.GreaterThan).WithValueText(after))
		}
		res, err := call(ctx, e, s.Do)
		if err != nil {
			return fmt.Errorf("list documents of %s: %w", coll, unwrapFault(err))
		}
		gens := make(map[string]string, len(res))
		for _, r := range res {
			after = propString(r.Properties, pDocID)
			gens[after] = propString(r.Properties, pGen)
		}
		if err := fn(gens); err != nil {
			return err
		}
		if len(res) < listPage {
			return nil
		}
	}
}

// statsFor returns the statistics of the versions documents name,
// counting from the chunks those that have no statistics object.
func (e *Engine) statsFor(ctx context.Context, coll string, gens map[string]string) (map[string]genStats, error) {
	list := make([]string, 0, len(gens))
	for _, g := range gens {
		list = append(list, g)
	}
	sts, err := e.statsOf(ctx, coll, list)
	if err != nil {
		return nil, err
	}
	for doc, gen := range gens {
		if _, ok := sts[gen]; !ok {
			if sts[gen], err = e.countChunks(ctx, coll, doc, gen); err != nil {
				return nil, err
			}
		}
	}
	return sts, nil
}

// collectFeed removes feed entries past the horizon, and with them the
// statistics of the versions they retired. Any process may do it, and
// several at once do no harm.
func (e *Engine) collectFeed(ctx context.Context, coll string) {
	cutoff := time.Now().Add(-statsHorizon).UnixMilli()
	for ctx.Err() == nil {
		res, err := call(ctx, e, e.client.Experimental().Search().WithCollection(e.feedClass(coll)).
			WithProperties(pChange, pJSON).
			WithWhere(filters.Where().WithPath([]string{pStamp}).WithOperator(filters.LessThan).WithValueInt(cutoff)).
			WithLimit(feedPage).WithConsistencyLevel(e.cfg.Consistency).Do)
		if err != nil || len(res) == 0 {
			return
		}
		var ids, retired []string
		for _, r := range res {
			ids = append(ids, propString(r.Properties, pChange))
			var c change
			if json.Unmarshal([]byte(propString(r.Properties, pJSON)), &c) == nil {
				retired = append(retired, c.Retired...)
			}
		}
		for start := 0; start < len(retired); start += batchSize {
			part := retired[start:min(start+batchSize, len(retired))]
			if err := e.deleteWhere(ctx, e.statsClass(coll), filters.Where().WithPath([]string{pGen}).WithOperator(filters.ContainsAny).WithValueText(part...)); err != nil {
				return
			}
		}
		if err := e.deleteWhere(ctx, e.feedClass(coll), filters.Where().WithPath([]string{pChange}).WithOperator(filters.ContainsAny).WithValueText(ids...)); err != nil {
			return
		}
		if len(res) < feedPage {
			return
		}
	}
}

func dedupe(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// randomID is a fresh name, unique in practice.
func randomID() string { return strings.ToLower(rand.Text()[:16]) }
