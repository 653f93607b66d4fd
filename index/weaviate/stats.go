package weaviate

import (
	"context"
	"crypto/rand"
	"sync"

	"github.com/weaviate/weaviate/entities/models"
)

// maxCachedTerms bounds the document frequencies kept for one collection
// version; a term past it is counted for its query and not kept.
const maxCachedTerms = 200_000

// termCache holds the statistics counted in one version of a collection.
type termCache struct {
	version string
	mu      sync.Mutex
	totals  bool // chunks and avg are counted
	chunks  int
	avg     float64
	df      map[string]int
	fresh   map[string]int // counted for the current call, past the bound
}

// statsCache keeps each collection's latest termCache.
type statsCache struct {
	mu sync.Mutex
	by map[string]*termCache
}

// get returns the cache of the collection's version, starting an empty one
// when the version changed.
func (s *statsCache) get(coll, version string) *termCache {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.by == nil {
		s.by = map[string]*termCache{}
	}
	c, ok := s.by[coll]
	if !ok || c.version != version {
		c = &termCache{version: version, df: map[string]int{}, fresh: map[string]int{}}
		s.by[coll] = c
	}
	return c
}

// version returns the token of the collection's current contents, which
// every Put and Delete replaces; "" before the first.
func (e *Engine) version(ctx context.Context, coll string) (string, error) {
	objs, err := call(ctx, e, e.client.Data().ObjectsGetter().WithClassName(e.catalogClass()).WithID(string(objectID("version", coll))).
		WithConsistencyLevel(e.cfg.Consistency).Do)
	if err != nil {
		if isStatus(err, 404) {
			return "", nil
		}
		return "", unwrapFault(err)
	}
	if len(objs) == 0 {
		return "", nil
	}
	return propString(objs[0], pJSON), nil
}

// bumpVersion gives the collection a new version token after a change, so
// that every process counts term statistics afresh. It needs no
// read-modify-write: any new token will do. It is best effort: a failure
// leaves statistics a little stale until the next change, never wrong
// results.
func (e *Engine) bumpVersion(ctx context.Context, coll string) {
	_ = e.batch(context.WithoutCancel(ctx), []*models.Object{{
		Class: e.catalogClass(), ID: objectID("version", coll),
		Properties: map[string]any{pCollID: "version:" + coll, pJSON: rand.Text()},
	}})
}
