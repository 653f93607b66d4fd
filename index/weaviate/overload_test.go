package weaviate

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	pb "github.com/weaviate/weaviate/grpc/generated/protocol/v1"
	"google.golang.org/protobuf/proto"

	"wenda/index"
	"wenda/index/indextest"
)

// A cluster too loaded to take a full batch in time still takes small
// ones: the ingest goes on in smaller requests, and every object gets in.
// The client writes batches over gRPC; a proxy in front of the real
// node's gRPC listener holds every batch write of more than limit objects
// until the client gives up on it, as a node starved of CPU does, and
// lets everything else through. The engine remembers the size that went
// in: after the first failures its requests start at that size, so the
// proxy holds a few requests where it held several for every batch.
func TestOverloadedClusterTakesSmallerBatches(t *testing.T) {
	cfg := testConfig(t)
	ctx := context.Background()
	// The collection is made, and read back, with the usual timeouts.
	setup := openTest(t, cfg)
	if _, err := setup.CreateCollection(ctx, indextest.NewCollection(t, "c")); err != nil {
		t.Fatal(err)
	}
	const limit = 4
	proxy := startOverloadProxy(t, cfg.GRPC, limit)
	slow := cfg
	slow.GRPC = proxy.addr
	slow.BatchSize = 16
	slow.Timeout = 2 * time.Second
	slow.Attempts = 2
	e, err := Open(ctx, slow)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()

	// An ingest puts a few documents at a time: here the shipped articles
	// four times over, under other ids, five documents to a Put.
	articles := indextest.Articles(t)
	var entries []index.Entry
	for k := range 4 {
		docs := slices.Clone(articles)
		for i := range docs {
			docs[i].ID = fmt.Sprintf("%s-%d", docs[i].ID, k)
		}
		entries = append(entries, indextest.Entries(t, docs)...)
	}
	chunks, batches := 0, 0
	firstHeld, firstPassed := -1, 0
	start := time.Now()
	for part := range slices.Chunk(entries, len(articles)) {
		// A Put writes its chunks and one term statistics object per
		// document, then the documents: at a fixed size of 16, that many
		// batches, each held at least once (one of 16 three times: whole
		// and as both halves of 8).
		objs := 0
		for _, en := range part {
			objs += len(en.Chunks) + 1
			chunks += len(en.Chunks)
		}
		batches += (objs+slow.BatchSize-1)/slow.BatchSize + (len(part)+slow.BatchSize-1)/slow.BatchSize
		held0, passed0, _ := proxy.counts()
		if err := e.Put(ctx, "c", part...); err != nil {
			t.Fatalf("put through an overloaded cluster: %v", err)
		}
		held, passed, _ := proxy.counts()
		if firstHeld < 0 {
			firstHeld, firstPassed = held, passed
		}
		t.Logf("put of %d documents, %d objects: %d batch writes held, %d passed; request size now %d",
			len(part), objs+len(part), held-held0, passed-passed0, e.sizer.peek())
	}
	held, passed, largest := proxy.counts()
	t.Logf("%d documents, %d chunks in %v, %d batches of %d: %d batch writes held past the client's timeout, %d of at most %d objects passed",
		len(entries), chunks, time.Since(start).Round(time.Millisecond), batches, slow.BatchSize, held, passed, largest)
	if held == 0 {
		t.Fatal("no batch write was held: the test did not overload anything")
	}
	if largest > limit {
		t.Fatalf("a batch write of %d objects passed the proxy, which holds those of more than %d", largest, limit)
	}
	// The engine keeps the size that went in. In the first Put each writer
	// sends at most one request of 16 and one of 8 before the size is down
	// to 4; after that only a probe of a larger size is held, one request
	// after each run of growAfter that went in (a run may begin in the
	// first Put).
	if bound := 2*e.cfg.WriteConcurrency + firstPassed/growAfter; firstHeld > bound {
		t.Fatalf("first put: %d batch writes held, %d passed; want at most %d held", firstHeld, firstPassed, bound)
	}
	if later, bound := held-firstHeld, 1+(passed-firstPassed)/growAfter; later > bound {
		t.Fatalf("later puts: %d batch writes held, %d passed; want at most %d held", later, passed-firstPassed, bound)
	}
	if 2*held >= batches {
		t.Fatalf("%d batch writes held for %d batches; want fewer than half as many", held, batches)
	}

	info, err := setup.Collection(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	if info.Documents != len(entries) || info.Chunks != chunks {
		t.Fatalf("the collection holds %d documents, %d chunks; want %d, %d", info.Documents, info.Chunks, len(entries), chunks)
	}
	for _, en := range entries {
		if _, err := setup.Document(ctx, "c", en.Doc.ID); err != nil {
			t.Fatalf("document %s: %v", en.Doc.ID, err)
		}
		for _, ch := range en.Chunks {
			got, err := setup.Chunk(ctx, "c", ch.ID)
			if err != nil {
				t.Fatalf("chunk %s: %v", ch.ID, err)
			}
			if got.Text != ch.Text {
				t.Fatalf("chunk %s reads back other text", ch.ID)
			}
		}
	}
	// The term statistics are objects of their own, written in the same
	// batches as the chunks.
	st, err := setup.TermStats(ctx, "c", []string{"关税"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Chunks != chunks || st.DF["关税"] == 0 {
		t.Fatalf("term statistics: %d chunks, df(关税) %d; want %d and more than 0", st.Chunks, st.DF["关税"], chunks)
	}
}

// overloadProxy forwards gRPC (HTTP/2 without TLS) to a node, except batch
// writes of more than limit objects, which it holds until the client
// cancels them.
type overloadProxy struct {
	addr  string
	limit int

	mu      sync.Mutex
	held    int // batch writes held until the client gave up
	passed  int // batch writes forwarded
	largest int // objects in the largest batch write forwarded
}

const batchObjectsMethod = "/weaviate.v1.Weaviate/BatchObjects"

func startOverloadProxy(t *testing.T, target string, limit int) *overloadProxy {
	t.Helper()
	p := &overloadProxy{limit: limit}
	var h2c http.Protocols
	h2c.SetUnencryptedHTTP2(true)
	forward := &httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(&url.URL{Scheme: "http", Host: target}) },
		Transport: &http.Transport{Protocols: &h2c},
		// gRPC answers as a stream: pass each piece on at once.
		FlushInterval: -1,
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == batchObjectsMethod && !p.admit(t, r) {
			return
		}
		forward.ServeHTTP(w, r)
	}))
	srv.Config.Protocols = &h2c
	srv.Start()
	t.Cleanup(srv.Close)
	p.addr = srv.Listener.Addr().String()
	return p
}

