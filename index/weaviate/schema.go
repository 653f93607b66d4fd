package weaviate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-openapi/strfmt"
	"github.com/google/uuid"
	"github.com/weaviate/weaviate/entities/models"

	"wenda/index"
)

// A wenda collection is four Weaviate collections ("classes"): its chunks,
// each with its vector, its index terms and its text; its documents, each
// with its metadata and full text; the term statistics of each document
// version; and a feed of its changes (see stats.go). One more class, the
// catalog, holds every wenda collection's settings, so that a process that
// starts knows them without any local state. Class names start with
// Config.Prefix.

// Property names.
const (
	pCollID  = "coll_id"
	pJSON    = "json"
	pChunkID = "chunk_id"
	pDocID   = "doc_id"
	pGen     = "gen"
	pMeta    = "meta"
	pText    = "text"
	pTerms   = "terms"
	pNTerms  = "nterms"
	pDate    = "date"
	pHeader  = "header"
	pOrigin  = "origin"
	pChars   = "chars"
	pNChunks = "nchunks"
	pAdded   = "added"
	pNTerms2 = "nterms_sum" // on a document: its chunks' terms, summed
)

// namespace seeds the name-based UUIDs of wenda's objects.
var namespace = uuid.MustParse("6f1d3c2a-8b0e-5d4c-9a7e-77656e646100")

func objectID(parts ...string) strfmt.UUID {
	return strfmt.UUID(uuid.NewSHA1(namespace, []byte(strings.Join(parts, "\x00"))).String())
}

func (e *Engine) catalogClass() string { return e.cfg.Prefix + "Catalog" }

// className maps a collection id to a valid, distinct class name: letters
// and digits stay, anything else becomes _ and its hex code.
func (e *Engine) className(kind, coll string) string {
	var b strings.Builder
	b.WriteString(e.cfg.Prefix)
	b.WriteString(kind)
	b.WriteByte('_')
	for _, c := range []byte(coll) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "_%02x", c)
		}
	}
	return b.String()
}

func (e *Engine) chunkClass(coll string) string { return e.className("Chunks", coll) }
func (e *Engine) docClass(coll string) string   { return e.className("Docs", coll) }

func yes() *bool { t := true; return &t }
func no() *bool  { f := false; return &f }

// stored is a property kept for display only: neither filtered nor searched.
func stored(name, typ string) *models.Property {
	return &models.Property{Name: name, DataType: []string{typ}, IndexFilterable: no(), IndexSearchable: no()}
}

// key is a property matched whole, for filters and sorting.
func key(name string) *models.Property {
	return &models.Property{Name: name, DataType: []string{"text"}, Tokenization: "field", IndexFilterable: yes(), IndexSearchable: no()}
}

func number(name string) *models.Property {
	return &models.Property{Name: name, DataType: []string{"int"}, IndexFilterable: yes()}
}

func (e *Engine) replication(ctx context.Context) (*models.ReplicationConfig, error) {
	n := e.cfg.Replicas
	if n == 0 {
		nodes, err := e.Nodes(ctx)
		if err != nil {
			return nil, err
		}
		n = min(3, max(1, len(nodes)))
	}
	// Async replication repairs a replica that missed writes while it was
	// down; with time-based resolution a delete wins over an older write
	// instead of the deleted object coming back from a stale replica.
	return &models.ReplicationConfig{Factor: int64(n), AsyncEnabled: n > 1, DeletionStrategy: "TimeBasedResolution"}, nil
}

func (e *Engine) chunkClassDef(coll string, rep *models.ReplicationConfig) *models.Class {
	return &models.Class{
		Class:             e.chunkClass(coll),
		Description:       "wenda chunks of collection " + coll,
		Vectorizer:        "none",
		VectorIndexConfig: vectorIndexConfig(e.cfg.Quantization),
		ReplicationConfig: rep,
		ShardingConfig:    map[string]any{"desiredCount": e.cfg.Shards},
		InvertedIndexConfig: &models.InvertedIndexConfig{
			// The contract's BM25 parameters, and no stop words: the
			// terms are wenda's own (bigrams, numbers, Latin words),
			// already chosen by package analysis.
			Bm25:      &models.BM25Config{K1: 1.2, B: 0.75},
			Stopwords: &models.StopwordConfig{Preset: "none"},
		},
		Properties: []*models.Property{
			key(pChunkID), key(pDocID), key(pGen), key(pDate),
			stored(pMeta, "text"), stored(pText, "text"),
			// The index terms, separated by spaces: whitespace
			// tokenization gives Weaviate exactly the terms the embedded
			// engine indexes, so BM25 matches the same CJK bigrams,
			// numbers and words in either script (terms are folded to
			// Simplified).
			//
			// Searchable only: a filterable index of every term doubled
			// the inverted-index work of each write (measured: ingest
			// 1.4x faster without it), and nothing filters on terms since
			// document frequencies are counted at ingest (see stats.go).
			{Name: pTerms, DataType: []string{"text"}, Tokenization: "whitespace", IndexFilterable: no(), IndexSearchable: yes()},
			stored(pNTerms, "int"),
		},
	}
}

