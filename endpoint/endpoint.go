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
	// Timeout bounds each attempt; zero means 60 s.
	Timeout time.Duration
	// MaxRetries is how many times a retryable failure is tried again.
	MaxRetries int
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

// NewClient returns a go-openai client for c. The client is safe for
// concurrent use; build one per service and reuse it.
func NewClient(c Config) *openai.Client {
	cfg := openai.DefaultConfig(c.APIKey)
	if c.BaseURL != "" {
		cfg.BaseURL = strings.TrimRight(c.BaseURL, "/")
	}
	cfg.HTTPClient = &http.Client{Transport: http.DefaultTransport}
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
}

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
	switch {
	case errors.Is(err, context.DeadlineExceeded) || isNetTimeout(err):
		kind = ErrTimeout
	case st >= 400 && st < 500 && st != http.StatusTooManyRequests && st != http.StatusRequestTimeout:
		kind = ErrRejected
	}
	return &Error{Op: op, Status: st, Kind: kind, Err: err}
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
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne)
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

// Do runs fn with a fresh per-attempt timeout, retrying retryable failures
// up to c.MaxRetries times with backoff. The parent ctx ends all attempts;
// a cancelled parent is returned as its own error, not retried. The final
// failure is classified under op.
func Do(ctx context.Context, c Config, op string, fn func(ctx context.Context) error) error {
	var err error
	for attempt := 0; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, c.AttemptTimeout())
		err = fn(actx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if attempt >= c.MaxRetries || !Retryable(err) {
			return Classify(op, err)
		}
		select {
		case <-time.After(Backoff(attempt)):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
