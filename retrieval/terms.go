package retrieval

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/registry"

	"wenda/hanzi"
)

// The lexical analyzer is bleve's CJK analyzer: Unicode word segmentation,
// width folding, lower case, and overlapping bigrams for runs of CJK
// characters, so "马德里会谈" yields 马德 德里 里会 会谈 while "TikTok",
// "301" and "5600" stay whole terms. It runs on folded text, so Traditional
// and Simplified produce the same terms.
var (
	analyzerOnce sync.Once
	analyzer     analysis.Analyzer
)

func termAnalyzer() analysis.Analyzer {
	analyzerOnce.Do(func() {
		cache := registry.NewCache()
		a, err := cache.AnalyzerNamed(cjk.AnalyzerName)
		if err != nil {
			panic("retrieval: build cjk analyzer: " + err.Error())
		}
		analyzer = a
	})
	return analyzer
}

// Terms returns the index terms of s: it folds s (see hanzi.Fold) and
// analyzes it the way the BM25 index does. Terms repeat as often as they
// occur.
func Terms(s string) []string {
	return analyzeFolded(hanzi.Fold(s))
}

func analyzeFolded(folded string) []string {
	toks := termAnalyzer().Analyze([]byte(folded))
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		out = append(out, string(t.Term))
	}
	return out
}

// IsExactTerm reports whether a term is a number or a Latin word — the
// terms that vector search tends to blur and that must match literally.
func IsExactTerm(t string) bool {
	for _, r := range t {
		if r >= 0x2E80 {
			return false
		}
	}
	return t != ""
}
