package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"wenda/client"
	"wenda/corpus"
	"wenda/extract"
	"wenda/index"
	"wenda/uploads"
)

// localLibrary is the data directory, opened by this process: the same
// engine, upload store and ingestion workers a server would run.
type localLibrary struct {
	env *Env
	eng index.Engine
	in  *ingestion
}

func (e *Env) openLocalLibrary(ctx context.Context) (library, error) {
	eng, acc, err := e.openEngine(ctx, false)
	if err != nil {
		if eng != nil {
			eng.Close()
		}
		return nil, err
	}
	switch acc {
	case locked:
		eng.Close()
		return nil, fmt.Errorf("another wenda process (a server?) has the data directory %s open: talk to it with --server URL", e.Cfg.DataDir)
	case readOnly:
		eng.Close()
		return nil, fmt.Errorf("the data directory %s cannot be written", e.Cfg.DataDir)
	}
	if _, _, err := e.prepareDefault(ctx, eng, acc, false, nil); err != nil {
		eng.Close()
		return nil, err
	}
	// What becomes of each file is told at the end; the workers' log
	// would only get in the way of the progress bar.
	quiet := slog.New(slog.NewTextHandler(e.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	in, err := e.openIngestion(ctx, eng, quiet)
	if err != nil {
		eng.Close()
		return nil, err
	}
	return &localLibrary{env: e, eng: eng, in: in}, nil
}

func (l *localLibrary) Close() error {
	return errors.Join(l.in.Close(), l.eng.Close())
}

func (l *localLibrary) Collections(ctx context.Context) ([]client.Collection, error) {
	infos, err := l.eng.Collections(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]client.Collection, 0, len(infos))
	for _, info := range infos {
		c, err := l.present(ctx, info)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (l *localLibrary) present(ctx context.Context, info index.CollectionInfo) (client.Collection, error) {
	n, err := l.in.Count(ctx, info.ID)
	if err != nil {
		return client.Collection{}, err
	}
	return client.Collection{
		ID: info.ID, Title: info.Title, Description: info.Description, Language: info.Language, Examples: info.Examples,
		Documents: info.Documents, Chunks: info.Chunks, Queued: n.Queued + n.Processing, Failed: n.Failed, Created: info.Created,
		Quantization: info.Quantization,
	}, nil
}

func (l *localLibrary) CreateCollection(ctx context.Context, nc client.NewCollection) (client.Collection, error) {
	c, err := l.env.newCollection(ctx)
	if err != nil {
		return client.Collection{}, err
	}
	if nc.Title == "" {
		return client.Collection{}, fmt.Errorf("%w: a collection needs a --title", errUsage)
	}
	c.ID = nc.ID
	c.Metadata = index.Metadata{Title: nc.Title, Description: nc.Description, Language: nc.Language, Examples: nc.Examples}
	info, err := l.eng.CreateCollection(ctx, c)
	if err != nil {
		return client.Collection{}, err
	}
	return l.present(ctx, info)
}

func (l *localLibrary) DeleteCollection(ctx context.Context, id string) error {
	if id == index.DefaultCollection {
		return errors.New("the default collection cannot be deleted; delete its documents instead")
	}
	if _, err := l.eng.Collection(ctx, id); err != nil {
		return err
	}
	return l.in.DeleteCollection(ctx, id, func(ctx context.Context) error { return l.eng.DeleteCollection(ctx, id) })
}

// Upload stores each file as an upload to the server would: its type
// checked first, its bytes synced to disk, its job recorded.
func (l *localLibrary) Upload(ctx context.Context, coll string, paths []string) ([]uploadOutcome, error) {
	if _, err := l.eng.Collection(ctx, coll); err != nil {
		return nil, err
	}
	out := make([]uploadOutcome, len(paths))
	for i, p := range paths {
		out[i].doc, out[i].err = l.uploadOne(ctx, coll, p)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	return out, nil
}

func (l *localLibrary) uploadOne(ctx context.Context, coll, path string) (client.Uploaded, error) {
	f, err := os.Open(path)
	if err != nil {
		return client.Uploaded{}, err
	}
	defer f.Close()
	name := filepath.Base(path)
	head := make([]byte, extract.SniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return client.Uploaded{}, err
	}
	if n == 0 {
		return client.Uploaded{}, fmt.Errorf("%s is empty", name)
	}
	if _, err := extract.Detect(name, head[:n]); err != nil {
		return client.Uploaded{}, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return client.Uploaded{}, err
	}
	limit := int64(l.env.Cfg.UploadMaxMiB) << 20
	blob, err := l.in.SaveBlob(ctx, coll, f, limit)
	if errors.Is(err, uploads.ErrTooLarge) {
		return client.Uploaded{}, fmt.Errorf("%s is larger than the %d MiB a file may have (--upload-max-mib)", name, l.env.Cfg.UploadMaxMiB)
	}
	if err != nil {
		return client.Uploaded{}, err
	}
	rec, queued, err := l.in.Accept(ctx, coll, uploads.Upload{Filename: name, Blob: blob}, corpus.IDFor(name))
	if err != nil {
		l.in.DropBlob(context.WithoutCancel(ctx), coll, blob.Hash)
		return client.Uploaded{}, err
	}
	return client.Uploaded{ID: rec.ID, Filename: rec.Filename, Status: string(rec.Status), Version: rec.Version, Duplicate: !queued}, nil
}

func (l *localLibrary) Document(ctx context.Context, coll, id string) (client.Document, error) {
	rec, err := l.in.Get(ctx, coll, id)
	if errors.Is(err, uploads.ErrNotFound) {
		return client.Document{}, &client.Error{Status: 404, Code: "document_not_found", Message: "no document " + id}
	}
	if err != nil {
		return client.Document{}, err
	}
	return client.Document{
		ID: rec.ID, Collection: coll, Filename: rec.Filename, Title: rec.Title, Status: string(rec.Status),
		Progress: rec.Progress, Error: rec.Error, ErrorCode: rec.ErrorCode, Chunks: rec.Chunks, Size: rec.Size, Version: rec.Version, Updated: rec.Updated,
	}, nil
}

func (l *localLibrary) Pending(ctx context.Context, coll string) (int, error) {
	n, err := l.in.Count(ctx, coll)
	return n.Queued + n.Processing, err
}
