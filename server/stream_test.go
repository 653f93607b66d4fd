package server

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"wenda/answer"
	"wenda/chunk"
	"wenda/endpoint"
	"wenda/retrieval"
)

type sseEvent struct {
	Event string
	Data  string
}

// readSSE parses a Server-Sent Events stream as the specification tells
// a client to: fields per line, one optional space after the colon, data
// lines joined with newlines, an event dispatched at each blank line.
func readSSE(t *testing.T, r io.Reader) []sseEvent {
	t.Helper()
	var (
		out  []sseEvent
		ev   sseEvent
		data []string
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			if data != nil {
				ev.Data = strings.Join(data, "\n")
				if ev.Event == "" {
					ev.Event = "message"
				}
				out = append(out, ev)
			}
			ev, data = sseEvent{}, nil
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue
		}
		field, val, _ := strings.Cut(line, ":")
		val = strings.TrimPrefix(val, " ")
		switch field {
		case "event":
			ev.Event = val
		case "data":
			data = append(data, val)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read stream: %v", err)
	}
	return out
}

func postStream(t *testing.T, ctx context.Context, url, body string, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, "POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// scriptedAsker streams fixed events; the text has the characters raw SSE
// writers mangle: a leading space, a carriage return and newlines.
func scriptedAsker(deltas []string, fail error) *fakeAsker {
	return &fakeAsker{stream: func(ctx context.Context, req answer.Request, emit func(answer.Event) error) (answer.Answer, error) {
		ps := []retrieval.Passage{{Chunk: chunk.Chunk{ID: "madrid-talks-interview:4", DocID: "madrid-talks-interview"}, Title: "t"}}
		if err := emit(answer.Event{Type: answer.EventRetrieval, Passages: ps}); err != nil {
			return answer.Answer{}, err
		}
		for _, d := range deltas {
			if err := emit(answer.Event{Type: answer.EventDelta, Delta: d}); err != nil {
				return answer.Answer{}, err
			}
		}
		if fail != nil {
			return answer.Answer{}, fail
		}
		cites := []answer.Citation{{N: 1, ChunkID: "madrid-talks-interview:4", DocID: "madrid-talks-interview", Start: 765, End: 1271, Supported: true}}
		if err := emit(answer.Event{Type: answer.EventCitations, Citations: cites}); err != nil {
			return answer.Answer{}, err
		}
		a := answer.Answer{Question: req.Question, Text: strings.Join(deltas, ""), Citations: cites, Answerable: true, Answerer: "fake"}
		return a, emit(answer.Event{Type: answer.EventDone, Answer: &a})
	}}
}

func TestAskStreamWireFormat(t *testing.T) {
	deltas := []string{" leading space", "，中文\r\n第二行", "\n\ndata: not an event [1]"}
	ts := newTestServer(t, scriptedAsker(deltas, nil), Options{})
	for _, how := range []struct {
		name, body string
		header     map[string]string
	}{
		{"stream field", `{"question":"中美","stream":true}`, nil},
		{"accept header", `{"question":"中美"}`, map[string]string{"Accept": "text/event-stream"}},
	} {
		t.Run(how.name, func(t *testing.T) {
			res := postStream(t, context.Background(), ts.URL+"/v1/ask", how.body, how.header)
			defer res.Body.Close()
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
				t.Fatalf("status %d, Content-Type %q", res.StatusCode, res.Header.Get("Content-Type"))
			}
			events := readSSE(t, res.Body)
			var names []string
			var text strings.Builder
			for _, ev := range events {
				names = append(names, ev.Event)
				if ev.Event == "delta" {
					var d deltaEvent
					if err := json.Unmarshal([]byte(ev.Data), &d); err != nil {
						t.Fatalf("delta data is not JSON: %v: %q", err, ev.Data)
					}
					text.WriteString(d.Text)
				}
			}
			if got, want := strings.Join(names, ","), "retrieval,delta,delta,delta,citations,done"; got != want {
				t.Fatalf("events %s, want %s", got, want)
			}
			if got, want := text.String(), strings.Join(deltas, ""); got != want {
				t.Errorf("deltas rebuild %q, want %q", got, want)
			}
			var done answer.Answer
			if err := json.Unmarshal([]byte(events[len(events)-1].Data), &done); err != nil {
				t.Fatal(err)
			}
			if done.Text != text.String() || len(done.Citations) != 1 || done.Citations[0].End != 1271 {
				t.Errorf("done carries %+v", done)
			}
			var ret retrievalEvent
			if err := json.Unmarshal([]byte(events[0].Data), &ret); err != nil || len(ret.Passages) != 1 {
				t.Errorf("retrieval event %q: %v", events[0].Data, err)
			}
		})
	}
}

