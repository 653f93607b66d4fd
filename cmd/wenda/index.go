package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"wenda/chunk"
	"wenda/corpus"
	"wenda/embed"
	"wenda/index"
	"wenda/index/embedded"
	"wenda/index/weaviate"
	"wenda/ingest"
	"wenda/retrieval"
)

// builtinMetadata describes the articles shipped in the binary, which
// become the default collection when no --corpus is given; nothing else
// in wenda names their topic.
var builtinMetadata = index.Metadata{
	Title:       "中美关系评论",
	Description: "五篇 2025 年关于中美关系的中文评论与访谈：马德里会谈、釜山会晤、“脱钩”的误区、特朗普第二任期的对华政策",
	Language:    "zh-Hans",
	Examples: []string{
		"马德里会谈之后，中美关系会如何发展？",
		"达巍用哪个英文词来概括这次中美元首会晤？",
		"對中美「脫鉤」有哪些錯誤認知？",
	},
}

// registry hands out embedders by the spec of a collection's vectors.
func (e *Env) registry() *embed.Registry {
	if e.embedders == nil {
		e.embedders = &embed.Registry{Remote: e.remoteEmbedder}
	}
	return e.embedders
}

func (e *Env) remoteEmbedder(kind, model string, dim int) (embed.Embedder, error) {
	if kind != "openai" {
		return nil, fmt.Errorf("unknown embedder kind %q", kind)
	}
	cfg := e.embedEndpoint()
	cfg.Model = model
	if !cfg.Enabled() {
		return nil, errors.New("no embeddings endpoint is configured (WENDA_EMBED_BASE_URL or WENDA_LLM_BASE_URL)")
	}
	return embed.NewOpenAI(cfg, dim, 64)
}

// configuredSpec is the spec of the configured embedder. The dimension of
// a remote model is learnt, when learn is set, by embedding one short
// text; otherwise it is left 0 (unknown).
func (e *Env) configuredSpec(ctx context.Context, learn bool) (embed.Spec, error) {
	c := e.Cfg
	if c.Embedder != "openai" {
		h, err := embed.NewHash(c.EmbedDim)
		if err != nil {
			return embed.Spec{}, err
		}
		return h.Spec(), nil
	}
	spec := embed.Spec{Kind: "openai", Model: c.EmbedModel}
	if !learn {
		return spec, nil
	}
	emb, err := e.remoteEmbedder(spec.Kind, spec.Model, 0)
	if err != nil {
		return spec, err
	}
	if _, err := emb.Embed(ctx, []string{"维度"}); err != nil {
		return spec, fmt.Errorf("learn the dimension of %s: %w", c.EmbedModel, err)
	}
	return emb.Spec(), nil
}

// paidEmbedder reports whether embedding with the configured embedder
// calls a service: wenda never re-embeds a collection with one unless
// asked.
func (e *Env) paidEmbedder() bool { return e.Cfg.Embedder == "openai" }

func (e *Env) chunker() (chunk.Config, error) {
	ch := chunk.Config{MaxRunes: e.Cfg.ChunkRunes, OverlapRunes: e.Cfg.OverlapRunes}
	return ch, ch.Validate()
}

// searcher builds the retrieval stage over an engine.
func (e *Env) searcher(eng retrieval.Engine) (*retrieval.Searcher, error) {
	c := e.Cfg
	fusion := retrieval.Fusion{Method: c.Fusion, RRFK: c.RRFK, BM25Weight: c.BM25Weight}
	if err := fusion.Validate(); err != nil {
		return nil, err
	}
	opts := retrieval.Options{Embedders: e.registry().For, Fusion: fusion, DefaultK: c.K}
	if c.RerankBaseURL != "" {
		rr, err := retrieval.NewReranker(e.rerankEndpoint())
		if err != nil {
			return nil, err
		}
		opts.Reranker = rr
	}
	return retrieval.NewSearcher(eng, opts), nil
}

// defaultCollection is the collection the configured corpus goes into.
func (e *Env) defaultCollection(ctx context.Context, learn bool) (index.Collection, error) {
	spec, err := e.configuredSpec(ctx, learn)
	if err != nil {
		return index.Collection{}, err
	}
	ch, err := e.chunker()
	if err != nil {
		return index.Collection{}, err
	}
	m := builtinMetadata
	if dir := e.Cfg.CorpusDir; dir != "" {
		abs, _ := filepath.Abs(dir)
		m = index.Metadata{Title: filepath.Base(abs)}
	}
	return index.Collection{ID: index.DefaultCollection, Metadata: m, Embedder: spec, Chunker: ch}, nil
}

