package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"wenda/bench"
	"wenda/index"
	"wenda/index/embedded"
	"wenda/ingest"
	"wenda/retrieval"
)

// benchFlags are the settings of wenda bench beyond the common ones.
type benchFlags struct {
	runs         int
	queries      int
	chunks       int
	ingestSizes  string
	searchSizes  string
	startupSizes string
	liveSizes    string
	cpuProfile   string
	work         string
	reuse        bool
	bandwidthMiB int
	// Of "bench weaviate":
	conns       string
	duration    time.Duration
	weaviateDir string
}

func init() {
	register(command{
		name:    "bench",
		summary: "measure ingest, retrieval latency, start-up time and memory on synthetic corpora",
		usage:   "[ingest] [search] [startup] [uploads] [live] | build --chunks N --data DIR | questions | weaviate [--chunks N] [--conns 1,8,32] [--weaviate-dir DIR]",
		setup: func(fs *flag.FlagSet) runFunc {
			f := &benchFlags{}
			fs.IntVar(&f.runs, "runs", 5, "runs of each measurement; the tables show the median")
			fs.IntVar(&f.queries, "queries", 200, "queries per mode in each retrieval run")
			fs.IntVar(&f.chunks, "chunks", 100_000, "chunks of the synthetic corpus that build makes (0: the seed corpus)")
			fs.StringVar(&f.ingestSizes, "ingest-sizes", "0,10000,100000", "corpora to ingest, in chunks (0: the seed corpus)")
			fs.StringVar(&f.searchSizes, "search-sizes", "1000,10000,100000", "synthetic corpora to query, in chunks")
			fs.StringVar(&f.startupSizes, "startup-sizes", "0,100000", "indexes to start the server on, in chunks (0: the seed corpus)")
			fs.StringVar(&f.liveSizes, "live-sizes", "100000", "synthetic corpora to upload into while searching, in chunks")
			fs.StringVar(&f.work, "work", "", "folder for the indexes the benchmark builds (default: a temporary one, removed afterwards)")
			fs.BoolVar(&f.reuse, "reuse", false, "use the indexes already in --work when they open, instead of building them again")
			fs.StringVar(&f.conns, "conns", "1,8,32", "bench weaviate: numbers of concurrent clients to search with")
			fs.DurationVar(&f.duration, "duration", 20*time.Second, "bench weaviate: how long each number of clients searches")
			fs.StringVar(&f.weaviateDir, "weaviate-dir", "", "bench weaviate: the folder .ci/weaviate.sh keeps its nodes in, for their memory and disk")
			fs.IntVar(&f.bandwidthMiB, "bandwidth-mib", 512, "buffer size of the memory-bandwidth measurement, far above the last-level cache")
			fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of build or ingest-once to this file")
			return f.run
		},
	})
}

// run measures what the selected phases cost and prints Markdown
// tables. Each ingest and each server runs in a child process of its own,
// so that its peak resident set is its own.
func (f *benchFlags) run(ctx context.Context, env *Env, args []string) error {
	if f.cpuProfile != "" {
		pf, err := os.Create(f.cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer func() { pprof.StopCPUProfile(); pf.Close() }()
	}
	if len(args) > 0 {
		switch args[0] {
		case "build", "ingest-once":
			bulkGC(os.Getenv)
		}
		switch args[0] {
		case "build":
			return f.build(ctx, env, args[1:])
		case "ingest-once":
			return f.ingestOnce(ctx, env, args[1:])
		case "weaviate":
			return f.weaviate(ctx, env, args[1:])
		case "questions":
			for _, q := range bench.Questions() {
				fmt.Fprintln(env.Stdout, q)
			}
			return nil
		}
	}
	phases := map[string]bool{}
	for _, a := range args {
		switch a {
		case "ingest", "search", "startup", "uploads", "live":
			phases[a] = true
		default:
			return fmt.Errorf("%w: unknown phase %q", errUsage, a)
		}
	}
	if len(phases) == 0 {
		phases = map[string]bool{"ingest": true, "search": true, "startup": true}
	}
	if f.runs < 1 || f.queries < 1 {
		return fmt.Errorf("%w: --runs and --queries must be at least 1", errUsage)
	}
	b, err := newBencher(env, f)
	if err != nil {
		return err
	}
	defer b.cleanup()

	b.machine()
	if phases["ingest"] {
		if err := b.ingest(ctx); err != nil {
			return err
		}
	}
	if phases["search"] {
		if err := b.search(ctx); err != nil {
			return err
		}
	}
	if phases["startup"] {
		if err := b.startup(ctx); err != nil {
			return err
		}
	}
	if phases["uploads"] {
		if err := b.uploads(ctx); err != nil {
			return err
		}
	}
	if phases["live"] {
		if err := b.live(ctx); err != nil {
			return err
		}
	}
	return nil
}

// build writes an index of a synthetic corpus (or of the seed corpus)
// into the data directory, for the server to be measured on.
func (f *benchFlags) build(ctx context.Context, env *Env, args []string) error {
	res, err := f.ingest(ctx, env, args)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "indexed %d documents, %d chunks in %.2fs; index %.1f MB in %s\n",
		res.Documents, res.Chunks, res.Seconds, float64(res.IndexBytes)/1e6, env.Cfg.DataDir)
	return nil
}

