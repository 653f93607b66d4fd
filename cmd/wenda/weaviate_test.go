package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"

	"wenda/index/weaviate"
)

// weaviateArgs returns the flags that put a wenda process on the test
// cluster (see .ci/weaviate.sh), under a class prefix of the test's own.
func weaviateArgs(t *testing.T) []string {
	t.Helper()
	url := os.Getenv("WENDA_WEAVIATE_URL")
	if url == "" {
		if os.Getenv("WENDA_REQUIRE_WEAVIATE") == "1" {
			t.Fatal("WENDA_REQUIRE_WEAVIATE=1 but WENDA_WEAVIATE_URL is not set")
		}
		t.Skip("no Weaviate cluster: set WENDA_WEAVIATE_URL (see .ci/weaviate.sh)")
	}
	cfg := weaviate.Config{URL: url, GRPC: os.Getenv("WENDA_WEAVIATE_GRPC"), Prefix: "T" + rand.Text()[:12]}
	t.Cleanup(func() {
		e, err := weaviate.Open(context.Background(), cfg)
		if err != nil {
			t.Error(err)
			return
		}
		if err := e.Drop(context.Background()); err != nil {
			t.Error(err)
		}
		e.Close()
	})
	return []string{"--engine", "weaviate", "--weaviate-url", cfg.URL, "--weaviate-grpc", cfg.GRPC, "--weaviate-prefix", cfg.Prefix}
}

// askJSON posts a question and returns the answer without its timings,
// which differ from run to run.
func askJSON(t *testing.T, addr, question string) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"question": question, "k": 3})
	res, err := http.Post("http://"+addr+"/v1/ask", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("ask on %s: %d %s", addr, res.StatusCode, b)
	}
	var a map[string]any
	if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	delete(a, "timings")
	return a
}

func getJSON(t *testing.T, url string) map[string]any {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, b)
	}
	var v map[string]any
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// Two wenda processes, each with a data folder of its own, serve the same
// Weaviate collections: they answer a question identically, either shows a
// document and a cited chunk, and when one goes away the other answers on.
// Nothing a process needs to answer is kept in the process or its folder.
func TestStatelessReplicas(t *testing.T) {
	wv := weaviateArgs(t)
	a, _, stopA := startServe(t, t.TempDir(), wv...)
	b, _, stopB := startServe(t, t.TempDir(), wv...)
	defer stopB()

	for _, q := range []string{"美方同意暂停实施50%穿透性规则多长时间？", "馬德里會談討論了哪些議題？", "中美在北極航道開發上達成了什麼合作計劃？"} {
		ansA, ansB := askJSON(t, a, q), askJSON(t, b, q)
		if !reflect.DeepEqual(ansA, ansB) {
			ja, _ := json.Marshal(ansA)
			jb, _ := json.Marshal(ansB)
			t.Fatalf("%s: the two processes answered differently:\n%s\n%s", q, ja, jb)
		}
	}
	ans := askJSON(t, a, "美方同意暂停实施50%穿透性规则多长时间？")
	cites, _ := ans["citations"].([]any)
	if len(cites) == 0 || ans["answerable"] != true {
		t.Fatalf("no cited answer: %v", ans)
	}
	c := cites[0].(map[string]any)
	chunkID, docID := c["chunk_id"].(string), c["doc_id"].(string)

	// The process that did not build the index shows what the other cited.
	doc := getJSON(t, "http://"+b+"/v1/documents/"+docID)
	if text, _ := doc["text"].(string); len(text) < 1000 {
		t.Fatalf("document %s from the second process: %v", docID, doc)
	}
	ch := getJSON(t, "http://"+b+"/v1/chunks/"+chunkID)
	if ch["doc_id"] != docID {
		t.Fatalf("chunk %s from the second process: %v", chunkID, ch)
	}

	if code := stopA(); code != 0 {
		t.Fatalf("first process exited with %d", code)
	}
	again := askJSON(t, b, "美方同意暂停实施50%穿透性规则多长时间？")
	if !reflect.DeepEqual(again, ans) {
		t.Fatalf("after the first process stopped, the second answered differently")
	}
}

