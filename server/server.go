package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"wenda/answer"
	"wenda/auth"
	"wenda/corpus"
	"wenda/feedback"
	"wenda/retrieval"
)

// Asker answers questions; *answer.Service is the real one.
type Asker interface {
	Ask(ctx context.Context, req answer.Request) (answer.Answer, error)
	// AskStream calls emit for each step of the answer; an error from emit
	// stops the answer and is returned.
	AskStream(ctx context.Context, req answer.Request, emit func(answer.Event) error) (answer.Answer, error)
	// Answerer is "extractive" or "llm"; Model names the LLM, if any.
	Answerer() string
	Model() string
}

// Searcher retrieves passages; *retrieval.Index is the real one.
type Searcher interface {
	Search(ctx context.Context, q retrieval.Query) (retrieval.Result, error)
}

// Library looks up what citations point at; *retrieval.Index is the real one.
type Library interface {
	Documents() []corpus.Document
	Document(id string) (*corpus.Document, bool)
	Chunk(id string) (retrieval.Chunk, bool)
}

var (
	_ Searcher = (*retrieval.Index)(nil)
	_ Library  = (*retrieval.Index)(nil)
)

// Backend is what the server needs once the index is loaded.
type Backend struct {
	Asker    Asker
	Searcher Searcher
	Library  Library
}

// Options configure a Server. Zero values select the defaults.
type Options struct {
	Logger *slog.Logger
	// RequestTimeout bounds one request, streams included; default 2 min.
	RequestTimeout time.Duration
	// ShutdownTimeout is how long Serve waits for requests in flight once
	// its context is done; default 20 s.
	ShutdownTimeout time.Duration
	// MaxBodyBytes limits a request body; default 1 MiB.
	MaxBodyBytes int64
	// Keys authenticates API keys. With none, reads are open and nothing
	// can write.
	Keys *auth.Keyring
	// Feedback stores readers' ratings of answers; nil refuses them.
	Feedback *feedback.Store
}

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 2 * time.Minute
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = 20 * time.Second
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 1 << 20
	}
	return o
}

// Server serves wenda over HTTP. Its handler is usable at once; the /v1
// routes answer 503 until Ready is called.
type Server struct {
	opts    Options
	log     *slog.Logger
	metrics *metrics
	backend atomic.Pointer[Backend]
	engine  *gin.Engine
	started time.Time
}

// New builds a Server and its routes.
func New(opts Options) *Server {
	opts = opts.withDefaults()
	s := &Server{opts: opts, log: opts.Logger, metrics: newMetrics(), started: time.Now()}
	s.engine = s.routes()
	return s
}

// Ready makes the server answer with b. It may be called again to swap in
// a new index.
func (s *Server) Ready(b Backend) { s.backend.Store(&b) }

// Handler returns the HTTP handler of every route.
func (s *Server) Handler() http.Handler { return s.engine.Handler() }

func (s *Server) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// Redirects would bypass the middleware (no request id, no access log,
	// no JSON body); a path that does not match is a 404.
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	_ = r.SetTrustedProxies(nil)

	r.Use(s.requestID, s.accessLog, s.instrument, s.recoverPanic, s.securityHeaders, s.limits, s.authenticate)
	r.NoRoute(s.noRoute)
	r.NoMethod(s.noMethod)

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", gin.WrapH(s.metrics.handler()))
	s.webRoutes(r)

	read := s.require(auth.Read)
	v1 := r.Group("/v1", s.requireReady)
	v1.POST("/ask", read, s.ask)
	v1.GET("/search", read, s.search)
	v1.GET("/documents", read, s.documents)
	v1.GET("/documents/:id", read, s.document)
	v1.GET("/chunks/:id", read, s.chunk)
	v1.POST("/chat/completions", read, s.chatCompletions)
	v1.GET("/models", read, s.models)
	v1.POST("/feedback", s.postFeedback)
	v1.GET("/feedback", s.requireAdmin, s.listFeedback)
	return r
}

// requireReady answers 503 until the index is loaded and hands the backend
// to the handler.
func (s *Server) requireReady(c *gin.Context) {
	b := s.backend.Load()
	if b == nil {
		c.Header("Retry-After", "5")
		s.abort(c, errNotReady)
		return
	}
	c.Set(backendKey, b)
	c.Next()
}

const backendKey = "wenda.backend"

// backendOf is the backend requireReady found for this request.
func backendOf(c *gin.Context) *Backend { return c.MustGet(backendKey).(*Backend) }

// Serve answers HTTP on ln until ctx is done, then stops taking new
// connections and waits up to ShutdownTimeout for the requests in flight
// to finish. Requests are not cancelled by ctx: a shutdown lets them
// complete.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "grace", s.opts.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	s.log.Info("stopped; every request in flight finished")
	return nil
}
