package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"wenda/answer"
	"wenda/endpoint"
	"wenda/feedback"
	"wenda/index"
	"wenda/index/embedded"
	"wenda/index/weaviate"
	"wenda/server"
)

func init() {
	register(command{
		name:    "serve",
		summary: "serve the HTTP API, the OpenAI-compatible chat endpoint and the web page",
		usage:   "[--addr :8080] [--data wenda-data]",
		setup:   noFlags(runServe),
	})
}

// runServe listens at once and loads (or, on a fresh machine, builds) the
// index in the background; /readyz turns 200 when it is in. It returns
// when ctx is done (SIGINT, SIGTERM) and the requests in flight have
// finished, or when the index cannot be loaded.
func runServe(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, args[0])
	}
	keys, err := env.keyring()
	if err != nil {
		return err
	}
	fb, err := feedback.Open(filepath.Join(env.Cfg.DataDir, feedback.FileName), 0)
	if err != nil {
		return err
	}
	defer fb.Close()
	ln, err := net.Listen("tcp", env.Cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", env.Cfg.Addr, err)
	}
	cfg := env.Cfg
	srv := server.New(server.Options{
		Logger:          env.Log,
		RequestTimeout:  cfg.RequestTimeout,
		ShutdownTimeout: cfg.ShutdownTimeout,
		Keys:            keys,
		Feedback:        fb,
		WriteTimeout:    cfg.WriteTimeout,
		RateLimit:       cfg.RateLimit,
		RateBurst:       cfg.RateBurst,
		MaxConcurrent:   cfg.MaxConcurrent,
		CORSOrigins:     cfg.CORSOrigins,
		TrustedProxies:  cfg.TrustedProxies,
		Services:        env.services(),
		Upload: server.UploadLimits{
			MaxFileBytes: int64(cfg.UploadMaxMiB) << 20,
			MaxFiles:     cfg.UploadMaxFiles,
			// Room for every file at its largest, within reason.
			MaxRequestBytes: min(int64(cfg.UploadMaxMiB)<<20*int64(cfg.UploadMaxFiles), 1<<30),
		},
	})
	env.Log.Info("listening", "addr", ln.Addr().String())
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s for metrics: %w", cfg.MetricsAddr, err)
		}
		ms := &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
		go func() { _ = ms.Serve(mln) }()
		defer ms.Close()
		env.Log.Info("serving metrics", "addr", mln.Addr().String())
	}
	go env.probeServices(ctx)

	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	loaded := make(chan index.Engine, 1)
	watchCtx, stopWatch := context.WithCancel(ctx)
	var watching sync.WaitGroup
	var uploadsOpen *ingestion // set before loaded is sent
	go func() {
		eng, search, st, err := env.openDefault(ctx, true)
		if err != nil {
			stop(fmt.Errorf("load index: %w", err))
			loaded <- nil
			return
		}
		status := &indexStatus{st: st}
		svc := newAnswerService(env, search)
		b := server.Backend{Asker: svc, Searcher: search, Library: eng, Index: status.get}
		if !st.ReadOnly {
			in, err := env.openIngestion(ctx, eng, env.Log)
			if err != nil {
				stop(fmt.Errorf("open uploads: %w", err))
				eng.Close()
				loaded <- nil
				return
			}
			uploadsOpen = in
			b.Catalog, b.Uploads, b.NewCollection = eng, in, env.newCollection
		} else {
			env.Log.Warn("the index is open read-only: collections cannot be changed nor documents uploaded")
		}
		if w, ok := eng.(*weaviate.Engine); ok {
			// Before saying ready: a first search would wait for them.
			t0 := time.Now()
			if err := w.LoadStats(ctx); err != nil {
				env.Log.Warn("term statistics not loaded; each collection loads them at its first search", "err", err)
			} else {
				env.Log.Info("term statistics loaded", "seconds", time.Since(t0).Seconds())
			}
		}
		srv.Ready(b)
		info, _ := eng.Collection(ctx, index.DefaultCollection)
		env.Log.Info("ready", "documents", info.Documents, "chunks", info.Chunks, "answerer", svc.Answerer(), "model", svc.Model(), "read_only", st.ReadOnly)
		if emb, ok := eng.(*embedded.Engine); ok && !st.ReadOnly {
			// A bulk wenda ingest run while this server holds the data
			// directory hands its documents over through the inbox.
			watching.Go(func() {
				emb.WatchInbox(watchCtx, 2*time.Second, func(rep embedded.InboxReport, err error) {
					if err != nil {
						env.Log.Error("could not apply what a bulk ingest handed over; it stays in the inbox and is tried again", "err", err)
					}
					for _, r := range rep.Rejected {
						env.Log.Error("set aside a batch a bulk ingest handed over", "batch", r)
					}
					if rep.Files > 0 {
						status.applied(rep.Documents + rep.Deleted)
						env.Log.Info("indexed the documents a bulk ingest handed over", "put", rep.Documents, "deleted", rep.Deleted, "chunks", rep.Chunks, "batches", rep.Files)
					}
				})
			})
		}
		loaded <- eng
		// Checked after the server is ready, since reading a large corpus
		// takes a while and only produces a warning.
		if drift, err := env.corpusDrift(ctx, eng); err != nil {
			env.Log.Warn("could not compare the index with the corpus", "err", err)
		} else if drift != "" {
			env.Log.Warn("the index was built from other articles than the configured corpus; run wenda ingest to update it", "difference", drift)
		}
	}()

	err = srv.Serve(ctx, ln)
	eng := <-loaded
	stopWatch()
	watching.Wait()
	if eng != nil {
		if uploadsOpen != nil {
			if cerr := uploadsOpen.Close(); cerr != nil {
				env.Log.Warn("close uploads", "err", cerr)
			}
		}
		if cerr := eng.Close(); cerr != nil {
			env.Log.Warn("close index", "err", cerr)
		}
	}
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	return err
}