// evalSetJSON runs "wenda eval --set" with extra flags and returns the
// report of the small set.
func evalSetJSON(t *testing.T, set string, extra ...string) map[string]any {
	t.Helper()
	var out, errb bytes.Buffer
	args := append([]string{"eval", "--data", t.TempDir(), "--set", set, "--json"}, extra...)
	if code := Main(context.Background(), args, &out, &errb, func(string) string { return "" }); code != 0 {
		t.Fatalf("eval %v: exit %d: %s", extra, code, errb.String())
	}
	var reps map[string]map[string]any
	if err := json.Unmarshal(out.Bytes(), &reps); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	return reps["small-set"]
}

// "wenda eval --set" with the weaviate engine builds the set's index on the
// cluster, under collections of its own that it deletes when done, and
// finds what the embedded engine finds on the same questions.
func TestEvalSetOnWeaviate(t *testing.T) {
	wv := weaviateArgs(t)
	set := smallSet(t)
	onWeaviate := evalSetJSON(t, set, wv...)
	embedded := evalSetJSON(t, set)
	if onWeaviate["retrieval"] == nil || !reflect.DeepEqual(onWeaviate["retrieval"], embedded["retrieval"]) {
		t.Errorf("retrieval on Weaviate %v, embedded %v", onWeaviate["retrieval"], embedded["retrieval"])
	}

	// Nothing of the set is left on the cluster.
	prefix := wv[len(wv)-1]
	res, err := http.Get(os.Getenv("WENDA_WEAVIATE_URL") + "/v1/schema")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var schema struct {
		Classes []struct {
			Class string `json:"class"`
		} `json:"classes"`
	}
	if err := json.NewDecoder(res.Body).Decode(&schema); err != nil {
		t.Fatal(err)
	}
	for _, c := range schema.Classes {
		if strings.HasPrefix(c.Class, prefix+"Eval") {
			t.Errorf("the set's collection %s was left on the cluster", c.Class)
		}
	}
}

// A collection's vector compression is shown as the cluster reports it:
// by "wenda collections" in a column of its own, and by GET
// /v1/collections. The embedded engine has no such setting and shows none.
func TestCollectionsShowQuantization(t *testing.T) {
	wv := append(weaviateArgs(t), "--weaviate-quantization", "bq")
	data := t.TempDir()
	if code, out, errOut := run(t, nil, append([]string{"collections", "create", "notes", "--data", data, "--title", "笔记"}, wv...)...); code != 0 {
		t.Fatalf("create: %d %s %s", code, out, errOut)
	}
	code, out, errOut := run(t, nil, append([]string{"collections", "--data", data}, wv...)...)
	if code != 0 {
		t.Fatalf("list: %d %s %s", code, out, errOut)
	}
	lines := strings.Split(out, "\n")
	if !strings.Contains(lines[0], "QUANTIZATION") {
		t.Errorf("no quantization column:\n%s", out)
	}
	found := false
	for _, l := range lines {
		if f := strings.Fields(l); len(f) > 5 && f[0] == "notes" {
			found = f[5] == "bq"
		}
	}
	if !found {
		t.Errorf("notes is not shown with bq:\n%s", out)
	}

	addr, _, stop := startServe(t, t.TempDir(), wv...)
	defer stop()
	list := getJSON(t, "http://"+addr+"/v1/collections")
	cs, _ := list["collections"].([]any)
	seen := 0
	for _, c := range cs {
		m := c.(map[string]any)
		if m["quantization"] != "bq" {
			t.Errorf("collection %v: quantization %v, want bq", m["id"], m["quantization"])
		}
		seen++
	}
	if seen < 2 {
		t.Errorf("want the default collection and notes, got %v", list)
	}

	// The embedded engine: no column, no field.
	local := t.TempDir()
	if code, out, _ := run(t, nil, "collections", "--data", local); code != 0 || strings.Contains(out, "QUANTIZATION") {
		t.Errorf("embedded engine: %d\n%s", code, out)
	}
}
