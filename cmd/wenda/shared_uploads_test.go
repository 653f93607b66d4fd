package main

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"wenda/client"
	"wenda/uploads/uploadstest"
)

// gatedEmbeddings serves the OpenAI /embeddings protocol under a path per
// process (/<name>/v1/embeddings), with vectors that depend only on the
// text, so every process embeds alike. A request whose input holds the
// gate word waits while its process's gate is shut.
type gatedEmbeddings struct {
	srv  *httptest.Server
	word string

	mu      sync.Mutex
	open    map[string]bool // process → requests with the word pass
	arrived chan string     // the process of each request with the word that had to wait
	done    chan struct{}
}

func newGatedEmbeddings(t *testing.T, word string) *gatedEmbeddings {
	g := &gatedEmbeddings{word: word, open: map[string]bool{}, arrived: make(chan string, 16), done: make(chan struct{})}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(func() {
		close(g.done)
		g.srv.Close()
	})
	return g
}

func (g *gatedEmbeddings) url(process string) string { return g.srv.URL + "/" + process + "/v1" }

func (g *gatedEmbeddings) let(process string) {
	g.mu.Lock()
	g.open[process] = true
	g.mu.Unlock()
}

func (g *gatedEmbeddings) serve(w http.ResponseWriter, r *http.Request) {
	process, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if rest != "v1/embeddings" || r.Method != http.MethodPost {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	var req struct {
		Input []string `json:"input"`
		Model string   `json:"model"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if strings.Contains(strings.Join(req.Input, "\n"), g.word) {
		g.mu.Lock()
		open := g.open[process]
		g.mu.Unlock()
		if !open {
			g.arrived <- process
			for !open {
				select {
				case <-r.Context().Done(): // the process died
					return
				case <-g.done:
					return
				case <-time.After(10 * time.Millisecond):
				}
				g.mu.Lock()
				open = g.open[process]
				g.mu.Unlock()
			}
		}
	}
	type item struct {
		Object    string    `json:"object"`
		Index     int       `json:"index"`
		Embedding []float32 `json:"embedding"`
	}
	data := make([]item, len(req.Input))
	for i, text := range req.Input {
		data[i] = item{"embedding", i, textVector(text, 32)}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": req.Model,
		"usage": map[string]int{"prompt_tokens": 1, "total_tokens": 1}})
}

// textVector is a unit vector made from the text's characters.
func textVector(text string, dim int) []float32 {
	v := make([]float64, dim)
	for _, r := range text {
		h := fnv.New32a()
		h.Write([]byte(string(r)))
		v[h.Sum32()%uint32(dim)]++
	}
	var n float64
	for _, x := range v {
		n += x * x
	}
	out := make([]float32, dim)
	for i, x := range v {
		out[i] = float32(x / math.Sqrt(max(n, 1)))
	}
	return out
}

// TestSharedUploads runs two wenda processes as a load balancer would
// have them: one Weaviate cluster, one PostgreSQL upload store, a data
// folder each. A file uploaded through one is seen, with its status,
// through the other; and when the process running a document's ingestion
// is killed with SIGKILL, the other takes the job over once its lease
// runs out and finishes it. A delete made through one process stops the
// job the other runs.
func TestSharedUploads(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two servers and waits out a lease")
	}
	wv := weaviateArgs(t)
	dsn := uploadstest.PostgresDSN(t)
	const word = "gatekeeperword"
	emb := newGatedEmbeddings(t, word)
	emb.let("a")
	emb.let("b")
	args := func(process string) []string {
		return append([]string{"--uploads-dsn", dsn, "--ingest-lease", "4s",
			"--embedder", "openai", "--embed-url", emb.url(process), "--embed-key", "k", "--embed-model", "fake-embed"}, wv...)
	}
	procs := map[string]*child{}
	procs["a"] = startChild(t, t.TempDir(), args("a")...)
	defer func() {
		for _, c := range procs {
			c.kill()
		}
	}()
	procs["b"] = startChild(t, t.TempDir(), args("b")...)
	ctx := context.Background()
	clients := map[string]*client.Client{}
	for name, c := range procs {
		cl, err := client.New("http://"+c.addr, crashAdminKey)
		if err != nil {
			t.Fatal(err)
		}
		clients[name] = cl
	}
	paras := articleParagraphs(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	waitFor := func(cl *client.Client, id string, ok func(client.Document) bool, within time.Duration) client.Document {
		t.Helper()
		deadline := time.Now().Add(within)
		var d client.Document
		var err error
		for time.Now().Before(deadline) {
			if d, err = cl.Document(ctx, "default", id); err == nil && ok(d) {
				return d
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("document %s: last seen %+v (%v)", id, d, err)
		return d
	}

	// Uploaded through a, its status and its text through b.
	up, err := clients["a"].UploadFiles(ctx, "default", []string{write("first.txt", "firstmarkerword "+paras[0]+"\n\n"+paras[1])})
	if err != nil || len(up) != 1 {
		t.Fatalf("upload through a: %v %v", up, err)
	}
	d := waitFor(clients["b"], up[0].ID, client.Document.Done, 60*time.Second)
	if d.Status != "ready" || d.Chunks == 0 || d.Filename != "first.txt" {
		t.Fatalf("through b: %+v", d)
	}
	if got := searchMarker(t, "http://"+procs["b"].addr, "firstmarkerword"); len(got) == 0 || got[0] != up[0].ID {
		t.Fatalf("b searched %v", got)
	}
	// Uploading the same bytes through b is the same document.
	again, err := clients["b"].UploadFiles(ctx, "default", []string{write("first.txt", "firstmarkerword "+paras[0]+"\n\n"+paras[1])})
	if err != nil || len(again) != 1 || again[0].ID != up[0].ID || !again[0].Duplicate {
		t.Fatalf("the same bytes through b: %+v %v", again, err)
	}

	// startStuck uploads a file through a with both gates shut, so that
	// the process that claims its job stops in its embedding call, and
	// returns the document's id and which process that is.
	startStuck := func(name, body string) (id, runner, other string) {
		t.Helper()
		emb.mu.Lock()
		emb.open = map[string]bool{}
		emb.mu.Unlock()
		up, err := clients["a"].UploadFiles(ctx, "default", []string{write(name, body)})
		if err != nil || len(up) != 1 {
			t.Fatalf("upload through a: %v %v", up, err)
		}
		select {
		case runner = <-emb.arrived:
		case <-time.After(60 * time.Second):
			t.Fatal("no process started the job")
		}
		other = map[string]string{"a": "b", "b": "a"}[runner]
		emb.let(other)
		if d := waitFor(clients[other], up[0].ID, func(d client.Document) bool { return true }, 5*time.Second); d.Status != "processing" {
			t.Fatalf("while %s runs it, %s says %+v", runner, other, d)
		}
		return up[0].ID, runner, other
	}

	// A delete made through one process stops the job the other runs.
	id, runner, other := startStuck("third.txt", paras[4]+" "+word+" \n\n"+paras[5])
	if err := clients[other].DeleteDocument(ctx, "default", id); err != nil {
		t.Fatalf("delete through %s while %s ingests: %v", other, runner, err)
	}
	for _, name := range []string{runner, other} {
		if _, err := clients[name].Document(ctx, "default", id); !client.IsCode(err, "document_not_found") {
			t.Errorf("after the delete, %s says %v", name, err)
		}
	}

	// A job whose process dies holding its lease.
	id, victim, survivor := startStuck("second.txt", paras[2]+" "+word+" \n\n"+paras[3])
	procs[victim].kill()
	delete(procs, victim)
	killed := time.Now()
	d = waitFor(clients[survivor], id, client.Document.Done, 60*time.Second)
	if d.Status != "ready" || d.Version != 1 {
		t.Fatalf("after %s was killed: %+v", victim, d)
	}
	t.Logf("%s was killed holding the job; %s finished it %.1f s later (lease 4 s)", victim, survivor, time.Since(killed).Seconds())
	if got := searchMarker(t, "http://"+procs[survivor].addr, word); len(got) == 0 || got[0] != id {
		t.Fatalf("%s searched %v", survivor, got)
	}
}

// A shared upload store needs a shared index: with the embedded engine a
// process would be handed jobs for collections only another one holds.
func TestUploadsDSNNeedsWeaviate(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	_, _, err := ParseConfig("serve", nil, env(map[string]string{"WENDA_UPLOADS_DSN": "postgres://db/wenda"}), io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "--engine weaviate") {
		t.Errorf("embedded engine with a shared upload store: %v", err)
	}
	c, _, err := ParseConfig("serve", []string{"--engine", "weaviate", "--weaviate-url", "http://127.0.0.1:8080"},
		env(map[string]string{"WENDA_UPLOADS_DSN": "postgres://db/wenda", "WENDA_INGEST_LEASE": "30s"}), io.Discard, nil)
	if err != nil || c.UploadsDSN != "postgres://db/wenda" || c.IngestLease != 30*time.Second {
		t.Errorf("weaviate engine with a shared upload store: %+v %v", c, err)
	}
	if _, _, err := ParseConfig("serve", []string{"--ingest-lease", "1s"}, env(nil), io.Discard, nil); err == nil {
		t.Error("a lease of 1s was accepted")
	}
}