// openEngine opens the configured engine: a Weaviate cluster, or the data
// directory. It opens the directory for reading only when another wenda
// process is writing to it (a server, while search, ask or eval run) or
// when the volume is read-only; readOnly says so. Any number of processes
// may write to a Weaviate cluster at once.
func (e *Env) openEngine(ctx context.Context, loadVectors bool) (eng index.Engine, readOnly bool, err error) {
	if e.Cfg.Engine == "weaviate" {
		c := e.Cfg
		w, err := weaviate.Open(ctx, weaviate.Config{
			URL: c.WeaviateURL, GRPC: c.WeaviateGRPC, Consistency: c.WeaviateConsistency,
			Replicas: c.WeaviateReplicas, Prefix: c.WeaviatePrefix, AllowBlockMaxWAND: c.WeaviateBlockMax == "allow",
		})
		if err != nil {
			return nil, false, err
		}
		return w, false, nil
	}
	return e.openEmbedded(ctx, loadVectors)
}

func (e *Env) openEmbedded(ctx context.Context, loadVectors bool) (eng *embedded.Engine, readOnly bool, err error) {
	dir := e.Cfg.DataDir
	e.dropOldLayout(dir)
	eng, err = embedded.Open(ctx, dir, embedded.Options{LoadVectors: loadVectors})
	switch {
	case err == nil:
		return eng, false, nil
	case errors.Is(err, embedded.ErrLocked):
		e.Log.Info("another process writes to the data directory; opening it read-only", "data", dir, "reason", err)
	case errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission):
		e.Log.Warn("the data directory cannot be written; opening it read-only", "data", dir, "err", err)
	default:
		return nil, false, fmt.Errorf("open index in %s: %w", dir, err)
	}
	eng, err = embedded.Open(ctx, dir, embedded.Options{ReadOnly: true, LoadVectors: loadVectors})
	if err != nil {
		return nil, true, fmt.Errorf("open index in %s: %w", dir, err)
	}
	return eng, true, nil
}

// dropOldLayout removes the index an earlier version of wenda wrote (a
// manifest and generation folders), which this one does not read; the
// default collection is built again from the corpus.
func (e *Env) dropOldLayout(dir string) {
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err != nil {
		return
	}
	ents, _ := os.ReadDir(dir)
	for _, ent := range ents {
		if strings.HasPrefix(ent.Name(), "gen-") {
			os.RemoveAll(filepath.Join(dir, ent.Name()))
		}
	}
	if err := os.Remove(filepath.Join(dir, "manifest.json")); err == nil {
		e.Log.Info("removed the index of an earlier wenda version; the default collection is built again", "data", dir)
	}
}

// prepareDefault makes sure the default collection exists, building it
// from the corpus when it does not. A collection whose embedder or chunker
// differs from the configured ones is rebuilt when explicit (wenda ingest)
// or when rebuilding is free (the offline embedder, a writable volume);
// otherwise it is kept and served with its own embedder, with a warning:
// wenda never re-embeds with a paid embedder unless asked. With explicit
// set, the collection is also brought in line with the corpus.
func (e *Env) prepareDefault(ctx context.Context, eng index.Engine, readOnly, explicit bool, progress func(done, total int)) (*ingest.Report, error) {
	if readOnly && explicit {
		return nil, fmt.Errorf("cannot write the index in %s: %w", e.Cfg.DataDir, index.ErrReadOnly)
	}
	want, err := e.defaultCollection(ctx, false)
	if err != nil {
		return nil, err
	}
	info, err := eng.Collection(ctx, index.DefaultCollection)
	missing := errors.Is(err, index.ErrNotFound)
	if err != nil && !missing {
		return nil, err
	}
	var (
		stale *ingest.StaleError
		kept  []corpus.Document
	)
	if !missing {
		_, _, err = ingest.Ensure(ctx, eng, want)
		if err != nil && !errors.As(err, &stale) {
			return nil, err
		}
	}
	switch {
	case missing && readOnly:
		return nil, fmt.Errorf("no index in %s, and it cannot be written: run wenda ingest where it can", e.Cfg.DataDir)
	case missing:
		e.Log.Info("no index yet; building it", "data", e.Cfg.DataDir)
	case stale != nil && (explicit || !readOnly && !e.paidEmbedder()):
		e.Log.Warn("rebuilding the default collection", "reason", stale.Reason)
		if kept, err = e.dropDefault(ctx, eng); err != nil {
			return nil, err
		}
	case stale != nil:
		why := "the data directory is read-only"
		if !readOnly {
			why = "re-embedding calls the embeddings endpoint for every chunk; run wenda ingest to do it"
		}
		e.Log.Warn("serving the default collection with the embedder and chunker it was built with", "reason", stale.Reason, "why", why, "embedder", info.Embedder)
		return nil, nil
	case !explicit:
		return nil, nil
	}
	return e.syncDefault(ctx, eng, kept, progress)
}

