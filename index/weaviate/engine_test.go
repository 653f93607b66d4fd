package weaviate

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/weaviate/weaviate-go-client/v5/weaviate/filters"

	"wenda/analysis"
	"wenda/corpus"
	"wenda/index"
	"wenda/index/indextest"
)

// These tests run against a real Weaviate cluster: .ci/weaviate.sh starts
// one and `.ci/weaviate.sh env` prints the variables that point here. With
// WENDA_REQUIRE_WEAVIATE=1 (as CI sets it) a missing cluster fails the
// tests instead of skipping them. Each test works under a class prefix of
// its own and drops its classes at the end.

func testConfig(t *testing.T) Config {
	t.Helper()
	url := os.Getenv("WENDA_WEAVIATE_URL")
	if url == "" {
		if os.Getenv("WENDA_REQUIRE_WEAVIATE") == "1" {
			t.Fatal("WENDA_REQUIRE_WEAVIATE=1 but WENDA_WEAVIATE_URL is not set")
		}
		t.Skip("no Weaviate cluster: set WENDA_WEAVIATE_URL (see .ci/weaviate.sh)")
	}
	return Config{URL: url, GRPC: os.Getenv("WENDA_WEAVIATE_GRPC"), Consistency: Quorum, Prefix: "T" + rand.Text()[:12]}
}

// openTest opens an engine under a fresh prefix and drops everything it
// made when the test ends.
func openTest(t *testing.T, cfg Config) *Engine {
	t.Helper()
	e, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropPrefix(t, e) })
	return e
}

// dropPrefix drops every class under the engine's prefix. It goes through
// the engine's retries, as the engine's own drops do: a test that killed a
// node ends while the cluster may still be settling its Raft leader, and a
// schema change then can hang past one timeout.
func dropPrefix(t *testing.T, e *Engine) {
	ctx := context.Background()
	s, err := call(ctx, e, e.client.Schema().Getter().Do)
	if err != nil {
		t.Errorf("list classes: %v", err)
		return
	}
	for _, c := range s.Classes {
		if strings.HasPrefix(c.Class, e.cfg.Prefix) {
			if err := callErr(ctx, e, e.client.Schema().ClassDeleter().WithClassName(c.Class).Do); err != nil && !isStatus(err, 404) {
				t.Errorf("drop %s: %v", c.Class, err)
			}
		}
	}
}

// The contract every engine keeps, on a 3-node cluster.
func TestContract(t *testing.T) {
	cfg := testConfig(t)
	indextest.Run(t, indextest.Harness{
		Open: func(t *testing.T) index.Engine {
			c := cfg
			c.Prefix = "T" + rand.Text()[:12]
			return openTest(t, c)
		},
		// A restart of wenda is a new connection: everything is in the
		// cluster.
		Reopen: func(t *testing.T, old index.Engine) index.Engine {
			old.Close()
			e, err := Open(context.Background(), old.(*Engine).cfg)
			if err != nil {
				t.Fatal(err)
			}
			return e
		},
	})
}

func loaded(t *testing.T, cfg Config) (*Engine, []index.Entry) {
	t.Helper()
	e := openTest(t, cfg)
	if _, err := e.CreateCollection(context.Background(), indextest.NewCollection(t, "c")); err != nil {
		t.Fatal(err)
	}
	entries := indextest.Entries(t, indextest.Articles(t))
	for _, en := range entries {
		if err := e.Put(context.Background(), "c", en); err != nil {
			t.Fatal(err)
		}
	}
	return e, entries
}

// The lexical leg must find the same chunks for a question in either
// script, with the best chunk first.
func TestLexicalChineseBothScripts(t *testing.T) {
	e, _ := loaded(t, testConfig(t))
	ctx := context.Background()
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
			var runs [][]index.Hit
			for _, q := range []string{c.simplified, c.traditional} {
				hits, err := e.Lexical(ctx, "c", analysis.Terms(q), 10, index.Filter{})
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
		})
	}
}

