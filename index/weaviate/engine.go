package weaviate

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	wv "github.com/weaviate/weaviate-go-client/v5/weaviate"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/fault"
	wvgrpc "github.com/weaviate/weaviate-go-client/v5/weaviate/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"wenda/index"
)

// Consistency levels, as Weaviate names them: how many replicas must
// answer a read or acknowledge a write.
const (
	One    = "ONE"
	Quorum = "QUORUM"
	All    = "ALL"
)

// Config says where the cluster is and how to use it.
type Config struct {
	// URL is the HTTP address of a node or of a load balancer in front of
	// the nodes, e.g. http://127.0.0.1:8080.
	URL string
	// GRPC is the host:port of the same node's gRPC listener; empty means
	// the URL's host on port 50051, Weaviate's default.
	GRPC string
	// Consistency is the level of every read and write: ONE, QUORUM (the
	// default) or ALL. With three replicas, QUORUM reads and writes see
	// each other's results and survive one node down.
	Consistency string
	// Replicas is the replication factor of collections created from now
	// on; 0 takes min(3, nodes in the cluster).
	Replicas int
	// Shards is the number of shards of a new collection; 0 means 1. BM25
	// scores a shard with the shard's own term statistics, so one shard
	// (replicated Replicas times) gives every query the statistics of the
	// whole collection, as the embedded engine has.
	Shards int
	// Timeout bounds one attempt of a request to the cluster; 0 means
	// 15 s. A request that fails in a way that may pass (see transient)
	// is tried Attempts times in all, with pauses that double in between
	// (see backoff); 0 means 3. A write of several objects that fails for
	// the cluster's load goes again in halves instead (see batch).
	Timeout  time.Duration
	Attempts int
	// StartupTimeout is how long Open waits for the cluster to answer;
	// 0 means 10 s.
	StartupTimeout time.Duration
	// Prefix begins the name of every Weaviate collection the engine
	// makes, so that several deployments (or tests) can share a cluster;
	// it must be a capital letter followed by letters and digits. Empty
	// means "Wenda".
	Prefix string
	// AllowBlockMaxWAND lets collections be created on a server that
	// scores BM25 with BlockMax WAND (see checkBM25).
	AllowBlockMaxWAND bool
	// Quantization is the vector compression of collections created from
	// now on; "" means QuantizationNone. A collection keeps the one it was
	// created with (see Quantization).
	Quantization Quantization
	// BatchSize is how many objects one write request carries at most; 0
	// means 200 (with 1024-dimension vectors, about a megabyte). After a
	// write fails for the cluster's load, requests carry fewer until
	// larger ones go in again (see batchSizer).
	BatchSize int
	// WriteConcurrency is how many write requests one Put has in flight;
	// 0 means 4.
	WriteConcurrency int
	// StatsRefresh is how often the process reads the changes other
	// processes made to a collection whose term statistics it keeps (see
	// TermStats); 0 means 1 s.
	StatsRefresh time.Duration
}

func (c Config) withDefaults() (Config, error) {
	if c.URL == "" {
		return c, errors.New("weaviate: no URL")
	}
	u, err := url.Parse(c.URL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return c, fmt.Errorf("weaviate: URL %q: want http://host:port or https://host:port", c.URL)
	}
	if c.GRPC == "" {
		c.GRPC = net.JoinHostPort(u.Hostname(), "50051")
	}
	if _, _, err := net.SplitHostPort(c.GRPC); err != nil {
		return c, fmt.Errorf("weaviate: gRPC address %q: want host:port", c.GRPC)
	}
	c.Consistency = strings.ToUpper(strings.TrimSpace(c.Consistency))
	switch c.Consistency {
	case "":
		c.Consistency = Quorum
	case One, Quorum, All:
	default:
		return c, fmt.Errorf("weaviate: consistency %q: want ONE, QUORUM or ALL", c.Consistency)
	}
	if c.Replicas < 0 || c.Shards < 0 {
		return c, errors.New("weaviate: replicas and shards cannot be negative")
	}
	if c.Prefix == "" {
		c.Prefix = "Wenda"
	}
	if !validPrefix.MatchString(c.Prefix) {
		return c, fmt.Errorf("weaviate: prefix %q: want a capital letter followed by letters and digits", c.Prefix)
	}
	if c.Shards == 0 {
		c.Shards = 1
	}
	if c.Quantization, err = ParseQuantization(string(c.Quantization)); err != nil {
		return c, fmt.Errorf("weaviate: %w", err)
	}
	if c.Timeout <= 0 {
		c.Timeout = 15 * time.Second
	}
	if c.Attempts <= 0 {
		c.Attempts = 3
	}
	if c.StartupTimeout <= 0 {
		c.StartupTimeout = 10 * time.Second
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 200
	}
	if c.WriteConcurrency <= 0 {
		c.WriteConcurrency = 4
	}
	if c.StatsRefresh <= 0 {
		c.StatsRefresh = time.Second
	}
	return c, nil
}

