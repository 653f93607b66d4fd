package answer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"wenda/endpoint"
	"wenda/retrieval"
)

// The model faults of a real deployment, played by an OpenAI-compatible
// server while the real client runs: a model that hangs, one that streams
// slowly but well, one that stops mid-answer, one that asks to be called
// later.

const madridSentence = "何立峰与贝森特在西班牙马德里举行会谈[1]。"

// hang answers nothing until the caller gives up.
func hang(w http.ResponseWriter, r *http.Request, _ int, _ openai.ChatCompletionRequest) {
	<-r.Context().Done()
}

// TestHungModelFallsBackInsideDeadline: with per-attempt timeouts and
// retries that add up to more than the request may take, a model that
// never answers still yields the extractive answer before the request's
// deadline, both whole and streamed.
func TestHungModelFallsBackInsideDeadline(t *testing.T) {
	f := newFakeChat(t, hang)
	cfg := f.config()
	cfg.Timeout, cfg.FirstTokenTimeout, cfg.MaxRetries = 10*time.Second, 10*time.Second, 2
	s := &stubSearcher{ps: passages(madridPassage, tiktokPassage), relevance: 0.9}
	svc := NewService(s, Options{Generator: NewLLM(cfg), FallbackOnError: true})
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprint("stream=", stream), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			var (
				a   Answer
				err error
			)
			if stream {
				a, err = svc.AskStream(ctx, Request{Question: "马德里会谈是谁参加的？"}, func(Event) error { return nil })
			} else {
				a, err = svc.Ask(ctx, Request{Question: "马德里会谈是谁参加的？"})
			}
			if err != nil {
				t.Fatalf("error %v; want the extractive fallback", err)
			}
			if ctx.Err() != nil {
				t.Error("the answer came after the request's deadline")
			}
			if !a.Fallback || !a.Answerable || !strings.Contains(a.FallbackReason, "timed out") {
				t.Errorf("fallback %v answerable %v reason %q", a.Fallback, a.Answerable, a.FallbackReason)
			}
		})
	}
}

// TestSlowHealthyStream: a model that streams for longer than the
// per-call timeout, but never pauses long, is not cut.
func TestSlowHealthyStream(t *testing.T) {
	text := "何立峰与贝森特在西班牙马德里举行会谈[1]。会谈还谈到了TikTok问题[2]。"
	f := newFakeChat(t, func(w http.ResponseWriter, r *http.Request, _ int, req openai.ChatCompletionRequest) {
		startStream(w)
		for _, piece := range strings.SplitAfter(text, "，") {
			for _, r := range []rune(piece) {
				sendChunk(w, string(r))
				time.Sleep(15 * time.Millisecond)
			}
		}
		fmt.Fprint(w, "data: [DONE]\n\n")
	})
	cfg := f.config()
	cfg.Timeout, cfg.FirstTokenTimeout, cfg.IdleTimeout = 200*time.Millisecond, 2*time.Second, 2*time.Second
	s := &stubSearcher{ps: passages(madridPassage, tiktokPassage), relevance: 0.9}
	svc := NewService(s, Options{Generator: NewLLM(cfg)})
	a, err := svc.AskStream(context.Background(), Request{Question: "马德里会谈谈了什么？"}, func(Event) error { return nil })
	if err != nil {
		t.Fatalf("a healthy stream longer than the per-call timeout was cut: %v", err)
	}
	if a.Verification.Supported != 2 {
		t.Errorf("answer %q: %+v; want both sentences", a.Text, a.Verification)
	}
}

// TestStreamTimeouts: the first-token and idle clocks each say what ran
// out, and neither blames the question.
func TestStreamTimeouts(t *testing.T) {
	tests := []struct {
		name   string
		handle func(w http.ResponseWriter, r *http.Request, call int, req openai.ChatCompletionRequest)
		detail string
	}{
		{"no first token", func(w http.ResponseWriter, r *http.Request, _ int, _ openai.ChatCompletionRequest) {
			startStream(w)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}, "no first token within"},
		{"pause mid-answer", func(w http.ResponseWriter, r *http.Request, _ int, _ openai.ChatCompletionRequest) {
			startStream(w)
			sendChunk(w, "何立峰与贝森特")
			<-r.Context().Done()
		}, "paused for more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeChat(t, tt.handle)
			cfg := f.config()
			cfg.FirstTokenTimeout, cfg.IdleTimeout, cfg.MaxRetries = 150*time.Millisecond, 150*time.Millisecond, 0
			err := NewLLM(cfg).Stream(context.Background(), nil, func(string) error { return nil })
			var ee *endpoint.Error
			if !errors.As(err, &ee) || !errors.Is(err, endpoint.ErrTimeout) || !strings.Contains(ee.Detail, tt.detail) {
				t.Fatalf("error %v (detail %q); want a timeout saying %q", err, detailOf(err), tt.detail)
			}
		})
	}
}