func ids(hs []index.Hit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Chunk.ID
	}
	return out
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
// and writes costs nothing: every query is still answered, and answered
// alike, every write is acknowledged, and the node catches up when it is
// back.
func TestNodeKilledMidRun(t *testing.T) {
	cfg := testConfig(t)
	nodes, _ := strconv.Atoi(os.Getenv("WENDA_WEAVIATE_NODES"))
	if nodes < 3 || os.Getenv("WENDA_WEAVIATE_DIR") == "" {
		if os.Getenv("WENDA_REQUIRE_WEAVIATE") == "1" {
			t.Fatal("the node-kill test needs WENDA_WEAVIATE_NODES>=3 and WENDA_WEAVIATE_DIR (see .ci/weaviate.sh env)")
		}
		t.Skip("needs a cluster of 3 or more nodes started by .ci/weaviate.sh")
	}
	ctx := context.Background()
	e := openTest(t, cfg)
	if _, err := e.CreateCollection(ctx, indextest.NewCollection(t, "c")); err != nil {
		t.Fatal(err)
	}
	// Queries read "c"; the write with a node down goes to "d", so that
	// it does not change the statistics the queries are ranked by.
	if _, err := e.CreateCollection(ctx, indextest.NewCollection(t, "d")); err != nil {
		t.Fatal(err)
	}
	entries := indextest.Entries(t, indextest.Articles(t))
	for _, en := range entries[:4] {
		if err := e.Put(ctx, "c", en); err != nil {
			t.Fatal(err)
		}
	}
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
	want, err := e.Lexical(ctx, "c", terms, 5, index.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan error, 1)
	var answered atomic.Int64
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			got, err := e.Lexical(ctx, "c", terms, 5, index.Filter{})
			if err != nil {
				done <- fmt.Errorf("query %d: %w", answered.Load()+1, err)
				return
			}
			if !reflect.DeepEqual(ids(got), ids(want)) {
				done <- fmt.Errorf("query %d ranked %v, want %v", answered.Load()+1, ids(got), ids(want))
				return
			}
			if _, err := e.Vector(ctx, "c", entries[0].Chunks[0].Vector, 5, index.Filter{}); err != nil {
				done <- fmt.Errorf("vector query %d: %w", answered.Load()+1, err)
				return
			}
			answered.Add(1)
		}
	}()
	time.Sleep(300 * time.Millisecond)
	clusterScript(t, "kill-node", strconv.Itoa(victim))
	t.Cleanup(func() { clusterScript(t, "start-node", strconv.Itoa(victim)) })
	// Writes go on with the node down: two of three replicas make QUORUM.
	if err := e.Put(ctx, "d", entries[4]); err != nil {
		t.Fatalf("put with a node down: %v", err)
	}
	if _, err := e.Document(ctx, "d", entries[4].Doc.ID); err != nil {
		t.Fatalf("read with a node down: %v", err)
	}
	// Queries go on until five more have been answered with the node
	// down (however long a loaded machine takes), or one fails.
	atKill := answered.Load()
	for answered.Load() < atKill+5 && len(done) == 0 {
		time.Sleep(50 * time.Millisecond)
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	t.Logf("%d query pairs answered while node %d was killed", answered.Load()-atKill, victim)

	// Back up, the node serves the document written while it was down.
	clusterScript(t, "start-node", strconv.Itoa(victim))
	direct := e.cfg
	direct.URL = fmt.Sprintf("http://127.0.0.1:%d", portOf(t, cfg.URL)+victim)
	direct.GRPC = fmt.Sprintf("127.0.0.1:%d", portOf(t, cfg.GRPC)+victim)
	direct.Consistency = One
	dv, err := Open(ctx, direct)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, err := dv.Document(ctx, "d", entries[4].Doc.ID)
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
			if n, err := strconv.Atoi(strings.TrimPrefix(s.Name, "node")); err == nil {
				return n
			}
		}
	}
	return -1
}

func portOf(t *testing.T, addr string) int {
	i := strings.LastIndex(addr, ":")
	p, err := strconv.Atoi(strings.TrimRight(addr[i+1:], "/"))
	if err != nil {
		t.Fatalf("port of %s: %v", addr, err)
	}
	return p
}

