package main

import (
	"context"
	"errors"
	"fmt"

	"wenda/client"
)

// library is where the collection commands act: a running server
// (--server) or the data directory.
type library interface {
	Collections(ctx context.Context) ([]client.Collection, error)
	CreateCollection(ctx context.Context, nc client.NewCollection) (client.Collection, error)
	DeleteCollection(ctx context.Context, id string) error
	// Upload stores files durably and queues their ingestion; it says
	// for each file what became of it, and returns an error only when
	// nothing could be tried.
	Upload(ctx context.Context, coll string, paths []string) ([]uploadOutcome, error)
	// Document returns a document's status.
	Document(ctx context.Context, coll, id string) (client.Document, error)
	// Pending returns how many documents of the collection wait for or are
	// in ingestion.
	Pending(ctx context.Context, coll string) (int, error)
	// Close releases the library; a local one stops its ingestion workers.
	Close() error
}

// openLibrary connects to --server, or opens the data directory.
func (e *Env) openLibrary(ctx context.Context) (library, error) {
	if e.Cfg.Server == "" {
		return e.openLocalLibrary(ctx)
	}
	c, err := client.New(e.Cfg.Server, e.Cfg.ServerKey)
	if err != nil {
		return nil, err
	}
	return remoteLibrary{c}, nil
}

// remoteLibrary is a running server.
type remoteLibrary struct{ c *client.Client }

func (r remoteLibrary) Collections(ctx context.Context) ([]client.Collection, error) {
	return r.c.Collections(ctx)
}

func (r remoteLibrary) CreateCollection(ctx context.Context, nc client.NewCollection) (client.Collection, error) {
	return r.c.CreateCollection(ctx, nc)
}

func (r remoteLibrary) DeleteCollection(ctx context.Context, id string) error {
	return r.c.DeleteCollection(ctx, id)
}

// uploadOutcome is what became of one file of an upload.
type uploadOutcome struct {
	doc client.Uploaded
	err error
}

// Upload sends the files in one request. When the server refuses the
// request for one file's sake (its type, its size, its name), nothing of
// it was kept, and the files are sent again one by one, so that only the
// culprit is refused.
func (r remoteLibrary) Upload(ctx context.Context, coll string, paths []string) ([]uploadOutcome, error) {
	up, err := r.c.UploadFiles(ctx, coll, paths)
	switch {
	case err == nil && len(up) == len(paths):
		out := make([]uploadOutcome, len(paths))
		for i := range up {
			out[i].doc = up[i]
		}
		return out, nil
	case err == nil:
		return nil, fmt.Errorf("the server acknowledged %d documents for %d files", len(up), len(paths))
	case len(paths) == 1 && fileRefusal(err):
		return []uploadOutcome{{err: err}}, nil
	case len(paths) > 1 && fileRefusal(err):
		out := make([]uploadOutcome, 0, len(paths))
		for _, p := range paths {
			one, err := r.Upload(ctx, coll, []string{p})
			if err != nil {
				return nil, err
			}
			out = append(out, one...)
		}
		return out, nil
	}
	return nil, err
}

// fileRefusal reports an upload refused for one of its files.
func fileRefusal(err error) bool {
	for _, code := range []string{"unsupported_file_type", "file_too_large", "empty_file", "invalid_filename", "body_too_large"} {
		if client.IsCode(err, code) {
			return true
		}
	}
	return false
}

func (r remoteLibrary) Document(ctx context.Context, coll, id string) (client.Document, error) {
	return r.c.Document(ctx, coll, id)
}

// AllDocuments lists the collection's documents, a page at a time.
func (r remoteLibrary) AllDocuments(ctx context.Context, coll string) ([]client.Document, error) {
	var out []client.Document
	for {
		page, err := r.c.Documents(ctx, coll, len(out), 500)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Documents...)
		if len(page.Documents) == 0 || len(out) >= page.Total {
			return out, nil
		}
	}
}

func (r remoteLibrary) Pending(ctx context.Context, coll string) (int, error) {
	cs, err := r.c.Collection(ctx, coll)
	if err != nil {
		return 0, err
	}
	return cs.Queued, nil
}

func (r remoteLibrary) Close() error { return nil }

// errKeyHint adds what to do to a refusal for want of a key.
func errKeyHint(err error) error {
	var ce *client.Error
	if errors.As(err, &ce) && (ce.Status == 401 || ce.Status == 403) {
		return fmt.Errorf("%w\n(set WENDA_API_KEY, or --key, to a key with the right; the server's log showed the admin key when it first started)", err)
	}
	return err
}
