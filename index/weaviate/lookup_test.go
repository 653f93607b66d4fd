package weaviate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"

	"wenda/index"
	"wenda/index/indextest"
)

// A three-node cluster repairing a delete between its replicas once
// answered the lookup of a deleted document by id with the object, its
// properties gone, where it answers 404 a moment later. A proxy in front
// of the real node's HTTP listener answers that way every lookup by id
// that the node answers with 404; through it, a deleted document and a
// deleted collection read as not there, and what is there reads whole.
// (The term statistics' snapshot is looked up by id the same way.)
func TestLookupDuringADeleteRepair(t *testing.T) {
	cfg := testConfig(t)
	ctx := context.Background()
	setup := openTest(t, cfg)
	for _, c := range []string{"c", "gone"} {
		if _, err := setup.CreateCollection(ctx, indextest.NewCollection(t, c)); err != nil {
			t.Fatal(err)
		}
	}
	entries := indextest.Entries(t, indextest.Articles(t)[:2])
	if err := setup.Put(ctx, "c", entries...); err != nil {
		t.Fatal(err)
	}
	if err := setup.Delete(ctx, "c", entries[1].Doc.ID); err != nil {
		t.Fatal(err)
	}
	if err := setup.DeleteCollection(ctx, "gone"); err != nil {
		t.Fatal(err)
	}

	proxy := startEmptyingProxy(t, cfg.URL)
	via := cfg
	via.URL = proxy.url
	e, err := Open(ctx, via)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()

	if d, err := e.Document(ctx, "c", entries[0].Doc.ID); err != nil || d.Text != entries[0].Doc.Text {
		t.Errorf("document that is there: %v", err)
	}
	if _, err := e.Document(ctx, "c", entries[1].Doc.ID); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("deleted document: %v, want ErrNotFound", err)
	}
	if _, err := e.Collection(ctx, "gone"); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("deleted collection: %v, want ErrNotFound", err)
	}
	info, err := e.Collection(ctx, "c")
	if err != nil || info.Documents != 1 {
		t.Errorf("collection that is there: %+v, %v", info, err)
	}
	if n := proxy.emptied.Load(); n < 2 {
		t.Fatalf("the proxy emptied %d lookups, want at least 2: the test did not see what it tests", n)
	}
}

type emptyingProxy struct {
	url     string
	emptied atomic.Int64
}

// objectPath is the path of a lookup by class and id.
var objectPath = regexp.MustCompile(`^/v1/objects/([^/]+)/([^/]+)$`)

// startEmptyingProxy proxies the node at target; a lookup by id that the
// node answers with 404 is answered with 200 and the object without
// properties.
func startEmptyingProxy(t *testing.T, target string) *emptyingProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &emptyingProxy{}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ModifyResponse = func(r *http.Response) error {
		m := objectPath.FindStringSubmatch(r.Request.URL.Path)
		if r.Request.Method != http.MethodGet || m == nil || r.StatusCode != http.StatusNotFound {
			return nil
		}
		body, err := json.Marshal(map[string]any{"class": m[1], "id": m[2], "properties": map[string]any{}})
		if err != nil {
			return err
		}
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		r.StatusCode, r.Status = http.StatusOK, "200 OK"
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
		r.ContentLength = int64(len(body))
		r.Body = io.NopCloser(bytes.NewReader(body))
		p.emptied.Add(1)
		return nil
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	p.url = srv.URL
	return p
}
