package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"wenda/client"
)

// UploadFiles writes n Markdown files into dir, each of paras paragraphs
// of the shipped articles' sentences recombined (see Source), under a
// heading naming the file, and returns their paths.
func UploadFiles(dir string, n, paras int, seed uint64) ([]string, error) {
	src, err := SeedSource()
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 10))
	shape := Shape{MinParagraphs: paras, MaxParagraphs: paras, MinSentences: 2, MaxSentences: 4}
	paths := make([]string, n)
	for i := range n {
		d := src.document(rng, i, shape)
		paths[i] = filepath.Join(dir, fmt.Sprintf("doc-%05d.md", i+1))
		body := fmt.Sprintf("# 文件 %d\n\n%s\n", i+1, d.Text)
		if err := os.WriteFile(paths[i], []byte(body), 0o644); err != nil {
			return nil, err
		}
	}
	return paths, nil
}

// LongText writes one plain-text file of about pages pages of 1,800
// characters each, the size of a dense printed page of Chinese, made of
// the shipped articles' sentences recombined into paragraphs that do not
// repeat, and returns its path.
func LongText(dir string, pages int, seed uint64) (string, error) {
	src, err := SeedSource()
	if err != nil {
		return "", err
	}
	rng := rand.New(rand.NewPCG(seed, 11))
	shape := Shape{MinParagraphs: 1, MaxParagraphs: 1, MinSentences: 2, MaxSentences: 5}
	var b strings.Builder
	for p := range pages {
		for n := 0; n < 1800; {
			d := src.document(rng, p, shape)
			b.WriteString(d.Text + "\n\n")
			n += utf8.RuneCountInString(d.Text)
		}
		fmt.Fprintf(&b, "— %d —\n\n", p+1)
	}
	path := filepath.Join(dir, fmt.Sprintf("long-%dp.txt", pages))
	return path, os.WriteFile(path, []byte(b.String()), 0o644)
}

// UploadResult is what one upload run measured.
type UploadResult struct {
	Files  int
	Bytes  int64
	Failed int
	// Stored is the time until the server had acknowledged (202) every
	// file; Ready until every document was ready or failed.
	Stored, Ready time.Duration
}

// Upload sends the files to the collection, perRequest files in each
// request and parallel requests at a time, then polls until every document
// is ready or failed.
func Upload(ctx context.Context, cl *client.Client, coll string, paths []string, perRequest, parallel int) (UploadResult, error) {
	res := UploadResult{Files: len(paths)}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return res, err
		}
		res.Bytes += fi.Size()
	}
	start := time.Now()
	errs := make(chan error, len(paths))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i := 0; i < len(paths); i += perRequest {
		batch := paths[i:min(i+perRequest, len(paths))]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if _, err := cl.UploadFiles(ctx, coll, batch); err != nil {
				errs <- fmt.Errorf("upload %s…: %w", batch[0], err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return res, err
	}
	res.Stored = time.Since(start)
	for {
		c, err := cl.Collection(ctx, coll)
		if err != nil {
			return res, err
		}
		if c.Queued == 0 {
			res.Failed = c.Failed
			break
		}
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	res.Ready = time.Since(start)
	return res, nil
}

// SearchWhile sends searches to the server one after another, cycling
// through qs, until stop is closed, and returns their latencies.
func SearchWhile(ctx context.Context, base, key string, qs []string, stop <-chan struct{}) ([]time.Duration, error) {
	hc := &http.Client{Timeout: 30 * time.Second}
	var lat []time.Duration
	for i := 0; ; i++ {
		select {
		case <-stop:
			return lat, nil
		default:
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v1/search?q="+url.QueryEscape(qs[i%len(qs)]), nil)
		if err != nil {
			return lat, err
		}
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		t := time.Now()
		resp, err := hc.Do(req)
		if err != nil {
			return lat, err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return lat, fmt.Errorf("search: status %d", resp.StatusCode)
		}
		lat = append(lat, time.Since(t))
	}
}
