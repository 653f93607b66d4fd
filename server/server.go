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
	"github.com/rs/cors"

	"wenda/answer"
	"wenda/auth"
	"wenda/chunk"
	"wenda/corpus"
	"wenda/feedback"
	"wenda/index"
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

// Searcher retrieves passages; *retrieval.Searcher is the real one.
type Searcher interface {
	Search(ctx context.Context, q retrieval.Query) (retrieval.Result, error)
}

// Library looks up collections and what citations point at; an
// index.Engine is the real one. Lookups of what is not there return
// index.ErrNotFound (wrapped).
type Library interface {
	Collection(ctx context.Context, id string) (index.CollectionInfo, error)
	Document(ctx context.Context, coll, id string) (corpus.Document, error)
	Documents(ctx context.Context, coll string, page index.Page) (index.DocPage, error)
	DocInfos(ctx context.Context, coll string, ids []string) (map[string]index.DocInfo, error)
	Chunk(ctx context.Context, coll, id string) (chunk.Chunk, error)
}

var (
	_ Searcher = (*retrieval.Searcher)(nil)
	_ Library  = index.Engine(nil)
)

// Backend is what the server needs once the index is loaded.
type Backend struct {
	Asker    Asker
	Searcher Searcher
	Library  Library
	// Index, when set, tells /readyz the state of the index.
	Index func() IndexStatus
	// Catalog creates, changes and deletes collections; nil leaves the
	// collection routes read-only.
	Catalog index.Catalog
	// Uploads takes documents in; nil refuses uploads and deletes.
	Uploads Uploads
	// NewCollection returns what a collection created through the API is
	// made with, besides its id and metadata: the configured embedder and
	// chunker. nil refuses to create collections.
	NewCollection func(ctx context.Context) (index.Collection, error)
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
	// WriteTimeout bounds each write of a response (a JSON body, one
	// event of a stream), so that a client that stops reading cannot pin
	// a handler; default 30 s.
	WriteTimeout time.Duration
	// RateLimit is the sustained requests per second each client (API key
	// or address) may make to /v1, with bursts of RateBurst; zero or
	// negative turns rate limiting off.
	RateLimit float64
	RateBurst int
	// MaxConcurrent caps the /v1 requests served at once; zero or negative
	// means no cap.
	MaxConcurrent int
	// CORSOrigins lists the origins whose pages may call the API from a
	// browser ("https://chat.example.com", or "*"); empty allows none.
	CORSOrigins []string
	// TrustedProxies lists the addresses or CIDR ranges of reverse proxies
	// whose X-Forwarded-For names the client; empty trusts none.
	TrustedProxies []string
	// Services are the external services shown in /readyz.
	Services []Service
	// Upload bounds upload requests.
	Upload UploadLimits
	// DetectType refuses, from its name and first bytes, a file of a type
	// wenda cannot read; default extract.Detect.
	DetectType func(name string, head []byte) error
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
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 30 * time.Second
	}
	o.Upload = o.Upload.withDefaults()
	if o.DetectType == nil {
		o.DetectType = detectType
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
	handler http.Handler
	started time.Time
	limiter *limiter      // nil: no rate limit
	slots   chan struct{} // nil: no cap on concurrent requests
}

// New builds a Server and its routes.
func New(opts Options) *Server {
	opts = opts.withDefaults()
	s := &Server{opts: opts, log: opts.Logger, metrics: newMetrics(), started: time.Now()}
	if opts.RateLimit > 0 {
		s.limiter = newLimiter(opts.RateLimit, opts.RateBurst)
	}
	if opts.MaxConcurrent > 0 {
		s.slots = make(chan struct{}, opts.MaxConcurrent)
	}
	s.engine = s.routes()
	s.handler = s.writeBackstop(s.engine.Handler())
	if len(opts.CORSOrigins) > 0 {
		s.handler = cors.New(cors.Options{
			AllowedOrigins: opts.CORSOrigins,
			AllowedMethods: []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete},
			AllowedHeaders: []string{"Authorization", "Content-Type", "Accept", requestIDHeader},
			ExposedHeaders: []string{requestIDHeader, "Retry-After"},
			MaxAge:         600,
		}).Handler(s.handler)
	}
	return s
}

// Ready makes the server answer with b. It may be called again to swap in
// a new index.
func (s *Server) Ready(b Backend) { s.backend.Store(&b) }

// Handler returns the HTTP handler of every route.
func (s *Server) Handler() http.Handler { return s.handler }

// writeBackstop gives every request, before anything else handles it, a
// write deadline of the longest it may take: a deadline left on a
// keep-alive connection by the previous request must not fail this one,
// and no write may wait forever.
func (s *Server) writeBackstop(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.opts.RequestTimeout + s.opts.WriteTimeout))
		next.ServeHTTP(w, r)
	})
}

// MetricsHandler serves the Prometheus metrics, for a listener of their
// own that only the operator's network reaches.
func (s *Server) MetricsHandler() http.Handler { return s.metrics.handler() }

func (s *Server) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// Redirects would bypass the middleware (no request id, no access log,
	// no JSON body); a path that does not match is a 404.
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	if err := r.SetTrustedProxies(s.opts.TrustedProxies); err != nil {
		s.log.Warn("trusted proxies not used", "err", err)
		_ = r.SetTrustedProxies(nil)
	}

	r.Use(s.requestID, s.accessLog, s.instrument, s.recoverPanic, s.securityHeaders, s.limits, s.authenticate)
	r.NoRoute(s.noRoute)
	r.NoMethod(s.noMethod)

	// Probes are open and cheap; metrics say more than a probe should and
	// are for the operator.
	r.GET("/healthz", s.healthz)
	r.HEAD("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.HEAD("/readyz", s.readyz)
	r.GET("/metrics", s.requireAdmin, gin.WrapH(s.metrics.handler()))
	s.webRoutes(r)

	// The rate limit goes after authentication (a global middleware), so
	// that it counts by key when there is one.
	// The routes without a collection in their path serve the default
	// one; ask, search and chat check the collection they are asked of.
	read, write, manage := s.require(auth.Read), s.require(auth.Write), s.require(auth.Manage)
	v1 := r.Group("/v1", s.rateLimit, s.concurrency, s.requireReady)
	v1.POST("/ask", s.ask)
	v1.GET("/search", s.search)
	v1.GET("/documents", read, s.documents)
	v1.GET("/documents/:id", read, s.document)
	v1.GET("/chunks/:id", read, s.chunk)
	v1.POST("/chat/completions", s.chatCompletions)
	v1.GET("/models", s.signedIn, s.models)
	v1.GET("/collections", s.signedIn, s.listCollections)
	v1.POST("/collections", manage, s.createCollection)
	v1.GET("/collections/:c", read, s.getCollection)
	v1.PATCH("/collections/:c", write, s.patchCollection)
	v1.DELETE("/collections/:c", manage, s.deleteCollection)
	v1.POST(uploadRoute[len("/v1"):], write, s.upload)
	v1.GET("/collections/:c/documents", read, s.listDocuments)
	v1.GET("/collections/:c/documents/:id", read, s.getDocument)
	v1.GET("/collections/:c/documents/:id/text", read, s.documentText)
	v1.DELETE("/collections/:c/documents/:id", write, s.deleteDocument)
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
