package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"wenda/bench"
	"wenda/client"
)

// benchKey is the admin key of the servers the upload benchmark starts.
const benchKey = "bench-admin-key-0123456789abcdef"

// uploads measures the upload path end to end against a real server: how
// fast 1,000 small files and one 300-page text are acknowledged and become
// searchable, and what searching costs while 1,000 files are ingested,
// against the same server idle.
func (b *bencher) uploads(ctx context.Context) error {
	files, err := os.MkdirTemp(b.work, "upload-files-")
	if err != nil {
		return err
	}
	small, err := bench.UploadFiles(files, 1000, 3, 1)
	if err != nil {
		return err
	}
	more := filepath.Join(files, "more")
	os.Mkdir(more, 0o755)
	during, err := bench.UploadFiles(more, 1000, 3, 2)
	if err != nil {
		return err
	}
	long, err := bench.LongText(files, 300, 3)
	if err != nil {
		return err
	}
	fi, _ := os.Stat(long)

	var (
		smallRes, longRes []bench.UploadResult
		idle, busy        []time.Duration
	)
	for r := range b.flags.runs {
		b.progress("uploads, run %d/%d", r+1, b.flags.runs)
		err := b.withServer(ctx, func(cl *client.Client, base string) error {
			res, err := bench.Upload(ctx, cl, "default", small, batchFiles, 2)
			if err != nil {
				return err
			}
			smallRes = append(smallRes, res)
			if res, err = bench.Upload(ctx, cl, "default", []string{long}, 1, 1); err != nil {
				return err
			}
			longRes = append(longRes, res)

			// Searches alone, then while 1,000 more files go in.
			stop := make(chan struct{})
			time.AfterFunc(5*time.Second, func() { close(stop) })
			lat, err := bench.SearchWhile(ctx, base, benchKey, bench.Questions(), stop)
			if err != nil {
				return err
			}
			idle = append(idle, lat...)
			stop = make(chan struct{})
			done := make(chan error, 1)
			go func() {
				_, err := bench.Upload(ctx, cl, "default", during, batchFiles, 2)
				close(stop)
				done <- err
			}()
			lat, err = bench.SearchWhile(ctx, base, benchKey, bench.Questions(), stop)
			if uerr := <-done; uerr != nil {
				return uerr
			}
			busy = append(busy, lat...)
			return err
		})
		if err != nil {
			return err
		}
	}

	med := func(rs []bench.UploadResult, f func(bench.UploadResult) float64) float64 {
		var xs []float64
		for _, r := range rs {
			xs = append(xs, f(r))
		}
		return bench.Median(xs)
	}
	secs := func(d time.Duration) float64 { return d.Seconds() }
	b.printf("## Uploads\n\nA fresh `wenda serve` (offline hash embedder, %d ingestion workers), rate limit off, files sent by HTTP as `wenda add` sends them (%d per request, 2 requests at a time); acknowledged = every 202 received (files fsynced, jobs queued), ready = every document searchable. Medians of %d runs.\n\n", b.env.Cfg.IngestWorkers, batchFiles, b.flags.runs)
	t := bench.Table{Header: []string{"upload", "size", "acknowledged s", "ready s", "files/s to ready", "MB/s to ready"}}
	s0 := smallRes[0]
	t.Add("1,000 small files (3 paragraphs each)", fmt.Sprintf("%.1f MB", float64(s0.Bytes)/1e6),
		fmt.Sprintf("%.2f", med(smallRes, func(r bench.UploadResult) float64 { return secs(r.Stored) })),
		fmt.Sprintf("%.2f", med(smallRes, func(r bench.UploadResult) float64 { return secs(r.Ready) })),
		fmt.Sprintf("%.0f", med(smallRes, func(r bench.UploadResult) float64 { return float64(r.Files) / secs(r.Ready) })),
		fmt.Sprintf("%.2f", med(smallRes, func(r bench.UploadResult) float64 { return float64(r.Bytes) / 1e6 / secs(r.Ready) })))
	t.Add("one 300-page text", fmt.Sprintf("%.1f MB", float64(fi.Size())/1e6),
		fmt.Sprintf("%.2f", med(longRes, func(r bench.UploadResult) float64 { return secs(r.Stored) })),
		fmt.Sprintf("%.2f", med(longRes, func(r bench.UploadResult) float64 { return secs(r.Ready) })),
		"–",
		fmt.Sprintf("%.2f", med(longRes, func(r bench.UploadResult) float64 { return float64(r.Bytes) / 1e6 / secs(r.Ready) })))
	t.Write(b.env.Stdout)

	b.printf("\n`GET /v1/search` (hybrid, k 5), one query at a time over HTTP, on the same server, holding the seed articles, the 1,000 files and the long text: idle for 5 s, then while 1,000 more files are uploaded and ingested; all runs pooled.\n\n")
	t = bench.Table{Header: []string{"while", "queries", "p50 ms", "p99 ms"}}
	t.Add("idle", strconv.Itoa(len(idle)), fmt.Sprintf("%.2f", ms(bench.Percentile(idle, 0.5))), fmt.Sprintf("%.2f", ms(bench.Percentile(idle, 0.99))))
	t.Add("1,000 files being ingested", strconv.Itoa(len(busy)), fmt.Sprintf("%.2f", ms(bench.Percentile(busy, 0.5))), fmt.Sprintf("%.2f", ms(bench.Percentile(busy, 0.99))))
	t.Write(b.env.Stdout)
	b.printf("\np50 ratio ingesting/idle: %.1f×; p99 ratio: %.1f×\n\n",
		ms(bench.Percentile(busy, 0.5))/ms(bench.Percentile(idle, 0.5)), ms(bench.Percentile(busy, 0.99))/ms(bench.Percentile(idle, 0.99)))
	return nil
}

// withServer starts wenda serve on a fresh data directory, waits until it
// is ready and runs f against it.
func (b *bencher) withServer(ctx context.Context, f func(cl *client.Client, base string) error) error {
	data, err := os.MkdirTemp(b.work, "upload-data-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(data)
	port, err := bench.FreePort()
	if err != nil {
		return err
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	cmd := exec.Command(b.exe, append([]string{"serve", "--data", data, "--addr", fmt.Sprintf("127.0.0.1:%d", port),
		"--log-level", "warn", "--ingest-workers", strconv.Itoa(b.env.Cfg.IngestWorkers), "--rate-limit", "0"}, b.indexFlags()...)...)
	cmd.Env = append(os.Environ(), "WENDA_ADMIN_KEY="+benchKey)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start server: %w", err)
	}
	defer stopChild(cmd)
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if _, err := bench.WaitReady(wctx, base, 10*time.Millisecond); err != nil {
		return err
	}
	cl, err := client.New(base, benchKey)
	if err != nil {
		return err
	}
	return f(cl, base)
}
