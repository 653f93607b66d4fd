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
	"sync"
	"testing"
	"time"

	pb "github.com/weaviate/weaviate/grpc/generated/protocol/v1"
	"google.golang.org/protobuf/proto"

	"wenda/index/indextest"
)

// A cluster too loaded to take a full batch in time still takes small
// ones: the ingest goes on in smaller requests, and every object gets in.
// The client writes batches over gRPC; a proxy in front of the real
// node's gRPC listener holds every batch write of more than limit objects
// until the client gives up on it, as a node starved of CPU does, and
// lets everything else through.
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
	// Every batch at once: the test waits out one batch's timeouts, not
	// those of each batch in turn.
	slow.WriteConcurrency = 16
	e, err := Open(ctx, slow)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()

	entries := indextest.Entries(t, indextest.Articles(t))
	chunks := 0
	for _, en := range entries {
		chunks += len(en.Chunks)
	}
	start := time.Now()
	if err := e.Put(ctx, "c", entries...); err != nil {
		t.Fatalf("put through an overloaded cluster: %v", err)
	}
	held, passed, largest := proxy.counts()
	t.Logf("%d documents, %d chunks in %v: %d batch writes held past the client's timeout, %d of at most %d objects passed",
		len(entries), chunks, time.Since(start).Round(time.Millisecond), held, passed, largest)
	if held == 0 {
		t.Fatal("no batch write was held: the test did not overload anything")
	}
	if largest > limit {
		t.Fatalf("a batch write of %d objects passed the proxy, which holds those of more than %d", largest, limit)
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
