package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"wenda/auth"
	"wenda/corpus"
	"wenda/embed"
	"wenda/endpoint"
)

// Env is what every subcommand gets: the configuration, one logger, and
// the output streams.
type Env struct {
	Cfg    *Config
	Log    *slog.Logger
	Stdout io.Writer
	Stderr io.Writer
	// The state of each external service, updated by its calls and shown
	// in /readyz.
	llmHealth, embedHealth, rerankHealth endpoint.Monitor

	embedders *embed.Registry // built on first use
}

func newEnv(cfg *Config, stdout, stderr io.Writer) *Env {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(stderr, opts)
	if strings.EqualFold(cfg.LogFormat, "json") {
		h = slog.NewJSONHandler(stderr, opts)
	}
	return &Env{Cfg: cfg, Log: slog.New(h), Stdout: stdout, Stderr: stderr}
}

// llmEndpoint is the chat endpoint's configuration; it is enabled when a
// base URL is set.
func (e *Env) llmEndpoint() endpoint.Config {
	c := e.Cfg
	return endpoint.Config{BaseURL: c.LLMBaseURL, APIKey: c.LLMAPIKey, Model: c.LLMModel, Timeout: c.LLMTimeout,
		FirstTokenTimeout: c.LLMFirstToken, IdleTimeout: c.LLMIdle, MaxRetries: c.LLMRetries, Monitor: &e.llmHealth}
}

// embedEndpoint is the embeddings endpoint's configuration, defaulting to
// the LLM's address and key.
func (e *Env) embedEndpoint() endpoint.Config {
	c := e.Cfg
	base, key := c.EmbedBaseURL, c.EmbedAPIKey
	if base == "" {
		base = c.LLMBaseURL
	}
	if key == "" {
		key = c.LLMAPIKey
	}
	return endpoint.Config{BaseURL: base, APIKey: key, Model: c.EmbedModel, Timeout: c.LLMTimeout, MaxRetries: c.LLMRetries, Monitor: &e.embedHealth}
}

// rerankEndpoint is the rerank endpoint's configuration.
func (e *Env) rerankEndpoint() endpoint.Config {
	c := e.Cfg
	return endpoint.Config{BaseURL: c.RerankBaseURL, APIKey: c.RerankAPIKey, Model: c.RerankModel, Timeout: c.LLMTimeout, Monitor: &e.rerankHealth}
}

// parser is the one path from a file to a document; its PDF engine keeps
// its compiled code in the data directory.
func (e *Env) parser() *corpus.Parser {
	dir := e.Cfg.CacheDir
	if dir == "" {
		dir = filepath.Join(e.Cfg.DataDir, "cache")
	}
	return corpus.NewParser(corpus.ParserConfig{CacheDir: dir})
}

// loadCorpus reads the configured corpus, logging each file that could not
// be loaded.
func (e *Env) loadCorpus(ctx context.Context) ([]corpus.Document, error) {
	var (
		res *corpus.Result
		err error
	)
	if e.Cfg.CorpusDir != "" {
		p := e.parser()
		defer p.Close()
		res, err = corpus.LoadDir(ctx, e.Cfg.CorpusDir, corpus.Options{Parser: p})
	} else {
		res, err = corpus.Load(corpus.Embedded(), corpus.Options{})
	}
	if res != nil {
		for _, p := range res.Problems {
			e.Log.Warn("skipped file", "path", p.Path, "reason", p.Reason)
		}
	}
	if err != nil {
		return nil, err
	}
	return res.Documents, nil
}

// isTerminal reports whether w is an interactive terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// questionArg joins the positional arguments into the question.
func questionArg(args []string) (string, error) {
	q := strings.TrimSpace(strings.Join(args, " "))
	if q == "" {
		return "", fmt.Errorf("%w: no question given", errUsage)
	}
	return q, nil
}

// writeJSON prints v as indented JSON with Chinese and markup left as they
// are (no \u003c escapes), for people and for jq alike.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// keyring opens the API keys; on the first start with no admin key
// configured it generates one and logs it, the only time it is shown.
func (e *Env) keyring() (*auth.Keyring, error) {
	c := e.Cfg
	k, created, err := auth.Open(auth.Config{Keys: c.APIKeys, KeysFile: c.APIKeysFile, AdminKey: c.AdminKey, DataDir: c.DataDir})
	if err != nil {
		return nil, err
	}
	switch {
	case created != "":
		e.Log.Warn("generated the admin key that writes need; it is shown only this once, so keep it (wenda admin-key --reset makes a new one)", "admin_key", created)
	case k.Generated():
		e.Log.Info("writes need the admin key generated on first start (wenda admin-key --reset makes a new one)")
	}
	if k.OpenReads() {
		e.Log.Info("reads are open: no API keys are listed")
	} else {
		e.Log.Info("every request needs an API key", "keys", len(k.Names()))
	}
	return k, nil
}
