package embed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"wenda/endpoint"
)

func TestHashEmbedder(t *testing.T) {
	e := hashEmbedder(t)
	ctx := context.Background()
	vs, err := e.Embed(ctx, []string{"中美關係的積極信號", "中美关系的积极信号", "完全无关的天气预报", ""})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vs[:3] {
		var n float64
		for _, x := range v {
			n += float64(x) * float64(x)
		}
		if math.Abs(n-1) > 1e-5 {
			t.Errorf("vector %d has squared norm %v", i, n)
		}
	}
	if s := dot(vs[0], vs[1]); s < 0.9999 {
		t.Errorf("Traditional and Simplified forms differ: cosine %v", s)
	}
	if s := dot(vs[0], vs[2]); s > 0.3 {
		t.Errorf("unrelated texts too similar: cosine %v", s)
	}
	again, _ := e.Embed(ctx, []string{"中美關係的積極信號"})
	for i := range again[0] {
		if again[0][i] != vs[0][i] {
			t.Fatal("hash embedder is not deterministic")
		}
	}
	if _, err := NewHash(3); err == nil {
		t.Error("dimension 3 accepted")
	}
}

// fakeEmbeddings serves the OpenAI /embeddings protocol; fail decides the
// status of each call (0: answer normally).
func fakeEmbeddings(t *testing.T, dim int, fail func(call int64) int) (*httptest.Server, *atomic.Int64, *atomic.Int64) {
	var calls, inputs atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if r.URL.Path != "/v1/embeddings" || r.Header.Get("Authorization") != "Bearer k" {
			http.Error(w, "bad path or key", http.StatusNotFound)
			return
		}
		if st := fail(n); st != 0 {
			w.WriteHeader(st)
			json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": "busy", "type": "server_error"}})
			return
		}
		var req struct {
			Input []string `json:"input"`
			Model string   `json:"model"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		inputs.Add(int64(len(req.Input)))
		type item struct {
			Object    string    `json:"object"`
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}
		var data []item
		// Reply in reverse order: clients must use the index field.
		for i := len(req.Input) - 1; i >= 0; i-- {
			v := make([]float32, dim)
			v[i%dim] = 3 // not normalised: the client must normalise
			v[(i+1)%dim] = 4
			data = append(data, item{"embedding", i, v})
		}
		json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": req.Model})
	}))
	t.Cleanup(srv.Close)
	return srv, &calls, &inputs
}

func TestOpenAIEmbedderBatchesAndNormalises(t *testing.T) {
	srv, calls, inputs := fakeEmbeddings(t, 8, func(int64) int { return 0 })
	e, err := NewOpenAI(endpoint.Config{BaseURL: srv.URL + "/v1", APIKey: "k", Model: "m", Timeout: time.Second}, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"a", "b", "c", "d", "e", "f", "g"}
	vs, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 || inputs.Load() != 7 || len(vs) != 7 {
		t.Errorf("calls %d inputs %d vectors %d", calls.Load(), inputs.Load(), len(vs))
	}
	for i, v := range vs {
		// The fake puts 3 at i%3 (batch position) and 4 at the next slot.
		pos := i % 3
		if math.Abs(float64(v[pos])-0.6) > 1e-6 || math.Abs(float64(v[pos+1])-0.8) > 1e-6 {
			t.Errorf("vector %d out of order or not normalised: %v", i, v)
		}
	}
	if spec := e.Spec(); spec.Dim != 8 || spec.Kind != "openai" || spec.Model != "m" {
		t.Errorf("spec %+v", spec)
	}
}

func TestOpenAIEmbedderRetriesThenFails(t *testing.T) {
	srv, calls, _ := fakeEmbeddings(t, 4, func(n int64) int {
		if n == 1 {
			return http.StatusTooManyRequests
		}
		return 0
	})
	cfg := endpoint.Config{BaseURL: srv.URL + "/v1", APIKey: "k", Model: "m", Timeout: time.Second, MaxRetries: 2}
	e, _ := NewOpenAI(cfg, 0, 16)
	if _, err := e.Embed(context.Background(), []string{"x"}); err != nil {
		t.Fatalf("429 then success: %v", err)
	}
	if calls.Load() != 2 {
		t.Errorf("calls %d, want 2", calls.Load())
	}

	down, downCalls, _ := fakeEmbeddings(t, 4, func(int64) int { return http.StatusInternalServerError })
	cfg.BaseURL = down.URL + "/v1"
	e, _ = NewOpenAI(cfg, 0, 16)
	_, err := e.Embed(context.Background(), []string{"x"})
	if !errors.Is(err, endpoint.ErrUnavailable) {
		t.Errorf("500s: %v", err)
	}
	if downCalls.Load() != 3 {
		t.Errorf("calls %d, want 1 + 2 retries", downCalls.Load())
	}

	bad, _, _ := fakeEmbeddings(t, 4, func(int64) int { return http.StatusUnauthorized })
	cfg.BaseURL = bad.URL + "/v1"
	e, _ = NewOpenAI(cfg, 0, 16)
	if _, err := e.Embed(context.Background(), []string{"x"}); !errors.Is(err, endpoint.ErrRejected) {
		t.Errorf("401: %v", err)
	}
}

func TestOpenAIEmbedderTimeout(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	e, _ := NewOpenAI(endpoint.Config{BaseURL: slow.URL, Model: "m", Timeout: 50 * time.Millisecond}, 0, 16)
	if _, err := e.Embed(context.Background(), []string{"x"}); !errors.Is(err, endpoint.ErrTimeout) {
		t.Errorf("slow server: %v", err)
	}
}

func hashEmbedder(t testing.TB) *Hash {
	t.Helper()
	e, err := NewHash(DefaultHashDim)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func dot(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// TestHashVectorsAreStable pins the hashed features: indexes built by
// earlier versions hold these vectors, and a query must land on them.
func TestHashVectorsAreStable(t *testing.T) {
	e := hashEmbedder(t)
	v, err := e.Embed(context.Background(), []string{"中美關係在釜山會晤後TikTok 2025年"})
	if err != nil {
		t.Fatal(err)
	}
	var nz []int
	for i, x := range v[0] {
		if x != 0 {
			nz = append(nz, i)
		}
	}
	want := "[25 97 102 103 148 204 221 230 275 349 388 486 499 524 540 602 631 692 799 834 878 884 1017]"
	if fmt.Sprint(nz) != want {
		t.Errorf("non-zero dimensions %v, want %s", nz, want)
	}
}
