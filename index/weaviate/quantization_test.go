package weaviate

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"testing"
	"unicode/utf8"

	"wenda/embed"
	"wenda/index"
	"wenda/index/indextest"
	"wenda/retrieval"
)

// TestQuantization creates a collection with each quantization, reads the
// class back from the cluster, and searches the shipped articles with
// questions taken from them: the compressed index must still find the
// article a question comes from.
func TestQuantization(t *testing.T) {
	base := testConfig(t)
	ctx := context.Background()
	entries := indextest.Entries(t, indextest.Articles(t))
	emb := indextest.Embedder(t)
	type query struct{ text, wantDoc string }
	queries := []query{
		{"马德里会谈讨论了哪些议题", "madrid-talks-interview"},
		{"美方同意暂停实施50%穿透性规则多长时间", "g2-busan-summit"},
		{"联合国2758号决议确认了什么原则", "trump-return-new-stage"},
	}
	// And from every article, the opening of its middle chunk.
	for _, en := range entries {
		c := en.Chunks[len(en.Chunks)/2]
		text := c.Text
		for utf8.RuneCountInString(text) > 30 {
			_, size := utf8.DecodeLastRuneInString(text)
			text = text[:len(text)-size]
		}
		queries = append(queries, query{text, en.Doc.ID})
	}

	for _, q := range Quantizations {
		t.Run(string(q), func(t *testing.T) {
			cfg := base
			cfg.Prefix = "T" + rand.Text()[:12]
			cfg.Quantization = q
			e := openTest(t, cfg)
			info, err := e.CreateCollection(ctx, indextest.NewCollection(t, "c"))
			if err != nil {
				t.Fatal(err)
			}
			if info.Quantization != string(q) {
				t.Errorf("created collection reports quantization %q, want %q", info.Quantization, q)
			}
			// The class as the cluster has it.
			def, err := e.client.Schema().ClassGetter().WithClassName(e.chunkClass("c")).Do(ctx)
			if err != nil {
				t.Fatal(err)
			}
			vic, _ := def.VectorIndexConfig.(map[string]any)
			for _, kind := range []Quantization{QuantizationPQ, QuantizationBQ, QuantizationSQ, QuantizationRQ} {
				sub, _ := vic[string(kind)].(map[string]any)
				if on, _ := sub["enabled"].(bool); on != (kind == q) {
					t.Errorf("class %s: %s.enabled = %v, want %v (%v)", def.Class, kind, on, kind == q, vic)
				}
			}
			if vic["distance"] != "cosine" {
				t.Errorf("class %s: distance %v, want cosine", def.Class, vic["distance"])
			}

			for _, en := range entries {
				if err := e.Put(ctx, "c", en); err != nil {
					t.Fatal(err)
				}
			}
			info, err = e.Collection(ctx, "c")
			if err != nil {
				t.Fatal(err)
			}
			if info.Quantization != string(q) {
				t.Errorf("collection reports quantization %q, want %q", info.Quantization, q)
			}
			// BQ and RQ need no training: every replica compresses from
			// the first vector on. PQ and SQ wait for their training
			// limit, far above the articles' chunks.
			shards := compressedShards(t, e, e.chunkClass("c"))
			t.Logf("shards compressed: %v", shards)
			for name, compressed := range shards {
				if want := q == QuantizationBQ || q == QuantizationRQ; compressed != want {
					t.Errorf("shard %s: compressed %v, want %v", name, compressed, want)
				}
			}

			// A chunk's own vector finds its article first.
			for _, en := range entries {
				c := en.Chunks[len(en.Chunks)/2]
				hs, err := e.Vector(ctx, "c", c.Vector, 5, index.Filter{})
				if err != nil {
					t.Fatal(err)
				}
				if len(hs) == 0 || hs[0].Chunk.DocID != en.Doc.ID {
					t.Errorf("vector search with the vector of %s: %v", c.ID, ids(hs))
				}
			}
			// Questions: the vector leg alone, measured, and hybrid
			// search, which must rank the article first.
			s := retrieval.NewSearcher(e, retrieval.Options{Embedders: func(embed.Spec) (embed.Embedder, error) { return emb, nil }})
			vecHits, hybridHits := 0, 0
			for _, qu := range queries {
				vs, err := emb.Embed(ctx, []string{qu.text})
				if err != nil {
					t.Fatal(err)
				}
				hs, err := e.Vector(ctx, "c", vs[0], 5, index.Filter{})
				if err != nil {
					t.Fatal(err)
				}
				if len(hs) > 0 && hs[0].Chunk.DocID == qu.wantDoc {
					vecHits++
				}
				res, err := s.Search(ctx, retrieval.Query{Collection: "c", Text: qu.text, Mode: retrieval.ModeHybrid})
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Passages) > 0 && res.Passages[0].DocID == qu.wantDoc {
					hybridHits++
				} else {
					t.Errorf("hybrid %q: first passage not from %s", qu.text, qu.wantDoc)
				}
			}
			t.Logf("quantization %s: hit@1 vector %d/%d, hybrid %d/%d", q, vecHits, len(queries), hybridHits, len(queries))
		})
	}
}

// compressedShards reports, per node and shard of class, whether the
// node holds its vectors compressed.
func compressedShards(t *testing.T, e *Engine, class string) map[string]bool {
	t.Helper()
	resp, err := e.http.Get(e.cfg.URL + "/v1/nodes/" + class + "?output=verbose")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("nodes of %s: %s", class, resp.Status)
	}
	var out struct {
		Nodes []struct {
			Name   string
			Shards []struct {
				Name       string
				Compressed bool
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	m := map[string]bool{}
	for _, n := range out.Nodes {
		for _, s := range n.Shards {
			m[n.Name+"/"+s.Name] = s.Compressed
		}
	}
	return m
}
