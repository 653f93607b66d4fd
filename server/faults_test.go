package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"wenda/answer"
	"wenda/chunk"
	"wenda/endpoint"
	"wenda/retrieval"
)

// brokenAfterSentence streams one verified sentence with its citation, then
// fails as the model service did.
func brokenAfterSentence(fail error) *fakeAsker {
	return &fakeAsker{stream: func(ctx context.Context, req answer.Request, emit func(answer.Event) error) (answer.Answer, error) {
		ps := []retrieval.Passage{{Chunk: chunk.Chunk{ID: "madrid-talks-interview:4", DocID: "madrid-talks-interview"}, Title: "t"}}
		cites := []answer.Citation{{N: 1, ChunkID: "madrid-talks-interview:4", DocID: "madrid-talks-interview", Start: 765, End: 1271, Supported: true}}
		for _, ev := range []answer.Event{
			{Type: answer.EventRetrieval, Passages: ps},
			{Type: answer.EventDelta, Delta: "何立峰与贝森特在马德里会谈[1]。"},
			{Type: answer.EventCitations, Citations: cites},
			{Type: answer.EventError, Err: fail},
		} {
			if err := emit(ev); err != nil {
				return answer.Answer{}, err
			}
		}
		return answer.Answer{}, fail
	}}
}

var cutStream = &endpoint.Error{Op: "chat", Kind: endpoint.ErrUnavailable, Err: errors.New("cut"),
	Detail: "the model's reply stopped before it was complete"}

