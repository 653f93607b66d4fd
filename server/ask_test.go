package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"wenda/answer"
	"wenda/endpoint"
)

// realAsker is the offline extractive answer service over the real index.
func realAsker(t *testing.T) *answer.Service {
	return answer.NewService(realIndex(t), answer.Options{})
}

// checkCitations checks that every citation points at its quote inside
// the article, by rune offsets, and that every [n] in the text has one.
func checkCitations(t *testing.T, a answer.Answer) {
	t.Helper()
	ix := realIndex(t)
	byN := map[int]bool{}
	for _, c := range a.Citations {
		byN[c.N] = true
		doc, ok := ix.Doc(c.DocID)
		if !ok {
			t.Errorf("citation [%d] names unknown document %q", c.N, c.DocID)
			continue
		}
		runes := []rune(doc.Text)
		if c.Start < 0 || c.End > len(runes) || c.Start >= c.End || string(runes[c.Start:c.End]) != c.Quote {
			t.Errorf("citation [%d]: quote is not the article's runes [%d,%d)", c.N, c.Start, c.End)
		}
	}
	for _, n := range markerNumbers(a.Text) {
		if !byN[n] {
			t.Errorf("marker [%d] in the text has no citation", n)
		}
	}
}

var markerRE = regexp.MustCompile(`\[(\d+(?:\s*[,，、]\s*\d+)*)\]`)

func markerNumbers(text string) []int {
	var ns []int
	for _, m := range markerRE.FindAllStringSubmatch(text, -1) {
		for _, d := range regexp.MustCompile(`\d+`).FindAllString(m[1], -1) {
			n, _ := strconv.Atoi(d)
			ns = append(ns, n)
		}
	}
	return ns
}