// ingestOnce is one timed ingest into an empty data directory; it
// prints a bench.IngestResult as JSON for the parent process.
func (f *benchFlags) ingestOnce(ctx context.Context, env *Env, args []string) error {
	res, err := f.ingest(ctx, env, args)
	if err != nil {
		return err
	}
	return json.NewEncoder(env.Stdout).Encode(res)
}

// ingest indexes the corpus the flags ask for into the data directory,
// timed.
func (f *benchFlags) ingest(ctx context.Context, env *Env, args []string) (bench.IngestResult, error) {
	if len(args) > 0 {
		return bench.IngestResult{}, fmt.Errorf("%w: unexpected argument %q", errUsage, args[0])
	}
	coll, err := env.defaultCollection(ctx, true)
	if err != nil {
		return bench.IngestResult{}, err
	}
	return bench.IngestOnce(ctx, bench.IngestConfig{Dir: env.Cfg.DataDir, Collection: coll, Embedders: env.registry().For, Chunks: f.chunks})
}

// bencher runs the phases and prints their tables.
type bencher struct {
	env   *Env
	flags *benchFlags
	exe   string
	work  string
	temp  bool
	bw    bench.Bandwidth
}

func newBencher(env *Env, f *benchFlags) (*bencher, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	b := &bencher{env: env, flags: f, exe: exe, work: f.work}
	if b.work == "" {
		if b.work, err = os.MkdirTemp("", "wenda-bench-"); err != nil {
			return nil, err
		}
		b.temp = true
	} else if err := os.MkdirAll(b.work, 0o755); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *bencher) cleanup() {
	if b.temp {
		os.RemoveAll(b.work)
	}
}

func (b *bencher) printf(format string, a ...any) { fmt.Fprintf(b.env.Stdout, format, a...) }

// progress goes to stderr so that stdout holds only the tables.
func (b *bencher) progress(format string, a ...any) {
	fmt.Fprintf(b.env.Stderr, "bench: "+format+"\n", a...)
}

// machine prints what the figures were measured on, and measures the
// memory bandwidth that the vector scan is compared with.
func (b *bencher) machine() {
	b.progress("measuring memory bandwidth")
	b.bw = bench.MeasureBandwidth(max(b.flags.bandwidthMiB, 64)<<20, 5)
	runtime.GC()
	b.printf("## Machine\n\n")
	t := bench.Table{Header: []string{"what", "value"}}
	t.Add("CPU", cpuModel())
	t.Add("cores (nproc)", strconv.Itoa(runtime.NumCPU()))
	t.Add("Go", runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH)
	t.Add("memory read bandwidth, one core", fmt.Sprintf("%.1f GB/s", b.bw.Read/1e9))
	t.Add("memory copy bandwidth, one core", fmt.Sprintf("%.1f GB/s", b.bw.Copy/1e9))
	t.Add("runs per figure (median shown)", strconv.Itoa(b.flags.runs))
	t.Write(b.env.Stdout)
	b.printf("\n")
}