func (e *Engine) docClassDef(coll string, rep *models.ReplicationConfig) *models.Class {
	return &models.Class{
		Class:             e.docClass(coll),
		Description:       "wenda documents of collection " + coll,
		Vectorizer:        "none",
		VectorIndexType:   "flat",
		ReplicationConfig: rep,
		ShardingConfig:    map[string]any{"desiredCount": e.cfg.Shards},
		InvertedIndexConfig: &models.InvertedIndexConfig{
			Stopwords: &models.StopwordConfig{Preset: "none"},
		},
		Properties: []*models.Property{
			key(pDocID), key(pGen), key(pDate), key(pOrigin),
			stored(pHeader, "text"), stored(pMeta, "text"), stored(pText, "text"), stored(pAdded, "text"),
			number(pChars), number(pNChunks), number(pNTerms2),
		},
	}
}

func (e *Engine) catalogClassDef(rep *models.ReplicationConfig) *models.Class {
	return &models.Class{
		Class:             e.catalogClass(),
		Description:       "wenda collections and their settings",
		Vectorizer:        "none",
		VectorIndexType:   "flat",
		ReplicationConfig: rep,
		ShardingConfig:    map[string]any{"desiredCount": 1},
		Properties:        []*models.Property{key(pCollID), stored(pJSON, "text")},
	}
}

// ensureCatalog creates the catalog class unless it exists.
func (e *Engine) ensureCatalog(ctx context.Context) error {
	ok, err := e.classExists(ctx, e.catalogClass())
	if err != nil || ok {
		return err
	}
	rep, err := e.replication(ctx)
	if err != nil {
		return err
	}
	if err := callErr(ctx, e, e.client.Schema().ClassCreator().WithClass(e.catalogClassDef(rep)).Do); err != nil {
		// Another process may have created it meanwhile.
		if ok, _ := e.classExists(ctx, e.catalogClass()); ok {
			return nil
		}
		return fmt.Errorf("weaviate: create catalog: %w", unwrapFault(err))
	}
	return nil
}

func (e *Engine) classExists(ctx context.Context, class string) (bool, error) {
	ok, err := call(ctx, e, e.client.Schema().ClassExistenceChecker().WithClassName(class).Do)
	if err != nil {
		return false, fmt.Errorf("weaviate: check class %s: %w", class, unwrapFault(err))
	}
	return ok, nil
}

// CreateCollection creates an empty collection. It fails with ErrExists
// when the id is taken.
func (e *Engine) CreateCollection(ctx context.Context, c index.Collection) (index.CollectionInfo, error) {
	if err := c.Validate(); err != nil {
		return index.CollectionInfo{}, err
	}
	if _, err := e.collection(ctx, c.ID); err == nil {
		return index.CollectionInfo{}, fmt.Errorf("create collection %s: %w", c.ID, index.ErrExists)
	} else if !errors.Is(err, index.ErrNotFound) {
		return index.CollectionInfo{}, err
	}
	rep, err := e.replication(ctx)
	if err != nil {
		return index.CollectionInfo{}, err
	}
	// Classes left by a creation that died before its catalog entry was
	// written, or by a deletion that died after removing it, belong to no
	// collection: start them afresh.
	for _, def := range []*models.Class{e.chunkClassDef(c.ID, rep), e.docClassDef(c.ID, rep), e.statsClassDef(c.ID, rep), e.feedClassDef(c.ID, rep)} {
		if ok, err := e.classExists(ctx, def.Class); err != nil {
			return index.CollectionInfo{}, err
		} else if ok {
			if err := callErr(ctx, e, e.client.Schema().ClassDeleter().WithClassName(def.Class).Do); err != nil {
				return index.CollectionInfo{}, fmt.Errorf("create collection %s: drop leftover %s: %w", c.ID, def.Class, unwrapFault(err))
			}
		}
		if err := callErr(ctx, e, e.client.Schema().ClassCreator().WithClass(def).Do); err != nil {
			return index.CollectionInfo{}, fmt.Errorf("create collection %s: %w", c.ID, unwrapFault(err))
		}
	}
	if err := e.checkBM25(ctx, e.chunkClass(c.ID)); err != nil {
		e.dropClasses(ctx, c.ID)
		return index.CollectionInfo{}, fmt.Errorf("create collection %s: %w", c.ID, err)
	}
	if c.Created.IsZero() {
		c.Created = time.Now().UTC()
	}
	// The catalog entry is written last: the collection exists once it
	// is there.
	if err := e.putCatalog(ctx, c); err != nil {
		return index.CollectionInfo{}, err
	}
	q, err := e.quantization(ctx, c.ID)
	if err != nil {
		return index.CollectionInfo{}, err
	}
	return index.CollectionInfo{Collection: c, Quantization: q}, nil
}

