package weaviate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/go-openapi/strfmt"
	"github.com/google/uuid"
	"github.com/weaviate/weaviate/entities/models"
)

// A wenda collection is two Weaviate collections ("classes"): its chunks,
// each with its vector, its index terms and its text, and its documents,
// each with its metadata and full text. One more class, the catalog, holds
// every wenda collection's settings, so that a process that starts knows
// them without any local state.
const catalogClass = "WendaCatalog"

// Property names.
const (
	pCollID  = "coll_id"
	pJSON    = "json"
	pChunkID = "chunk_id"
	pDocID   = "doc_id"
	pGen     = "gen"
	pOrdinal = "ordinal"
	pStart   = "start"
	pEnd     = "end"
	pHeading = "heading"
	pText    = "text"
	pTerms   = "terms"
	pNTerms  = "nterms"
	pDate    = "date"
	pTitle   = "title"
	pHeader  = "header"
	pMeta    = "meta"
	pNChunks = "nchunks"
)

// namespace seeds the name-based UUIDs of wenda's objects.
var namespace = uuid.MustParse("6f1d3c2a-8b0e-5d4c-9a7e-77656e646100")

func objectID(parts ...string) strfmt.UUID {
	return strfmt.UUID(uuid.NewSHA1(namespace, []byte(strings.Join(parts, "\x00"))).String())
}

// className maps a collection id to a valid, distinct class name: letters
// and digits stay (lower case), anything else becomes _ and its hex code.
func className(kind, coll string) string {
	var b strings.Builder
	b.WriteString("Wenda")
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

func chunkClass(coll string) string { return className("Chunks", coll) }
func docClass(coll string) string   { return className("Docs", coll) }

func yes() *bool { t := true; return &t }
func no() *bool  { f := false; return &f }

// stored is a property kept for display only: neither filtered nor searched.
func stored(name, typ string) *models.Property {
	return &models.Property{Name: name, DataType: []string{typ}, IndexFilterable: no(), IndexSearchable: no()}
}

// key is a property matched whole, for filters.
func key(name string) *models.Property {
	return &models.Property{Name: name, DataType: []string{"text"}, Tokenization: "field", IndexFilterable: yes(), IndexSearchable: no()}
}

func number(name string, filterable bool) *models.Property {
	return &models.Property{Name: name, DataType: []string{"int"}, IndexFilterable: &filterable}
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
		Class:       chunkClass(coll),
		Description: "wenda chunks of collection " + coll,
		Vectorizer:  "none",
		// Cosine, as the embedded engine scores vectors.
		VectorIndexConfig: map[string]any{"distance": "cosine"},
		ReplicationConfig: rep,
		ShardingConfig:    map[string]any{"desiredCount": e.cfg.Shards},
		InvertedIndexConfig: &models.InvertedIndexConfig{
			// bleve's BM25 parameters, and no stop words: the terms are
			// wenda's own (bigrams, numbers, Latin words), already
			// chosen by the analyzer the embedded engine uses.
			Bm25:      &models.BM25Config{K1: 1.2, B: 0.75},
			Stopwords: &models.StopwordConfig{Preset: "none"},
		},
		Properties: []*models.Property{
			key(pChunkID), key(pDocID), key(pGen),
			number(pOrdinal, false), number(pStart, false), number(pEnd, false),
			stored(pHeading, "text"), stored(pText, "text"),
			// The index terms, separated by spaces: whitespace
			// tokenization gives Weaviate exactly the terms bleve gets,
			// so BM25 matches the same CJK bigrams, numbers and words in
			// either script (terms are folded to Simplified).
			{Name: pTerms, DataType: []string{"text"}, Tokenization: "whitespace", IndexFilterable: yes(), IndexSearchable: yes()},
			number(pNTerms, true),
			key(pDate),
		},
	}
}

func (e *Engine) docClassDef(coll string, rep *models.ReplicationConfig) *models.Class {
	return &models.Class{
		Class:             docClass(coll),
		Description:       "wenda documents of collection " + coll,
		Vectorizer:        "none",
		VectorIndexType:   "flat",
		ReplicationConfig: rep,
		ShardingConfig:    map[string]any{"desiredCount": e.cfg.Shards},
		InvertedIndexConfig: &models.InvertedIndexConfig{
			Stopwords: &models.StopwordConfig{Preset: "none"},
		},
		Properties: []*models.Property{
			key(pDocID), key(pGen), key(pDate),
			stored(pTitle, "text"), stored(pHeader, "text"), stored(pMeta, "text"), stored(pText, "text"),
			number(pNChunks, false),
		},
	}
}