// ingest times fresh ingests of each corpus size, each in a child process.
func (b *bencher) ingest(ctx context.Context) error {
	sizes, err := parseSizes(b.flags.ingestSizes)
	if err != nil {
		return err
	}
	b.printf("## Ingest\n\nA fresh index each run by the bulk path (wenda ingest's): documents made as the ingest asks for them → chunks → index terms and hash embeddings on every core → batches of 2,048 chunks put into the embedded engine (document log and bleve postings, fsynced per batch).\n\n")
	t := bench.Table{Header: []string{"corpus", "documents", "chunks", "text MB", "seconds", "chunks/s", "MB/s", "peak RSS MiB", "index MB"}}
	for _, n := range sizes {
		var rs []bench.IngestResult
		for r := range b.flags.runs {
			b.progress("ingest %s, run %d/%d", sizeLabel(n), r+1, b.flags.runs)
			dir, err := os.MkdirTemp(b.work, "ingest-")
			if err != nil {
				return err
			}
			out, err := b.child(ctx, 3*time.Hour, "bench", "ingest-once", "--chunks", strconv.Itoa(n), "--data", dir)
			os.RemoveAll(dir)
			if err != nil {
				return err
			}
			var res bench.IngestResult
			if err := json.Unmarshal(out, &res); err != nil {
				return fmt.Errorf("ingest result: %w", err)
			}
			rs = append(rs, res)
		}
		med := func(f func(bench.IngestResult) float64) float64 {
			xs := make([]float64, len(rs))
			for i, r := range rs {
				xs[i] = f(r)
			}
			return bench.Median(xs)
		}
		t.Add(sizeLabel(n), strconv.Itoa(rs[0].Documents), strconv.Itoa(rs[0].Chunks),
			fmt.Sprintf("%.1f", float64(rs[0].TextBytes)/1e6),
			fmt.Sprintf("%.2f", med(func(r bench.IngestResult) float64 { return r.Seconds })),
			fmt.Sprintf("%.0f", med(bench.IngestResult.ChunksPerSecond)),
			fmt.Sprintf("%.2f", med(bench.IngestResult.MBPerSecond)),
			fmt.Sprintf("%.0f", med(func(r bench.IngestResult) float64 { return float64(r.PeakRSS) / (1 << 20) })),
			fmt.Sprintf("%.0f", med(func(r bench.IngestResult) float64 { return float64(r.IndexBytes) / 1e6 })))
	}
	t.Write(b.env.Stdout)
	b.printf("\n")
	return nil
}

// search times queries in each mode on indexes of each size, and
// chromem-go's query on the same vectors.
func (b *bencher) search(ctx context.Context) error {
	sizes, err := parseSizes(b.flags.searchSizes)
	if err != nil {
		return err
	}
	qs := bench.Questions()
	b.printf("## Retrieval\n\n%d questions in turn, %d queries per mode and run, one at a time; milliseconds. ", len(qs), b.flags.queries)
	b.printf("The modes are whole searches (embedding, both legs, fusion, passages, relevance); chromem is the vector leg alone, chromem-go's QueryEmbedding for the candidate pool over the collection (it scans on every core). ")
	b.printf("The limit is the bytes of vectors one query reads divided by one core's read bandwidth above; × limit is chromem's p50 over that. Load is the time to read the vectors from the document log into chromem-go.\n\n")
	t := bench.Table{Header: []string{"chunks", "bm25 p50", "bm25 p99", "vector p50", "vector p99", "hybrid p50", "hybrid p99", "chromem p50", "chromem p99", "limit", "chromem × limit", "load s"}}
	for _, n := range sizes {
		ix, load, err := b.index(ctx, n)
		if err != nil {
			return err
		}
		row, err := b.searchRow(ctx, ix, load, qs)
		ix.Close()
		runtime.GC()
		if err != nil {
			return err
		}
		t.Add(row...)
	}
	t.Write(b.env.Stdout)
	b.printf("\n")
	return nil
}