func TestAskRealArticles(t *testing.T) {
	ts := newTestServer(t, realAsker(t), Options{})
	tests := []struct {
		name, body string
		answerable bool
		wantDoc    string
	}{
		{"simplified", `{"question":"达巍用哪个英文词来概括这次中美元首会晤？"}`, true, "apec-forum-observations"},
		{"traditional", `{"question":"雙C論壇上，達巍認為中美關係進入了什麼階段？","k":8}`, true, "apec-forum-observations"},
		{"filtered to one article", `{"question":"中美关系","filters":{"doc_ids":["g2-busan-summit"]}}`, true, "g2-busan-summit"},
		{"bm25 mode", `{"question":"马德里会谈谈到了哪些问题？","mode":"bm25"}`, true, "madrid-talks-interview"},
		{"not in the articles", `{"question":"2018年世界杯冠军是哪支球队？"}`, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, "POST", ts.URL+"/v1/ask", tt.body, nil)
			if r.Status != 200 {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			a := decode[answer.Answer](t, r)
			if a.Answerable != tt.answerable || a.Text == "" || a.Answerer != "extractive" {
				t.Fatalf("answerable %v, answerer %q, text %q", a.Answerable, a.Answerer, a.Text)
			}
			if !tt.answerable {
				if len(a.Citations) != 0 || a.Reason == "" {
					t.Errorf("a refusal with citations %d, reason %q", len(a.Citations), a.Reason)
				}
				return
			}
			if len(a.Citations) == 0 {
				t.Fatal("an answer without citations")
			}
			if a.Citations[0].DocID != tt.wantDoc {
				t.Errorf("first citation from %s, want %s", a.Citations[0].DocID, tt.wantDoc)
			}
			checkCitations(t, a)
		})
	}
	metrics := ts.metricsText(t)
	for _, want := range []string{
		`wenda_refusals_total 1`,
		`wenda_retrieval_duration_seconds_count 5`,
		`wenda_llm_duration_seconds_count{answerer="extractive",fallback="false"} 5`,
		`wenda_http_requests_total{code="200",method="POST",route="/v1/ask"} 5`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestAskStreamRealArticles reads a real streamed answer as a client
// would and checks that the deltas add up to the final answer.
func TestAskStreamRealArticles(t *testing.T) {
	ts := newTestServer(t, realAsker(t), Options{})
	res := postStream(t, context.Background(), ts.URL+"/v1/ask", `{"question":"马德里会谈之后，中美关系会如何发展？","stream":true}`, nil)
	defer res.Body.Close()
	events := readSSE(t, res.Body)
	if len(events) < 4 || events[0].Event != "retrieval" || events[len(events)-1].Event != "done" || events[len(events)-2].Event != "citations" {
		t.Fatalf("event order %v", events)
	}
	var ret retrievalEvent
	if err := json.Unmarshal([]byte(events[0].Data), &ret); err != nil || ret.Language != "zh-Hans" {
		t.Errorf("retrieval event language %q (%v), want zh-Hans", ret.Language, err)
	}
	var text strings.Builder
	// A client can open each marker as soon as the delta holding it
	// arrives: the delta brings the citations it is the first to use.
	streamed := map[int]answer.Citation{}
	for _, ev := range events[1 : len(events)-2] {
		if ev.Event != "delta" {
			t.Fatalf("unexpected %s event between retrieval and citations", ev.Event)
		}
		var d deltaEvent
		if err := json.Unmarshal([]byte(ev.Data), &d); err != nil {
			t.Fatal(err)
		}
		for _, c := range d.Citations {
			streamed[c.N] = c
		}
		for _, n := range markerNumbers(d.Text) {
			if _, ok := streamed[n]; !ok {
				t.Errorf("delta %q: [%d] arrives before its citation", d.Text, n)
			}
		}
		text.WriteString(d.Text)
	}
	var done answer.Answer
	if err := json.Unmarshal([]byte(events[len(events)-1].Data), &done); err != nil {
		t.Fatal(err)
	}
	if !done.Answerable || done.Text != text.String() {
		t.Errorf("deltas %q\ndone   %q", text.String(), done.Text)
	}
	var cites citationsEvent
	if err := json.Unmarshal([]byte(events[len(events)-2].Data), &cites); err != nil || len(cites.Citations) != len(done.Citations) {
		t.Errorf("citations event %s", events[len(events)-2].Data)
	}
	checkCitations(t, done)
	for _, c := range done.Citations {
		if s, ok := streamed[c.N]; !ok || s.ChunkID != c.ChunkID || s.Start != c.Start || s.End != c.End || s.Quote != c.Quote {
			t.Errorf("citation %d streamed as %+v, final %+v", c.N, s, c)
		}
	}
}

// TestAskWithFailingLLM runs the real service against a model endpoint
// that is down or too slow, with and without the extractive fallback.
func TestAskWithFailingLLM(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL + "/v1"
	down.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Reading the body lets the server notice when the client hangs up.
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(slow.Close)

	tests := []struct {
		name     string
		url      string
		fallback bool
		status   int
		code     string
	}{
		{"unreachable", downURL, false, 502, "llm_unavailable"},
		{"too slow", slow.URL + "/v1", false, 504, "llm_timeout"},
		{"unreachable with fallback", downURL, true, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := answer.NewLLM(endpoint.Config{BaseURL: tt.url, APIKey: "test", Model: "test-model", Timeout: 200 * time.Millisecond})
			svc := answer.NewService(realIndex(t), answer.Options{Generator: llm, FallbackOnError: tt.fallback})
			ts := newTestServer(t, svc, Options{})
			r := do(t, "POST", ts.URL+"/v1/ask", `{"question":"达巍用哪个英文词来概括这次中美元首会晤？"}`, nil)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			if tt.code != "" {
				if got := r.errorCode(t); got != tt.code {
					t.Errorf("code %q, want %q", got, tt.code)
				}
				return
			}
			a := decode[answer.Answer](t, r)
			if !a.Fallback || a.FallbackReason == "" || a.Answerer != "extractive" || !a.Answerable {
				t.Errorf("want an extractive answer marked fallback, got %+v", a)
			}
			if !strings.Contains(ts.logs.String(), "llm failed; answered extractively") {
				t.Error("the fallback was not logged")
			}
			metrics := ts.metricsText(t)
			if !strings.Contains(metrics, `wenda_llm_duration_seconds_count{answerer="extractive",fallback="true"} 1`) {
				t.Error("the fallback is not in the metrics")
			}
		})
	}
}