// admit reads a batch write and says whether to forward it; one it does
// not forward it holds until the client gives up on it.
func (p *overloadProxy) admit(t *testing.T, r *http.Request) bool {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return false
	}
	n, err := objectsIn(body)
	if err != nil {
		t.Errorf("proxy: %v", err)
		return false
	}
	if n > p.limit {
		<-r.Context().Done()
		p.mu.Lock()
		p.held++
		p.mu.Unlock()
		return false
	}
	p.mu.Lock()
	p.passed++
	p.largest = max(p.largest, n)
	p.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	return true
}

func (p *overloadProxy) counts() (held, passed, largest int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held, p.passed, p.largest
}

// objectsIn is the number of objects in a gRPC BatchObjects request body:
// one uncompressed message, after gRPC's 5-byte frame header (a
// compression flag and the message's length).
func objectsIn(body []byte) (int, error) {
	if len(body) < 5 || body[0] != 0 {
		return 0, errors.New("batch write: not one uncompressed gRPC message")
	}
	n := binary.BigEndian.Uint32(body[1:5])
	if int(n) != len(body)-5 {
		return 0, fmt.Errorf("batch write: message of %d bytes in a body of %d", n, len(body))
	}
	var req pb.BatchObjectsRequest
	if err := proto.Unmarshal(body[5:], &req); err != nil {
		return 0, fmt.Errorf("batch write: %w", err)
	}
	return len(req.Objects), nil
}
