package server

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// limiter gives each client (an API key or an address) a token bucket of
// its own, refilled at rate r up to burst b. Buckets of clients not seen
// for a while are forgotten, so memory stays bounded by the clients of
// the last few minutes.
type limiter struct {
	r     rate.Limit
	burst int

	mu      sync.Mutex
	clients map[string]*client
	swept   time.Time
}

type client struct {
	lim  *rate.Limiter
	seen time.Time
}

// forgetAfter is how long an idle client's bucket is kept; by then it has
// refilled anyway unless the rate is below one per forgetAfter.
const forgetAfter = 10 * time.Minute

func newLimiter(perSecond float64, burst int) *limiter {
	return &limiter{r: rate.Limit(perSecond), burst: max(burst, 1), clients: map[string]*client{}, swept: time.Now()}
}

// reserve takes a token for who, or says how long to wait for one.
func (l *limiter) reserve(who string, now time.Time) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > forgetAfter {
		for k, c := range l.clients {
			if now.Sub(c.seen) > forgetAfter {
				delete(l.clients, k)
			}
		}
		l.swept = now
	}
	c := l.clients[who]
	if c == nil {
		c = &client{lim: rate.NewLimiter(l.r, l.burst)}
		l.clients[who] = c
	}
	c.seen = now
	res := c.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// clientID is what a request is counted against: its API key when an
// authentication middleware accepted one, else its address (the proxy's
// X-Forwarded-For only when the proxy is trusted).
func clientID(c *gin.Context) string {
	if id := c.GetString(keyIDCtx); id != "" {
		return "key:" + id
	}
	return "addr:" + c.ClientIP()
}

// rateLimit answers 429 with Retry-After when a client asks faster than
// its bucket refills.
func (s *Server) rateLimit(c *gin.Context) {
	if s.limiter == nil {
		c.Next()
		return
	}
	ok, wait := s.limiter.reserve(clientID(c), time.Now())
	if !ok {
		secs := int(math.Ceil(wait.Seconds()))
		c.Header("Retry-After", strconv.Itoa(max(secs, 1)))
		s.metrics.limited.WithLabelValues("rate").Inc()
		s.abort(c, &apiError{http.StatusTooManyRequests, "rate_limited",
			"too many requests from this client; wait " + strconv.Itoa(max(secs, 1)) + " s (the Retry-After header) and try again"})
		return
	}
	c.Next()
}

// overloadWait is how long a request waits for a free slot before it is
// turned away: long enough to ride out a burst, short enough that a client
// learns quickly that the server is full.
const overloadWait = 2 * time.Second

// concurrency caps the requests being served at once. A request waits a
// little for a slot, then gets 503 with Retry-After; its client's leaving
// frees its place in the queue at once.
func (s *Server) concurrency(c *gin.Context) {
	if s.slots == nil {
		c.Next()
		return
	}
	select {
	case s.slots <- struct{}{}:
	default:
		t := time.NewTimer(overloadWait)
		defer t.Stop()
		select {
		case s.slots <- struct{}{}:
		case <-t.C:
			c.Header("Retry-After", "1")
			s.metrics.limited.WithLabelValues("concurrency").Inc()
			s.abort(c, &apiError{http.StatusServiceUnavailable, "overloaded",
				"the server is answering as many requests as it is allowed to; try again in a moment"})
			return
		case <-c.Request.Context().Done():
			s.abort(c, context.Cause(c.Request.Context()))
			return
		}
	}
	defer func() { <-s.slots }()
	c.Next()
}
