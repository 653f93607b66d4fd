package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"

	"wenda/answer"
	"wenda/feedback"
	"wenda/retrieval"
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
	srv := server.New(server.Options{
		Logger:          env.Log,
		RequestTimeout:  env.Cfg.RequestTimeout,
		ShutdownTimeout: env.Cfg.ShutdownTimeout,
		Keys:            keys,
		Feedback:        fb,
	})
	env.Log.Info("listening", "addr", ln.Addr().String())

	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	loaded := make(chan *retrieval.Index, 1)
	go func() {
		ix, err := env.openIndex(ctx)
		if err != nil {
			stop(fmt.Errorf("load index: %w", err))
			loaded <- nil
			return
		}
		svc := newAnswerService(env, ix)
		srv.Ready(server.Backend{Asker: svc, Searcher: ix, Library: ix})
		env.Log.Info("ready", "documents", len(ix.Documents()), "answerer", svc.Answerer(), "model", svc.Model())
		m := ix.Manifest()
		loaded <- ix
		// Checked after the server is ready, since reading a large corpus
		// takes a while and only produces a warning.
		if drift, err := env.corpusDrift(ctx, m); err != nil {
			env.Log.Warn("could not compare the index with the corpus", "err", err)
		} else if drift != "" {
			env.Log.Warn("the index was built from other articles than the configured corpus; run wenda ingest to update it", "difference", drift)
		}
	}()

	err = srv.Serve(ctx, ln)
	if ix := <-loaded; ix != nil {
		if cerr := ix.Close(); cerr != nil {
			env.Log.Warn("close index", "err", cerr)
		}
	}
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	return err
}

// newAnswerService answers with the configured LLM, or offline with the
// extractive answerer when none is configured. Unless --llm-fallback=false,
// when the LLM fails before any text went out, the extractive answer is
// given instead, marked as a fallback, rather than an error.
func newAnswerService(env *Env, ix *retrieval.Index) *answer.Service {
	opts := answer.Options{
		Weights:         ix,
		MinRelevance:    env.Cfg.MinRelevance,
		ContextRunes:    env.Cfg.ContextRunes,
		FallbackOnError: env.Cfg.LLMFallback,
	}
	if llm := env.llmEndpoint(); llm.Enabled() {
		opts.Generator = answer.NewLLM(llm)
	}
	return answer.NewService(ix, opts)
}
