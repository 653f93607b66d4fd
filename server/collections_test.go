package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"wenda/answer"
	"wenda/auth"
	"wenda/chunk"
	"wenda/corpus"
	"wenda/embed"
	"wenda/index"
	"wenda/ingest"
	"wenda/internal/testindex"
	"wenda/uploads"
)

// liveServer is a server over an engine of its own that uploads change:
// the real engine, upload store, ingestion workers and parser, as
// wenda serve wires them.
type liveServer struct {
	*testServer
	ix *testindex.Index
	m  *uploads.Manager
}

// openReads is the keyring of a server with no keys listed: reads open to
// anyone, writes with the admin key.
func openReads(t *testing.T) *auth.Keyring {
	t.Helper()
	k, _, err := auth.Open(auth.Config{AdminKey: adminKey})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newLiveServer(t *testing.T, opts Options) *liveServer {
	t.Helper()
	ctx := context.Background()
	ix, err := testindex.Build(ctx, t.TempDir(), 256, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := uploads.OpenBoltStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// The PDF engine's compiled code is shared by every test run on the
	// machine, as in the extract and corpus tests: compiling it takes
	// 15 s, and minutes under -race.
	parser := corpus.NewParser(corpus.ParserConfig{CacheDir: filepath.Join(os.TempDir(), "wenda-test-pdfium-cache")})
	reg := &embed.Registry{}
	x := &ingest.Indexer{Engine: ix.Engine, Embedders: reg.For}
	m := uploads.NewManager(st, uploads.EngineIndex{Indexer: x}, parser.Parse, uploads.Config{Workers: 2, PollInterval: 20 * time.Millisecond})
	if err := m.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		m.Close()
		parser.Close()
		st.Close()
		ix.Close()
	})
	logs := &syncBuffer{}
	opts.Logger = slog.New(slog.NewTextHandler(logs, nil))
	if opts.Keys == nil {
		opts.Keys = testKeys(t)
	}
	s := New(opts)
	hash, _ := embed.NewHash(256)
	s.Ready(Backend{
		Asker: answer.NewService(ix.Searcher, answer.Options{}), Searcher: ix.Searcher, Library: ix.Engine,
		Catalog: ix.Engine, Uploads: m,
		NewCollection: func(context.Context) (index.Collection, error) {
			return index.Collection{Embedder: hash.Spec(), Chunker: chunk.Default}, nil
		},
	})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return &liveServer{testServer: &testServer{Server: s, URL: hs.URL, logs: logs}, ix: ix, m: m}
}

// part is one part of a multipart body: a file when filename is set.
type part struct {
	field, filename string
	body            []byte
}

