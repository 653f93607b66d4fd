package endpoint

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// models is an OpenAI-compatible /models listing, or a refusal of the key.
func models(t *testing.T, status int, ids ...string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/models" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if status != http.StatusOK {
			w.WriteHeader(status)
			io.WriteString(w, `{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}`)
			return
		}
		var data []string
		for _, id := range ids {
			data = append(data, `{"id":"`+id+`","object":"model","created":1,"owned_by":"x"}`)
		}
		io.WriteString(w, `{"object":"list","data":[`+strings.Join(data, ",")+`]}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestProbe(t *testing.T) {
	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL := gone.URL
	gone.Close()
	tests := []struct {
		name   string
		url    string
		model  string
		kind   error
		state  string
		listed bool
	}{
		{"ok", models(t, 200, "gpt-4o-mini", "text-embedding-3-small").URL + "/v1", "gpt-4o-mini", nil, StateOK, true},
		{"model not listed", models(t, 200, "qwen2.5").URL + "/v1", "gpt-4o-mini", ErrModelNotListed, StateOK, false},
		{"wrong key", models(t, 401).URL + "/v1", "gpt-4o-mini", ErrRejected, StateRejected, true},
		{"unreachable", goneURL + "/v1", "gpt-4o-mini", ErrUnavailable, StateUnavailable, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Monitor
			if st, _ := m.State(); st != StateUnchecked {
				t.Fatalf("fresh monitor state %q", st)
			}
			err := Probe(context.Background(), Config{BaseURL: tt.url, APIKey: "k", Model: tt.model, Monitor: &m}, "chat")
			if tt.kind == nil && err != nil || tt.kind != nil && !errors.Is(err, tt.kind) {
				t.Errorf("error %v; want %v", err, tt.kind)
			}
			if st, _ := m.State(); st != tt.state {
				t.Errorf("state %q; want %q", st, tt.state)
			}
		})
	}
}

// TestMonitorFollowsCalls: every call through Do updates the state, and a
// cancelled call says nothing about the service.
func TestMonitorFollowsCalls(t *testing.T) {
	var m Monitor
	c := Config{Monitor: &m}
	_ = Do(context.Background(), c, "chat", func(context.Context) error { return &StatusError{Code: 401} })
	if st, _ := m.State(); st != StateRejected {
		t.Errorf("after a 401: %q", st)
	}
	_ = Do(context.Background(), c, "chat", func(context.Context) error { return nil })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = Do(ctx, c, "chat", func(ctx context.Context) error { return ctx.Err() })
	if st, _ := m.State(); st != StateOK {
		t.Errorf("after a success and a cancelled call: %q", st)
	}
}

// TestDoneDetection: the closing [DONE] is seen however the body is cut
// into reads, and answer text cannot fake it.
func TestDoneDetection(t *testing.T) {
	tests := []struct {
		body string
		done bool
	}{
		{"data: {\"x\":1}\n\ndata: [DONE]\n\n", true},
		{"data:[DONE]\n\n", true},
		{"data: {\"content\":\"data: [DONE]\"}\n\n", false},
		{"data: {\"x\":1}\n\n", false},
	}
	for _, tt := range tests {
		for _, oneByte := range []bool{false, true} {
			c := &call{}
			var r io.Reader = strings.NewReader(tt.body)
			if oneByte {
				r = iotest.OneByteReader(r)
			}
			d := &doneReader{ReadCloser: io.NopCloser(r), c: c, tail: []byte("\n")}
			if _, err := io.ReadAll(d); err != nil {
				t.Fatal(err)
			}
			if c.done.Load() != tt.done {
				t.Errorf("%q (one byte at a time %v): done %v, want %v", tt.body, oneByte, c.done.Load(), tt.done)
			}
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"3":                             3 * time.Second,
		"0.5":                           500 * time.Millisecond,
		"Thu, 01 Jan 2026 00:00:10 GMT": 10 * time.Second,
	} {
		if d, ok := parseRetryAfter(v, now); !ok || d != want {
			t.Errorf("%q: %v %v; want %v", v, d, ok, want)
		}
	}
	if _, ok := parseRetryAfter("soon", now); ok {
		t.Error("a word read as a wait")
	}
}

func TestMonitorWrappedError(t *testing.T) {
	var m Monitor
	m.Record(fmt.Errorf("generate: %w", &Error{Op: "chat", Kind: ErrTimeout, Err: errors.New("slow")}))
	if st, _ := m.State(); st != StateTimeout {
		t.Errorf("state %q after a wrapped timeout", st)
	}
}
