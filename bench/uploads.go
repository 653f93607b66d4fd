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

	"wenda/client"
)

// UploadFiles writes n text files into dir, each of paras paragraphs of
// the shipped articles in a seeded random order, with a heading naming the
// file, and returns their paths.
func UploadFiles(dir string, n, paras int, seed uint64) ([]string, error) {
	src, err := seedParagraphs()
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 10))
	paths := make([]string, n)
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "# 文件 %d\n\n", i+1)
		for range paras {
			b.WriteString(src[rng.IntN(len(src))] + "\n\n")
		}
		paths[i] = filepath.Join(dir, fmt.Sprintf("doc-%05d.md", i+1))
		if err := os.WriteFile(paths[i], []byte(b.String()), 0o644); err != nil {
			return nil, err
		}
	}
	return paths, nil
}

// LongText writes one plain-text file of about pages pages of 1,800
// characters each, the size of a dense printed page of Chinese, made of the
// shipped articles' paragraphs, and returns its path.
func LongText(dir string, pages int, seed uint64) (string, error) {
	src, err := seedParagraphs()
	if err != nil {
		return "", err
	}
	rng := rand.New(rand.NewPCG(seed, 11))
	var b strings.Builder
	for p := range pages {
		n := 0
		for n < 1800 {
			para := src[rng.IntN(len(src))]
			b.WriteString(para + "\n\n")
			n += len([]rune(para))
		}
		fmt.Fprintf(&b, "— %d —\n\n", p+1)
	}
	path := filepath.Join(dir, fmt.Sprintf("long-%dp.txt", pages))
	return path, os.WriteFile(path, []byte(b.String()), 0o644)
}

func seedParagraphs() ([]string, error) {
	docs, err := SeedDocuments()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range docs {
		for _, p := range strings.Split(d.Body(), "\n") {
			if p = strings.TrimSpace(p); len([]rune(p)) >= 40 {
				out = append(out, p)
			}
		}
	}
	return out, nil
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