func multipartBody(t *testing.T, parts ...part) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		if p.filename != "" {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, p.field, p.filename))
			h.Set("Content-Type", "application/octet-stream")
		} else {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"`, p.field))
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.body)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func (ls *liveServer) upload(t *testing.T, coll, key string, parts ...part) response {
	t.Helper()
	body, ct := multipartBody(t, parts...)
	req, err := http.NewRequest(http.MethodPost, ls.URL+"/v1/collections/"+coll+"/documents", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// waitDone polls a document until its ingestion has ended. The deadline
// only stops a test that would hang: the first PDF of a machine waits for
// the PDF engine to be compiled, which took over 30 s under -race in CI.
func (ls *liveServer) waitDone(t *testing.T, coll, id string) documentStatus {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		res := do(t, http.MethodGet, ls.URL+"/v1/collections/"+coll+"/documents/"+id, "", bearer(adminKey))
		if res.Status != http.StatusOK {
			t.Fatalf("status of %s: %d %s", id, res.Status, res.Body)
		}
		d := decode[documentStatus](t, res)
		if d.Status == uploads.StatusReady || d.Status == uploads.StatusFailed {
			return d
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s of %s never finished", id, coll)
	return documentStatus{}
}

// fixture is a real file made by a real tool (see extract/testdata).
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "extract", "testdata", "files", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func seedArticle(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "corpus", "articles", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCollectionsAPI(t *testing.T) {
	ls := newLiveServer(t, Options{})
	admin := bearer(adminKey)

	// The default collection is there, with its metadata and counts.
	list := decode[collectionsResponse](t, do(t, http.MethodGet, ls.URL+"/v1/collections", "", admin))
	if len(list.Collections) != 1 || list.Collections[0].ID != "default" || list.Collections[0].Documents != 5 || list.Collections[0].Chunks == 0 {
		t.Fatalf("collections: %+v", list)
	}

	res := do(t, http.MethodPost, ls.URL+"/v1/collections", `{"id":"history","title":"历史","description":"中国历史的文章","language":"zh-Hant","examples":["伽利略是誰？"]}`, admin)
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	c := decode[collectionResponse](t, res)
	if c.ID != "history" || c.Title != "历史" || c.Language != "zh-Hant" || c.Embedder.Dim != 256 || c.Documents != 0 {
		t.Errorf("created %+v", c)
	}

	res = do(t, http.MethodPatch, ls.URL+"/v1/collections/history", `{"title":"歷史資料"}`, bearer(adminKey))
	if got := decode[collectionResponse](t, res); res.Status != http.StatusOK || got.Title != "歷史資料" || got.Description != "中国历史的文章" {
		t.Errorf("patch: %d %+v", res.Status, got)
	}
	res = do(t, http.MethodGet, ls.URL+"/v1/collections/history", "", admin)
	if got := decode[collectionResponse](t, res); got.Title != "歷史資料" || len(got.Examples) != 1 {
		t.Errorf("get after patch: %+v", got)
	}

	errs := []struct {
		name, method, path, body string
		header                   map[string]string
		status                   int
		code                     string
	}{
		{"exists", "POST", "/v1/collections", `{"id":"history","title":"x"}`, admin, 409, "collection_exists"},
		{"bad id", "POST", "/v1/collections", `{"id":"Bad Id","title":"x"}`, admin, 400, "invalid_collection"},
		{"no title", "POST", "/v1/collections", `{"id":"x"}`, admin, 400, "invalid_collection"},
		{"bad language", "POST", "/v1/collections", `{"id":"x","title":"x","language":"fr"}`, admin, 400, "invalid_collection"},
		{"unknown field", "POST", "/v1/collections", `{"id":"x","title":"x","owner":"me"}`, admin, 400, "unknown_field"},
		{"editor creates", "POST", "/v1/collections", `{"id":"x","title":"x"}`, bearer(editorKey), 403, "forbidden"},
		{"no key", "POST", "/v1/collections", `{"id":"x","title":"x"}`, nil, 401, "key_required"},
		{"missing", "GET", "/v1/collections/nope", "", admin, 404, "collection_not_found"},
		{"patch missing", "PATCH", "/v1/collections/nope", `{"title":"x"}`, admin, 404, "collection_not_found"},
		{"patch empty title", "PATCH", "/v1/collections/history", `{"title":""}`, admin, 400, "invalid_collection"},
		{"patch by editor of another", "PATCH", "/v1/collections/history", `{"title":"x"}`, bearer(editorKey), 403, "forbidden"},
		{"delete default", "DELETE", "/v1/collections/default", "", admin, 409, "default_collection"},
		{"delete by editor", "DELETE", "/v1/collections/history", "", bearer(editorKey), 403, "forbidden"},
		{"delete missing", "DELETE", "/v1/collections/nope", "", admin, 404, "collection_not_found"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			res := do(t, tt.method, ls.URL+tt.path, tt.body, tt.header)
			if res.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.Status, tt.status, res.Body)
			}
			if code := res.errorCode(t); code != tt.code {
				t.Errorf("code %q, want %q", code, tt.code)
			}
		})
	}

	// A reader of other collections sees only those in the list.
	list = decode[collectionsResponse](t, do(t, http.MethodGet, ls.URL+"/v1/collections", "", bearer(outsideKey)))
	if len(list.Collections) != 0 {
		t.Errorf("a reader of \"reports\" sees %+v", list.Collections)
	}

	// Deleting a collection takes its documents and files with it.
	up := ls.upload(t, "history", adminKey, part{"file", "galileo.docx", fixture(t, "galileo.docx")})
	if up.Status != http.StatusAccepted {
		t.Fatalf("upload: %d %s", up.Status, up.Body)
	}
	ls.waitDone(t, "history", "galileo")
	if res := do(t, http.MethodDelete, ls.URL+"/v1/collections/history", "", admin); res.Status != http.StatusOK {
		t.Fatalf("delete: %d %s", res.Status, res.Body)
	}
	if res := do(t, http.MethodGet, ls.URL+"/v1/collections/history/documents/galileo", "", admin); res.Status != http.StatusNotFound {
		t.Errorf("document of a deleted collection: %d %s", res.Status, res.Body)
	}
	if res := do(t, http.MethodGet, ls.URL+"/v1/search?collection=history&q=伽利略", "", admin); res.Status != http.StatusNotFound {
		t.Errorf("search in a deleted collection: %d %s", res.Status, res.Body)
	}
}

func TestUploadAndAsk(t *testing.T) {
	ls := newLiveServer(t, Options{Keys: openReads(t)})
	admin := bearer(adminKey)
	do(t, http.MethodPost, ls.URL+"/v1/collections", `{"id":"history","title":"科学史","description":"科学家的生平","language":"zh-Hant"}`, admin)

	// Two files in one request: a Word document made by a word processor
	// and a Big5 text; the metadata fields go with them.
	res := ls.upload(t, "history", "not-the-key-0123456789",
		part{"file", "galileo.docx", fixture(t, "galileo.docx")})
	if res.Status != http.StatusUnauthorized {
		t.Fatalf("wrong key: %d", res.Status)
	}
	res = ls.upload(t, "history", adminKey,
		part{"file", "galileo.docx", fixture(t, "galileo.docx")},
		part{"file", "rwanda-big5.txt", fixture(t, "rwanda-big5.txt")},
		part{"source", "", []byte("维基百科")},
		part{"date", "", []byte("2022-05")})
	if res.Status != http.StatusAccepted {
		t.Fatalf("upload: %d %s", res.Status, res.Body)
	}
	up := decode[uploadResponse](t, res)
	if len(up.Documents) != 2 || up.Documents[0].ID != "galileo" || up.Documents[0].Status != uploads.StatusQueued || up.Documents[1].ID != "rwanda-big5" {
		t.Fatalf("accepted %+v", up)
	}
	d := ls.waitDone(t, "history", "galileo")
	if d.Status != uploads.StatusReady || d.Chunks == 0 || d.Chars == 0 || d.Progress != 1 || d.Source != "维基百科" || d.Date != "2022-05" || d.Filename != "galileo.docx" {
		t.Fatalf("galileo: %+v", d)
	}
	ls.waitDone(t, "history", "rwanda-big5")

	// The same bytes again: nothing new is queued.
	res = ls.upload(t, "history", adminKey, part{"file", "galileo.docx", fixture(t, "galileo.docx")})
	if up := decode[uploadResponse](t, res); res.Status != http.StatusAccepted || !up.Documents[0].Duplicate || up.Documents[0].Status != uploads.StatusReady {
		t.Errorf("identical re-upload: %d %s", res.Status, res.Body)
	}

	// Its text, the one citations point into.
	res = do(t, http.MethodGet, ls.URL+"/v1/collections/history/documents/galileo/text", "", nil)
	text := decode[documentResponse](t, res)
	if res.Status != http.StatusOK || !strings.Contains(text.Text, "伽利略") || text.Chars != d.Chars {
		t.Fatalf("text: %d %.200s", res.Status, res.Body)
	}

	// Asked in its collection, the answer cites it; asked in the
	// default collection, it is not there.
	res = do(t, http.MethodPost, ls.URL+"/v1/ask", `{"question":"伽利略改進了什麼儀器？","collection":"history"}`, nil)
	a := decode[answer.Answer](t, res)
	if res.Status != http.StatusOK || !a.Answerable || len(a.Citations) == 0 || a.Citations[0].DocID != "galileo" || !strings.Contains(a.Text, "望遠鏡") {
		t.Fatalf("ask in history: %d %s", res.Status, res.Body)
	}
	res = do(t, http.MethodGet, ls.URL+"/v1/search?q=伽利略&collection=default&mode=bm25", "", nil)
	for _, p := range decode[searchResponse](t, res).Passages {
		if p.DocID == "galileo" {
			t.Error("the default collection finds a document of another collection")
		}
	}

	// The OpenAI-compatible routes: one model per collection.
	res = do(t, http.MethodGet, ls.URL+"/v1/models", "", nil)
	var models []string
	for _, m := range decode[modelList](t, res).Data {
		models = append(models, m.ID)
	}
	if strings.Join(models, ",") != "wenda,wenda/history" {
		t.Errorf("models %v", models)
	}
	res = do(t, http.MethodPost, ls.URL+"/v1/chat/completions", `{"model":"wenda/history","messages":[{"role":"user","content":"伽利略改進了什麼儀器？"}]}`, nil)
	cc := decode[chatCompletion](t, res)
	if res.Status != http.StatusOK || cc.Model != "wenda/history" || len(cc.Citations) == 0 || cc.Citations[0].DocID != "galileo" {
		t.Errorf("chat with wenda/history: %d %.300s", res.Status, res.Body)
	}
	res = do(t, http.MethodPost, ls.URL+"/v1/chat/completions", `{"model":"wenda/nope","messages":[{"role":"user","content":"伽利略？"}]}`, nil)
	if res.Status != http.StatusNotFound || res.errorCode(t) != "model_not_found" {
		t.Errorf("unknown model: %d %s", res.Status, res.Body)
	}

	// After the delete's 200, no search and no answer uses it.
	res = do(t, http.MethodDelete, ls.URL+"/v1/collections/history/documents/galileo", "", admin)
	if res.Status != http.StatusOK {
		t.Fatalf("delete: %d %s", res.Status, res.Body)
	}
	res = do(t, http.MethodPost, ls.URL+"/v1/ask", `{"question":"伽利略改進了什麼儀器？","collection":"history"}`, nil)
	if a := decode[answer.Answer](t, res); a.Answerable {
		t.Errorf("answered from a deleted document: %s", a.Text)
	}
	res = do(t, http.MethodGet, ls.URL+"/v1/search?q=伽利略&collection=history&mode=bm25", "", nil)
	for _, p := range decode[searchResponse](t, res).Passages {
		if p.DocID == "galileo" {
			t.Error("search finds a deleted document")
		}
	}
	for _, path := range []string{"/documents/galileo", "/documents/galileo/text"} {
		if res := do(t, http.MethodGet, ls.URL+"/v1/collections/history"+path, "", nil); res.Status != http.StatusNotFound || res.errorCode(t) != "document_not_found" {
			t.Errorf("GET %s after delete: %d %s", path, res.Status, res.Body)
		}
	}
	if res := do(t, http.MethodDelete, ls.URL+"/v1/collections/history/documents/galileo", "", admin); res.Status != http.StatusNotFound {
		t.Errorf("second delete: %d", res.Status)
	}
}

func TestUploadErrors(t *testing.T) {
	ls := newLiveServer(t, Options{Upload: UploadLimits{MaxFileBytes: 64 << 10, MaxFiles: 2}})
	txt := func(name, s string) part { return part{"file", name, []byte(s)} }
	tests := []struct {
		name   string
		coll   string
		key    string
		parts  []part
		status int
		code   string
	}{
		{"no key", "default", "", []part{txt("a.txt", "正文。")}, 401, "key_required"},
		{"reader", "default", readerKey, []part{txt("a.txt", "正文。")}, 403, "forbidden"},
		{"editor of another collection", "reports", editorKey, []part{txt("a.txt", "正文。")}, 403, "forbidden"},
		{"no collection", "nope", adminKey, []part{txt("a.txt", "正文。")}, 404, "collection_not_found"},
		{"no files", "default", adminKey, []part{{"title", "", []byte("标题")}}, 400, "no_files"},
		{"image", "default", adminKey, []part{{"file", "photo.png", fixture(t, "photo.png")}}, 415, "unsupported_file_type"},
		{"zip", "default", adminKey, []part{{"file", "bundle.zip", fixture(t, "bundle.zip")}}, 415, "unsupported_file_type"},
		{"empty", "default", adminKey, []part{txt("empty.txt", "")}, 400, "empty_file"},
		{"too large", "default", adminKey, []part{txt("big.txt", strings.Repeat("中美关系。", 10000))}, 413, "file_too_large"},
		{"too many", "default", adminKey, []part{txt("a.txt", "一。"), txt("b.txt", "二。"), txt("c.txt", "三。")}, 413, "too_many_files"},
		{"unknown field", "default", adminKey, []part{txt("a.txt", "正文。"), {"author", "", []byte("x")}}, 400, "invalid_upload"},
		{"title for two files", "default", adminKey, []part{txt("a.txt", "一。"), txt("b.txt", "二。"), {"title", "", []byte("x")}}, 400, "invalid_upload"},
		{"bad date", "default", adminKey, []part{txt("a.txt", "正文。"), {"date", "", []byte("2025-13-01")}}, 400, "invalid_date"},
		{"no file name", "default", adminKey, []part{{"file", "", nil}}, 400, "invalid_filename"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ls.upload(t, tt.coll, tt.key, tt.parts...)
			if res.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.Status, tt.status, res.Body)
			}
			if code := res.errorCode(t); code != tt.code {
				t.Errorf("code %q, want %q", code, tt.code)
			}
		})
	}
	// Not multipart at all.
	res := do(t, http.MethodPost, ls.URL+"/v1/collections/default/documents", `{"file":"a.txt"}`, bearer(adminKey))
	if res.Status != http.StatusUnsupportedMediaType || res.errorCode(t) != "unsupported_media_type" {
		t.Errorf("JSON body: %d %s", res.Status, res.Body)
	}
	// A refused request kept nothing.
	list := decode[documentListResponse](t, do(t, http.MethodGet, ls.URL+"/v1/collections/default/documents", "", bearer(adminKey)))
	if list.Total != 5 {
		t.Errorf("%d documents after refused uploads, want the 5 articles", list.Total)
	}
}

