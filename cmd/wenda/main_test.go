package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"wenda/auth"
)

// TestFlagsPerRun runs "wenda ask --history …" twice in one process, against
// an OpenAI-compatible chat server that records what the model is shown.
// Each run's rewrite prompt must list the earlier question once: flags
// belong to one run, and a second run starts from the defaults again.
func TestFlagsPerRun(t *testing.T) {
	var (
		mu      sync.Mutex
		prompts []string
	)
	llm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req openai.ChatCompletionRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Messages) == 0 {
			http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
			return
		}
		user := req.Messages[len(req.Messages)-1].Content
		text := "文章中没有找到这个问题的答案。"
		if strings.Contains(user, "Latest question") {
			mu.Lock()
			prompts = append(prompts, user)
			mu.Unlock()
			text = "马德里会谈讨论了哪些议题？"
		}
		if !req.Stream {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(openai.ChatCompletionResponse{ID: "c1", Object: "chat.completion", Model: req.Model,
				Choices: []openai.ChatCompletionChoice{{Message: openai.ChatCompletionMessage{Role: "assistant", Content: text}, FinishReason: "stop"}}})
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		b, _ := json.Marshal(openai.ChatCompletionStreamResponse{ID: "c1", Object: "chat.completion.chunk",
			Choices: []openai.ChatCompletionStreamChoice{{Delta: openai.ChatCompletionStreamChoiceDelta{Content: text}}}})
		fmt.Fprintf(w, "data: %s\n\ndata: [DONE]\n\n", b)
	}))
	defer llm.Close()

	data := t.TempDir()
	noEnv := func(string) string { return "" }
	args := []string{"ask", "--data", data, "--llm-url", llm.URL + "/v1", "--llm-key", "k", "--llm-retries", "0",
		"--json", "--history", "马德里会谈是什么时候举行的？", "那次会谈讨论了什么？"}
	for run := 1; run <= 2; run++ {
		var stderr strings.Builder
		if code := Main(context.Background(), args, io.Discard, &stderr, noEnv); code != 0 {
			t.Fatalf("run %d: exit %d: %s", run, code, stderr.String())
		}
	}
	if len(prompts) != 2 {
		t.Fatalf("%d rewrite prompts, want one per run", len(prompts))
	}
	for i, p := range prompts {
		if n := strings.Count(p, "马德里会谈是什么时候举行的？"); n != 1 {
			t.Errorf("run %d: the earlier question is in the rewrite prompt %d times, want once:\n%s", i+1, n, p)
		}
	}
}

func TestAdminKeyCommand(t *testing.T) {
	data := t.TempDir()
	noEnv := func(string) string { return "" }
	run := func(args ...string) (string, string) {
		t.Helper()
		var out, errOut strings.Builder
		if code := Main(context.Background(), append([]string{"admin-key", "--data", data}, args...), &out, &errOut, noEnv); code != 0 {
			t.Fatalf("admin-key %v: exit %d: %s", args, code, errOut.String())
		}
		return strings.TrimSpace(out.String()), errOut.String()
	}
	first, _ := run()
	if !strings.HasPrefix(first, "wenda_") {
		t.Fatalf("first run printed %q, want the generated key", first)
	}
	again, _ := run()
	if strings.Contains(again, first) || !strings.Contains(again, "--reset") {
		t.Errorf("second run: %q; want no key and a pointer to --reset", again)
	}
	fresh, _ := run("--reset")
	if !strings.HasPrefix(fresh, "wenda_") || fresh == first {
		t.Fatalf("--reset printed %q", fresh)
	}
	keys, created, err := auth.Open(auth.Config{DataDir: data})
	if err != nil || created != "" {
		t.Fatalf("open: created %q, %v", created, err)
	}
	if _, err := keys.Authenticate(first); err == nil {
		t.Error("the key from before the reset still works")
	}
	if k, err := keys.Authenticate(fresh); err != nil || k.Role != auth.RoleAdmin {
		t.Errorf("the new key: %+v, %v", k, err)
	}
}
