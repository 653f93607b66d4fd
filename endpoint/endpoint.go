package endpoint

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Config locates one OpenAI-compatible service and says how to call it.
type Config struct {
	BaseURL string // e.g. https://api.openai.com/v1 or http://localhost:11434/v1
	APIKey  string
	Model   string
	// Timeout bounds each attempt of a call answered in one piece; zero
	// means 60 s.
	Timeout time.Duration
	// FirstTokenTimeout bounds the wait for the first piece of a streamed
	// reply, IdleTimeout the wait between pieces; zero means 30 s each. A
	// stream as a whole is bounded only by its context.
	FirstTokenTimeout time.Duration
	IdleTimeout       time.Duration
	// MaxRetries is how many times a retryable failure is tried again.
	MaxRetries int
	// Monitor, when set, records the outcome of every call made with Do.
	Monitor *Monitor
}

// Enabled reports whether a service is configured at all.
func (c Config) Enabled() bool { return c.BaseURL != "" || c.APIKey != "" }

// AttemptTimeout is Timeout with its default applied.
func (c Config) AttemptTimeout() time.Duration {
	if c.Timeout <= 0 {
		return 60 * time.Second
	}
	return c.Timeout
}

// FirstToken is FirstTokenTimeout with its default applied.
func (c Config) FirstToken() time.Duration {
	if c.FirstTokenTimeout <= 0 {
		return 30 * time.Second
	}
	return c.FirstTokenTimeout
}

// Idle is IdleTimeout with its default applied.
func (c Config) Idle() time.Duration {
	if c.IdleTimeout <= 0 {
		return 30 * time.Second
	}
	return c.IdleTimeout
}

// NewClient returns a go-openai client for c. The client is safe for
// concurrent use; build one per service and reuse it.
func NewClient(c Config) *openai.Client {
	cfg := openai.DefaultConfig(c.APIKey)
	if c.BaseURL != "" {
		cfg.BaseURL = strings.TrimRight(c.BaseURL, "/")
	}
	cfg.HTTPClient = HTTPClient()
	return openai.NewClientWithConfig(cfg)
}

// The kinds of failure callers branch on. An *Error wraps exactly one.
var (
	// ErrUnavailable: the service could not be reached or answered 5xx/429
	// after the retries.
	ErrUnavailable = errors.New("model service unavailable")
	// ErrTimeout: an attempt ran past its deadline.
	ErrTimeout = errors.New("model service timed out")
	// ErrRejected: the service refused the request (bad key, unknown
	// model, request too large); retrying will not help.
	ErrRejected = errors.New("model service rejected the request")
)

// Error is a failed call to a model service.
type Error struct {
	Op     string // "embeddings", "chat", "rerank"
	Status int    // HTTP status when there was one
	Kind   error  // ErrUnavailable, ErrTimeout or ErrRejected
	Err    error
	// Detail says what failed in words safe to show a client, such as
	// "no first token within 30s"; empty when there is nothing to add.
	Detail string
}

// Timeout is the cause of a call stopped by one of its own clocks; its
// text is safe to show a client and says which clock ran out.
type Timeout struct{ What string }

func (t *Timeout) Error() string { return t.What }

// Timeout reports that this is a timeout, for net.Error-style checks.
func (t *Timeout) Timeout() bool { return true }

func (e *Error) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("%s: %v (status %d): %v", e.Op, e.Kind, e.Status, e.Err)
	}
	return fmt.Sprintf("%s: %v: %v", e.Op, e.Kind, e.Err)
}

// Unwrap exposes both the kind and the cause to errors.Is and errors.As.
func (e *Error) Unwrap() []error { return []error{e.Kind, e.Err} }