// services lists the configured external services for /readyz.
func (e *Env) services() []server.Service {
	var out []server.Service
	if e.llmEndpoint().Enabled() {
		out = append(out, server.Service{Name: "llm", Monitor: &e.llmHealth})
	}
	if e.Cfg.Embedder == "openai" {
		out = append(out, server.Service{Name: "embeddings", Monitor: &e.embedHealth})
	}
	if e.Cfg.RerankBaseURL != "" {
		out = append(out, server.Service{Name: "rerank", Monitor: &e.rerankHealth})
	}
	return out
}

// probeServices makes one cheap call to each configured model service at
// start, so that a wrong key or address shows in the log and in /readyz
// before the first user meets it.
func (e *Env) probeServices(ctx context.Context) {
	probe := func(name string, c endpoint.Config) {
		err := endpoint.Probe(ctx, c, name)
		switch {
		case err == nil:
			e.Log.Info("model service reachable", "service", name, "model", c.Model)
		case errors.Is(err, endpoint.ErrModelNotListed):
			e.Log.Warn("model service reachable, but it does not list the configured model; check the model name", "service", name, "model", c.Model)
		case errors.Is(err, endpoint.ErrRejected):
			e.Log.Warn("model service refuses the configured key or request; answers will fall back until it is fixed", "service", name, "url", c.BaseURL, "err", err)
		default:
			e.Log.Warn("model service cannot be reached; answers will fall back until it can", "service", name, "url", c.BaseURL, "err", err)
		}
	}
	if c := e.llmEndpoint(); c.Enabled() {
		probe("llm", c)
	}
	if e.Cfg.Embedder == "openai" {
		probe("embeddings", e.embedEndpoint())
	}
}

// newAnswerService answers with the configured LLM, or offline with the
// extractive answerer when none is configured. Unless --llm-fallback=false,
// when the LLM fails before any text went out, the extractive answer is
// given instead, marked as a fallback, rather than an error.
func newAnswerService(env *Env, search answer.Searcher) *answer.Service {
	opts := answer.Options{
		MinAnswerability: env.Cfg.MinAnswerability,
		ContextRunes:     env.Cfg.ContextRunes,
		FallbackOnError:  env.Cfg.LLMFallback,
	}
	if llm := env.llmEndpoint(); llm.Enabled() {
		opts.Generator = answer.NewLLM(llm)
	}
	return answer.NewService(search, opts)
}

// indexStatus is what /readyz says about the index, updated as bulk
// ingests are applied.
type indexStatus struct {
	mu sync.Mutex
	st server.IndexStatus
}

func (s *indexStatus) get() server.IndexStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st
}

func (s *indexStatus) applied(docs int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now().UTC()
	s.st.Updated, s.st.Documents = &now, docs
}