// dropDefault deletes the default collection to build it again, keeping
// the documents that were uploaded into it (not from the corpus), which
// are put back, embedded anew, once it is rebuilt.
func (e *Env) dropDefault(ctx context.Context, eng index.Engine) ([]corpus.Document, error) {
	page, err := eng.Documents(ctx, index.DefaultCollection, index.Page{})
	if err != nil {
		return nil, err
	}
	var kept []corpus.Document
	for _, d := range page.Documents {
		if d.Origin == ingest.OriginCorpus {
			continue
		}
		doc, err := eng.Document(ctx, index.DefaultCollection, d.ID)
		if err != nil {
			return nil, err
		}
		kept = append(kept, doc)
	}
	return kept, eng.DeleteCollection(ctx, index.DefaultCollection)
}

// syncDefault creates the default collection if needed and makes it hold
// the corpus, then puts back the kept documents.
func (e *Env) syncDefault(ctx context.Context, eng index.Engine, kept []corpus.Document, progress func(done, total int)) (*ingest.Report, error) {
	want, err := e.defaultCollection(ctx, true)
	if err != nil {
		return nil, err
	}
	if _, _, err := ingest.Ensure(ctx, eng, want); err != nil {
		return nil, err
	}
	docs, err := e.loadCorpus(ctx)
	if err != nil {
		return nil, err
	}
	x := &ingest.Indexer{Engine: eng, Embedders: e.registry().For}
	rep, err := x.Sync(ctx, index.DefaultCollection, ingest.Slice(docs), ingest.SyncOptions{Progress: progress, Total: len(docs)})
	if err != nil {
		return &rep, err
	}
	for _, d := range kept {
		if _, err := x.Put(ctx, index.DefaultCollection, d, nil); err != nil {
			return &rep, fmt.Errorf("put back uploaded document %s: %w", d.ID, err)
		}
	}
	return &rep, nil
}

// corpusDrift compares the default collection with the configured corpus
// and says in words what differs, or "" when they agree. A server loads an
// existing index as it is, so this is how an operator learns that the
// articles changed since the last ingest. Uploaded documents are not
// compared.
func (e *Env) corpusDrift(ctx context.Context, eng index.Reader) (string, error) {
	docs, err := e.loadCorpus(ctx)
	if err != nil {
		return "", err
	}
	page, err := eng.Documents(ctx, index.DefaultCollection, index.Page{})
	if err != nil {
		return "", err
	}
	built := make(map[string]string, len(page.Documents))
	for _, d := range page.Documents {
		if d.Origin == ingest.OriginCorpus {
			built[d.ID] = d.Hash
		}
	}
	var added, changed int
	for _, d := range docs {
		h, ok := built[d.ID]
		switch {
		case !ok:
			added++
		case h != d.Hash:
			changed++
		}
		delete(built, d.ID)
	}
	if added+changed+len(built) == 0 {
		return "", nil
	}
	return fmt.Sprintf("%d new, %d changed and %d removed documents", added, changed, len(built)), nil
}

// openDefault opens the engine with the default collection ready to
// search, building it when needed, and a searcher over it.
func (e *Env) openDefault(ctx context.Context, loadVectors bool) (index.Engine, *retrieval.Searcher, error) {
	eng, ro, err := e.openEngine(ctx, loadVectors)
	if err != nil {
		return nil, nil, err
	}
	rep, err := e.prepareDefault(ctx, eng, ro, false, nil)
	if err == nil && rep != nil {
		e.Log.Info("index built", "documents", rep.Documents, "chunks", rep.Chunks, "seconds", rep.Took.Seconds())
	}
	var s *retrieval.Searcher
	if err == nil {
		s, err = e.searcher(eng)
	}
	if err != nil {
		eng.Close()
		return nil, nil, err
	}
	return eng, s, nil
}