func (b *bencher) searchRow(ctx context.Context, eng *embedded.Engine, load time.Duration, qs []string) ([]string, error) {
	s, err := b.env.searcher(eng)
	if err != nil {
		return nil, err
	}
	info, err := eng.Collection(ctx, index.DefaultCollection)
	if err != nil {
		return nil, err
	}
	emb, err := b.env.registry().For(info.Embedder)
	if err != nil {
		return nil, err
	}
	coll := index.DefaultCollection
	modes := []retrieval.Mode{retrieval.ModeBM25, retrieval.ModeVector, retrieval.ModeHybrid}
	// Warm up: every question once in every mode.
	for _, m := range modes {
		if _, err := bench.SearchLatencies(ctx, s, coll, m, qs, len(qs)); err != nil {
			return nil, err
		}
	}
	p50 := map[retrieval.Mode][]float64{}
	p99 := map[retrieval.Mode][]float64{}
	var cp50, cp99 []float64
	k := max(4*b.env.Cfg.K, 40) // the candidate pool a query asks each leg for
	for r := range b.flags.runs {
		b.progress("querying %d chunks, run %d/%d", info.Chunks, r+1, b.flags.runs)
		for _, m := range modes {
			lat, err := bench.SearchLatencies(ctx, s, coll, m, qs, b.flags.queries)
			if err != nil {
				return nil, err
			}
			p50[m] = append(p50[m], ms(bench.Percentile(lat, 0.5)))
			p99[m] = append(p99[m], ms(bench.Percentile(lat, 0.99)))
		}
		lat, err := bench.VectorLatencies(ctx, eng, emb, coll, qs, b.flags.queries, k)
		if err != nil {
			return nil, err
		}
		cp50 = append(cp50, ms(bench.Percentile(lat, 0.5)))
		cp99 = append(cp99, ms(bench.Percentile(lat, 0.99)))
	}
	bytes := float64(info.Chunks) * float64(info.Embedder.Dim) * 4
	limit := bytes / b.bw.Read * 1000
	f := func(x float64) string { return fmt.Sprintf("%.2f", x) }
	return []string{
		strconv.Itoa(info.Chunks),
		f(bench.Median(p50[retrieval.ModeBM25])), f(bench.Median(p99[retrieval.ModeBM25])),
		f(bench.Median(p50[retrieval.ModeVector])), f(bench.Median(p99[retrieval.ModeVector])),
		f(bench.Median(p50[retrieval.ModeHybrid])), f(bench.Median(p99[retrieval.ModeHybrid])),
		f(bench.Median(cp50)), f(bench.Median(cp99)),
		f(limit), fmt.Sprintf("%.1f×", bench.Median(cp50)/limit), fmt.Sprintf("%.2f", load.Seconds()),
	}, nil
}

// live measures the live index: what one upload of a 10-page document
// costs in a large collection, and search latency while 1,000 small files
// are uploaded one by one, against idle.
func (b *bencher) live(ctx context.Context) error {
	sizes, err := parseSizes(b.flags.liveSizes)
	if err != nil {
		return err
	}
	src, err := bench.SeedSource()
	if err != nil {
		return err
	}
	b.printf("## Live index\n\nUploads go through the upload path (chunk, embed, one atomic Put per document, fsynced) into a collection of the given size while it is loaded as a server holds it. ")
	b.printf("A 10-page document is about 6,000 characters; each of %d runs uploads one and deletes it. ", b.flags.runs)
	b.printf("Search is hybrid, %d queries idle; during, as many as run while 1,000 small files (a few hundred characters each) are uploaded one after another. Milliseconds.\n\n", b.flags.queries)
	t := bench.Table{Header: []string{"chunks", "10-page upload", "its chunks", "delete", "search p50 idle", "p99 idle", "p50 during", "p99 during", "queries during", "files/s"}}
	for _, n := range sizes {
		eng, _, err := b.index(ctx, n)
		if err != nil {
			return err
		}
		row, err := b.liveRow(ctx, eng, src)
		eng.Close()
		runtime.GC()
		if err != nil {
			return err
		}
		t.Add(row...)
	}
	t.Write(b.env.Stdout)
	b.printf("\n")
	return nil
}