// Drop deletes every collection under the engine's prefix and then the
// catalog that lists them: what a deployment, a test or a question set's
// evaluation made on the cluster goes with it. Other prefixes' classes are
// not touched.
func (e *Engine) Drop(ctx context.Context) error {
	cs, err := e.Collections(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if err := e.DeleteCollection(ctx, c.ID); err != nil && !errors.Is(err, index.ErrNotFound) {
			return err
		}
	}
	if err := callErr(ctx, e, e.client.Schema().ClassDeleter().WithClassName(e.catalogClass()).Do); err != nil && !isStatus(err, 404) {
		return fmt.Errorf("drop %s: %w", e.catalogClass(), unwrapFault(err))
	}
	return nil
}

func (e *Engine) dropClasses(ctx context.Context, coll string) error {
	for _, class := range []string{e.chunkClass(coll), e.docClass(coll), e.statsClass(coll), e.feedClass(coll)} {
		if err := callErr(ctx, e, e.client.Schema().ClassDeleter().WithClassName(class).Do); err != nil && !isStatus(err, 404) {
			return fmt.Errorf("drop %s: %w", class, unwrapFault(err))
		}
	}
	return nil
}

// ErrBlockMaxWAND says that the server scores BM25 with BlockMax WAND.
// In Weaviate v1.35 its top-k drops documents that match a term found in
// only one document of a segment, or in the in-memory part of the index
// (weaviate#11779, #11780) — exactly the rare terms a question hinges on.
// With 40 candidates per question, BM25 missed the best chunk of half of
// the project's own questions (hit@10 0.514 against bleve's 0.936); with
// it off, Weaviate matched bleve (0.941).
var ErrBlockMaxWAND = errors.New("the Weaviate server scores BM25 with BlockMax WAND, which drops matching documents from the top results in v1.35 (weaviate#11779, #11780); start every node with USE_INVERTED_SEARCHABLE=false, or allow it (WENDA_WEAVIATE_BLOCKMAX=allow) on a server that has the fix")

// checkBM25 refuses a chunk class whose BM25 runs on BlockMax WAND, unless
// the configuration allows it. Weaviate decides this per server, not per
// collection, so the class as created is read back.
func (e *Engine) checkBM25(ctx context.Context, class string) error {
	if e.cfg.AllowBlockMaxWAND {
		return nil
	}
	def, err := call(ctx, e, e.client.Schema().ClassGetter().WithClassName(class).Do)
	if err != nil {
		return fmt.Errorf("read back %s: %w", class, unwrapFault(err))
	}
	if def.InvertedIndexConfig != nil && def.InvertedIndexConfig.UsingBlockMaxWAND {
		return ErrBlockMaxWAND
	}
	return nil
}

func (e *Engine) putCatalog(ctx context.Context, c index.Collection) error {
	js, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("collection %s: %w", c.ID, err)
	}
	// A batch write replaces the object of the same id, if any.
	err = e.batch(ctx, []*models.Object{{
		Class: e.catalogClass(), ID: objectID("catalog", c.ID),
		Properties: map[string]any{pCollID: c.ID, pJSON: string(js)},
	}})
	if err != nil {
		return fmt.Errorf("collection %s: write catalog: %w", c.ID, err)
	}
	return nil
}

// collection returns a collection's settings, or ErrNotFound.
func (e *Engine) collection(ctx context.Context, id string) (index.Collection, error) {
	o, err := e.objectByID(ctx, e.catalogClass(), objectID("catalog", id), pJSON)
	if err != nil {
		return index.Collection{}, fmt.Errorf("collection %s: %w", id, unwrapFault(err))
	}
	return decodeCatalog(o)
}

