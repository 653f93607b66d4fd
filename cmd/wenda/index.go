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
	"time"

	"wenda/chunk"
	"wenda/corpus"
	"wenda/embed"
	"wenda/index"
	"wenda/index/embedded"
	"wenda/index/weaviate"
	"wenda/ingest"
	"wenda/retrieval"
	"wenda/server"
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

// access says how this process may use its engine's data.
type access int

const (
	writable access = iota
	// locked: another wenda process (a server) writes to the data
	// directory; this one reads its documents (not its postings, which
	// the writer holds) and hands what it would write over through the
	// inbox.
	locked
	// readOnly: the volume cannot be written.
	readOnly
)

// openEngine opens the configured engine: a Weaviate cluster, or the data
// directory. Any number of processes may write to a Weaviate cluster at
// once; the data directory is written by one process at a time.
func (e *Env) openEngine(ctx context.Context, loadVectors bool) (index.Engine, access, error) {
	if e.Cfg.Engine == "weaviate" {
		w, err := weaviate.Open(ctx, e.weaviateConfig())
		if err != nil {
			return nil, writable, err
		}
		return w, writable, nil
	}
	eng, acc, err := e.openEmbedded(ctx, loadVectors)
	if eng == nil {
		// No typed nil inside the interface.
		return nil, acc, err
	}
	return eng, acc, err
}

// weaviateConfig is the configured cluster and the settings of wenda's
// collections on it.
func (e *Env) weaviateConfig() weaviate.Config {
	c := e.Cfg
	return weaviate.Config{
		URL: c.WeaviateURL, GRPC: c.WeaviateGRPC, Consistency: c.WeaviateConsistency,
		Replicas: c.WeaviateReplicas, Prefix: c.WeaviatePrefix, AllowBlockMaxWAND: c.WeaviateBlockMax == "allow",
		Quantization: c.WeaviateQuantization,
	}
}

// openEmbedded opens the data directory: for writing when it can, for
// reading when another wenda process writes to it or the volume is
// read-only (or --read-only says so).
func (e *Env) openEmbedded(ctx context.Context, loadVectors bool) (*embedded.Engine, access, error) {
	dir := e.Cfg.DataDir
	acc := readOnly
	if !e.Cfg.ReadOnly {
		e.dropOldLayout(dir)
		eng, err := embedded.Open(ctx, dir, embedded.Options{LoadVectors: loadVectors})
		switch {
		case err == nil:
			if rep := eng.OpenedInbox(); rep.Files > 0 {
				e.Log.Info("applied documents a bulk ingest handed over", "documents", rep.Documents, "deleted", rep.Deleted, "files", rep.Files)
			}
			return eng, writable, nil
		case errors.Is(err, embedded.ErrLocked):
			eng, err := embedded.Open(ctx, dir, embedded.Options{ReadOnly: true, CatalogOnly: true})
			if err != nil {
				return nil, locked, fmt.Errorf("open index in %s: %w", dir, err)
			}
			return eng, locked, &lockedError{err: errors.New(lockHolder(dir))}
		case errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission):
			e.Log.Warn("the data directory cannot be written; opening it read-only", "data", dir, "err", err)
		default:
			return nil, 0, fmt.Errorf("open index in %s: %w", dir, err)
		}
	}
	eng, err := embedded.Open(ctx, dir, embedded.Options{ReadOnly: true, LoadVectors: loadVectors})
	if err != nil {
		return nil, acc, fmt.Errorf("open index in %s: %w", dir, err)
	}
	return eng, acc, nil
}

// lockedError says that another process writes to the data directory; an
// engine opened for its catalogue comes with it.
type lockedError struct{ err error }

func (e *lockedError) Error() string {
	return "the data directory is held by another wenda process (" + e.err.Error() + "): ask it over HTTP, or stop it first"
}

// lockHolder describes the process that holds the data directory.
func lockHolder(dir string) string {
	b, _ := os.ReadFile(filepath.Join(dir, "LOCK"))
	if h := strings.TrimSpace(string(b)); h != "" {
		return h
	}
	return "see " + filepath.Join(dir, "LOCK")
}

// handoff is an engine opened for reading whose writes go to the inbox of
// the process that has the data directory open for writing.
type handoff struct {
	index.Engine
	in *embedded.Inbox
}

func (h handoff) Put(ctx context.Context, coll string, entries ...index.Entry) error {
	return h.in.Put(ctx, coll, entries...)
}