func detailOf(err error) string {
	var ee *endpoint.Error
	if errors.As(err, &ee) {
		return ee.Detail
	}
	return ""
}

// TestRetryAfter: a 429 with Retry-After is retried no sooner than the
// service asked; one asking for longer than MaxRetryAfter is not retried.
func TestRetryAfter(t *testing.T) {
	var (
		mu    sync.Mutex
		times []time.Time
	)
	f := newFakeChat(t, func(w http.ResponseWriter, r *http.Request, call int, req openai.ChatCompletionRequest) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		if call == 1 {
			w.Header().Set("Retry-After", "1")
			fail(w, http.StatusTooManyRequests)
			return
		}
		reply(w, req, madridSentence)
	})
	cfg := f.config()
	if _, err := NewLLM(cfg).Complete(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if len(times) != 2 || times[1].Sub(times[0]) < 900*time.Millisecond {
		t.Fatalf("calls at %v; want a retry after the 1 s the service asked for", times)
	}

	g := newFakeChat(t, func(w http.ResponseWriter, r *http.Request, call int, req openai.ChatCompletionRequest) {
		w.Header().Set("Retry-After", "3600")
		fail(w, http.StatusTooManyRequests)
	})
	_, err := NewLLM(g.config()).Complete(context.Background(), nil)
	if !errors.Is(err, endpoint.ErrUnavailable) || len(g.requests()) != 1 {
		t.Errorf("error %v after %d calls; want one call and ErrUnavailable when the service asks for an hour", err, len(g.requests()))
	}
}

// TestRetryBudget: a retry that cannot finish before the deadline is not
// started, so the caller's fallback keeps its time.
func TestRetryBudget(t *testing.T) {
	f := newFakeChat(t, hang)
	cfg := f.config()
	// Two attempts and their backoff end at most 1.52 s into the 2 s
	// budget: the half second left is room for a loaded machine's
	// scheduling, not for a third attempt.
	cfg.Timeout, cfg.MaxRetries = 600*time.Millisecond, 5
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := NewLLM(cfg).Complete(ctx, nil)
	if !errors.Is(err, endpoint.ErrTimeout) {
		t.Fatalf("error %v; want ErrTimeout", err)
	}
	if ctx.Err() != nil {
		t.Error("the retries ran into the caller's deadline")
	}
	if n := len(f.requests()); n < 2 || n > 3 {
		t.Errorf("%d attempts of 600 ms in a 2 s budget; want 2 or 3", n)
	}
}

// TestStreamCutIsAFailure: a stream that closes without finish_reason or
// [DONE] is not a complete answer, while one with either is.
func TestStreamCutIsAFailure(t *testing.T) {
	end := map[string]func(w http.ResponseWriter){
		"nothing": func(http.ResponseWriter) {},
		"finish_reason": func(w http.ResponseWriter) {
			b := `{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}`
			fmt.Fprintf(w, "data: %s\n\n", b)
		},
		"[DONE]": func(w http.ResponseWriter) { fmt.Fprint(w, "data: [DONE]\n\n") },
	}
	for name, finish := range end {
		t.Run(name, func(t *testing.T) {
			f := newFakeChat(t, func(w http.ResponseWriter, r *http.Request, _ int, _ openai.ChatCompletionRequest) {
				startStream(w)
				sendChunk(w, madridSentence)
				sendChunk(w, "会谈还谈到了")
				finish(w)
			})
			svc, _ := llmService(t, f, true)
			var events []Event
			_, err := svc.AskStream(context.Background(), Request{Question: "马德里会谈是谁参加的？"}, func(e Event) error { events = append(events, e); return nil })
			if name != "nothing" {
				if err != nil {
					t.Fatalf("a stream ending with %s failed: %v", name, err)
				}
				return
			}
			if !errors.Is(err, endpoint.ErrUnavailable) || !strings.Contains(detailOf(err), "stopped before") {
				t.Fatalf("error %v; want the cut stream reported as a failure", err)
			}
			last := events[len(events)-1]
			if last.Type != EventError || events[len(events)-2].Type != EventCitations {
				t.Errorf("events end %s, %s; want citations then error", events[len(events)-2].Type, last.Type)
			}
		})
	}
}