// TestFailedDocumentsCarryACode uploads real files that pass the upload's
// checks but cannot be read: each fails with the reason in words and a
// stable error_code, in the document and in the list.
func TestFailedDocumentsCarryACode(t *testing.T) {
	ls := newLiveServer(t, Options{Keys: openReads(t)})
	docx := fixture(t, "galileo.docx")
	want := map[string]string{"scanned": "no_text_layer", "encrypted": "encrypted_file", "galileo": "corrupt_file"}
	res := ls.upload(t, "default", adminKey,
		part{"file", "scanned.pdf", fixture(t, "scanned.pdf")},
		part{"file", "encrypted.pdf", fixture(t, "encrypted.pdf")},
		part{"file", "galileo.docx", docx[:len(docx)/2]})
	if res.Status != http.StatusAccepted {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	for id, code := range want {
		ls.waitDone(t, "default", id)
		var d map[string]any
		if err := json.Unmarshal(do(t, http.MethodGet, ls.URL+"/v1/collections/default/documents/"+id, "", nil).Body, &d); err != nil {
			t.Fatal(err)
		}
		if d["status"] != "failed" || d["error_code"] != code || d["error"] == "" {
			t.Errorf("%s: %v, want failed with error_code %s", id, d, code)
		}
	}
	var list struct {
		Documents []map[string]any `json:"documents"`
	}
	if err := json.Unmarshal(do(t, http.MethodGet, ls.URL+"/v1/collections/default/documents", "", nil).Body, &list); err != nil {
		t.Fatal(err)
	}
	for _, d := range list.Documents {
		id, _ := d["id"].(string)
		if code, ok := want[id]; ok && d["error_code"] != code {
			t.Errorf("list: %s has error_code %v, want %s", id, d["error_code"], code)
		}
		if _, failed := want[id]; !failed && d["error_code"] != nil {
			t.Errorf("list: ready document %s has error_code %v", id, d["error_code"])
		}
	}
}

func TestDocumentStatusAndList(t *testing.T) {
	ls := newLiveServer(t, Options{Keys: openReads(t)})
	// A file that claims to be text and is not: failed, saying why.
	res := ls.upload(t, "default", adminKey, part{"file", "notes.txt", append([]byte("前言\n"), bytes.Repeat([]byte{0, 1, 2, 3}, 100)...)})
	if res.Status != http.StatusAccepted {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	d := ls.waitDone(t, "default", "notes")
	if d.Status != uploads.StatusFailed || !strings.Contains(d.Error, "binary") || d.ErrorCode != "binary_file" || d.Chunks != 0 {
		t.Fatalf("binary .txt: %+v", d)
	}
	// A new version of a seed article's file replaces it.
	body := append(seedArticle(t, "g2-busan-summit.txt"), "\n\n补记：双方同意在2026年春季继续举行经贸磋商。\n"...)
	res = ls.upload(t, "default", adminKey, part{"file", "g2-busan-summit.txt", body})
	if up := decode[uploadResponse](t, res); up.Documents[0].ID != "g2-busan-summit" {
		t.Fatalf("new version of a seed: %s", res.Body)
	}
	if d := ls.waitDone(t, "default", "g2-busan-summit"); d.Status != uploads.StatusReady || d.Version != 1 {
		t.Fatalf("new version: %+v", d)
	}
	text := decode[documentResponse](t, do(t, http.MethodGet, ls.URL+"/v1/collections/default/documents/g2-busan-summit/text", "", nil))
	if !strings.Contains(text.Text, "继续举行经贸磋商") {
		t.Error("the new version's text is not the one served")
	}

	// The list: the failed upload first, then the five indexed ones.
	list := decode[documentListResponse](t, do(t, http.MethodGet, ls.URL+"/v1/collections/default/documents", "", nil))
	if list.Total != 6 || len(list.Documents) != 6 || list.Documents[0].ID != "notes" || list.Documents[0].Status != uploads.StatusFailed {
		t.Fatalf("list: %+v", list)
	}
	for _, d := range list.Documents[1:] {
		if d.Status != uploads.StatusReady || d.Chunks == 0 || d.Filename == "" {
			t.Errorf("listed %+v", d)
		}
	}
	// Pages cover it without gaps or repeats.
	var ids []string
	for off := 0; off < 6; off += 4 {
		page := decode[documentListResponse](t, do(t, http.MethodGet, fmt.Sprintf("%s/v1/collections/default/documents?offset=%d&limit=4", ls.URL, off), "", nil))
		for _, d := range page.Documents {
			ids = append(ids, d.ID)
		}
	}
	var all []string
	for _, d := range list.Documents {
		all = append(all, d.ID)
	}
	if strings.Join(ids, ",") != strings.Join(all, ",") {
		t.Errorf("pages %v, list %v", ids, all)
	}
	for _, q := range []string{"limit=0", "limit=501", "offset=-1", "limit=x"} {
		if res := do(t, http.MethodGet, ls.URL+"/v1/collections/default/documents?"+q, "", nil); res.Status != 400 || res.errorCode(t) != "invalid_page" {
			t.Errorf("%s: %d %s", q, res.Status, res.Body)
		}
	}
	// The legacy routes still serve the default collection.
	if res := do(t, http.MethodGet, ls.URL+"/v1/documents/g2-busan-summit", "", nil); res.Status != 200 || !strings.Contains(string(res.Body), "继续举行经贸磋商") {
		t.Errorf("legacy document route: %d", res.Status)
	}
}

// TestConcurrentUploadsQueriesDeletes runs uploads, searches, answers and
// deletes at once; run under -race it checks the locking, and every
// request must succeed.
func TestConcurrentUploadsQueriesDeletes(t *testing.T) {
	ls := newLiveServer(t, Options{Keys: openReads(t), RateLimit: -1})
	articles := []string{"apec-forum-observations.txt", "decoupling-misconceptions.txt", "madrid-talks-interview.txt"}
	bodies := make([][]byte, len(articles))
	for i, a := range articles {
		bodies[i] = seedArticle(t, a)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	errc := make(chan error, 64)
	done := make(chan struct{})
	var writers, readers sync.WaitGroup
	for w := range 3 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for i := range 8 {
				name := fmt.Sprintf("w%d-%d.txt", w, i)
				body := append(append([]byte(nil), bodies[(w+i)%len(bodies)]...), fmt.Sprintf("\n\n第%d号补记。\n", w*100+i)...)
				res := ls.upload(t, "default", adminKey, part{"file", name, body})
				if res.Status != http.StatusAccepted {
					errc <- fmt.Errorf("upload %s: %d %s", name, res.Status, res.Body)
					return
				}
				if i%3 == 2 {
					id := corpus.IDFor(name)
					if res := do(t, http.MethodDelete, ls.URL+"/v1/collections/default/documents/"+id, "", bearer(adminKey)); res.Status != http.StatusOK {
						errc <- fmt.Errorf("delete %s: %d %s", id, res.Status, res.Body)
						return
					}
				}
			}
		}()
	}
	for range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for ctx.Err() == nil {
				select {
				case <-done:
					return
				default:
				}
				if res := do(t, http.MethodGet, ls.URL+"/v1/search?q=马德里会谈讨论了哪些议题", "", nil); res.Status != http.StatusOK {
					errc <- fmt.Errorf("search: %d %s", res.Status, res.Body)
					return
				}
				if res := do(t, http.MethodPost, ls.URL+"/v1/ask", `{"question":"美方同意暂停实施50%穿透性规则多长时间？"}`, nil); res.Status != http.StatusOK {
					errc <- fmt.Errorf("ask: %d %s", res.Status, res.Body)
					return
				}
				if res := do(t, http.MethodGet, ls.URL+"/v1/collections/default/documents", "", nil); res.Status != http.StatusOK {
					errc <- fmt.Errorf("list: %d %s", res.Status, res.Body)
					return
				}
			}
		}()
	}
	writers.Wait()
	// Every upload not deleted becomes ready; the deleted ones stay gone.
	for w := range 3 {
		for i := range 8 {
			id := corpus.IDFor(fmt.Sprintf("w%d-%d.txt", w, i))
			if i%3 == 2 {
				if res := do(t, http.MethodGet, ls.URL+"/v1/collections/default/documents/"+id, "", nil); res.Status != http.StatusNotFound {
					errc <- fmt.Errorf("%s deleted, then %d", id, res.Status)
				}
				continue
			}
			if d := ls.waitDone(t, "default", id); d.Status != uploads.StatusReady {
				errc <- fmt.Errorf("%s: %+v", id, d)
			}
		}
	}
	close(done)
	readers.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
}
