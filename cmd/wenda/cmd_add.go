package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"wenda/client"
)

// addFlags are the settings of wenda add.
type addFlags struct {
	collection string
	noWait     bool
	parallel   int
}

func init() {
	register(command{
		name:    "add",
		summary: "add files (or folders of them) to a collection and wait until they are searchable",
		usage:   "[--collection default] [--server URL] [--no-wait] FILE|FOLDER...",
		setup: func(fs *flag.FlagSet) runFunc {
			f := &addFlags{}
			fs.StringVar(&f.collection, "collection", "default", "the collection to add to")
			fs.BoolVar(&f.noWait, "no-wait", false, "return once the files are stored and queued, without waiting for their ingestion")
			fs.IntVar(&f.parallel, "parallel", 2, "upload requests sent at once")
			return f.run
		},
	})
}

// addResult is what became of one file.
type addResult struct {
	path string
	doc  client.Uploaded
	err  error // the upload was refused
	done client.Document
}

func (f *addFlags) run(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: name the files or folders to add", errUsage)
	}
	if f.parallel < 1 {
		return fmt.Errorf("%w: --parallel must be at least 1", errUsage)
	}
	paths, err := expandPaths(args)
	if err != nil {
		return err
	}
	lib, err := env.openLibrary(ctx)
	if err != nil {
		return err
	}
	defer lib.Close()

	start := time.Now()
	bar := newProgressBar(env, "stored", len(paths))
	results := make([]addResult, len(paths))
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		count int
		fatal error
	)
	sem := make(chan struct{}, f.parallel)
	for _, batch := range uploadBatches(paths) {
		mu.Lock()
		stop := fatal != nil
		mu.Unlock()
		if stop {
			break
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			batchPaths := make([]string, len(batch))
			for i, at := range batch {
				batchPaths[i] = paths[at]
			}
			outs, err := lib.Upload(ctx, f.collection, batchPaths)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				// Every other request would fail the same way.
				fatal = err
				return
			}
			for i, at := range batch {
				results[at] = addResult{path: paths[at], doc: outs[i].doc, err: outs[i].err}
			}
			count += len(batch)
			bar.set(count, 0)
		}()
	}
	wg.Wait()
	bar.finish()
	if fatal != nil {
		return errKeyHint(fatal)
	}

	var queued []*addResult
	for i := range results {
		r := &results[i]
		switch {
		case r.err != nil:
			fmt.Fprintf(env.Stderr, "refused: %s: %v\n", r.path, r.err)
		case r.doc.Duplicate:
			r.done = client.Document{ID: r.doc.ID, Status: r.doc.Status}
		default:
			queued = append(queued, r)
		}
	}
	if !f.noWait && len(queued) > 0 {
		if err := waitIngested(ctx, env, lib, f.collection, queued); err != nil {
			return err
		}
	}
	return reportAdd(env, f, results, time.Since(start))
}

// waitIngested follows the queued documents until each is ready or failed.
// It asks the collection how much is left to do, one cheap request, and
// looks at the documents themselves only when that is nothing, or now and
// then, so that a run of a thousand files does not flood the server (whose
// rate limit counts these requests too).
func waitIngested(ctx context.Context, env *Env, lib library, coll string, queued []*addResult) error {
	bar := newProgressBar(env, "ingested", len(queued))
	defer bar.finish()
	pending := append([]*addResult(nil), queued...)
	failed := 0
	lastCheck := time.Now()
	for len(pending) > 0 {
		left, err := lib.Pending(ctx, coll)
		if err != nil {
			return err
		}
		if left == 0 || time.Since(lastCheck) > 5*time.Second {
			lastCheck = time.Now()
			docs, err := documentStatuses(ctx, lib, coll, pending)
			if err != nil {
				return err
			}
			var still []*addResult
			for _, r := range pending {
				d, ok := docs[r.doc.ID]
				switch {
				case !ok:
					// Deleted meanwhile by someone else.
					r.done = client.Document{ID: r.doc.ID, Status: "deleted"}
				case d.Done():
					r.done = d
					if d.Status == "failed" {
						failed++
					}
				default:
					still = append(still, r)
				}
			}
			pending = still
		}
		// Between looks, what the collection has left bounds what of this
		// run is still waiting.
		bar.set(len(queued)-min(len(pending), left), failed)
		if len(pending) == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("stopped waiting; the files are stored and will still be ingested: %w", ctx.Err())
		case <-time.After(500 * time.Millisecond):
		}
	}
	return nil
}