// Status extracts the HTTP status of a go-openai error, or 0.
func Status(err error) int {
	var api *openai.APIError
	if errors.As(err, &api) {
		return api.HTTPStatusCode
	}
	var req *openai.RequestError
	if errors.As(err, &req) {
		return req.HTTPStatusCode
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}

// StatusError is a non-2xx reply from a service called without go-openai.
type StatusError struct {
	Code int
	Body string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("status %d: %s", e.Code, e.Body)
}

// Classify wraps err in an *Error of the right kind. A nil err stays nil,
// and an err that is already an *Error is returned as it is.
func Classify(op string, err error) error {
	if err == nil {
		return nil
	}
	var done *Error
	if errors.As(err, &done) {
		return err
	}
	st := Status(err)
	kind := ErrUnavailable
	var to *Timeout
	switch {
	case errors.As(err, &to) || errors.Is(err, context.DeadlineExceeded) || isNetTimeout(err):
		kind = ErrTimeout
	case st >= 400 && st < 500 && st != http.StatusTooManyRequests && st != http.StatusRequestTimeout:
		kind = ErrRejected
	}
	e := &Error{Op: op, Status: st, Kind: kind, Err: err}
	if to != nil {
		e.Detail = to.What
	}
	return e
}

// Retryable reports whether another attempt may succeed: 429, 5xx, a
// timeout of the attempt, or a network failure.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	st := Status(err)
	if st != 0 {
		return st == http.StatusTooManyRequests || st == http.StatusRequestTimeout || st >= 500
	}
	var (
		ne net.Error
		to *Timeout
	)
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) || errors.As(err, &to)
}

func isNetTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// Backoff is the wait before retry n (0-based): 250 ms doubling, with
// ±25% jitter, capped at 8 s.
func Backoff(n int) time.Duration {
	d := 250 * time.Millisecond << min(n, 5)
	if d > 8*time.Second {
		d = 8 * time.Second
	}
	j := 0.75 + rand.Float64()/2
	return time.Duration(float64(d) * j)
}

// MaxRetryAfter is the longest wait a service's Retry-After may ask for
// that Do honours; a service asking for more is not retried.
const MaxRetryAfter = 20 * time.Second

// minAttempt is the least time worth starting an attempt with.
const minAttempt = time.Second

// Do runs fn, retrying retryable failures up to c.MaxRetries times. Each
// attempt gets a context that ends at the first of: ctx's end, and
// AttemptTimeout from its start (unless stream is set, when fn bounds its
// own waits with FirstToken and Idle). The wait before a retry is the
// backoff or the service's Retry-After, whichever is longer, capped by
// MaxRetryAfter; a retry is only started when it can finish before ctx's
// deadline, so that a caller who keeps a reserve after that deadline
// always has time to fall back. A cancelled ctx is returned as its own
// error, not retried; a ctx whose deadline passed becomes an *Error of
// kind ErrTimeout, since the time budget ran out on the service. The final
// failure is classified under op and recorded in c.Monitor.
func Do(ctx context.Context, c Config, op string, fn func(ctx context.Context) error) error {
	err := do(ctx, c, op, false, fn)
	c.Monitor.Record(err)
	return err
}

// DoStream is Do for a streamed call: an attempt is not bounded by
// AttemptTimeout, since fn applies FirstToken and Idle itself.
func DoStream(ctx context.Context, c Config, op string, fn func(ctx context.Context) error) error {
	err := do(ctx, c, op, true, fn)
	c.Monitor.Record(err)
	return err
}

func do(ctx context.Context, c Config, op string, stream bool, fn func(ctx context.Context) error) error {
	for attempt := 0; ; attempt++ {
		actx, rec := withCall(ctx)
		cancel := context.CancelFunc(func() {})
		if !stream {
			actx, cancel = context.WithTimeoutCause(actx, c.AttemptTimeout(),
				&Timeout{What: fmt.Sprintf("no reply within %s", c.AttemptTimeout())})
		}
		err := fn(actx)
		if err != nil && !stream && errors.Is(err, context.DeadlineExceeded) {
			if cause := context.Cause(actx); cause != nil && !errors.Is(cause, context.DeadlineExceeded) {
				err = cause
			}
		}
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return Classify(op, &Timeout{What: "no complete reply within the time the request allows"})
			}
			return ctx.Err()
		}
		if attempt >= c.MaxRetries || !Retryable(err) {
			return Classify(op, err)
		}
		wait := Backoff(attempt)
		if ra := time.Duration(rec.retryAfter.Load()); ra > 0 {
			if ra > MaxRetryAfter {
				return Classify(op, err)
			}
			wait = max(wait, ra)
		}
		// The next attempt must fit before the deadline: a full attempt
		// after a timeout (a shorter one would time out again), a short
		// one after a quick failure.
		need := wait + minAttempt
		var to *Timeout
		if errors.As(err, &to) || errors.Is(err, context.DeadlineExceeded) || isNetTimeout(err) {
			if stream {
				need = wait + c.FirstToken()
			} else {
				need = wait + c.AttemptTimeout()
			}
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < need {
			return Classify(op, err)
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return Classify(op, err)
			}
			return ctx.Err()
		}
	}
}