var validPrefix = regexp.MustCompile(`^[A-Z][A-Za-z0-9]{0,31}$`)

var _ index.Engine = (*Engine)(nil)

// Engine keeps collections in a Weaviate cluster. Everything it needs is
// in the cluster: any number of Engines, in any number of processes, may
// serve the same collections. It keeps in memory only the term statistics
// of the collections it searches, summed from what the cluster holds. It
// is safe for concurrent use.
type Engine struct {
	cfg    Config
	client *wv.Client
	http   *http.Client
	// quorumUntil is when writes next try every replica (see writeLevel),
	// in Unix nanoseconds.
	quorumUntil atomic.Int64
	// sizer is how many objects the next write request carries (see
	// batchSizer).
	sizer *batchSizer
	// quantizations remembers the vector compression of each chunk class
	// (class name → kind), read once from the cluster: wenda never changes
	// a class once made, and a search reads its collection's info each
	// time.
	quantizations sync.Map
	// trackers keep the term statistics of collections (see tracker);
	// their loops run under bgCtx until Close.
	trackers trackers
	// keepStats keeps every collection's term statistics current even
	// when nobody searches it for a while (see LoadStats).
	keepStats atomic.Bool
	bgCtx     context.Context
	bgStop    context.CancelFunc
	bg        sync.WaitGroup
}

// Open connects to the cluster and checks that it answers.
func Open(ctx context.Context, cfg Config) (*Engine, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(cfg.URL)
	hc := &http.Client{Timeout: cfg.Timeout}
	c, err := wv.NewClient(wv.Config{
		Host: u.Host, Scheme: u.Scheme, ConnectionClient: hc,
		GrpcConfig:     &wvgrpc.Config{Host: cfg.GRPC, Secured: u.Scheme == "https"},
		StartupTimeout: cfg.StartupTimeout, Timeout: cfg.Timeout,
	})
	if err != nil {
		return nil, fmt.Errorf("weaviate at %s: %w", cfg.URL, unwrapFault(err))
	}
	e := &Engine{cfg: cfg, client: c, http: hc, sizer: newBatchSizer(cfg.BatchSize)}
	e.bgCtx, e.bgStop = context.WithCancel(context.Background())
	if err := e.ensureCatalog(ctx); err != nil {
		e.bgStop()
		return nil, err
	}
	return e, nil
}

// Close stops keeping term statistics, after saving a snapshot of those
// that changed. Nothing else is buffered: every write was acknowledged by
// the cluster before its call returned.
func (e *Engine) Close() error {
	e.closeTrackers()
	e.bgStop()
	e.bg.Wait()
	return nil
}

// Nodes returns the names and statuses of the cluster's nodes.
func (e *Engine) Nodes(ctx context.Context) (map[string]string, error) {
	st, err := call(ctx, e, e.client.Cluster().NodesStatusGetter().Do)
	if err != nil {
		return nil, fmt.Errorf("weaviate nodes: %w", unwrapFault(err))
	}
	out := make(map[string]string, len(st.Nodes))
	for _, n := range st.Nodes {
		if n.Status != nil {
			out[n.Name] = *n.Status
		}
	}
	return out, nil
}

// unwrapFault turns the client's error type, whose message holds the
// server's answer, into a plain wrapped error.
func unwrapFault(err error) error {
	var f *fault.WeaviateClientError
	if errors.As(err, &f) {
		msg := f.Msg
		if f.DerivedFromError != nil {
			msg += ": " + f.DerivedFromError.Error()
		}
		if f.StatusCode > 0 {
			return fmt.Errorf("status %d: %s", f.StatusCode, msg)
		}
		return errors.New(msg)
	}
	return err
}

// isStatus reports whether err is the cluster's answer with HTTP status code.
func isStatus(err error, code int) bool {
	var f *fault.WeaviateClientError
	return errors.As(err, &f) && f.StatusCode == code
}

// call runs do with a deadline per attempt and repeats it when the cluster
// failed in a way that may pass a moment later: a node that died during
// the request, a leader election (a write that reaches the cluster while
// its Raft leader is being replaced can hang until its deadline), a
// refused connection. Every operation of the engine may be repeated:
// writes replace objects by id and deletes go by filter.
func call[T any](ctx context.Context, e *Engine, do func(context.Context) (T, error)) (T, error) {
	return callUnless(ctx, e, nil, do)
}

