package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"wenda/answer"
	"wenda/endpoint"
)

// TestBadInput checks that every malformed request gets the status and
// error code that tell the client what to fix, before any answering.
func TestBadInput(t *testing.T) {
	ts := newTestServer(t, failingAsker(t), Options{MaxBodyBytes: 8 << 10})
	long := strings.Repeat("中", answer.MaxQuestionRunes+1)
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"empty question", "POST", "/v1/ask", `{"question":""}`, 400, "empty_question"},
		{"whitespace question", "POST", "/v1/ask", `{"question":" \n\t\u3000 "}`, 400, "empty_question"},
		{"missing question", "POST", "/v1/ask", `{"k":3}`, 400, "empty_question"},
		{"question too long", "POST", "/v1/ask", `{"question":"` + long + `"}`, 400, "question_too_long"},
		{"empty body", "POST", "/v1/ask", ``, 400, "invalid_json"},
		{"broken JSON", "POST", "/v1/ask", `{"question":"中美`, 400, "invalid_json"},
		{"not JSON", "POST", "/v1/ask", `question=hi`, 400, "invalid_json"},
		{"two values", "POST", "/v1/ask", `{"question":"中美"} {"question":"x"}`, 400, "invalid_json"},
		{"array body", "POST", "/v1/ask", `["中美"]`, 400, "invalid_type"},
		{"question is a number", "POST", "/v1/ask", `{"question":5}`, 400, "invalid_type"},
		{"k is a string", "POST", "/v1/ask", `{"question":"中美","k":"five"}`, 400, "invalid_type"},
		{"k zero", "POST", "/v1/ask", `{"question":"中美","k":0}`, 400, "invalid_k"},
		{"k too large", "POST", "/v1/ask", `{"question":"中美","k":51}`, 400, "invalid_k"},
		{"unknown mode", "POST", "/v1/ask", `{"question":"中美","mode":"fuzzy"}`, 400, "unknown_mode"},
		{"mmr not a bool", "POST", "/v1/ask", `{"question":"中美","mmr":"yes"}`, 400, "invalid_type"},
		{"search mmr not a bool", "GET", "/v1/search?q=%E4%B8%AD%E7%BE%8E&mmr=maybe", ``, 400, "invalid_mmr"},
		{"misspelt field", "POST", "/v1/ask", `{"questoin":"中美"}`, 400, "unknown_field"},
		{"unknown document", "POST", "/v1/ask", `{"question":"中美","filters":{"doc_ids":["nope"]}}`, 400, "unknown_document"},
		{"bad date", "POST", "/v1/ask", `{"question":"中美","filters":{"from":"2025/01"}}`, 400, "invalid_date"},
		{"dates reversed", "POST", "/v1/ask", `{"question":"中美","filters":{"from":"2026","to":"2025"}}`, 400, "invalid_date"},
		{"body too large", "POST", "/v1/ask", `{"question":"` + strings.Repeat("x", 9000) + `"}`, 413, "body_too_large"},
		{"stream with bad input", "POST", "/v1/ask", `{"question":"","stream":true}`, 400, "empty_question"},

		{"search without q", "GET", "/v1/search", ``, 400, "empty_question"},
		{"search k not a number", "GET", "/v1/search?q=中美&k=abc", ``, 400, "invalid_k"},
		{"search k too large", "GET", "/v1/search?q=中美&k=500", ``, 400, "invalid_k"},
		{"search unknown mode", "GET", "/v1/search?q=中美&mode=fuzzy", ``, 400, "unknown_mode"},
		{"search unknown doc", "GET", "/v1/search?q=中美&doc=nope", ``, 400, "unknown_document"},

		{"chat without user message", "POST", "/v1/chat/completions", `{"model":"wenda","messages":[{"role":"system","content":"be brief"}]}`, 400, "no_question"},
		{"chat without messages", "POST", "/v1/chat/completions", `{"model":"wenda"}`, 400, "no_question"},
		{"chat empty question", "POST", "/v1/chat/completions", `{"messages":[{"role":"user","content":"  "}]}`, 400, "empty_question"},
		{"chat content of wrong type", "POST", "/v1/chat/completions", `{"messages":[{"role":"user","content":42}]}`, 400, "invalid_type"},
		{"chat broken JSON", "POST", "/v1/chat/completions", `{"messages":[`, 400, "invalid_json"},

		{"unknown document id", "GET", "/v1/documents/nope", ``, 404, "document_not_found"},
		{"unknown chunk id", "GET", "/v1/chunks/nope:1", ``, 404, "chunk_not_found"},
		{"unknown route", "GET", "/v2/ask", ``, 404, "not_found"},
		{"trailing slash", "GET", "/v1/documents/", ``, 404, "not_found"},
		{"static folder", "GET", "/static/", ``, 404, "not_found"},
		{"missing static file", "GET", "/static/nope.js", ``, 404, "not_found"},
		{"GET on ask", "GET", "/v1/ask", ``, 405, "method_not_allowed"},
		{"DELETE on a document", "DELETE", "/v1/documents/x", ``, 405, "method_not_allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, tt.method, ts.URL+tt.path, tt.body, nil)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			if got := r.errorCode(t); got != tt.code {
				t.Errorf("code %q, want %q: %s", got, tt.code, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
		})
	}
}