func catalogClassDef(rep *models.ReplicationConfig) *models.Class {
	return &models.Class{
		Class:             catalogClass,
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
	ok, err := e.classExists(ctx, catalogClass)
	if err != nil || ok {
		return err
	}
	rep, err := e.replication(ctx)
	if err != nil {
		return err
	}
	if err := callErr(ctx, e, e.client.Schema().ClassCreator().WithClass(catalogClassDef(rep)).Do); err != nil {
		// Another process may have created it meanwhile.
		if ok, _ := e.classExists(ctx, catalogClass); ok {
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
func (e *Engine) CreateCollection(ctx context.Context, c Collection) error {
	if c.ID == "" {
		return errors.New("create collection: empty id")
	}
	if _, err := e.Collection(ctx, c.ID); err == nil {
		return fmt.Errorf("create collection %s: %w", c.ID, ErrExists)
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	rep, err := e.replication(ctx)
	if err != nil {
		return err
	}
	// Classes left by a creation that died before its catalog entry was
	// written belong to no collection: start them afresh.
	for _, def := range []*models.Class{e.chunkClassDef(c.ID, rep), e.docClassDef(c.ID, rep)} {
		if ok, err := e.classExists(ctx, def.Class); err != nil {
			return err
		} else if ok {
			if err := callErr(ctx, e, e.client.Schema().ClassDeleter().WithClassName(def.Class).Do); err != nil {
				return fmt.Errorf("create collection %s: drop leftover %s: %w", c.ID, def.Class, unwrapFault(err))
			}
		}
		if err := callErr(ctx, e, e.client.Schema().ClassCreator().WithClass(def).Do); err != nil {
			return fmt.Errorf("create collection %s: %w", c.ID, unwrapFault(err))
		}
	}
	if err := e.checkBM25(ctx, chunkClass(c.ID)); err != nil {
		for _, class := range []string{chunkClass(c.ID), docClass(c.ID)} {
			_ = callErr(ctx, e, e.client.Schema().ClassDeleter().WithClassName(class).Do)
		}
		return fmt.Errorf("create collection %s: %w", c.ID, err)
	}
	if c.Created.IsZero() {
		c.Created = time.Now().UTC()
	}
	// The catalog entry is written last: the collection exists once it
	// is there.
	return e.putCatalog(ctx, c)
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

func (e *Engine) putCatalog(ctx context.Context, c Collection) error {
	js, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("collection %s: %w", c.ID, err)
	}
	// A batch write replaces the object of the same id, if any.
	err = e.batch(ctx, []*models.Object{{
		Class: catalogClass, ID: objectID("catalog", c.ID),
		Properties: map[string]any{pCollID: c.ID, pJSON: string(js)},
	}})
	if err != nil {
		return fmt.Errorf("collection %s: write catalog: %w", c.ID, unwrapFault(err))
	}
	return nil
}

// Collection returns a collection's settings, or ErrNotFound.
func (e *Engine) Collection(ctx context.Context, id string) (Collection, error) {
	objs, err := call(ctx, e, e.client.Data().ObjectsGetter().WithClassName(catalogClass).WithID(string(objectID("catalog", id))).
		WithConsistencyLevel(e.cfg.Consistency).Do)
	if err != nil {
		if isStatus(err, 404) {
			return Collection{}, fmt.Errorf("collection %s: %w", id, ErrNotFound)
		}
		return Collection{}, fmt.Errorf("collection %s: %w", id, unwrapFault(err))
	}
	if len(objs) == 0 {
		return Collection{}, fmt.Errorf("collection %s: %w", id, ErrNotFound)
	}
	return decodeCatalog(objs[0])
}

func decodeCatalog(o *models.Object) (Collection, error) {
	props, _ := o.Properties.(map[string]any)
	js, _ := props[pJSON].(string)
	var c Collection
	if err := json.Unmarshal([]byte(js), &c); err != nil {
		return Collection{}, fmt.Errorf("catalog entry %s: %w", o.ID, err)
	}
	return c, nil
}

// Collections lists every collection with its counts, ordered by id.
func (e *Engine) Collections(ctx context.Context) ([]CollectionInfo, error) {
	var out []CollectionInfo
	after := ""
	for {
		g := e.client.Data().ObjectsGetter().WithClassName(catalogClass).WithLimit(100).
			WithConsistencyLevel(e.cfg.Consistency)
		if after != "" {
			g = g.WithAfter(after)
		}
		objs, err := call(ctx, e, g.Do)
		if err != nil {
			return nil, fmt.Errorf("list collections: %w", unwrapFault(err))
		}
		for _, o := range objs {
			c, err := decodeCatalog(o)
			if err != nil {
				return nil, err
			}
			info := CollectionInfo{Collection: c}
			if info.Documents, info.Chunks, err = e.counts(ctx, c.ID); err != nil {
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
func (e *Engine) SetMetadata(ctx context.Context, id string, m Metadata) error {
	c, err := e.Collection(ctx, id)
	if err != nil {
		return err
	}
	c.Metadata = m
	return e.putCatalog(ctx, c)
}

// DeleteCollection removes a collection and everything in it. The catalog
// entry goes first, so that a crash halfway leaves classes that no
// collection names, which CreateCollection clears.
func (e *Engine) DeleteCollection(ctx context.Context, id string) error {
	if _, err := e.Collection(ctx, id); err != nil {
		return err
	}
	_, err := callWrite(ctx, e, func(ctx context.Context, level string) (struct{}, error) {
		return struct{}{}, e.client.Data().Deleter().WithClassName(catalogClass).WithID(string(objectID("catalog", id))).
			WithConsistencyLevel(level).Do(ctx)
	})
	if err != nil && !isStatus(err, 404) {
		return fmt.Errorf("delete collection %s: %w", id, unwrapFault(err))
	}
	for _, class := range []string{chunkClass(id), docClass(id)} {
		if err := callErr(ctx, e, e.client.Schema().ClassDeleter().WithClassName(class).Do); err != nil && !isStatus(err, 404) {
			return fmt.Errorf("delete collection %s: %w", id, unwrapFault(err))
		}
	}
	return nil
}

func sortInfos(cs []CollectionInfo) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
}
