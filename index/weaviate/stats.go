package weaviate

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/weaviate/weaviate-go-client/v5/weaviate/filters"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/graphql"
	"github.com/weaviate/weaviate/entities/models"

	"wenda/index"
)

// Term statistics are counted at ingest, never at query time: counting
// the chunks that hold a term costs Weaviate time in proportion to their
// number (it reads every matching object), seconds for a common term at
// 100k chunks.
//
// Each version (generation) of a document gets a statistics object beside
// its chunks, written with them before the switch: its number of chunks
// and terms, and for each term the number of its chunks that hold it. A
// collection's document frequency of a term is the sum over the versions
// its documents name. Weaviate cannot add up such numbers in a shared
// counter safely (it has no compare-and-set, and several processes write),
// so each process sums them itself (see tracker): once from every
// document, then from a change feed that every Put and Delete appends to
// after its switch. A version's statistics object outlives its retirement
// by a horizon, long enough for every process to subtract it.

// Property names of statistics and change objects.
const (
	pTF      = "tf"     // a version's term counts, encoded by encodeTF
	pChange  = "change" // a change's id
	pStamp   = "stamp"  // when a change was made, Unix milliseconds by the writer's clock
	pRetired = "retired"
)

func (e *Engine) statsClass(coll string) string { return e.className("Stats", coll) }
func (e *Engine) feedClass(coll string) string  { return e.className("Changes", coll) }

func (e *Engine) statsClassDef(coll string, rep *models.ReplicationConfig) *models.Class {
	return &models.Class{
		Class:             e.statsClass(coll),
		Description:       "wenda term statistics of each document version of collection " + coll,
		Vectorizer:        "none",
		VectorIndexType:   "flat",
		ReplicationConfig: rep,
		ShardingConfig:    map[string]any{"desiredCount": e.cfg.Shards},
		InvertedIndexConfig: &models.InvertedIndexConfig{
			Stopwords: &models.StopwordConfig{Preset: "none"},
		},
		Properties: []*models.Property{
			key(pDocID), key(pGen), number(pNChunks), number(pNTerms2), stored(pTF, "text"),
		},
	}
}

func (e *Engine) feedClassDef(coll string, rep *models.ReplicationConfig) *models.Class {
	return &models.Class{
		Class:             e.feedClass(coll),
		Description:       "wenda changes of collection " + coll + ", for the term statistics of every process",
		Vectorizer:        "none",
		VectorIndexType:   "flat",
		ReplicationConfig: rep,
		ShardingConfig:    map[string]any{"desiredCount": 1},
		InvertedIndexConfig: &models.InvertedIndexConfig{
			Stopwords: &models.StopwordConfig{Preset: "none"},
		},
		Properties: []*models.Property{
			key(pChange),
			{Name: pStamp, DataType: []string{"int"}, IndexFilterable: yes(), IndexRangeFilters: yes()},
			stored(pJSON, "text"),
		},
	}
}

// genStats are the term statistics of one version of a document.
type genStats struct {
	Chunks int
	Terms  int
	DF     map[string]int // chunks of the version holding each term
}

// countEntry counts an entry's statistics.
func countEntry(en *index.Entry) genStats {
	st := genStats{Chunks: len(en.Chunks), DF: map[string]int{}}
	seen := map[string]bool{}
	for _, c := range en.Chunks {
		st.Terms += len(c.Terms)
		clear(seen)
		for _, t := range c.Terms {
			if t != "" && !seen[t] {
				seen[t] = true
				st.DF[t]++
			}
		}
	}
	return st
}

// encodeTF writes term counts compactly: the terms grouped by count, one
// line per count ("3\tterm term\n"), gzipped, in base64.
func encodeTF(df map[string]int) string {
	by := map[int][]string{}
	for t, n := range df {
		by[n] = append(by[n], t)
	}
	counts := make([]int, 0, len(by))
	for n := range by {
		counts = append(counts, n)
	}
	sort.Ints(counts)
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	for _, n := range counts {
		ts := by[n]
		sort.Strings(ts)
		fmt.Fprintf(zw, "%d\t%s\n", n, strings.Join(ts, " "))
	}
	zw.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

func decodeTF(s string) (map[string]int, error) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	df := map[string]int{}
	for line := range strings.Lines(string(text)) {
		ns, ts, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
		n, err := strconv.Atoi(ns)
		if !ok || err != nil {
			return nil, fmt.Errorf("term counts: bad line %q", line)
		}
		for t := range strings.FieldsSeq(ts) {
			df[t] = n
		}
	}
	return df, nil
}