// TestUsage: the tokens the service reports are the answer's usage.
func TestUsage(t *testing.T) {
	f := newFakeChat(t, func(w http.ResponseWriter, r *http.Request, _ int, req openai.ChatCompletionRequest) {
		writeJSON(w, http.StatusOK, openai.ChatCompletionResponse{
			ID: "c", Object: "chat.completion", Model: req.Model,
			Choices: []openai.ChatCompletionChoice{{Message: openai.ChatCompletionMessage{Role: "assistant", Content: madridSentence}, FinishReason: "stop"}},
			Usage:   openai.Usage{PromptTokens: 300, CompletionTokens: 20, TotalTokens: 320},
		})
	})
	svc, _ := llmService(t, f, false)
	a, err := svc.Ask(context.Background(), Request{Question: "马德里会谈是谁参加的？"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Usage == nil || *a.Usage != (Usage{PromptTokens: 300, CompletionTokens: 20, TotalTokens: 320}) {
		t.Errorf("usage %+v", a.Usage)
	}
}

// TestBoundedHistory: the service itself refuses a history it would have
// to hold or scan beyond what it uses.
func TestBoundedHistory(t *testing.T) {
	svc := NewService(&stubSearcher{ps: passages(madridPassage), relevance: 0.9}, Options{})
	for name, h := range map[string][]string{
		"too many turns": make([]string, MaxHistoryTurns+1),
		"a huge turn":    {strings.Repeat("中", 900_000)},
	} {
		if _, err := svc.Ask(context.Background(), Request{Question: "那关税呢？", History: h}); !errors.Is(err, ErrHistoryTooLong) {
			t.Errorf("%s: error %v; want ErrHistoryTooLong", name, err)
		}
	}
}

// cancellingSearcher stands for a client that leaves while retrieval runs.
type cancellingSearcher struct {
	stubSearcher
	cancel context.CancelFunc
}

func (c *cancellingSearcher) Search(ctx context.Context, q retrieval.Query) (retrieval.Result, error) {
	c.cancel()
	return c.stubSearcher.Search(ctx, q)
}

// TestClientGoneStopsWork: once the request's context ends, nothing more
// is done for it, even when the stage that was running did not notice.
func TestClientGoneStopsWork(t *testing.T) {
	f := newFakeChat(t, func(w http.ResponseWriter, r *http.Request, _ int, req openai.ChatCompletionRequest) {
		reply(w, req, madridSentence)
	})
	for _, gen := range []Generator{nil, NewLLM(f.config())} {
		ctx, cancel := context.WithCancel(context.Background())
		s := &cancellingSearcher{stubSearcher: stubSearcher{ps: passages(madridPassage), relevance: 0.9}, cancel: cancel}
		svc := NewService(s, Options{Generator: gen})
		if _, err := svc.Ask(ctx, Request{Question: "马德里会谈是谁参加的？"}); !errors.Is(err, context.Canceled) {
			t.Errorf("answerer %s: error %v; want context.Canceled", svc.Answerer(), err)
		}
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("the model was called %d times for a client that had left", n)
	}
}

// TestDegradedRetrievalMarked: when retrieval fell back to BM25 alone, the
// answer says so.
func TestDegradedRetrievalMarked(t *testing.T) {
	s := &stubSearcher{ps: passages(madridPassage), relevance: 0.9, degraded: "the query could not be embedded (the embedding service: model service unavailable, status 502); passages were found by BM25 alone"}
	a, err := NewService(s, Options{}).Ask(context.Background(), Request{Question: "马德里会谈是谁参加的？"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Degraded != s.degraded || !a.Answerable {
		t.Errorf("degraded %q answerable %v", a.Degraded, a.Answerable)
	}
}
