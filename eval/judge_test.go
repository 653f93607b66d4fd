package eval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"wenda/answer"
	"wenda/endpoint"
)

// chatServer speaks the OpenAI chat-completions protocol: reply gets the
// user message of each request and returns the status and content to send.
func chatServer(t *testing.T, reply func(user string) (int, string)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Authorization") != "Bearer test-key" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":{"message":"bad key","type":"invalid_request_error"}}`)
			return
		}
		var req struct {
			Model    string `json:"model"`
			Messages []struct {
				Role    string `json:"role"`
				Content string `json:"content"`
			} `json:"messages"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model != "judge-model" || len(req.Messages) != 2 {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":{"message":"bad request"}}`)
			return
		}
		status, content := reply(req.Messages[1].Content)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if status != http.StatusOK {
			fmt.Fprintf(w, `{"error":{"message":%q}}`, content)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": req.Model,
			"choices": []map[string]any{{"index": 0, "finish_reason": "stop",
				"message": map[string]string{"role": "assistant", "content": content}}},
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func judgeAnswer() answer.Answer {
	return answer.Answer{
		Answerable: true,
		Text:       "美方暂停穿透性规则一年[1]。港口费降为零[2]。双方关系很好。",
		Citations: []answer.Citation{
			{N: 1, ChunkID: "c1", Quote: "美方暂停实施穿透性规则一年。"},
			{N: 2, ChunkID: "c2", Quote: "美方暂停港口费一年。"},
		},
	}
}

func TestLLMJudge(t *testing.T) {
	verdict := `{"verdicts":[{"claim":1,"supported":true},{"claim":2,"supported":false}]}`
	tests := []struct {
		name      string
		reply     func(calls int32, user string) (int, string)
		key       string
		supported int
		total     int
		wantErr   error
	}{
		{
			name:      "plain JSON",
			reply:     func(_ int32, _ string) (int, string) { return 200, verdict },
			supported: 1, total: 3,
		},
		{
			name:      "fenced JSON with prose",
			reply:     func(_ int32, _ string) (int, string) { return 200, "Here you go:\n```json\n" + verdict + "\n```" },
			supported: 1, total: 3,
		},
		{
			name:      "a missing verdict is unsupported",
			reply:     func(_ int32, _ string) (int, string) { return 200, `{"verdicts":[{"claim":2,"supported":true}]}` },
			supported: 1, total: 3,
		},
		{
			name: "retried after a 503",
			reply: func(calls int32, _ string) (int, string) {
				if calls == 1 {
					return 503, "overloaded"
				}
				return 200, verdict
			},
			supported: 1, total: 3,
		},
		{
			name:    "unreadable reply",
			reply:   func(_ int32, _ string) (int, string) { return 200, "I think it is fine." },
			wantErr: ErrBadVerdict,
		},
		{
			name:    "bad key is rejected",
			key:     "wrong",
			reply:   func(_ int32, _ string) (int, string) { return 200, verdict },
			wantErr: endpoint.ErrRejected,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			var prompt string
			srv := chatServer(t, func(user string) (int, string) {
				prompt = user
				return tt.reply(calls.Add(1), user)
			})
			key := tt.key
			if key == "" {
				key = "test-key"
			}
			j, err := NewLLMJudge(endpoint.Config{BaseURL: srv.URL + "/v1", APIKey: key, Model: "judge-model", MaxRetries: 1})
			if err != nil {
				t.Fatal(err)
			}
			ok, n, err := j.Judge(context.Background(), "穿透性规则暂停多久？", judgeAnswer())
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.supported || n != tt.total {
				t.Errorf("Judge = %d/%d, want %d/%d", ok, n, tt.supported, tt.total)
			}
			// The uncited third claim is not sent; the cited ones come with
			// their passages.
			for _, want := range []string{"[1] 美方暂停实施穿透性规则一年。", "[2] 美方暂停港口费一年。", "1. 美方暂停穿透性规则一年。 (cites [1])", "2. 港口费降为零。 (cites [2])"} {
				if !strings.Contains(prompt, want) {
					t.Errorf("prompt lacks %q:\n%s", want, prompt)
				}
			}
			if strings.Contains(prompt, "双方关系很好") {
				t.Errorf("prompt carries the uncited claim")
			}
		})
	}
}

func TestLLMJudgeNeedsAModel(t *testing.T) {
	if _, err := NewLLMJudge(endpoint.Config{}); !errors.Is(err, ErrNoModel) {
		t.Errorf("err = %v, want ErrNoModel", err)
	}
}

func TestRunnerWithJudge(t *testing.T) {
	srv := chatServer(t, func(string) (int, string) {
		return 200, `{"verdicts":[{"claim":1,"supported":true}]}`
	})
	j, err := NewLLMJudge(endpoint.Config{BaseURL: srv.URL + "/v1", APIKey: "test-key", Model: "judge-model"})
	if err != nil {
		t.Fatal(err)
	}
	qs, s, a := fixture()
	rep, err := (&Runner{Searcher: s, Asker: a, Judge: j}).Run(context.Background(), qs, Config{})
	if err != nil {
		t.Fatal(err)
	}
	// Only q1 is an answered answerable question; its one claim holds.
	if f := rep.Answers.Faithfulness; f.N != 1 || f.Mean != 1 {
		t.Errorf("faithfulness = %+v, want 1 over 1", f)
	}
	b, _ := json.Marshal(rep.Answers)
	if !strings.Contains(string(b), `"faithfulness":1`) {
		t.Errorf("answers JSON = %s", b)
	}
}