func (b *bencher) liveRow(ctx context.Context, eng *embedded.Engine, src *bench.Source) ([]string, error) {
	coll := index.DefaultCollection
	s, err := b.env.searcher(eng)
	if err != nil {
		return nil, err
	}
	x := &ingest.Indexer{Engine: eng, Embedders: b.env.registry().For}
	info, err := eng.Collection(ctx, coll)
	if err != nil {
		return nil, err
	}
	var put, del []float64
	chunks := 0
	for i, d := range src.Documents(b.flags.runs, bench.TenPages, bench.Seed+1, "upload") {
		b.progress("uploading a 10-page document into %d chunks, run %d/%d", info.Chunks, i+1, b.flags.runs)
		start := time.Now()
		n, err := x.Put(ctx, coll, d, nil)
		if err != nil {
			return nil, err
		}
		put = append(put, ms(time.Since(start)))
		chunks = n
		start = time.Now()
		if err := x.Delete(ctx, coll, d.ID); err != nil {
			return nil, err
		}
		del = append(del, ms(time.Since(start)))
	}
	qs := bench.Questions()
	if _, err := bench.SearchLatencies(ctx, s, coll, retrieval.ModeHybrid, qs, len(qs)); err != nil {
		return nil, err
	}
	b.progress("searching %d chunks idle", info.Chunks)
	idle, err := bench.SearchLatencies(ctx, s, coll, retrieval.ModeHybrid, qs, b.flags.queries)
	if err != nil {
		return nil, err
	}
	files := src.Documents(1000, bench.SmallFile, bench.Seed+2, "file")
	b.progress("searching %d chunks while 1,000 files are uploaded", info.Chunks)
	var took time.Duration
	during, err := bench.SearchDuring(ctx, s, coll, qs, func(ctx context.Context) error {
		start := time.Now()
		defer func() { took = time.Since(start) }()
		for _, d := range files {
			if _, err := x.Put(ctx, coll, d, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, d := range files {
		ids = append(ids, d.ID)
	}
	if err := eng.Delete(ctx, coll, ids...); err != nil {
		return nil, err
	}
	f := func(x float64) string { return fmt.Sprintf("%.2f", x) }
	return []string{
		strconv.Itoa(info.Chunks), f(bench.Median(put)), strconv.Itoa(chunks), f(bench.Median(del)),
		f(ms(bench.Percentile(idle, 0.5))), f(ms(bench.Percentile(idle, 0.99))),
		f(ms(bench.Percentile(during, 0.5))), f(ms(bench.Percentile(during, 0.99))),
		strconv.Itoa(len(during)), fmt.Sprintf("%.1f", float64(len(files))/took.Seconds()),
	}, nil
}

// startup starts wenda serve on a persisted index and times how long it
// takes until /readyz answers 200, then reads its peak resident set, at
// ready and after some queries.
func (b *bencher) startup(ctx context.Context) error {
	sizes, err := parseSizes(b.flags.startupSizes)
	if err != nil {
		return err
	}
	b.printf("## Start-up\n\nwenda serve on a persisted index: seconds from exec to the first 200 of /readyz, and its VmHWM then and after 200 searches and 50 offline answers, with their p50 over HTTP (ms).\n\n")
	t := bench.Table{Header: []string{"corpus", "chunks", "ready s", "VmHWM at ready MiB", "VmHWM after queries MiB", "search p50", "ask p50"}}
	for _, n := range sizes {
		ix, _, err := b.index(ctx, n)
		if err != nil {
			return err
		}
		info, err := ix.Collection(ctx, index.DefaultCollection)
		ix.Close()
		if err != nil {
			return err
		}
		chunks, docs := info.Chunks, info.Documents
		runtime.GC()
		var ready, atReady, after, search, ask []float64
		for r := range b.flags.runs {
			b.progress("starting the server on %s, run %d/%d", sizeLabel(n), r+1, b.flags.runs)
			s, err := b.serveOnce(ctx, b.indexDir(n), docs)
			if err != nil {
				return err
			}
			ready = append(ready, s.ready.Seconds())
			atReady = append(atReady, float64(s.atReady)/(1<<20))
			after = append(after, float64(s.after)/(1<<20))
			search = append(search, ms(s.search50))
			ask = append(ask, ms(s.ask50))
		}
		t.Add(sizeLabel(n), strconv.Itoa(chunks), fmt.Sprintf("%.2f", bench.Median(ready)),
			fmt.Sprintf("%.0f", bench.Median(atReady)), fmt.Sprintf("%.0f", bench.Median(after)),
			fmt.Sprintf("%.1f", bench.Median(search)), fmt.Sprintf("%.1f", bench.Median(ask)))
	}
	t.Write(b.env.Stdout)
	b.printf("\n")
	return nil
}

type serveResult struct {
	ready           time.Duration
	atReady, after  int64
	search50, ask50 time.Duration
}

// serveOnce starts wenda serve on the index in dir, which holds docs
// documents; a server that reports another count has not loaded that
// index (it rebuilt one from the corpus), and the run fails.
func (b *bencher) serveOnce(ctx context.Context, dir string, docs int) (res serveResult, err error) {
	port, err := bench.FreePort()
	if err != nil {
		return res, err
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	cmd := exec.Command(b.exe, append([]string{"serve", "--data", dir, "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--log-level", "warn", "--rate-limit", "0"}, b.indexFlags()...)...)
	// The server's log is shown only when it fails: while it loads, each
	// poll of /readyz logs a warning.
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, fmt.Errorf("start server: %w", err)
	}
	defer func() {
		stopChild(cmd)
		if err != nil {
			b.env.Stderr.Write(logs.Bytes())
		}
	}()
	// A million chunks take minutes to load and seconds per query on two
	// cores: the limits are generous, the timings are what is reported.
	wctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	got, err := bench.WaitReady(wctx, base, 2*time.Millisecond)
	if err != nil {
		return res, err
	}
	res.ready = time.Since(start)
	if got != docs {
		return res, fmt.Errorf("the server loaded %d documents, not the %d of the index in %s", got, docs, dir)
	}
	m, err := bench.ProcMemory(cmd.Process.Pid)
	if err != nil {
		return res, err
	}
	res.atReady = m.Peak
	qctx, qcancel := context.WithTimeout(ctx, time.Hour)
	defer qcancel()
	search, ask, err := bench.Exercise(qctx, base, bench.Questions(), 200)
	if err != nil {
		return res, err
	}
	res.search50, res.ask50 = bench.Percentile(search, 0.5), bench.Percentile(ask, 0.5)
	if m, err = bench.ProcMemory(cmd.Process.Pid); err != nil {
		return res, err
	}
	res.after = m.Peak
	return res, nil
}

func (b *bencher) indexDir(chunks int) string {
	return filepath.Join(b.work, "index-"+strconv.Itoa(chunks))
}

// index builds the index of a corpus of the given size in a child process
// and opens it, timing how long its vectors take to load; with --reuse,
// an index already there that opens is used.
func (b *bencher) index(ctx context.Context, chunks int) (*embedded.Engine, time.Duration, error) {
	dir := b.indexDir(chunks)
	open := func() (*embedded.Engine, time.Duration, error) {
		eng, err := embedded.Open(ctx, dir, embedded.Options{})
		if err != nil {
			return nil, 0, err
		}
		info, err := eng.Collection(ctx, index.DefaultCollection)
		if err != nil {
			eng.Close()
			return nil, 0, err
		}
		start := time.Now()
		// The first vector query loads the collection's vectors.
		if _, err := eng.Vector(ctx, index.DefaultCollection, make([]float32, info.Embedder.Dim), 1, index.Filter{}); err != nil {
			eng.Close()
			return nil, 0, err
		}
		return eng, time.Since(start), nil
	}
	if b.flags.reuse {
		if eng, load, err := open(); err == nil {
			return eng, load, nil
		}
	}
	os.RemoveAll(dir)
	b.progress("building the index of %s", sizeLabel(chunks))
	if _, err := b.child(ctx, 3*time.Hour, "bench", "build", "--chunks", strconv.Itoa(chunks), "--data", dir); err != nil {
		return nil, 0, err
	}
	return open()
}

// stopChild asks a child to stop and kills it if it has not within ten
// seconds.
func stopChild(cmd *exec.Cmd) {
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// child runs wenda with args and the index settings of this run, bounded
// in time, and returns its stdout.
func (b *bencher) child(ctx context.Context, limit time.Duration, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.exe, append(args, b.indexFlags()...)...)
	cmd.Stderr = os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("wenda %s: %w", strings.Join(args, " "), err)
	}
	return out, nil
}

// indexFlags pass this run's embedder and chunker on to child processes,
// so that they build and open the same index.
func (b *bencher) indexFlags() []string {
	c := b.env.Cfg
	return []string{
		"--embedder", c.Embedder, "--embed-dim", strconv.Itoa(c.EmbedDim),
		"--chunk-runes", strconv.Itoa(c.ChunkRunes), "--overlap-runes", strconv.Itoa(c.OverlapRunes),
	}
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%w: size %q is not a chunk count", errUsage, f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("no sizes given")
	}
	return out, nil
}

func sizeLabel(n int) string {
	if n == 0 {
		return "seed"
	}
	if n%1000 == 0 {
		return strconv.Itoa(n/1000) + "k"
	}
	return strconv.Itoa(n)
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

func cpuModel() string {
	raw, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
