package weaviate

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"wenda/analysis"
	"wenda/chunk"
	"wenda/corpus"
	"wenda/embed"
	"wenda/hanzi"
)

// These tests run against a real Weaviate cluster: .ci/weaviate.sh starts
// one and `.ci/weaviate.sh env` prints the variables that point here. With
// WENDA_REQUIRE_WEAVIATE=1 (as CI sets it) a missing cluster fails the
// tests instead of skipping them.

func testConfig(t *testing.T) Config {
	t.Helper()
	url := os.Getenv("WENDA_WEAVIATE_URL")
	if url == "" {
		if os.Getenv("WENDA_REQUIRE_WEAVIATE") == "1" {
			t.Fatal("WENDA_REQUIRE_WEAVIATE=1 but WENDA_WEAVIATE_URL is not set")
		}
		t.Skip("no Weaviate cluster: set WENDA_WEAVIATE_URL (see .ci/weaviate.sh)")
	}
	return Config{URL: url, GRPC: os.Getenv("WENDA_WEAVIATE_GRPC"), Consistency: Quorum}
}

func openTest(t *testing.T) *Engine {
	t.Helper()
	e, err := Open(context.Background(), testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// newCollection creates a collection of its own for one test and drops it
// afterwards.
func newCollection(t *testing.T, e *Engine) string {
	t.Helper()
	id := "t-" + strings.ToLower(rand.Text()[:10])
	if err := e.CreateCollection(context.Background(), Collection{ID: id, Metadata: Metadata{Title: t.Name()}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.DeleteCollection(context.Background(), id); err != nil {
			t.Errorf("drop %s: %v", id, err)
		}
	})
	return id
}

// seedEntries are the shipped articles as the ingest pipeline hands them
// to an engine: chunked, folded, analysed and embedded offline.
func seedEntries(t testing.TB) []Entry {
	t.Helper()
	res, err := corpus.Load(corpus.Embedded(), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	emb, err := embed.NewHash(256)
	if err != nil {
		t.Fatal(err)
	}
	var out []Entry
	for i := range res.Documents {
		d := res.Documents[i]
		header := hanzi.Fold(d.Title + " " + strings.Join(d.Authors, " ") + "\n")
		ent := Entry{Doc: d, Header: header}
		for _, c := range chunk.Default.Split(&d) {
			folded := header + hanzi.Fold(c.Text)
			v, err := emb.Embed(context.Background(), []string{folded})
			if err != nil {
				t.Fatal(err)
			}
			ent.Chunks = append(ent.Chunks, EntryChunk{Chunk: c, Terms: analysis.FoldedTerms(folded), Vector: v[0]})
		}
		out = append(out, ent)
	}
	return out
}

func putAll(t *testing.T, e *Engine, coll string, ents []Entry) {
	t.Helper()
	for _, ent := range ents {
		if err := e.Put(context.Background(), coll, ent); err != nil {
			t.Fatal(err)
		}
	}
}

func entryOf(ents []Entry, id string) Entry {
	for _, e := range ents {
		if e.Doc.ID == id {
			return e
		}
	}
	panic("no entry " + id)
}

func TestCollections(t *testing.T) {
	e := openTest(t)
	ctx := context.Background()
	coll := newCollection(t, e)
	if err := e.CreateCollection(ctx, Collection{ID: coll}); !errors.Is(err, ErrExists) {
		t.Fatalf("second create: got %v, want ErrExists", err)
	}
	m := Metadata{Title: "政策研究", Description: "中美關係文章", Language: "zh", Examples: []string{"马德里会谈讨论了什么？"}}
	if err := e.SetMetadata(ctx, coll, m); err != nil {
		t.Fatal(err)
	}
	c, err := e.Collection(ctx, coll)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Metadata, m) || c.Created.IsZero() {
		t.Fatalf("collection read back as %+v", c)
	}
	putAll(t, e, coll, seedEntries(t)[:2])
	want := len(seedEntries(t)[0].Chunks) + len(seedEntries(t)[1].Chunks)
	waitCounts(t, e, coll, 2, want)
	infos, err := e.Collections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(infos, func(c CollectionInfo) bool { return c.ID == coll })
	if i < 0 {
		t.Fatalf("collection %s not listed", coll)
	}
	if infos[i].Documents != 2 || infos[i].Chunks != want {
		t.Fatalf("counts: %d documents, %d chunks; want 2, %d", infos[i].Documents, infos[i].Chunks, want)
	}
	if _, err := e.Collection(ctx, "no-such-collection"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing collection: got %v, want ErrNotFound", err)
	}
	if _, err := e.Lexical(ctx, "no-such-collection", []string{"关税"}, 5, Filter{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("search of a missing collection: got %v, want ErrNotFound", err)
	}
}

func TestPutAndRead(t *testing.T) {
	e := openTest(t)
	ctx := context.Background()
	coll := newCollection(t, e)
	ents := seedEntries(t)
	putAll(t, e, coll, ents)
	// A repeated Put (a retried job) changes nothing.
	putAll(t, e, coll, ents[:1])

	total := 0
	for _, ent := range ents {
		total += len(ent.Chunks)
		got, err := e.Document(ctx, coll, ent.Doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, ent.Doc) {
			t.Errorf("document %s does not read back as written", ent.Doc.ID)
		}
		for _, c := range []EntryChunk{ent.Chunks[0], ent.Chunks[len(ent.Chunks)-1]} {
			got, err := e.Chunk(ctx, coll, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.Chunk {
				t.Errorf("chunk %s reads back as %+v", c.ID, got)
			}
		}
	}
	waitCounts(t, e, coll, len(ents), total)

	var ids []string
	for p := (Page{Limit: 2}); ; {
		page, err := e.Documents(ctx, coll, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range page.Docs {
			ids = append(ids, d.ID)
		}
		if page.Next == "" {
			break
		}
		p.After = page.Next
	}
	var want []string
	for _, ent := range ents {
		want = append(want, ent.Doc.ID)
	}
	sort.Strings(want)
	if !slices.Equal(ids, want) {
		t.Fatalf("paged listing: %v, want %v", ids, want)
	}
	infos, err := e.DocInfos(ctx, coll, []string{want[0], "missing", want[2]})
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 2 || infos[want[0]].Title != entryOf(ents, want[0]).Doc.Title || infos[want[2]].Header != entryOf(ents, want[2]).Header {
		t.Fatalf("DocInfos: %+v", infos)
	}
	if infos[want[2]].Chunks != len(entryOf(ents, want[2]).Chunks) {
		t.Fatalf("DocInfos chunk count %d, want %d", infos[want[2]].Chunks, len(entryOf(ents, want[2]).Chunks))
	}
	if _, err := e.Document(ctx, coll, "missing"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing document: got %v", err)
	}
	if _, err := e.Chunk(ctx, coll, "missing:0"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing chunk: got %v", err)
	}
}

// The lexical leg must find the same chunks for a question in either
// script, and the term statistics must be exactly those of the chunks put.
func TestLexicalChineseBothScripts(t *testing.T) {
	e := openTest(t)
	ctx := context.Background()
	coll := newCollection(t, e)
	ents := seedEntries(t)
	putAll(t, e, coll, ents)

	cases := []struct {
		simplified, traditional, wantDoc string
	}{
		{"马德里会谈讨论了哪些议题", "馬德里會談討論了哪些議題", "madrid-talks-interview"},
		{"美方同意暂停实施50%穿透性规则多长时间", "美方同意暫停實施50%穿透性規則多長時間", "g2-busan-summit"},
		{"联合国2758号决议确认了什么原则", "聯合國2758號決議確認了什麼原則", "trump-return-new-stage"},
		// Many common terms and a few rare ones: BlockMax WAND (see
		// ErrBlockMaxWAND) ranked five chunks of another article first.
		{"特朗普第二任期开始后，美国在几月宣布对华实施对等关税？中美元首又是什么时候通的电话？",
			"特朗普第二任期開始後，美國在幾月宣布對華實施對等關稅？中美元首又是什麼時候通的電話？", "g2-busan-summit"},
	}
	for _, c := range cases {
		t.Run(c.simplified, func(t *testing.T) {
			var runs [][]Hit
			for _, q := range []string{c.simplified, c.traditional} {
				hits, err := e.Lexical(ctx, coll, analysis.Terms(q), 10, Filter{})
				if err != nil {
					t.Fatal(err)
				}
				if len(hits) == 0 {
					t.Fatalf("%s: no hits", q)
				}
				runs = append(runs, hits)
			}
			if !reflect.DeepEqual(runs[0], runs[1]) {
				t.Fatalf("Simplified and Traditional questions ranked differently:\n%v\n%v", ids(runs[0]), ids(runs[1]))
			}
			if runs[0][0].Chunk.DocID != c.wantDoc {
				t.Fatalf("top hit %s, want a chunk of %s", runs[0][0].Chunk.ID, c.wantDoc)
			}
			for i := 1; i < len(runs[0]); i++ {
				if runs[0][i].Score > runs[0][i-1].Score {
					t.Fatalf("hits not ordered by score: %v", runs[0])
				}
			}
		})
	}

	// Term statistics, counted here from the entries, must match.
	terms := analysis.Terms("美方同意暂停实施50%穿透性规则 TikTok 2758号决议 不存在的词语")
	st, err := e.TermStats(ctx, coll, terms)
	if err != nil {
		t.Fatal(err)
	}
	df := map[string]int{}
	n, sum := 0, 0
	for _, ent := range ents {
		for _, c := range ent.Chunks {
			n++
			sum += len(c.Terms)
			seen := map[string]bool{}
			for _, x := range c.Terms {
				if !seen[x] {
					seen[x] = true
					df[x]++
				}
			}
		}
	}
	if st.Chunks != n || fmt.Sprintf("%.6f", st.AvgTerms) != fmt.Sprintf("%.6f", float64(sum)/float64(n)) {
		t.Fatalf("stats: %d chunks, %.3f terms each; want %d, %.3f", st.Chunks, st.AvgTerms, n, float64(sum)/float64(n))
	}
	for _, x := range terms {
		if st.DF[x] != df[x] {
			t.Errorf("df(%s) = %d, want %d", x, st.DF[x], df[x])
		}
	}
	if df["tiktok"] == 0 || df["2758"] == 0 {
		t.Fatalf("test terms should occur in the articles: %v", df)
	}
}

// waitCounts waits until the collection's counts are docs and chunks.
// Counts are aggregated on one replica, and a write acknowledged by a
// quorum may reach the third a moment later.
func waitCounts(t *testing.T, e *Engine, coll string, docs, chunks int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		d, c, err := e.counts(context.Background(), coll)
		if err != nil {
			t.Fatal(err)
		}
		if d == docs && c == chunks {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("collection holds %d documents and %d chunks, want %d and %d", d, c, docs, chunks)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func ids(hs []Hit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Chunk.ID
	}
	return out
}

func TestVectorAndFilters(t *testing.T) {
	e := openTest(t)
	ctx := context.Background()
	coll := newCollection(t, e)
	ents := seedEntries(t)
	putAll(t, e, coll, ents)

	// A chunk's own vector finds that chunk first, at similarity 1.
	for _, ent := range ents {
		c := ent.Chunks[len(ent.Chunks)/2]
		hits, err := e.Vector(ctx, coll, c.Vector, 5, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != 5 || hits[0].Chunk.ID != c.ID || hits[0].Score < 0.999 {
			t.Fatalf("nearest to %s: %v (score %.4f)", c.ID, ids(hits), hits[0].Score)
		}
	}

	dated := map[string]string{}
	for _, ent := range ents {
		dated[ent.Doc.ID] = ent.Doc.Date
	}
	terms := analysis.Terms("中美关系 关税 美国")
	q := ents[0].Chunks[0].Vector
	cases := []Filter{
		{DocIDs: []string{"g2-busan-summit", "madrid-talks-interview"}},
		{From: "2025"},
		{To: "2025-09"},
		{From: "2025-10", To: "2025-10"},
		{To: "2023"},
		{DocIDs: []string{"g2-busan-summit"}, To: "2024"},
	}
	for _, f := range cases {
		t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
			allowed := admits(f, dated)
			for leg, run := range map[string]func() ([]Hit, error){
				"lexical": func() ([]Hit, error) { return e.Lexical(ctx, coll, terms, 40, f) },
				"vector":  func() ([]Hit, error) { return e.Vector(ctx, coll, q, 40, f) },
			} {
				hits, err := run()
				if err != nil {
					t.Fatal(err)
				}
				seen := map[string]bool{}
				for _, h := range hits {
					if !allowed[h.Chunk.DocID] {
						t.Fatalf("%s: %s passed the filter", leg, h.Chunk.ID)
					}
					seen[h.Chunk.DocID] = true
				}
				if len(allowed) > 0 && len(hits) == 0 {
					t.Fatalf("%s: nothing passed the filter, want chunks of %v", leg, allowed)
				}
				if leg == "vector" && len(seen) != len(allowed) {
					t.Fatalf("%s: hits from %v, want from every one of %v", leg, seen, allowed)
				}
			}
		})
	}
}

// admits is the embedded engine's filter rule, stated independently.
func admits(f Filter, dated map[string]string) map[string]bool {
	out := map[string]bool{}
	for id, date := range dated {
		if len(f.DocIDs) > 0 && !slices.Contains(f.DocIDs, id) {
			continue
		}
		if f.From != "" && (date == "" || date < f.From) {
			continue
		}
		if f.To != "" && (date == "" || date > f.To && !strings.HasPrefix(date, f.To)) {
			continue
		}
		out[id] = true
	}
	return out
}

func TestReplaceAndDelete(t *testing.T) {
	e := openTest(t)
	ctx := context.Background()
	coll := newCollection(t, e)
	ents := seedEntries(t)
	putAll(t, e, coll, ents)
	old := entryOf(ents, "madrid-talks-interview")

	// A new version with fewer chunks and a word the old one lacks.
	upd := old
	upd.Doc.Text = "全新版本：量子糖葫芦工厂在马德里开业。"
	upd.Doc.Hash = "changed"
	upd.Chunks = []EntryChunk{old.Chunks[0]}
	upd.Chunks[0].Text, upd.Chunks[0].End = upd.Doc.Text, len([]rune(upd.Doc.Text))
	upd.Chunks[0].Terms = analysis.Terms(upd.Doc.Text)
	if err := e.Put(ctx, coll, upd); err != nil {
		t.Fatal(err)
	}
	hits, err := e.Lexical(ctx, coll, analysis.Terms("糖葫芦"), 5, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].Chunk.Text != upd.Doc.Text {
		t.Fatalf("new version not found: %v", ids(hits))
	}
	hits, err = e.Lexical(ctx, coll, analysis.Terms("马德里会谈"), 40, Filter{DocIDs: []string{old.Doc.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 {
		t.Fatalf("old version's chunks still searchable: %v", ids(hits))
	}
	d, err := e.Document(ctx, coll, old.Doc.ID)
	if err != nil || d.Text != upd.Doc.Text {
		t.Fatalf("document after replace: %q, %v", d.Text, err)
	}

	if err := e.Delete(ctx, coll, old.Doc.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.Delete(ctx, coll, old.Doc.ID); err != nil {
		t.Fatalf("deleting a deleted document: %v", err)
	}
	if _, err := e.Document(ctx, coll, old.Doc.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted document: %v", err)
	}
	for _, leg := range []func() ([]Hit, error){
		func() ([]Hit, error) {
			return e.Lexical(ctx, coll, analysis.Terms("糖葫芦 马德里"), 40, Filter{})
		},
		func() ([]Hit, error) { return e.Vector(ctx, coll, old.Chunks[0].Vector, 200, Filter{}) },
	} {
		hits, err := leg()
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits {
			if h.Chunk.DocID == old.Doc.ID {
				t.Fatalf("deleted document's chunk %s still found", h.Chunk.ID)
			}
		}
	}
	total := 0
	for _, ent := range ents {
		if ent.Doc.ID != old.Doc.ID {
			total += len(ent.Chunks)
		}
	}
	waitCounts(t, e, coll, len(ents)-1, total)
}

// clusterScript runs .ci/weaviate.sh against the cluster the tests use.
func clusterScript(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command("bash", append([]string{filepath.Join("..", "..", ".ci", "weaviate.sh")}, args...)...)
	cmd.Env = append(os.Environ(), "WEAVIATE_DIR="+os.Getenv("WENDA_WEAVIATE_DIR"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("weaviate.sh %v: %v\n%s", args, err, out)
	}
}

// With three replicas and QUORUM, a node killed in the middle of queries
// and writes costs nothing: every query is still answered and every write
// acknowledged, and the node catches up when it is back.
func TestNodeKilledMidRun(t *testing.T) {
	cfg := testConfig(t)
	nodes, _ := strconv.Atoi(os.Getenv("WENDA_WEAVIATE_NODES"))
	if nodes < 3 || os.Getenv("WENDA_WEAVIATE_DIR") == "" {
		if os.Getenv("WENDA_REQUIRE_WEAVIATE") == "1" {
			t.Fatal("the node-kill test needs WENDA_WEAVIATE_NODES>=3 and WENDA_WEAVIATE_DIR (see .ci/weaviate.sh env)")
		}
		t.Skip("needs a cluster of 3 or more nodes started by .ci/weaviate.sh")
	}
	e, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	coll := newCollection(t, e)
	ents := seedEntries(t)
	putAll(t, e, coll, ents[:4])
	// The hardest node to lose is the Raft leader, which orders schema
	// changes and which writes consult: kill it, unless it is the node
	// the client talks to (with one address and no load balancer, that
	// node's loss is the client's).
	victim := nodes - 1
	if l := raftLeader(t, cfg.URL); l > 0 {
		victim = l
	}
	t.Logf("killing node %d", victim)

	terms := analysis.Terms("马德里会谈讨论了哪些议题")
	want, err := e.Lexical(ctx, coll, terms, 5, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan error, 1)
	var answered int
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			got, err := e.Lexical(ctx, coll, terms, 5, Filter{})
			if err != nil {
				done <- fmt.Errorf("query %d: %w", answered+1, err)
				return
			}
			if !reflect.DeepEqual(ids(got), ids(want)) {
				done <- fmt.Errorf("query %d ranked %v, want %v", answered+1, ids(got), ids(want))
				return
			}
			if _, err := e.Vector(ctx, coll, ents[0].Chunks[0].Vector, 5, Filter{}); err != nil {
				done <- fmt.Errorf("vector query %d: %w", answered+1, err)
				return
			}
			answered++
		}
	}()
	time.Sleep(300 * time.Millisecond)
	clusterScript(t, "kill-node", strconv.Itoa(victim))
	t.Cleanup(func() { clusterScript(t, "start-node", strconv.Itoa(victim)) })
	// Writes go on with the node down: two of three replicas make QUORUM.
	if err := e.Put(ctx, coll, ents[4]); err != nil {
		t.Fatalf("put with a node down: %v", err)
	}
	if _, err := e.Document(ctx, coll, ents[4].Doc.ID); err != nil {
		t.Fatalf("read with a node down: %v", err)
	}
	time.Sleep(2 * time.Second)
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if answered < 10 {
		t.Fatalf("only %d queries ran while the node was down", answered)
	}
	t.Logf("%d query pairs answered while node %d was killed", answered, victim)

	// Back up, the node serves the document written while it was down.
	clusterScript(t, "start-node", strconv.Itoa(victim))
	direct := cfg
	direct.URL = fmt.Sprintf("http://127.0.0.1:%d", httpPortOf(t, cfg.URL)+victim)
	direct.GRPC = fmt.Sprintf("127.0.0.1:%d", grpcPortOf(t, cfg.GRPC)+victim)
	direct.Consistency = One
	dv, err := Open(ctx, direct)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, err := dv.Document(ctx, coll, ents[4].Doc.ID)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("restarted node never served the document written while it was down: %v", err)
		}
		time.Sleep(time.Second)
	}
}

// raftLeader returns the number of the node that leads the cluster's Raft
// group (node names are "node<i>", as .ci/weaviate.sh starts them), or -1.
func raftLeader(t *testing.T, url string) int {
	resp, err := http.Get(url + "/v1/cluster/statistics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct {
		Statistics []struct {
			Name string
			Raft struct{ State string }
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	for _, s := range st.Statistics {
		if s.Raft.State == "Leader" {
			n, err := strconv.Atoi(strings.TrimPrefix(s.Name, "node"))
			if err == nil {
				return n
			}
		}
	}
	return -1
}

func httpPortOf(t *testing.T, url string) int {
	i := strings.LastIndex(url, ":")
	p, err := strconv.Atoi(strings.TrimRight(url[i+1:], "/"))
	if err != nil {
		t.Fatalf("port of %s: %v", url, err)
	}
	return p
}

func grpcPortOf(t *testing.T, addr string) int { return httpPortOf(t, addr) }