func (e *Engine) statsObject(coll, docID, gen string, st genStats) *models.Object {
	return &models.Object{
		Class: e.statsClass(coll), ID: objectID("stats", coll, docID, gen),
		Properties: map[string]any{pDocID: docID, pGen: gen, pNChunks: st.Chunks, pNTerms2: st.Terms, pTF: encodeTF(st.DF)},
	}
}

// change is one entry of a collection's change feed: documents whose
// version changed, and the versions no document names any more.
type change struct {
	Docs    []string `json:"docs"`
	Retired []string `json:"retired,omitempty"`
}

// appendChange adds a change to the feed. It is written after the change
// itself, so a process that reads it finds the change made; a writer that
// dies in between leaves it to the periodic reconciliation (see tracker).
func (e *Engine) appendChange(ctx context.Context, coll string, c change) error {
	js, err := json.Marshal(c)
	if err != nil {
		return err
	}
	id := randomID()
	return e.batch(ctx, []*models.Object{{
		Class: e.feedClass(coll), ID: objectID("change", coll, id),
		Properties: map[string]any{pChange: id, pStamp: time.Now().UnixMilli(), pJSON: string(js)},
	}})
}

// statsOf reads the statistics of versions of documents, by version; a
// version whose object is missing is absent.
func (e *Engine) statsOf(ctx context.Context, coll string, gens []string) (map[string]genStats, error) {
	out := make(map[string]genStats, len(gens))
	// A version's term counts are tens of kilobytes: a hundred fit well
	// within a gRPC reply.
	const page = 100
	for start := 0; start < len(gens); start += page {
		part := gens[start:min(start+page, len(gens))]
		res, err := call(ctx, e, e.client.Experimental().Search().WithCollection(e.statsClass(coll)).
			WithProperties(pDocID, pGen, pNChunks, pNTerms2, pTF).
			WithWhere(filters.Where().WithPath([]string{pGen}).WithOperator(filters.ContainsAny).WithValueText(part...)).
			WithLimit(len(part)+8).WithConsistencyLevel(e.cfg.Consistency).Do)
		if err != nil {
			return nil, fmt.Errorf("term statistics of %s: %w", coll, unwrapFault(err))
		}
		for _, r := range res {
			df, err := decodeTF(propString(r.Properties, pTF))
			if err != nil {
				return nil, fmt.Errorf("term statistics of %s, version %s: %w", coll, propString(r.Properties, pGen), err)
			}
			out[propString(r.Properties, pGen)] = genStats{Chunks: asInt(r.Properties[pNChunks]), Terms: asInt(r.Properties[pNTerms2]), DF: df}
		}
	}
	return out, nil
}

// countChunks counts the statistics of a document version from its
// chunks and stores them, for a version written before statistics were
// kept (or whose statistics object was lost).
func (e *Engine) countChunks(ctx context.Context, coll, docID, gen string) (genStats, error) {
	st := genStats{DF: map[string]int{}}
	seen := map[string]bool{}
	after := ""
	for {
		w := whereGen(docID, gen)
		if after != "" {
			w = filters.Where().WithOperator(filters.And).WithOperands([]*filters.WhereBuilder{w,
				filters.Where().WithPath([]string{pChunkID}).WithOperator(filters.GreaterThan).WithValueText(after)})
		}
		res, err := call(ctx, e, e.client.Experimental().Search().WithCollection(e.chunkClass(coll)).
			WithProperties(pChunkID, pTerms).WithWhere(w).
			WithSort(graphql.Sort{Path: []string{pChunkID}, Order: graphql.Asc}).WithLimit(listPage).
			WithConsistencyLevel(e.cfg.Consistency).Do)
		if err != nil {
			return st, fmt.Errorf("count the terms of %s: %w", docID, unwrapFault(err))
		}
		for _, r := range res {
			after = propString(r.Properties, pChunkID)
			terms := strings.Fields(propString(r.Properties, pTerms))
			st.Chunks++
			st.Terms += len(terms)
			clear(seen)
			for _, t := range terms {
				if !seen[t] {
					seen[t] = true
					st.DF[t]++
				}
			}
		}
		if len(res) < listPage {
			break
		}
	}
	if st.Chunks == 0 {
		return st, fmt.Errorf("count the terms of %s: version %s has no chunks", docID, gen)
	}
	if err := e.batch(ctx, []*models.Object{e.statsObject(coll, docID, gen, st)}); err != nil {
		return st, fmt.Errorf("store the term counts of %s: %w", docID, err)
	}
	return st, nil
}
