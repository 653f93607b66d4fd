package server

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

const (
	requestIDHeader = "X-Request-ID"
	requestIDKey    = "wenda.request_id"
	maxRequestIDLen = 64
)

// requestID takes the caller's X-Request-ID, keeping only characters that
// are safe in logs and headers, or makes one up; either way it is echoed.
func (s *Server) requestID(c *gin.Context) {
	id := sanitizeRequestID(c.GetHeader(requestIDHeader))
	if id == "" {
		id = rand.Text()
	}
	c.Set(requestIDKey, id)
	c.Header(requestIDHeader, id)
	c.Next()
}

func sanitizeRequestID(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= maxRequestIDLen {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == '-', r == '_', r == '.', r == ':':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// logger is the server's logger with this request's id attached.
func (s *Server) logger(c *gin.Context) *slog.Logger {
	return s.log.With("request_id", c.GetString(requestIDKey))
}

// accessLog writes one line per request.
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.logger(c).Info("http request",
		"method", c.Request.Method,
		"path", c.Request.URL.Path,
		"route", routeLabel(c),
		"status", c.Writer.Status(),
		"bytes", max(c.Writer.Size(), 0),
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
		"remote", c.ClientIP(),
	)
}

// recoverPanic turns a panic in a handler into a 500 without internal
// text, and logs the panic with its stack.
func (s *Server) recoverPanic(c *gin.Context) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if r == http.ErrAbortHandler {
			panic(r)
		}
		s.logger(c).Error("panic", "panic", r, "stack", string(debug.Stack()))
		if c.Writer.Written() {
			// A stream had started; all that can be done is to stop it.
			c.Abort()
			return
		}
		s.abort(c, errInternal)
	}()
	c.Next()
}

// securityHeaders lets the page load nothing but its own files and keeps
// browsers from guessing content types.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	c.Next()
}

// limits bounds the body size and the time one request may take. The
// deadline is on the request's context, so retrieval and the LLM call stop
// with it, as they do when the client goes away.
//
// Each write of the response may take at most WriteTimeout: a client that
// stops reading (or pipelines requests and never reads the answers) fills
// the connection's buffers, and the write that finds them full fails in
// time instead of holding its handler.
//
// A query string that does not parse (more than 10,000 parameters, a bad
// escape) is refused here: handlers would otherwise see no parameters at
// all and report the wrong problem.
func (s *Server) limits(c *gin.Context) {
	c.Writer = &deadlineWriter{ResponseWriter: c.Writer, rc: http.NewResponseController(c.Writer), d: s.opts.WriteTimeout}
	maxBody, timeout := s.opts.MaxBodyBytes, s.opts.RequestTimeout
	if c.FullPath() == uploadRoute && c.Request.Method == http.MethodPost {
		// Files are larger than questions, and take longer to arrive.
		maxBody, timeout = s.opts.Upload.MaxRequestBytes, s.opts.Upload.Timeout
	}
	if c.Request.ContentLength > maxBody {
		s.abort(c, &http.MaxBytesError{Limit: maxBody})
		return
	}
	if _, err := url.ParseQuery(c.Request.URL.RawQuery); err != nil {
		s.abort(c, badRequest("invalid_query", "the query string cannot be read (%s); send at most 10000 parameters, escaped as URLs escape them", queryProblem(err)))
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	ctx, cancel := context.WithTimeout(c.Request.Context(), timeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// queryProblem names what is wrong with a query string in words that
// carry none of its text.
func queryProblem(err error) string {
	if strings.Contains(err.Error(), "exceeded") || strings.Contains(err.Error(), "too many") {
		return "too many parameters"
	}
	return "a malformed escape or separator"
}

// deadlineWriter gives every write of a response its own deadline.
type deadlineWriter struct {
	gin.ResponseWriter
	rc *http.ResponseController
	d  time.Duration
}

func (w *deadlineWriter) arm() { _ = w.rc.SetWriteDeadline(time.Now().Add(w.d)) }

func (w *deadlineWriter) WriteHeader(code int) { w.arm(); w.ResponseWriter.WriteHeader(code) }

func (w *deadlineWriter) WriteHeaderNow() { w.arm(); w.ResponseWriter.WriteHeaderNow() }

func (w *deadlineWriter) Write(b []byte) (int, error) { w.arm(); return w.ResponseWriter.Write(b) }

func (w *deadlineWriter) WriteString(s string) (int, error) {
	w.arm()
	return w.ResponseWriter.WriteString(s)
}

func (w *deadlineWriter) Flush() { w.arm(); w.ResponseWriter.Flush() }

func (s *Server) noRoute(c *gin.Context) {
	s.abort(c, notFound("not_found", "no route %s %s; the API lives under /v1 (see /v1/models, /v1/ask, /v1/search, /v1/documents)", c.Request.Method, c.Request.URL.Path))
}

func (s *Server) noMethod(c *gin.Context) {
	s.abort(c, &apiError{http.StatusMethodNotAllowed, "method_not_allowed",
		"method " + c.Request.Method + " is not allowed here; use " + c.Writer.Header().Get("Allow")})
}