func decodeCatalog(o *models.Object) (index.Collection, error) {
	props, _ := o.Properties.(map[string]any)
	js, _ := props[pJSON].(string)
	var c index.Collection
	if err := json.Unmarshal([]byte(js), &c); err != nil {
		return index.Collection{}, fmt.Errorf("catalog entry %s: %w", o.ID, err)
	}
	return c, nil
}

// Collection returns one collection with its counts, or ErrNotFound.
func (e *Engine) Collection(ctx context.Context, id string) (index.CollectionInfo, error) {
	c, err := e.collection(ctx, id)
	if err != nil {
		return index.CollectionInfo{}, err
	}
	info := index.CollectionInfo{Collection: c}
	if info.Documents, info.Chunks, err = e.counts(ctx, id); err != nil {
		return info, err
	}
	info.Quantization, err = e.quantization(ctx, id)
	return info, err
}

// quantization reads back the vector compression of a collection's chunk
// class: the cluster's, which for a collection created before the setting
// changed is not the configuration's.
func (e *Engine) quantization(ctx context.Context, coll string) (string, error) {
	class := e.chunkClass(coll)
	if q, ok := e.quantizations.Load(class); ok {
		return q.(string), nil
	}
	def, err := call(ctx, e, e.client.Schema().ClassGetter().WithClassName(class).Do)
	if err != nil {
		return "", fmt.Errorf("collection %s: read %s: %w", coll, class, unwrapFault(err))
	}
	q := quantizationOf(def.VectorIndexConfig)
	e.quantizations.Store(class, q)
	return q, nil
}

// Collections lists every collection with its counts, ordered by id.
func (e *Engine) Collections(ctx context.Context) ([]index.CollectionInfo, error) {
	var out []index.CollectionInfo
	after := ""
	for {
		g := e.client.Data().ObjectsGetter().WithClassName(e.catalogClass()).WithLimit(100).
			WithConsistencyLevel(e.cfg.Consistency)
		if after != "" {
			g = g.WithAfter(after)
		}
		objs, err := call(ctx, e, g.Do)
		if err != nil {
			return nil, fmt.Errorf("list collections: %w", unwrapFault(err))
		}
		for _, o := range objs {
			if strings.HasPrefix(propString(o, pCollID), "version:") {
				continue // a version token of earlier releases
			}
			c, err := decodeCatalog(o)
			if err != nil {
				return nil, err
			}
			info := index.CollectionInfo{Collection: c}
			if info.Documents, info.Chunks, err = e.counts(ctx, c.ID); err != nil {
				return nil, err
			}
			if info.Quantization, err = e.quantization(ctx, c.ID); err != nil {
				return nil, err
			}
			out = append(out, info)
		}
		if len(objs) < 100 {
			break
		}
		after = string(objs[len(objs)-1].ID)
	}
	sortInfos(out)
	return out, nil
}

// SetMetadata replaces a collection's metadata.
func (e *Engine) SetMetadata(ctx context.Context, id string, m index.Metadata) (index.CollectionInfo, error) {
	if err := m.Validate(); err != nil {
		return index.CollectionInfo{}, fmt.Errorf("collection %s: %w", id, err)
	}
	c, err := e.collection(ctx, id)
	if err != nil {
		return index.CollectionInfo{}, err
	}
	c.Metadata = m
	if err := e.putCatalog(ctx, c); err != nil {
		return index.CollectionInfo{}, err
	}
	return e.Collection(ctx, id)
}

// DeleteCollection removes a collection and everything in it. The catalog
// entry goes first, so that a crash halfway leaves classes that no
// collection names, which CreateCollection clears.
func (e *Engine) DeleteCollection(ctx context.Context, id string) error {
	if _, err := e.collection(ctx, id); err != nil {
		return err
	}
	_, err := callWrite(ctx, e, func(ctx context.Context, level string) (struct{}, error) {
		return struct{}{}, e.client.Data().Deleter().WithClassName(e.catalogClass()).WithID(string(objectID("catalog", id))).
			WithConsistencyLevel(level).Do(ctx)
	})
	if err != nil && !isStatus(err, 404) {
		return fmt.Errorf("delete collection %s: %w", id, unwrapFault(err))
	}
	if err := e.dropClasses(ctx, id); err != nil {
		return fmt.Errorf("delete collection %s: %w", id, err)
	}
	e.quantizations.Delete(e.chunkClass(id))
	if t := e.existingTracker(id); t != nil {
		e.forget(t)
	}
	return nil
}