// Term statistics are kept per collection version, and every Put and
// Delete starts a new version: a count never outlives a change.
func TestTermStatsFollowChanges(t *testing.T) {
	e, entries := loaded(t, testConfig(t))
	ctx := context.Background()
	term := "葫芦"
	count := func() (int, int) {
		t.Helper()
		st, err := e.TermStats(ctx, "c", []string{term, "中美"})
		if err != nil {
			t.Fatal(err)
		}
		return st.DF[term], st.Chunks
	}
	df0, n0 := count()
	if df0 != 0 {
		t.Fatalf("df(%s) = %d before the document that has it", term, df0)
	}
	doc := indextest.Articles(t)[0]
	doc.ID, doc.Hash = "tanghulu", "tanghulu"
	doc.Text = "冰糖葫芦是北京的传统小吃。" + doc.Text
	en := indextest.Entries(t, []corpus.Document{doc})[0]
	if err := e.Put(ctx, "c", en); err != nil {
		t.Fatal(err)
	}
	if df, n := count(); df == 0 || n != n0+len(en.Chunks) {
		t.Fatalf("after put: df %d, %d chunks; want > 0 and %d", df, n, n0+len(en.Chunks))
	}
	if err := e.Delete(ctx, "c", "tanghulu", entries[0].Doc.ID); err != nil {
		t.Fatal(err)
	}
	if df, n := count(); df != 0 || n != n0-len(entries[0].Chunks) {
		t.Fatalf("after delete: df %d, %d chunks; want 0 and %d", df, n, n0-len(entries[0].Chunks))
	}
}

