package endpoint

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// call is what the transport learns about one attempt that go-openai does
// not pass on: the Retry-After of a refusal, and whether a stream ended
// with its [DONE] line.
type call struct {
	retryAfter atomic.Int64 // nanoseconds; 0: none given
	done       atomic.Bool  // a "data: [DONE]" line arrived
}

type callKey struct{}

// withCall attaches a fresh call record to ctx.
func withCall(ctx context.Context) (context.Context, *call) {
	c := &call{}
	return context.WithValue(ctx, callKey{}, c), c
}

func callOf(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

// StreamDone reports whether the stream of the attempt ctx belongs to ended
// with the OpenAI stream's closing "data: [DONE]" line. A stream that ends
// without it (and without a finish_reason) was cut off.
func StreamDone(ctx context.Context) bool {
	c := callOf(ctx)
	return c != nil && c.done.Load()
}

// watcher records Retry-After headers and the [DONE] line of the calls
// made under a call record.
type watcher struct{ next http.RoundTripper }

// HTTPClient returns the HTTP client every model-service call uses: the
// default transport, watched for what Do and the stream reader need.
func HTTPClient() *http.Client { return &http.Client{Transport: watcher{http.DefaultTransport}} }

func (w watcher) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := w.next.RoundTrip(req)
	c := callOf(req.Context())
	if err != nil || c == nil {
		return resp, err
	}
	if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		c.retryAfter.Store(int64(d))
	}
	resp.Body = &doneReader{ReadCloser: resp.Body, c: c, tail: []byte("\n")}
	return resp, nil
}

// parseRetryAfter reads a Retry-After value: seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// doneReader watches a body for a line that starts "data: [DONE]" (or
// "data:[DONE]"), across reads of any size. Inside a JSON data line a line
// break is escaped, so answer text cannot fake it.
type doneReader struct {
	io.ReadCloser
	c    *call
	tail []byte // the end of the last read, for a line split across reads
}

var donePrefixes = [][]byte{[]byte("\ndata: [DONE]"), []byte("\ndata:[DONE]")}

func (d *doneReader) Read(p []byte) (int, error) {
	n, err := d.ReadCloser.Read(p)
	if n > 0 && !d.c.done.Load() {
		buf := append(d.tail, p[:n]...)
		for _, pre := range donePrefixes {
			if bytes.Contains(buf, pre) {
				d.c.done.Store(true)
			}
		}
		keep := min(len(buf), 16)
		d.tail = append(d.tail[:0], buf[len(buf)-keep:]...)
	}
	return n, err
}
