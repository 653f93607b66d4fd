package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"wenda/bench"
	"wenda/index"
	"wenda/ingest"
	"wenda/retrieval"
)

// benchWeaviate measures the Weaviate engine on a running cluster (the
// WENDA_WEAVIATE_* settings): the ingest rate of a synthetic corpus through
// the real pipeline, hybrid search latency at several numbers of
// concurrent clients, and each node's memory and disk.
//
//	wenda bench weaviate --chunks 100000 --conns 1,8,32 --duration 20s --weaviate-dir DIR [--reuse]
func (f *benchFlags) weaviate(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: bench weaviate takes flags only, not %q", errUsage, args[0])
	}
	chunks, conns, duration, dir, reuse := &f.chunks, &f.conns, &f.duration, &f.weaviateDir, &f.reuse
	var clients []int
	for _, s := range strings.Split(*conns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("%w: --conns %q", errUsage, *conns)
		}
		clients = append(clients, n)
	}
	if env.Cfg.Engine != "weaviate" {
		return fmt.Errorf("%w: wenda bench weaviate needs --engine weaviate and --weaviate-url", errUsage)
	}
	eng, _, err := env.openEngine(ctx, false)
	if err != nil {
		return err
	}
	defer func() { eng.Close() }()
	coll := fmt.Sprintf("bench-%d", *chunks)
	out := env.Stdout

	if !*reuse {
		if err := eng.DeleteCollection(ctx, coll); err != nil && !errors.Is(err, index.ErrNotFound) {
			return err
		}
		c, err := env.defaultCollection(ctx, false)
		if err != nil {
			return err
		}
		c.ID, c.Metadata = coll, index.Metadata{Title: coll}
		if _, err := eng.CreateCollection(ctx, c); err != nil {
			return err
		}
		docs, err := bench.CorpusStream(*chunks, c.Chunker)
		if err != nil {
			return err
		}
		x := &ingest.Indexer{Engine: eng, Embedders: env.registry().For}
		start := time.Now()
		rep, err := x.Sync(ctx, coll, docs, ingest.SyncOptions{})
		if err != nil {
			return err
		}
		took := time.Since(start)
		// As when "wenda ingest" ends: the process that wrote goes away,
		// leaving a snapshot of the term statistics (see index/weaviate).
		eng.Close()
		if eng, _, err = env.openEngine(ctx, false); err != nil {
			return err
		}
		fmt.Fprintf(out, "| corpus | documents | chunks | seconds | chunks/s |\n|---|--:|--:|--:|--:|\n")
		fmt.Fprintf(out, "| %s | %d | %d | %.1f | %.0f |\n\n", corpusName(*chunks), rep.Documents, rep.Chunks, took.Seconds(), float64(rep.Chunks)/took.Seconds())
	}
	info, err := eng.Collection(ctx, coll)
	if err != nil {
		return err
	}
	qs := bench.Questions()
	if err := coldSearches(ctx, env, coll, qs); err != nil {
		return err
	}
	s, err := env.searcher(eng)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Hybrid search of %d chunks (%d documents), %s per row:\n\n", info.Chunks, info.Documents, *duration)
	fmt.Fprintf(out, "| clients | queries | queries/s | p50 ms | p99 ms | errors |\n|--:|--:|--:|--:|--:|--:|\n")
	for _, n := range clients {
		lat, errs, err := searchLoad(ctx, s, coll, qs, n, *duration)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "| %d | %d | %.1f | %.1f | %.1f | %d |\n", n, len(lat), float64(len(lat))/duration.Seconds(),
			ms(bench.Percentile(lat, 0.5)), ms(bench.Percentile(lat, 0.99)), errs)
	}
	if *dir != "" {
		fmt.Fprintf(out, "\n| node | RSS MiB | peak RSS MiB | data on disk MB |\n|---|--:|--:|--:|\n")
		nodes, _ := filepath.Glob(filepath.Join(*dir, "node-*"))
		sort.Strings(nodes)
		for _, nd := range nodes {
			b, err := os.ReadFile(filepath.Join(nd, "pid"))
			if err != nil {
				fmt.Fprintf(out, "| %s | down | | |\n", filepath.Base(nd))
				continue
			}
			pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
			m, err := bench.ProcMemory(pid)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "| %s | %d | %d | %.0f |\n", filepath.Base(nd), m.Current>>20, m.Peak>>20, float64(dirSize(filepath.Join(nd, "data")))/1e6)
		}
	}
	return nil
}

// coldSearches measures a process that starts on the collection: its
// first search, which takes the collection's term statistics from its
// snapshot and checks every document's version against it, then every
// question once, each the first of its kind in the process.
func coldSearches(ctx context.Context, env *Env, coll string, qs []string) error {
	eng, _, err := env.openEngine(ctx, false)
	if err != nil {
		return err
	}
	defer eng.Close()
	s, err := env.searcher(eng)
	if err != nil {
		return err
	}
	var lat []time.Duration
	for _, q := range qs {
		t0 := time.Now()
		if _, err := s.Search(ctx, retrieval.Query{Collection: coll, Text: q, K: 5, Mode: retrieval.ModeHybrid}); err != nil {
			return fmt.Errorf("cold search: %w", err)
		}
		lat = append(lat, time.Since(t0))
	}
	rest := append([]time.Duration(nil), lat[1:]...)
	fmt.Fprintf(env.Stdout, "A new process: first search %.0f ms (it reads the term statistics' snapshot and checks every document's version); each of the other %d questions once: p50 %.1f ms, p99 %.1f ms, max %.1f ms.\n\n",
		ms(lat[0]), len(rest), ms(bench.Percentile(rest, 0.5)), ms(bench.Percentile(rest, 0.99)), ms(slices.Max(rest)))
	return nil
}

// searchLoad runs hybrid searches from n clients for d and returns every
// search's latency and the number that failed.
func searchLoad(ctx context.Context, s *retrieval.Searcher, coll string, qs []string, n int, d time.Duration) ([]time.Duration, int, error) {
	var (
		mu   sync.Mutex
		lat  []time.Duration
		errs int
		wg   sync.WaitGroup
	)
	end := time.Now().Add(d)
	for c := range n {
		wg.Go(func() {
			for i := c; time.Now().Before(end); i += n {
				t0 := time.Now()
				_, err := s.Search(ctx, retrieval.Query{Collection: coll, Text: qs[i%len(qs)], K: 5, Mode: retrieval.ModeHybrid})
				took := time.Since(t0)
				mu.Lock()
				if err != nil {
					errs++
				} else {
					lat = append(lat, took)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(lat) == 0 {
		return nil, errs, errors.New("bench: every search failed")
	}
	return lat, errs, nil
}

func corpusName(chunks int) string {
	switch {
	case chunks == 0:
		return "seed"
	case chunks%1_000_000 == 0:
		return fmt.Sprintf("%dM", chunks/1_000_000)
	case chunks%1000 == 0:
		return fmt.Sprintf("%dk", chunks/1000)
	}
	return strconv.Itoa(chunks)
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
