package weaviate

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/weaviate/weaviate-go-client/v5/weaviate/filters"
	"github.com/weaviate/weaviate/entities/models"

	"wenda/index"
)

// batchSize is how many document ids one delete request names.
const batchSize = 100

// Weaviate has no transactions, so Put and Delete make each document's
// change atomic with a commit point of their own: the document object.
// Every chunk carries the generation (a hash of the entry) it was written
// for, and the document object names its current generation; searches and
// lookups drop chunks of any other generation. Put writes the new
// generation's chunks and term statistics (invisible: the document still
// names the old one), then the document object (one object write: the
// switch), then a change feed entry, then deletes the old generation's
// chunks. Delete removes the document object first.

// Put adds each entry's document to the collection, replacing the document
// of the same id. A search sees each document's old version or its new
// one, whole. When Put returns an error, none of the entries is visible:
// chunks written for them stay invisible and documents already switched
// are switched back. A process killed between the switches of two entries
// of one call leaves the first switched; the job that retries the call
// finishes it.
func (e *Engine) Put(ctx context.Context, coll string, entries ...index.Entry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := e.collection(ctx, coll)
	if err != nil {
		return fmt.Errorf("put: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	// A process that writes keeps the collection's term statistics from
	// its first write on, so that it applies its own writes as it makes
	// them and leaves a snapshot for the processes that search.
	e.tracker(coll)
	ids := make([]string, len(entries))
	gens := make([]string, len(entries))
	for i := range entries {
		if err := entries[i].Validate(c.Embedder.Dim); err != nil {
			return fmt.Errorf("put: %w", err)
		}
		// The content's hash, to leave a document stored as it is alone,
		// and a name of this Put's own: a version that comes back is
		// written anew, so a search can never take a version being
		// rewritten for the one it read before (see search).
		ids[i], gens[i] = entries[i].Doc.ID, generation(&entries[i])+"."+strings.ToLower(rand.Text()[:10])
	}
	current, err := e.currentGens(ctx, coll, ids)
	if err != nil {
		return fmt.Errorf("put: %w", err)
	}
	// Entries whose document is stored as it is need nothing; the
	// documents to be replaced are read whole, to be switched back if the
	// switch fails.
	var todo []int
	old := map[string]*models.Object{}
	for i, id := range ids {
		g, ok := current[id]
		if ok && sameContent(g.gen, gens[i]) {
			continue
		}
		todo = append(todo, i)
		if ok {
			o, err := e.docObject0(ctx, coll, id)
			if err != nil {
				return fmt.Errorf("put: %w", err)
			}
			old[id] = o
		}
	}
	if len(todo) == 0 {
		return nil
	}

	chunkClass := e.chunkClass(coll)
	var objs []*models.Object
	written := make([]int, 0, len(todo))
	undoChunks := func() {
		// Best effort, with a context of its own: the new chunks are
		// invisible either way, and the next Put of the document
		// writes the same ids.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.cfg.Timeout)
		defer cancel()
		for _, i := range written {
			_ = e.deleteWhere(cctx, chunkClass, whereGen(ids[i], gens[i]))
			_ = e.deleteWhere(cctx, e.statsClass(coll), whereGen(ids[i], gens[i]))
		}
	}
	known := make(map[string]genStats, len(todo))
	for _, i := range todo {
		en := &entries[i]
		written = append(written, i)
		// The version's term statistics go with its chunks, invisible
		// until the switch like them.
		st := countEntry(en)
		known[gens[i]] = st
		objs = append(objs, e.statsObject(coll, en.Doc.ID, gens[i], st))
		for _, ch := range en.Chunks {
			meta := ch.Chunk
			meta.Text = ""
			mjs, err := json.Marshal(meta)
			if err != nil {
				return fmt.Errorf("put %s: %w", en.Doc.ID, err)
			}
			props := map[string]any{
				pChunkID: ch.ID, pDocID: en.Doc.ID, pGen: gens[i], pMeta: string(mjs),
				pText: ch.Text, pTerms: strings.Join(ch.Terms, " "), pNTerms: len(ch.Terms),
			}
			if en.Doc.Date != "" {
				props[pDate] = en.Doc.Date
			}
			objs = append(objs, &models.Object{
				Class: chunkClass, ID: objectID("chunk", coll, en.Doc.ID, gens[i], ch.ID),
				Properties: props, Vector: ch.Vector,
			})
		}
	}
	if err := e.writeAll(ctx, objs); err != nil {
		undoChunks()
		return fmt.Errorf("put: %w", err)
	}

	// The switch: one document object per entry.
	now := time.Now().UTC()
	docs := make([]*models.Object, 0, len(todo))
	for _, i := range todo {
		o, err := e.docObject(coll, gens[i], &entries[i], now)
		if err != nil {
			undoChunks()
			return err
		}
		docs = append(docs, o)
	}
	if err := e.batch(ctx, docs); err != nil {
		e.switchBack(ctx, coll, ids, todo, old)
		undoChunks()
		return fmt.Errorf("put: %w", err)
	}

	// The change goes into the feed, for other processes' term
	// statistics, and into this process's at once. The old generations
	// are invisible now; removing their chunks keeps Weaviate's own BM25
	// statistics those of the documents as they are (a removal that fails
	// leaves invisible chunks behind, which the document's Delete
	// removes). Their term statistics stay until the feed entry that
	// retires them is collected (see collectFeed).
	ch := change{}
	for _, i := range todo {
		ch.Docs = append(ch.Docs, ids[i])
		if o, ok := old[ids[i]]; ok {
			ch.Retired = append(ch.Retired, propString(o, pGen))
		}
	}
	feedErr := e.appendChange(ctx, coll, ch)
	e.applyOwn(ctx, coll, ch.Docs, known)
	for _, i := range todo {
		if o, ok := old[ids[i]]; ok {
			_ = e.deleteWhere(ctx, chunkClass, whereGen(ids[i], propString(o, pGen)))
		}
	}
	if feedErr != nil {
		// The documents are switched and stay so; other processes count
		// them at their next reconciliation (see tracker).
		return fmt.Errorf("put: the documents are in, but the change feed was not written: %w", feedErr)
	}
	return nil
}

// switchBack restores the document objects of a Put that failed while
// switching, so that none of its entries stays visible.
func (e *Engine) switchBack(ctx context.Context, coll string, ids []string, todo []int, old map[string]*models.Object) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.cfg.Timeout)
	defer cancel()
	var restore []*models.Object
	var drop []string
	for _, i := range todo {
		if o, ok := old[ids[i]]; ok {
			restore = append(restore, &models.Object{Class: e.docClass(coll), ID: o.ID, Properties: o.Properties})
		} else {
			drop = append(drop, ids[i])
		}
	}
	_ = e.batch(cctx, restore)
	if len(drop) > 0 {
		_ = e.deleteWhere(cctx, e.docClass(coll), anyDoc(drop))
	}
}