func (h handoff) Delete(ctx context.Context, coll string, ids ...string) error {
	return h.in.Delete(ctx, coll, ids...)
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
//
// When another process writes to the data directory (acc is locked), an
// explicit sync hands the documents over through the inbox and waits
// until that process has indexed them. The string returned is a warning
// for /readyz, "" when all is well.
func (e *Env) prepareDefault(ctx context.Context, eng index.Engine, acc access, explicit bool, progress func(done, total int)) (*ingest.Report, string, error) {
	if acc == readOnly && explicit {
		return nil, "", fmt.Errorf("cannot write the index in %s: %w", e.Cfg.DataDir, index.ErrReadOnly)
	}
	ro := acc != writable
	want, err := e.defaultCollection(ctx, false)
	if err != nil {
		return nil, "", err
	}
	info, err := eng.Collection(ctx, index.DefaultCollection)
	missing := errors.Is(err, index.ErrNotFound)
	if err != nil && !missing {
		return nil, "", err
	}
	var (
		stale *ingest.StaleError
		kept  []corpus.Document
	)
	if !missing {
		_, _, err = ingest.Ensure(ctx, eng, want)
		if err != nil && !errors.As(err, &stale) {
			return nil, "", err
		}
	}
	switch {
	case missing && ro:
		return nil, "", fmt.Errorf("no index in %s, and this process cannot write it: run wenda ingest where it can", e.Cfg.DataDir)
	case missing:
		e.Log.Info("no index yet; building it", "data", e.Cfg.DataDir)
	case stale != nil && explicit && acc == locked:
		return nil, "", fmt.Errorf("the default collection must be rebuilt (%s), which needs the data directory to itself: stop the process that writes to it (see %s) and run wenda ingest again",
			stale.Reason, filepath.Join(e.Cfg.DataDir, "LOCK"))
	case stale != nil && (explicit || !ro && !e.paidEmbedder()):
		e.Log.Warn("rebuilding the default collection", "reason", stale.Reason)
		if kept, err = e.dropDefault(ctx, eng); err != nil {
			return nil, "", err
		}
	case stale != nil:
		why := "the data directory is read-only"
		if !ro {
			why = "re-embedding calls the embeddings endpoint for every chunk; run wenda ingest to do it"
		}
		e.Log.Warn("serving the default collection with the embedder and chunker it was built with", "reason", stale.Reason, "why", why, "embedder", info.Embedder)
		return nil, "stale index served as built: " + stale.Reason + " (" + why + ")", nil
	case !explicit:
		return nil, "", nil
	}
	if acc == locked {
		return e.handDefault(ctx, eng, progress)
	}
	rep, err := e.syncDefault(ctx, eng, kept, progress)
	return rep, "", err
}

// handDefault syncs the default collection through the inbox of the
// process that writes the data directory, and waits until it has applied
// everything.
func (e *Env) handDefault(ctx context.Context, eng index.Engine, progress func(done, total int)) (*ingest.Report, string, error) {
	in := embedded.NewInbox(e.Cfg.DataDir)
	rep, err := e.sync(ctx, handoff{Engine: eng, in: in}, progress)
	if err != nil {
		return rep, "", err
	}
	e.Log.Info("handed the changes to the process that writes the data directory; waiting for it to index them")
	for {
		n, err := in.Pending(index.DefaultCollection)
		if err != nil {
			return rep, "", err
		}
		if n == 0 {
			return rep, "", nil
		}
		select {
		case <-ctx.Done():
			return rep, "", fmt.Errorf("%d batches not yet indexed by the server (they will be, even if it restarts): %w", n, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
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
	rep, err := e.sync(ctx, eng, progress)
	if err != nil {
		return rep, err
	}
	x := &ingest.Indexer{Engine: eng, Embedders: e.registry().For}
	for _, d := range kept {
		if _, err := x.Put(ctx, index.DefaultCollection, d, nil); err != nil {
			return rep, fmt.Errorf("put back uploaded document %s: %w", d.ID, err)
		}
	}
	return rep, nil
}

// sync makes the default collection of eng hold the corpus.
func (e *Env) sync(ctx context.Context, eng index.Engine, progress func(done, total int)) (*ingest.Report, error) {
	docs, err := e.loadCorpus(ctx)
	if err != nil {
		return nil, err
	}
	x := &ingest.Indexer{Engine: eng, Embedders: e.registry().For}
	rep, err := x.Sync(ctx, index.DefaultCollection, ingest.Slice(docs), ingest.SyncOptions{Progress: progress, Total: len(docs)})
	return &rep, err
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
// search, building it when needed, and a searcher over it. The status
// says whether it is read-only or stale.
func (e *Env) openDefault(ctx context.Context, loadVectors bool) (index.Engine, *retrieval.Searcher, server.IndexStatus, error) {
	var st server.IndexStatus
	eng, acc, err := e.openEngine(ctx, loadVectors)
	if err != nil {
		if eng != nil {
			eng.Close()
		}
		return nil, nil, st, err
	}
	st.ReadOnly = acc != writable
	rep, warn, err := e.prepareDefault(ctx, eng, acc, false, nil)
	st.Warning = warn
	if err == nil && rep != nil {
		e.Log.Info("index built", "documents", rep.Documents, "chunks", rep.Chunks, "seconds", rep.Took.Seconds())
	}
	var s *retrieval.Searcher
	if err == nil {
		s, err = e.searcher(eng)
	}
	if err != nil {
		eng.Close()
		return nil, nil, st, err
	}
	return eng, s, st, nil
}