// callUnless is call that gives up at once after an error for which stop
// (when not nil) is true: for a caller with a better next step than the
// same request again.
func callUnless[T any](ctx context.Context, e *Engine, stop func(error) bool, do func(context.Context) (T, error)) (T, error) {
	var (
		v   T
		err error
	)
	for attempt := 0; attempt < e.cfg.Attempts; attempt++ {
		if attempt > 0 && pause(ctx, attempt) != nil {
			return v, err
		}
		actx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
		v, err = do(actx)
		cancel()
		if err == nil || ctx.Err() != nil || !transient(err) || (stop != nil && stop(err)) {
			return v, err
		}
	}
	return v, err
}

// The pause before the nth retry of a request doubles from pauseFirst up
// to pauseMax: a cluster that failed under load gets more time to recover
// the longer it keeps failing, while a lost connection or a leader
// election (a second or two) costs little.
const (
	pauseFirst = 250 * time.Millisecond
	pauseMax   = 5 * time.Second
)

// backoff is the pause before the nth retry (n >= 1), drawn at random from
// the upper half of its bound, so that writers that failed together do
// not all come back at the same moment.
func backoff(n int) time.Duration {
	d := pauseFirst
	for i := 1; i < n && d < pauseMax; i++ {
		d *= 2
	}
	d = min(d, pauseMax)
	return d/2 + rand.N(d/2+1)
}

// pause waits backoff(n), or until ctx is done, whose error it returns.
func pause(ctx context.Context, n int) error {
	t := time.NewTimer(backoff(n))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// writeLevel is the consistency level of the next write. With QUORUM
// configured, a write asks every replica (ALL) while all of them answer:
// a write acknowledged by a quorum reaches the last replica only when
// asynchronous repair gets to it, seconds later under load, and until
// then that replica counts, and so ranks, differently. When a replica
// fails to answer, writes settle for QUORUM for a minute, then try ALL
// again.
func (e *Engine) writeLevel() string {
	if e.cfg.Consistency != Quorum || time.Now().UnixNano() < e.quorumUntil.Load() {
		return e.cfg.Consistency
	}
	return All
}

// callWrite is call for a write, run at writeLevel (see atWriteLevel).
func callWrite[T any](ctx context.Context, e *Engine, do func(ctx context.Context, level string) (T, error)) (T, error) {
	return call(ctx, e, atWriteLevel(e, do))
}

// atWriteLevel makes do an attempt of a write at writeLevel: a write at
// ALL that fails is repeated at once at QUORUM.
func atWriteLevel[T any](e *Engine, do func(ctx context.Context, level string) (T, error)) func(context.Context) (T, error) {
	return func(ctx context.Context) (T, error) {
		level := e.writeLevel()
		v, err := do(ctx, level)
		if err != nil && level == All && transient(err) {
			e.quorumUntil.Store(time.Now().Add(time.Minute).UnixNano())
			if ctx.Err() == nil {
				return do(ctx, e.cfg.Consistency)
			}
		}
		return v, err
	}
}

func callErr(ctx context.Context, e *Engine, do func(context.Context) error) error {
	_, err := call(ctx, e, func(ctx context.Context) (struct{}, error) { return struct{}{}, do(ctx) })
	return err
}

// transient reports whether err may not happen again: a timeout, a
// connection that failed or was cut, an unavailable node, a server error.
// The server's refusals (bad request, not found, conflict) are final.
func transient(err error) bool {
	var oe *objectError
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &oe) {
		return true
	}
	if c, ok := rpcCode(err); ok {
		switch c {
		case codes.Unavailable, codes.DeadlineExceeded, codes.Aborted, codes.ResourceExhausted, codes.Internal:
			return true
		}
		return false
	}
	var f *fault.WeaviateClientError
	if errors.As(err, &f) {
		return f.StatusCode >= 500 || f.StatusCode == 0 || f.StatusCode == 429
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// overloaded reports whether err says that the cluster did not take a
// request in time or refused it for its load: a deadline exceeded (the
// client's or the server's), gRPC ResourceExhausted, HTTP 429 or 503. A
// smaller request may then pass where the same one would fail again (see
// batch). gRPC Unavailable is left out: it is also what a node that is
// down answers, and there a smaller request fails alike.
func overloaded(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	if c, ok := rpcCode(err); ok {
		return c == codes.DeadlineExceeded || c == codes.ResourceExhausted
	}
	var f *fault.WeaviateClientError
	if errors.As(err, &f) {
		// The client's error keeps the cause apart, without Unwrap.
		return f.StatusCode == http.StatusTooManyRequests || f.StatusCode == http.StatusServiceUnavailable ||
			(f.DerivedFromError != nil && overloaded(f.DerivedFromError))
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// rpcCode is the gRPC status code that err, or the error it wraps,
// carries. Unknown does not count: grpc gives it to any error that is not
// a status.
func rpcCode(err error) (codes.Code, bool) {
	for _, err := range []error{errors.Unwrap(err), err} {
		if s, ok := status.FromError(err); ok && s.Code() != codes.OK && s.Code() != codes.Unknown {
			return s.Code(), true
		}
	}
	return codes.OK, false
}
