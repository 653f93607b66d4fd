package server

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"wenda/answer"
	"wenda/feedback"
)

// TestFeedback rates a real answer the way the page does, with the answer
// JSON as the API gave it, and reads the entry back from the file.
func TestFeedback(t *testing.T) {
	store, err := feedback.Open(filepath.Join(t.TempDir(), feedback.FileName), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	svc := realAsker(t)
	ts := newTestServer(t, svc, Options{Feedback: store})
	a, err := svc.Ask(context.Background(), answer.Request{Question: "美方同意暂停实施50%穿透性规则多长时间？"})
	if err != nil || !a.Answerable || len(a.Citations) == 0 || len(a.Citations[0].Evidence) == 0 {
		t.Fatalf("no cited answer to rate: %+v %v", a, err)
	}
	body := map[string]any{
		"rating": "down", "note": "  应该是一年  ", "question": a.Question, "history": []string{"釜山会晤谈了什么？"},
		"language": a.Language, "answer": a.Text, "answerable": a.Answerable, "answerer": a.Answerer,
		"citations": a.Citations,
	}
	// The page sends the citations without the fields feedback has no
	// use for.
	var cites []map[string]any
	json.Unmarshal(mustJSON(t, a.Citations), &cites)
	for _, c := range cites {
		for _, k := range []string{"quote", "score", "supported", "source"} {
			delete(c, k)
		}
	}
	body["citations"] = cites
	raw := mustJSON(t, body)
	res := do(t, "POST", ts.URL+"/v1/feedback", string(raw), nil)
	if res.Status != 201 {
		t.Fatalf("status %d: %s", res.Status, res.Body)
	}
	got := decode[feedbackResponse](t, res)
	entries, err := store.List()
	if err != nil || len(entries) != 1 {
		t.Fatalf("stored %d entries: %v", len(entries), err)
	}
	e := entries[0]
	if e.ID != got.ID || e.Rating != "down" || e.Note != "应该是一年" || e.Question != a.Question || e.Answer != a.Text || len(e.History) != 1 {
		t.Errorf("stored %+v", e)
	}
	c := a.Citations[0]
	ev := e.Citations[0].Evidence[0]
	doc, _ := realIndex(t).Doc(c.DocID)
	if want := string([]rune(doc.Text)[c.Evidence[0].Start:c.Evidence[0].End]); ev.Text != want || want == "" {
		t.Errorf("evidence text %q, want the document's %q", ev.Text, want)
	}

	for _, tt := range []struct {
		name, body, code string
		status           int
	}{
		{"no rating", `{"question":"q","answer":"a"}`, "invalid_rating", 400},
		{"bad rating", `{"rating":"5","question":"q","answer":"a"}`, "invalid_rating", 400},
		{"no question", `{"rating":"up","answer":"a"}`, "invalid_feedback", 400},
		{"long note", `{"rating":"up","question":"q","note":"` + strings.Repeat("长", feedback.MaxNoteRunes+1) + `"}`, "invalid_feedback", 400},
		{"unknown field", `{"rating":"up","question":"q","stars":5}`, "unknown_field", 400},
		{"not JSON", `{"rating":`, "invalid_json", 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := do(t, "POST", ts.URL+"/v1/feedback", tt.body, nil)
			if res.Status != tt.status || res.errorCode(t) != tt.code {
				t.Errorf("status %d code %s, want %d %s", res.Status, res.errorCode(t), tt.status, tt.code)
			}
		})
	}
	if entries, _ := store.List(); len(entries) != 1 {
		t.Errorf("rejected feedback was stored: %d entries", len(entries))
	}
}

func TestFeedbackFullAndDisabled(t *testing.T) {
	store, err := feedback.Open(filepath.Join(t.TempDir(), feedback.FileName), 300)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ts := newTestServer(t, realAsker(t), Options{Feedback: store})
	body := `{"rating":"up","question":"马德里会谈讨论了哪些议题？","answer":"` + strings.Repeat("答", 30) + `"}`
	statuses := map[int]int{}
	for range 5 {
		res := do(t, "POST", ts.URL+"/v1/feedback", body, nil)
		statuses[res.Status]++
		if res.Status == 507 && res.errorCode(t) != "feedback_full" {
			t.Errorf("507 with code %s", res.errorCode(t))
		}
	}
	if statuses[201] == 0 || statuses[507] == 0 {
		t.Errorf("statuses %v: want some stored, then 507 once the file is full", statuses)
	}

	off := newTestServer(t, realAsker(t), Options{})
	res := do(t, "POST", off.URL+"/v1/feedback", body, nil)
	if res.Status != 503 || res.errorCode(t) != "feedback_disabled" {
		t.Errorf("without a store: status %d %s", res.Status, res.Body)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRuneSlice(t *testing.T) {
	s := "中a文b字"
	for _, tt := range []struct {
		start, end int
		want       string
	}{{0, 1, "中"}, {1, 3, "a文"}, {3, 5, "b字"}, {0, 5, s}, {4, 6, ""}, {2, 2, ""}, {-1, 2, ""}, {5, 5, ""}} {
		if got := runeSlice(s, tt.start, tt.end); got != tt.want {
			t.Errorf("runeSlice(%d,%d) = %q, want %q", tt.start, tt.end, got, tt.want)
		}
	}
}

// TestFeedbackKeys: with keys listed, rating an answer needs a key that may
// read the collection, and reading the feedback back needs the admin key.
func TestFeedbackKeys(t *testing.T) {
	store, err := feedback.Open(filepath.Join(t.TempDir(), feedback.FileName), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ts := newTestServer(t, realAsker(t), Options{Feedback: store, Keys: testKeys(t)})
	up := `{"rating":"up","question":"马德里会谈讨论了哪些议题？","answer":"…"}`
	for _, tt := range []struct {
		name, key, body string
		status          int
	}{
		{"no key", "", up, 401},
		{"reader of default", readerKey, up, 201},
		{"reader of another collection", outsideKey, up, 403},
		{"reader of that collection", outsideKey, `{"rating":"down","collection":"reports","question":"q","answer":"a"}`, 201},
	} {
		if res := do(t, "POST", ts.URL+"/v1/feedback", tt.body, bearer(tt.key)); res.Status != tt.status {
			t.Errorf("%s: status %d, want %d: %s", tt.name, res.Status, tt.status, res.Body)
		}
	}
	for _, key := range []string{"", readerKey, editorKey} {
		if res := do(t, "GET", ts.URL+"/v1/feedback", "", bearer(key)); res.Status != 401 && res.Status != 403 {
			t.Errorf("GET /v1/feedback with %q: status %d", key, res.Status)
		}
	}
	res := do(t, "GET", ts.URL+"/v1/feedback", "", bearer(adminKey))
	list := decode[feedbackList](t, res)
	if res.Status != 200 || len(list.Feedback) != 2 || list.Feedback[0].Rating != "up" || list.Feedback[1].Collection != "reports" {
		t.Fatalf("status %d, feedback %+v", res.Status, list.Feedback)
	}
	res = do(t, "GET", ts.URL+"/v1/feedback?rating=down", "", bearer(adminKey))
	if list := decode[feedbackList](t, res); len(list.Feedback) != 1 || list.Feedback[0].Rating != "down" {
		t.Errorf("?rating=down gave %+v", list.Feedback)
	}
}