func TestAskStreamFailure(t *testing.T) {
	timeout := &endpoint.Error{Op: "chat", Kind: endpoint.ErrTimeout, Err: context.DeadlineExceeded}

	t.Run("after the first event", func(t *testing.T) {
		ts := newTestServer(t, scriptedAsker([]string{"部分"}, timeout), Options{})
		res := postStream(t, context.Background(), ts.URL+"/v1/ask", `{"question":"中美","stream":true}`, nil)
		defer res.Body.Close()
		events := readSSE(t, res.Body)
		last := events[len(events)-1]
		if last.Event != "error" {
			t.Fatalf("last event %q, want error", last.Event)
		}
		var e errorResponse
		if err := json.Unmarshal([]byte(last.Data), &e); err != nil || e.Error.Code != "llm_timeout" || e.Error.Message == "" {
			t.Errorf("error event %q", last.Data)
		}
	})

	t.Run("before the first event", func(t *testing.T) {
		ts := newTestServer(t, &fakeAsker{stream: func(context.Context, answer.Request, func(answer.Event) error) (answer.Answer, error) {
			return answer.Answer{}, timeout
		}}, Options{})
		res := postStream(t, context.Background(), ts.URL+"/v1/ask", `{"question":"中美","stream":true}`, nil)
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		r := response{Status: res.StatusCode, Header: res.Header, Body: b}
		if r.Status != 504 || r.errorCode(t) != "llm_timeout" {
			t.Errorf("status %d: %s; want a 504 JSON error", r.Status, b)
		}
	})
}

// TestClientDisconnectCancels checks that a client that leaves cancels the
// answer's context, which is what stops retrieval and the LLM call.
func TestClientDisconnectCancels(t *testing.T) {
	for _, stream := range []bool{false, true} {
		name := map[bool]string{false: "json", true: "stream"}[stream]
		t.Run(name, func(t *testing.T) {
			entered, canceled := make(chan struct{}), make(chan error, 1)
			wait := func(ctx context.Context) {
				close(entered)
				select {
				case <-ctx.Done():
					canceled <- ctx.Err()
				case <-time.After(10 * time.Second):
					canceled <- nil
				}
			}
			ts := newTestServer(t, &fakeAsker{
				ask: func(ctx context.Context, _ answer.Request) (answer.Answer, error) {
					wait(ctx)
					return answer.Answer{}, ctx.Err()
				},
				stream: func(ctx context.Context, _ answer.Request, emit func(answer.Event) error) (answer.Answer, error) {
					if err := emit(answer.Event{Type: answer.EventRetrieval}); err != nil {
						return answer.Answer{}, err
					}
					wait(ctx)
					return answer.Answer{}, ctx.Err()
				},
			}, Options{})
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				defer close(done)
				req, _ := http.NewRequestWithContext(ctx, "POST", ts.URL+"/v1/ask", strings.NewReader(`{"question":"中美","stream":`+map[bool]string{false: "false", true: "true"}[stream]+`}`))
				req.Header.Set("Content-Type", "application/json")
				if res, err := http.DefaultClient.Do(req); err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
			}()
			<-entered
			cancel()
			if err := <-canceled; err == nil {
				t.Fatal("the answerer's context was not canceled when the client left")
			}
			<-done
		})
	}
}