// documentStatuses returns the status of the documents, by id: one by one
// when they are few, else from the collection's list, a page of hundreds at
// a time.
func documentStatuses(ctx context.Context, lib library, coll string, of []*addResult) (map[string]client.Document, error) {
	out := make(map[string]client.Document, len(of))
	if len(of) > 50 {
		if l, ok := lib.(interface {
			AllDocuments(ctx context.Context, coll string) ([]client.Document, error)
		}); ok {
			docs, err := l.AllDocuments(ctx, coll)
			if err != nil {
				return nil, err
			}
			for _, d := range docs {
				out[d.ID] = d
			}
			return out, nil
		}
	}
	for _, r := range of {
		d, err := lib.Document(ctx, coll, r.doc.ID)
		switch {
		case client.IsCode(err, "document_not_found"):
		case err != nil:
			return nil, err
		default:
			out[d.ID] = d
		}
	}
	return out, nil
}

func reportAdd(env *Env, f *addFlags, results []addResult, took time.Duration) error {
	var ready, failed, refused, unchanged, waiting int
	for _, r := range results {
		switch {
		case r.err != nil:
			refused++
		case r.doc.Duplicate:
			unchanged++
		case r.done.Status == "ready":
			ready++
		case r.done.Status == "failed":
			failed++
			fmt.Fprintf(env.Stderr, "failed: %s: %s (%s)\n", r.path, r.done.Error, r.done.ErrorCode)
		default:
			waiting++
		}
	}
	var parts []string
	if f.noWait {
		parts = append(parts, fmt.Sprintf("queued %d", waiting))
	} else {
		parts = append(parts, fmt.Sprintf("added %d", ready))
	}
	for _, p := range []struct {
		n    int
		what string
	}{{unchanged, "unchanged"}, {failed, "failed"}, {refused, "refused"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	fmt.Fprintf(env.Stdout, "%s of %d files in collection %s (%.1fs)\n", strings.Join(parts, ", "), len(results), f.collection, took.Seconds())
	if failed+refused > 0 {
		return fmt.Errorf("%d of %d files were not added", failed+refused, len(results))
	}
	return nil
}

// Bounds of one upload request: few enough files that one refused file
// costs little to isolate, small enough to go through any proxy.
const (
	batchFiles = 20
	batchBytes = 16 << 20
)

// uploadBatches groups the files, by their positions, into requests.
func uploadBatches(paths []string) [][]int {
	var (
		out  [][]int
		cur  []int
		size int64
	)
	for i, p := range paths {
		var n int64
		if fi, err := os.Stat(p); err == nil {
			n = fi.Size()
		}
		if len(cur) > 0 && (len(cur) == batchFiles || size+n > batchBytes) {
			out = append(out, cur)
			cur, size = nil, 0
		}
		cur = append(cur, i)
		size += n
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// expandPaths lists the files named, and the files inside the folders
// named (hidden ones left out), in order.
func expandPaths(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			out = append(out, a)
			continue
		}
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.HasPrefix(d.Name(), ".") && p != a {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no files to add")
	}
	return out, nil
}

// progressBar shows a count going up: redrawn in place on a terminal,
// a line every few seconds otherwise.
type progressBar struct {
	env   *Env
	what  string
	total int
	tty   bool
	last  time.Time
	shown bool
	mu    sync.Mutex
}

func newProgressBar(env *Env, what string, total int) *progressBar {
	return &progressBar{env: env, what: what, total: total, tty: isTerminal(env.Stderr)}
}

func (b *progressBar) set(done, failed int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	extra := ""
	if failed > 0 {
		extra = fmt.Sprintf(", %d failed", failed)
	}
	switch {
	case b.tty:
		const width = 30
		n := done * width / max(b.total, 1)
		fmt.Fprintf(b.env.Stderr, "\r%-8s [%s%s] %d/%d%s ", b.what, strings.Repeat("#", n), strings.Repeat(".", width-n), done, b.total, extra)
		b.shown = true
	case time.Since(b.last) > 2*time.Second || done == b.total:
		b.last = time.Now()
		fmt.Fprintf(b.env.Stderr, "%s %d/%d%s\n", b.what, done, b.total, extra)
	}
}

func (b *progressBar) finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tty && b.shown {
		fmt.Fprintln(b.env.Stderr)
		b.shown = false
	}
}
