package main

import (
	"context"
	"log/slog"
	"path/filepath"

	"wenda/index"
	"wenda/ingest"
	"wenda/uploads"
)

// uploadsDir is where the upload store lives in the data directory.
const uploadsDir = "uploads"

// ingestion is the upload store and its workers over an engine.
type ingestion struct {
	*uploads.Manager
	store  uploads.Store
	parser interface{ Close() error }
}

// openUploadStore opens the shared store in PostgreSQL when one is
// configured, else the one in the data directory.
func (e *Env) openUploadStore(ctx context.Context) (uploads.Store, error) {
	if e.Cfg.UploadsDSN != "" {
		return uploads.OpenPgStore(ctx, e.Cfg.UploadsDSN)
	}
	return uploads.OpenBoltStore(filepath.Join(e.Cfg.DataDir, uploadsDir))
}

// openIngestion opens the upload store and starts the workers that ingest
// what was uploaded, resuming what was left unfinished: by the last
// process on this data directory, or by any process of the deployment
// once its lease ran out.
func (e *Env) openIngestion(ctx context.Context, eng index.Engine, log *slog.Logger) (*ingestion, error) {
	st, err := e.openUploadStore(ctx)
	if err != nil {
		return nil, err
	}
	p := e.parser()
	x := &ingest.Indexer{Engine: eng, Embedders: e.registry().For}
	m := uploads.NewManager(st, uploads.EngineIndex{Indexer: x}, p.Parse, uploads.Config{
		Workers: e.Cfg.IngestWorkers,
		Lease:   e.Cfg.IngestLease,
		Logger:  log,
	})
	if err := m.Start(ctx); err != nil {
		p.Close()
		st.Close()
		return nil, err
	}
	return &ingestion{Manager: m, store: st, parser: p}, nil
}

// Close stops the workers (an unfinished job resumes at the next start)
// and closes the store.
func (in *ingestion) Close() error {
	in.Manager.Close()
	in.parser.Close()
	return in.store.Close()
}

// newCollection is what a collection created by the API or the command
// line is made with: the configured embedder, its dimension learnt if it
// is a remote one, and chunker.
func (e *Env) newCollection(ctx context.Context) (index.Collection, error) {
	spec, err := e.configuredSpec(ctx, true)
	if err != nil {
		return index.Collection{}, err
	}
	ch, err := e.chunker()
	if err != nil {
		return index.Collection{}, err
	}
	return index.Collection{Embedder: spec, Chunker: ch}, nil
}