// TestChatStreamFailureEnding: a chat stream that fails after content went
// out gives the citations of that content, then the error OpenAI clients
// raise, then [DONE] — and the real client reports the failure instead of
// a complete answer.
func TestChatStreamFailureEnding(t *testing.T) {
	ts := newTestServer(t, brokenAfterSentence(cutStream), Options{})
	res := postStream(t, context.Background(), ts.URL+"/v1/chat/completions",
		`{"model":"wenda","stream":true,"messages":[{"role":"user","content":"马德里会谈是谁参加的？"}]}`, nil)
	events := readSSE(t, res.Body)
	res.Body.Close()
	n := len(events)
	if n < 3 || events[n-1].Data != "[DONE]" {
		t.Fatalf("stream ends %+v; want [DONE] last", events)
	}
	var cites chatChunk
	if err := json.Unmarshal([]byte(events[n-3].Data), &cites); err != nil || len(cites.Citations) != 1 || cites.Choices[0].FinishReason != nil {
		t.Errorf("before the error: %s; want a chunk with the delivered citation and no finish_reason", events[n-3].Data)
	}
	var e errorResponse
	if err := json.Unmarshal([]byte(events[n-2].Data), &e); err != nil || e.Error.Code != "llm_unavailable" || !strings.Contains(e.Error.Message, "stopped before it was complete") {
		t.Errorf("error event %s", events[n-2].Data)
	}

	// The real client sees the content, then an error, never a clean end.
	stream, err := openaiClient(ts.URL).CreateChatCompletionStream(context.Background(), openai.ChatCompletionRequest{
		Model: modelID, Stream: true, Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "马德里会谈是谁参加的？"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	var content strings.Builder
	for {
		r, err := stream.Recv()
		if err != nil {
			if errors.Is(err, io.EOF) {
				t.Error("the client saw a complete answer")
			}
			break
		}
		if len(r.Choices) > 0 {
			content.WriteString(r.Choices[0].Delta.Content)
		}
	}
	if !strings.Contains(content.String(), "[1]") {
		t.Errorf("content %q", content.String())
	}
}

// TestAskStreamFailureCitations: the /v1/ask stream sends the citations of
// the delivered sentence before its error event, so its [1] has a target.
func TestAskStreamFailureCitations(t *testing.T) {
	ts := newTestServer(t, brokenAfterSentence(cutStream), Options{})
	res := postStream(t, context.Background(), ts.URL+"/v1/ask", `{"question":"马德里会谈是谁参加的？","stream":true}`, nil)
	events := readSSE(t, res.Body)
	res.Body.Close()
	var names []string
	for _, e := range events {
		names = append(names, e.Event)
	}
	if strings.Join(names, ",") != "retrieval,delta,citations,error" {
		t.Errorf("events %v; want retrieval,delta,citations,error", names)
	}
}

// TestChatCompletionMarksFallback: an SDK user can tell the extractive
// fallback from a model answer, and usage is always filled.
func TestChatCompletionMarksFallback(t *testing.T) {
	for _, tt := range []struct {
		name string
		a    answer.Answer
	}{
		{"fallback", answer.Answer{Text: "何立峰与贝森特在马德里会谈[1]。", Answerable: true, Answerer: "extractive", Fallback: true, FallbackReason: "model service timed out"}},
		{"model", answer.Answer{Text: "何立峰与贝森特在马德里会谈[1]。", Answerable: true, Answerer: "llm", Usage: &answer.Usage{PromptTokens: 300, CompletionTokens: 20, TotalTokens: 320}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, &fakeAsker{ask: func(context.Context, answer.Request) (answer.Answer, error) { return tt.a, nil }}, Options{})
			r := do(t, "POST", ts.URL+"/v1/chat/completions", `{"model":"wenda","messages":[{"role":"user","content":"马德里会谈是谁参加的？"}]}`, nil)
			var got struct {
				Usage          *openai.Usage `json:"usage"`
				Fallback       bool          `json:"fallback"`
				FallbackReason string        `json:"fallback_reason"`
				Answerer       string        `json:"answerer"`
			}
			if err := json.Unmarshal(r.Body, &got); err != nil {
				t.Fatal(err)
			}
			if got.Fallback != tt.a.Fallback || got.FallbackReason != tt.a.FallbackReason || got.Answerer != tt.a.Answerer {
				t.Errorf("fallback %v %q answerer %q; want %v %q %q", got.Fallback, got.FallbackReason, got.Answerer, tt.a.Fallback, tt.a.FallbackReason, tt.a.Answerer)
			}
			want := openai.Usage{}
			if tt.a.Usage != nil {
				want = openai.Usage{PromptTokens: 300, CompletionTokens: 20, TotalTokens: 320}
			}
			if got.Usage == nil || *got.Usage != want {
				t.Errorf("usage %+v; want %+v", got.Usage, want)
			}
		})
	}
}

// TestServiceFailureWords: a 5xx says which service failed and what timed
// out, and never blames the question.
func TestServiceFailureWords(t *testing.T) {
	tests := []struct {
		err          error
		status       int
		code, phrase string
	}{
		{&endpoint.Error{Op: "chat", Kind: endpoint.ErrTimeout, Detail: "no first token within 30s"}, 504, "llm_timeout", "no first token within 30s"},
		{&endpoint.Error{Op: "embeddings", Kind: endpoint.ErrUnavailable, Status: 502}, 502, "embeddings_unavailable", "embedding service"},
		{&endpoint.Error{Op: "embeddings", Kind: endpoint.ErrRejected, Status: 401}, 502, "embeddings_rejected", "embedding service"},
		{context.DeadlineExceeded, 504, "timeout", "time limit"},
	}
	for _, tt := range tests {
		ts := newTestServer(t, &fakeAsker{ask: func(context.Context, answer.Request) (answer.Answer, error) { return answer.Answer{}, tt.err }}, Options{})
		r := do(t, "POST", ts.URL+"/v1/ask", `{"question":"中美"}`, nil)
		if r.Status != tt.status || r.errorCode(t) != tt.code {
			t.Errorf("%v: status %d %s; want %d %s", tt.err, r.Status, r.Body, tt.status, tt.code)
		}
		msg := string(r.Body)
		if !strings.Contains(msg, tt.phrase) || strings.Contains(msg, "language model") && strings.Contains(tt.code, "embeddings") || strings.Contains(msg, "shorter question") {
			t.Errorf("%v: message %s; want it to say %q and not blame the question", tt.err, msg, tt.phrase)
		}
	}
}