func TestMethodNotAllowedSaysWhatIsAllowed(t *testing.T) {
	ts := newTestServer(t, failingAsker(t), Options{})
	r := do(t, "PUT", ts.URL+"/v1/ask", `{}`, nil)
	if r.Status != 405 || r.Header.Get("Allow") != "POST" {
		t.Fatalf("status %d, Allow %q; want 405 and POST", r.Status, r.Header.Get("Allow"))
	}
	if !strings.Contains(string(r.Body), "POST") {
		t.Errorf("message does not name the allowed method: %s", r.Body)
	}
}

func TestQuestionAtTheLimitIsAccepted(t *testing.T) {
	var got string
	ts := newTestServer(t, &fakeAsker{ask: func(_ context.Context, req answer.Request) (answer.Answer, error) {
		got = req.Question
		return answer.Answer{Question: req.Question, Answerable: true, Citations: []answer.Citation{}}, nil
	}}, Options{})
	q := strings.Repeat("中", answer.MaxQuestionRunes)
	r := do(t, "POST", ts.URL+"/v1/ask", `{"question":"  `+q+`  "}`, nil)
	if r.Status != 200 {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	if got != q {
		t.Errorf("the answerer got %d runes, want the trimmed %d", len([]rune(got)), answer.MaxQuestionRunes)
	}
}

// TestAnswererFailures injects the errors an answerer can return and
// checks the status, code and that no internal text leaks.
func TestAnswererFailures(t *testing.T) {
	secret := "dial tcp 10.1.2.3:443: secret-internal-detail"
	llmErr := func(kind error, status int) error {
		return &endpoint.Error{Op: "chat", Status: status, Kind: kind, Err: errors.New(secret)}
	}
	tests := []struct {
		name   string
		err    error
		panics bool
		status int
		code   string
	}{
		{"llm unreachable", llmErr(endpoint.ErrUnavailable, 0), false, 502, "llm_unavailable"},
		{"llm overloaded", llmErr(endpoint.ErrUnavailable, 429), false, 503, "llm_unavailable"},
		{"llm timeout", llmErr(endpoint.ErrTimeout, 0), false, 504, "llm_timeout"},
		{"llm rejected", llmErr(endpoint.ErrRejected, 401), false, 502, "llm_rejected"},
		{"wrapped llm timeout", fmt.Errorf("generate: %w", llmErr(endpoint.ErrTimeout, 0)), false, 504, "llm_timeout"},
		{"question refused as empty", fmt.Errorf("ask: %w", answer.ErrEmptyQuestion), false, 400, "empty_question"},
		{"question refused as too long", answer.ErrQuestionTooLong, false, 400, "question_too_long"},
		{"unexpected error", errors.New(secret), false, 500, "internal"},
		{"panic", nil, true, 500, "internal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, &fakeAsker{ask: func(context.Context, answer.Request) (answer.Answer, error) {
				if tt.panics {
					panic(secret)
				}
				return answer.Answer{}, tt.err
			}}, Options{})
			for _, path := range []string{"/v1/ask", "/v1/chat/completions"} {
				body := `{"question":"中美关系"}`
				if path == "/v1/chat/completions" {
					body = `{"model":"wenda","messages":[{"role":"user","content":"中美关系"}]}`
				}
				r := do(t, "POST", ts.URL+path, body, nil)
				if r.Status != tt.status {
					t.Fatalf("%s: status %d, want %d: %s", path, r.Status, tt.status, r.Body)
				}
				if got := r.errorCode(t); got != tt.code {
					t.Errorf("%s: code %q, want %q", path, got, tt.code)
				}
				if strings.Contains(string(r.Body), "secret") || strings.Contains(string(r.Body), "10.1.2.3") {
					t.Errorf("%s: internal text leaked to the client: %s", path, r.Body)
				}
			}
			if tt.status == 500 && !strings.Contains(ts.logs.String(), "secret-internal-detail") {
				t.Errorf("the internal error was not logged for the operator")
			}
		})
	}
}

func TestRequestTimeout(t *testing.T) {
	ts := newTestServer(t, &fakeAsker{ask: func(ctx context.Context, _ answer.Request) (answer.Answer, error) {
		<-ctx.Done()
		return answer.Answer{}, ctx.Err()
	}}, Options{RequestTimeout: 50 * time.Millisecond})
	r := do(t, "POST", ts.URL+"/v1/ask", `{"question":"中美关系"}`, nil)
	if r.Status != http.StatusGatewayTimeout || r.errorCode(t) != "timeout" {
		t.Fatalf("status %d: %s; want 504 timeout", r.Status, r.Body)
	}
}

func TestNotReady(t *testing.T) {
	ts := newTestServer(t, nil, Options{})
	for _, path := range []string{"/readyz", "/v1/documents", "/v1/models"} {
		r := do(t, "GET", ts.URL+path, "", nil)
		if r.Status != 503 || r.errorCode(t) != "not_ready" {
			t.Errorf("%s: status %d: %s; want 503 not_ready", path, r.Status, r.Body)
		}
		if r.Header.Get("Retry-After") == "" {
			t.Errorf("%s: no Retry-After", path)
		}
	}
	if r := do(t, "GET", ts.URL+"/healthz", "", nil); r.Status != 200 {
		t.Errorf("/healthz: status %d while loading; want 200", r.Status)
	}
	ix := realIndex(t)
	ts.Ready(Backend{Asker: failingAsker(t), Searcher: ix, Library: ix})
	r := do(t, "GET", ts.URL+"/readyz", "", nil)
	if r.Status != 200 {
		t.Fatalf("/readyz after Ready: status %d: %s", r.Status, r.Body)
	}
	if got := decode[readyResponse](t, r); got.Status != "ready" || got.Documents != len(ix.Docs()) {
		t.Errorf("/readyz = %+v", got)
	}
}