// generation is a hash of an entry's content: the same entry always gives
// the same hash, any change another.
func generation(en *index.Entry) string {
	h := sha256.New()
	js, _ := json.Marshal(struct {
		Doc    any
		Header string
		Origin string
	}{en.Doc, en.Header, en.Origin})
	h.Write(js)
	var buf [4]byte
	for _, c := range en.Chunks {
		cjs, _ := json.Marshal(c.Chunk)
		h.Write(cjs)
		h.Write([]byte(strings.Join(c.Terms, " ")))
		for _, x := range c.Vector {
			binary.LittleEndian.PutUint32(buf[:], math.Float32bits(x))
			h.Write(buf[:])
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

func (e *Engine) docObject(coll, gen string, en *index.Entry, added time.Time) (*models.Object, error) {
	d := en.Doc
	text := d.Text
	d.Text = ""
	meta, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("put %s: %w", d.ID, err)
	}
	terms := 0
	for _, c := range en.Chunks {
		terms += len(c.Terms)
	}
	props := map[string]any{
		pDocID: d.ID, pGen: gen, pHeader: en.Header, pMeta: string(meta), pText: text,
		pChars: len([]rune(text)), pNChunks: len(en.Chunks), pNTerms2: terms, pAdded: added.Format(time.RFC3339Nano),
	}
	if d.Date != "" {
		props[pDate] = d.Date
	}
	if en.Origin != "" {
		props[pOrigin] = en.Origin
	}
	return &models.Object{Class: e.docClass(coll), ID: objectID("doc", coll, d.ID), Properties: props}, nil
}

// writeAll writes objects with up to Config.WriteConcurrency requests in
// flight: each request waits for every replica's HNSW insertion, so
// requests in flight keep the nodes' cores busy while others wait on the
// network. The writers cut requests as they send them, at the engine's
// request size then (see batchSizer), and split those that fail for the
// cluster's load, as batch does. It returns the first failure.
func (e *Engine) writeAll(ctx context.Context, objs []*models.Object) error {
	return writeSplitting(ctx, objs, e.cfg.WriteConcurrency, e.sizer, e.writeBatch, pause)
}

// batch writes objects, replacing any with the same ids, one request at a
// time, and fails unless every one was acknowledged. The cluster reports
// some failures per object while the request as a whole succeeds (a
// replica that went away mid-write); those are retried too, by writing the
// whole request again.
//
// Requests carry at most the engine's request size (see batchSizer). A
// cluster starved of CPU can time out on every attempt of a request of
// Config.BatchSize objects and still take a few at a time: when a request
// fails for the cluster's load (see overloaded), the engine's size goes
// down and the request's objects go again in two halves, each the same
// way, down to single objects, and the ingest goes on, slower. Writes
// replace objects by id, so the objects of a request that went in after
// all, past its deadline, may be sent again.
func (e *Engine) batch(ctx context.Context, objs []*models.Object) error {
	return writeSplitting(ctx, objs, 1, e.sizer, e.writeBatch, pause)
}

// writeBatch writes objects in one request. A request of several objects
// is not repeated after an overload: writeSplitting halves it instead.
func (e *Engine) writeBatch(ctx context.Context, objs []*models.Object) error {
	var stop func(error) bool
	if len(objs) > 1 {
		stop = overloaded
	}
	_, err := callUnless(ctx, e, stop, atWriteLevel(e, func(ctx context.Context, level string) (struct{}, error) {
		// A batcher forgets its objects once done: each attempt needs its own.
		res, err := e.client.Batch().ObjectsBatcher().WithObjects(objs...).WithConsistencyLevel(level).Do(ctx)
		if err != nil {
			return struct{}{}, err
		}
		for _, r := range res {
			if r.Result != nil && r.Result.Errors != nil && len(r.Result.Errors.Error) > 0 {
				return struct{}{}, &objectError{id: string(r.ID), msg: r.Result.Errors.Error[0].Message}
			}
		}
		return struct{}{}, nil
	}))
	return err
}

// writeSplitting writes objs with write, with up to writers requests in
// flight. Each writer cuts its next request off the objects not yet
// taken, as many as size says then, and tells size how it went: a size
// that went down for the cluster's load holds from the next request on.
// When a request fails for the load, its writer waits (wait(ctx, n) before
// the nth split along the way down) and writes the request's two halves,
// one after the other, each the same way: the cluster is busy enough
// already. The write stops at the first request that fails otherwise, or
// that carries a single object.
func writeSplitting(ctx context.Context, objs []*models.Object, writers int, size *batchSizer,
	write func(context.Context, []*models.Object) error, wait func(context.Context, int) error) error {
	if len(objs) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	s := &splitter{size: size, write: write, wait: wait}
	var (
		mu      sync.Mutex
		rest    = objs
		written int
		failed  int
		first   error
	)
	take := func() ([]*models.Object, bool) {
		mu.Lock()
		defer mu.Unlock()
		return s.cut(&rest)
	}
	var wg sync.WaitGroup
	for range max(writers, 1) {
		wg.Go(func() {
			for ctx.Err() == nil {
				part, probe := take()
				if len(part) == 0 {
					return
				}
				w, f, err := s.request(ctx, part, probe, 0)
				mu.Lock()
				written += w
				if err != nil && first == nil {
					first, failed = err, f
				}
				mu.Unlock()
				if err != nil {
					cancel(err)
					return
				}
			}
		})
	}
	wg.Wait()
	switch {
	case first == nil:
		// Nil, unless ctx ended before every object was taken.
		return context.Cause(ctx)
	case failed == len(objs):
		return fmt.Errorf("write %s: %w", objects(len(objs)), unwrapFault(first))
	case s.split.Load():
		return fmt.Errorf("write %s: %d went in, in smaller requests (the cluster was overloaded), but a request of %s failed: %w",
			objects(len(objs)), written, objects(failed), unwrapFault(first))
	default:
		return fmt.Errorf("write %s: %d went in, but a request of %s failed: %w",
			objects(len(objs)), written, objects(failed), unwrapFault(first))
	}
}

func objects(n int) string {
	if n == 1 {
		return "1 object"
	}
	return fmt.Sprintf("%d objects", n)
}

// splitter is one writeSplitting.
type splitter struct {
	size  *batchSizer
	write func(context.Context, []*models.Object) error
	wait  func(context.Context, int) error
	split atomic.Bool // a request failed for the cluster's load and went again in halves
}

// cut takes the next request off *rest, and says whether it is the probe
// (see batchSizer).
func (s *splitter) cut(rest *[]*models.Object) ([]*models.Object, bool) {
	n, probe := s.size.next()
	part := (*rest)[:min(len(*rest), n)]
	*rest = (*rest)[len(part):]
	return part, probe
}

// request writes objs in one request, after depth splits, and when that
// fails for the cluster's load, in halves. It returns how many objects
// went in and, on failure, how many the request that failed carried.
func (s *splitter) request(ctx context.Context, objs []*models.Object, probe bool, depth int) (written, failed int, err error) {
	err = s.write(ctx, objs)
	switch {
	case err == nil:
		s.size.took(len(objs), probe)
		return len(objs), 0, nil
	case ctx.Err() != nil || !overloaded(err):
		s.size.abandoned(probe)
		return 0, len(objs), err
	}
	s.size.refused(len(objs), probe)
	if len(objs) == 1 || s.wait(ctx, depth+1) != nil {
		return 0, len(objs), err
	}
	s.split.Store(true)
	half := len(objs) / 2
	for _, h := range [][]*models.Object{objs[:half], objs[half:]} {
		for rest := h; len(rest) > 0; {
			part, probe := s.cut(&rest)
			w, f, err := s.request(ctx, part, probe, depth+1)
			written += w
			if err != nil {
				return written, f, err
			}
		}
	}
	return written, 0, nil
}

// objectError is the cluster's refusal of one object of a batch.
type objectError struct{ id, msg string }

func (e *objectError) Error() string { return "object " + e.id + ": " + e.msg }

// Delete removes documents and their chunks; ids that are not there are
// skipped. The document objects go first: from then on no search sees the
// chunks, which go next.
func (e *Engine) Delete(ctx context.Context, coll string, docIDs ...string) error {
	if _, err := e.collection(ctx, coll); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	if len(docIDs) == 0 {
		return nil
	}
	for start := 0; start < len(docIDs); start += batchSize {
		ids := docIDs[start:min(start+batchSize, len(docIDs))]
		cur, err := e.currentGens(ctx, coll, ids)
		if err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		if err := e.deleteWhere(ctx, e.docClass(coll), anyDoc(ids)); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		ch := change{Docs: ids}
		for _, g := range cur {
			ch.Retired = append(ch.Retired, g.gen)
		}
		if err := e.appendChange(ctx, coll, ch); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		e.applyOwn(ctx, coll, ids, nil)
		if err := e.deleteWhere(ctx, e.chunkClass(coll), anyDoc(ids)); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
	}
	return nil
}

func anyDoc(ids []string) *filters.WhereBuilder {
	return filters.Where().WithPath([]string{pDocID}).WithOperator(filters.ContainsAny).WithValueText(ids...)
}

// sameContent reports whether two generations were written from the same
// entry content.
func sameContent(a, b string) bool {
	ha, _, _ := strings.Cut(a, ".")
	hb, _, _ := strings.Cut(b, ".")
	return ha == hb
}

func whereGen(id, gen string) *filters.WhereBuilder {
	return filters.Where().WithOperator(filters.And).WithOperands([]*filters.WhereBuilder{
		filters.Where().WithPath([]string{pDocID}).WithOperator(filters.Equal).WithValueText(id),
		filters.Where().WithPath([]string{pGen}).WithOperator(filters.Equal).WithValueText(gen),
	})
}

// deleteWhere deletes every object of class that matches where. One
// request deletes at most the server's query limit, so it repeats until
// nothing matches.
func (e *Engine) deleteWhere(ctx context.Context, class string, where *filters.WhereBuilder) error {
	for {
		res, err := callWrite(ctx, e, func(ctx context.Context, level string) (*models.BatchDeleteResponse, error) {
			return e.client.Batch().ObjectsBatchDeleter().WithClassName(class).WithWhere(where).
				WithOutput("minimal").WithConsistencyLevel(level).Do(ctx)
		})
		if err != nil {
			return unwrapFault(err)
		}
		if res.Results == nil || res.Results.Matches == 0 {
			return nil
		}
		if res.Results.Failed > 0 {
			return fmt.Errorf("%d of %d deletes failed", res.Results.Failed, res.Results.Matches)
		}
		if res.Results.Matches < res.Results.Limit {
			return nil
		}
	}
}

// counts returns how many documents a collection holds and how many
// chunks they have: the sum over documents, so that chunks of a version
// being written or just replaced do not count.
func (e *Engine) counts(ctx context.Context, coll string) (docs, chunks int, err error) {
	q := fmt.Sprintf("{Aggregate{d: %s{meta{count} %s{sum}}}}", e.docClass(coll), pNChunks)
	var res struct {
		D []struct {
			Meta    struct{ Count int }
			NChunks struct{ Sum float64 } `json:"nchunks"`
		} `json:"d"`
	}
	if err := e.aggregate(ctx, q, &res); err != nil {
		return 0, 0, fmt.Errorf("count collection %s: %w", coll, err)
	}
	if len(res.D) > 0 {
		docs, chunks = res.D[0].Meta.Count, int(res.D[0].NChunks.Sum)
	}
	return docs, chunks, nil
}

// aggregate runs a GraphQL Aggregate query and decodes its "Aggregate"
// object into v.
//
// A class just created is missing from Weaviate's GraphQL schema for a
// moment (it is rebuilt in the background): a query that names it is
// tried again for a few seconds.
func (e *Engine) aggregate(ctx context.Context, query string, v any) error {
	var data map[string]models.JSONObject
	for wait := 50 * time.Millisecond; ; wait *= 2 {
		r, err := call(ctx, e, e.client.GraphQL().Raw().WithQuery(query).Do)
		if err != nil {
			return unwrapFault(err)
		}
		if len(r.Errors) == 0 {
			data = r.Data
			break
		}
		if !strings.Contains(r.Errors[0].Message, "Cannot query field") || wait > 3*time.Second {
			return errors.New(r.Errors[0].Message)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
	r := struct{ Data map[string]models.JSONObject }{data}
	js, err := json.Marshal(r.Data["Aggregate"])
	if err != nil {
		return err
	}
	return json.Unmarshal(js, v)
}

func sortInfos(cs []index.CollectionInfo) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
}
