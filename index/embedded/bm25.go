package embedded

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	bolterrors "go.etcd.io/bbolt/errors"
)

// The postings are a bleve index scored with BM25. Each stored chunk
// version is one bleve document whose "terms" field holds the chunk's
// index terms, joined by spaces and split again by bleve's whitespace
// tokenizer: bleve indexes exactly the terms the analysis package made,
// the same ones the Weaviate engine gets, so that both score alike. A
// query is a disjunction of term queries, one per query term, which is
// what a bleve match query over the analysed text builds.
const (
	fieldTerms    = "terms"
	fieldDoc      = "doc"
	termsAnalyzer = "wenda-terms"
	// Internal keys, written in the same atomic batch as the postings
	// they describe (see collection.put).
	keyPending = "wenda.pending" // versioned chunk ids of a Put not yet in the log
	keyApplied = "wenda.applied" // LSN up to which superseded versions are deleted
)

type bm25Doc struct {
	Terms string `json:"terms"`
	Doc   string `json:"doc"`
}

func bm25Mapping() (mapping.IndexMapping, error) {
	im := bleve.NewIndexMapping()
	if err := im.AddCustomAnalyzer(termsAnalyzer, map[string]any{
		"type":      custom.Name,
		"tokenizer": whitespace.Name,
	}); err != nil {
		return nil, fmt.Errorf("bm25 mapping: %w", err)
	}
	terms := bleve.NewTextFieldMapping()
	terms.Analyzer = termsAnalyzer
	terms.Store = false
	terms.IncludeTermVectors = false
	terms.IncludeInAll = false
	doc := bleve.NewKeywordFieldMapping()
	doc.Analyzer = keyword.Name
	doc.Store = false
	doc.IncludeInAll = false
	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldTerms, terms)
	dm.AddFieldMappingsAt(fieldDoc, doc)
	im.DefaultMapping = dm
	im.DefaultAnalyzer = termsAnalyzer
	im.ScoringModel = "bm25"
	im.StoreDynamic = false
	im.IndexDynamic = false
	return im, nil
}

// openBM25 opens the postings at path, creating them when they are not
// there (unless read-only).
func openBM25(path string, readOnly bool) (bleve.Index, error) {
	cfg := map[string]any{"read_only": readOnly}
	if readOnly {
		// A reader waits for the writer's lock on the postings only
		// briefly: a process that writes them holds it as long as it runs.
		cfg["bolt_timeout"] = "2s"
	}
	bi, err := bleve.OpenUsing(path, cfg)
	if err == nil {
		return bi, nil
	}
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open bm25 index %s: %w", path, ErrLocked)
	}
	if err != bleve.ErrorIndexPathDoesNotExist || readOnly {
		return nil, fmt.Errorf("open bm25 index %s: %w", path, err)
	}
	m, err := bm25Mapping()
	if err != nil {
		return nil, err
	}
	bi, err = bleve.New(path, m)
	if err != nil {
		return nil, fmt.Errorf("create bm25 index %s: %w", path, err)
	}
	return bi, nil
}

// lexicalQuery is the bleve query for terms, restricted to docs when
// docs is non-nil.
func lexicalQuery(terms []string, docs []string) query.Query {
	tqs := make([]query.Query, len(terms))
	for i, t := range terms {
		tq := bleve.NewTermQuery(t)
		tq.SetField(fieldTerms)
		tqs[i] = tq
	}
	var q query.Query = bleve.NewDisjunctionQuery(tqs...)
	if docs != nil {
		ids := make([]query.Query, len(docs))
		for i, id := range docs {
			tq := bleve.NewTermQuery(id)
			tq.SetField(fieldDoc)
			ids[i] = tq
		}
		q = bleve.NewConjunctionQuery(q, bleve.NewDisjunctionQuery(ids...))
	}
	return q
}

// searchBM25 runs q for the best n bleve documents.
func searchBM25(ctx context.Context, bi bleve.Index, q query.Query, n int) ([]bleveHit, error) {
	req := bleve.NewSearchRequestOptions(q, n, 0, false)
	res, err := bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("bm25 search: %w", err)
	}
	out := make([]bleveHit, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = bleveHit{id: h.ID, score: h.Score}
	}
	return out, nil
}

type bleveHit struct {
	id    string
	score float64
}

// docFreqs counts the live bleve documents holding each term.
func docFreqs(ctx context.Context, bi bleve.Index, terms []string) (map[string]int, error) {
	ix, err := bi.Advanced()
	if err != nil {
		return nil, fmt.Errorf("term statistics: %w", err)
	}
	r, err := ix.Reader()
	if err != nil {
		return nil, fmt.Errorf("term statistics: %w", err)
	}
	defer r.Close()
	out := make(map[string]int, len(terms))
	for _, t := range terms {
		if _, done := out[t]; done {
			continue
		}
		tfr, err := r.TermFieldReader(ctx, []byte(t), fieldTerms, false, false, false)
		if err != nil {
			return nil, fmt.Errorf("term statistics: %w", err)
		}
		out[t] = int(tfr.Count())
		tfr.Close()
	}
	return out, nil
}

// versionedID is a stored chunk version's id in bleve and chromem-go: the
// chunk id, '@', and the version (the LSN of the Put that wrote it).
// Two versions of a document's chunks coexist while a Put replaces it, and
// a search keeps only hits of the version its snapshot shows.
func versionedID(chunkID string, v uint64) string {
	return chunkID + "@" + fmt.Sprint(v)
}

// parseVersionedID splits a versioned id into the document id, the chunk
// ordinal and the version.
func parseVersionedID(id string) (doc string, ordinal int, v uint64, ok bool) {
	at := strings.LastIndexByte(id, '@')
	if at < 0 {
		return "", 0, 0, false
	}
	colon := strings.LastIndexByte(id[:at], ':')
	if colon < 0 {
		return "", 0, 0, false
	}
	var err error
	if v, err = parseUint(id[at+1:]); err != nil {
		return "", 0, 0, false
	}
	o, err := parseUint(id[colon+1 : at])
	if err != nil || o > 1<<31 {
		return "", 0, 0, false
	}
	return id[:colon], int(o), v, true
}

func parseUint(s string) (uint64, error) {
	if s == "" {
		return 0, fmt.Errorf("empty number")
	}
	var v uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("not a number: %q", s)
		}
		v = v*10 + uint64(c-'0')
	}
	return v, nil
}

func encodeLSN(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

func decodeLSN(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}