// Term statistics are counted at ingest and summed by every process:
// another process sees a Put or a Delete within its refresh interval,
// without ever counting chunks at query time, and repairs what a writer
// that died before its feed entry left out.
func TestTermStatsAcrossProcesses(t *testing.T) {
	cfg := testConfig(t)
	cfg.StatsRefresh = 50 * time.Millisecond
	a, entries := loaded(t, cfg)
	b, err := Open(context.Background(), a.cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	term := "葫芦"
	want := func(e *Engine) (int, int) {
		t.Helper()
		st, err := e.TermStats(ctx, "c", []string{term})
		if err != nil {
			t.Fatal(err)
		}
		return st.DF[term], st.Chunks
	}
	// eventually waits for b to agree with a.
	eventually := func(what string) {
		t.Helper()
		df, n := want(a)
		deadline := time.Now().Add(20 * time.Second)
		for {
			bdf, bn := want(b)
			if bdf == df && bn == n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the other process counts df %d, %d chunks; the writer %d, %d", what, bdf, bn, df, n)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	eventually("at start")
	_, n0 := want(a)

	doc := indextest.Articles(t)[0]
	doc.ID, doc.Hash = "tanghulu", "tanghulu"
	doc.Text = "冰糖葫芦是北京的传统小吃。" + doc.Text
	en := indextest.Entries(t, []corpus.Document{doc})[0]
	if err := a.Put(ctx, "c", en); err != nil {
		t.Fatal(err)
	}
	if df, n := want(a); df == 0 || n != n0+len(en.Chunks) {
		t.Fatalf("the writer, after its put: df %d, %d chunks", df, n)
	}
	eventually("after a put")

	if err := a.Delete(ctx, "c", "tanghulu", entries[1].Doc.ID); err != nil {
		t.Fatal(err)
	}
	if df, n := want(a); df != 0 || n != n0-len(entries[1].Chunks) {
		t.Fatalf("the writer, after its delete: df %d, %d chunks", df, n)
	}
	eventually("after a delete")

	// A writer that dies between its switch and its feed entry: the
	// entry is gone, and the other process finds the change when it
	// reconciles. The statistics object is gone too (as for a document
	// written before statistics were kept): it is counted from the chunks.
	// The other process does not read the feed until the entry is gone.
	tb := b.tracker("c")
	lostFeedEntry := func() error {
		tb.sync.Lock()
		defer tb.sync.Unlock()
		if err := a.Put(ctx, "c", en); err != nil {
			return err
		}
		if err := a.deleteWhere(ctx, a.feedClass("c"), filters.Where().WithPath([]string{pStamp}).WithOperator(filters.GreaterThan).WithValueInt(0)); err != nil {
			return err
		}
		gens, err := a.currentGens(ctx, "c", []string{"tanghulu"})
		if err != nil {
			return err
		}
		return a.deleteWhere(ctx, a.statsClass("c"), whereGen("tanghulu", gens["tanghulu"].gen))
	}
	if err := lostFeedEntry(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // several refreshes, which cannot see it
	if df, _ := want(b); df != 0 {
		t.Fatalf("the other process counted a put it had no feed entry for: df %d", df)
	}
	tb.sync.Lock()
	err = tb.reconcileAll(ctx)
	tb.sync.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	eventually("after reconciling")
	if df, _ := want(b); df == 0 {
		t.Fatal("reconciled without the put")
	}

	// A process that starts counts the same from the documents.
	c, err := Open(ctx, a.cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	st, err := c.TermStats(ctx, "c", []string{term})
	if err != nil {
		t.Fatal(err)
	}
	if df, n := want(a); st.DF[term] != df || st.Chunks != n {
		t.Fatalf("a new process counts df %d, %d chunks; want %d, %d", st.DF[term], st.Chunks, df, n)
	}

	// The writer leaves a snapshot when it closes, and the next process
	// starts from it instead of every document.
	df, n := want(a)
	a.Close()
	coll, err := c.collection(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	snap, err := c.loadSnapshot(ctx, coll)
	if err != nil || snap == nil {
		t.Fatalf("no snapshot after the writer closed: %v", err)
	}
	if snap.DF[term] != df || snap.Chunks != n || len(snap.Counted) != len(entries) {
		t.Fatalf("snapshot: df %d, %d chunks, %d documents; want %d, %d, %d", snap.DF[term], snap.Chunks, len(snap.Counted), df, n, len(entries))
	}
	d, err := Open(ctx, a.cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if ddf, dn := want(d); ddf != df || dn != n {
		t.Fatalf("a process started from the snapshot counts df %d, %d chunks; want %d, %d", ddf, dn, df, n)
	}
}

// A server loads every collection's term statistics before it says it is
// ready, so that its first search does not wait for them.
func TestLoadStats(t *testing.T) {
	a, _ := loaded(t, testConfig(t))
	ctx := context.Background()
	b, err := Open(ctx, a.cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.existingTracker("c") != nil {
		t.Fatal("statistics loaded before anyone asked for them")
	}
	if err := b.LoadStats(ctx); err != nil {
		t.Fatal(err)
	}
	if b.existingTracker("c") == nil {
		t.Fatal("LoadStats returned before the collection's statistics were loaded")
	}
	terms := []string{"关税", "中国", "北京"}
	want, err := a.TermStats(ctx, "c", terms)
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.TermStats(ctx, "c", terms)
	if err != nil {
		t.Fatal(err)
	}
	if got.Chunks == 0 || got.Chunks != want.Chunks || !maps.Equal(got.DF, want.DF) {
		t.Fatalf("loaded: %d chunks, df %v; the writer: %d chunks, df %v", got.Chunks, got.DF, want.Chunks, want.DF)
	}
}

// Drop deletes every class under the engine's prefix, catalog included,
// and nothing of another prefix.
func TestDrop(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t)
	a := openTest(t, cfg)
	other := cfg
	other.Prefix = cfg.Prefix + "X"
	b := openTest(t, other)
	for _, id := range []string{"c", "d"} {
		if _, err := a.CreateCollection(ctx, indextest.NewCollection(t, id)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.CreateCollection(ctx, indextest.NewCollection(t, "c")); err != nil {
		t.Fatal(err)
	}
	if err := a.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := a.client.Schema().Getter().Do(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range s.Classes {
		if strings.HasPrefix(c.Class, cfg.Prefix) && !strings.HasPrefix(c.Class, other.Prefix) {
			t.Errorf("%s is left after Drop", c.Class)
		}
	}
	if _, err := b.Collection(ctx, "c"); err != nil {
		t.Errorf("the other prefix's collection: %v", err)
	}
}
