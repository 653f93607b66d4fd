package hanzi_test

import (
	"testing"

	"wenda/corpus"
	"wenda/hanzi"
)

// BenchmarkFold folds each shipped article, paragraph by paragraph as the
// chunker's pieces are, in Simplified and in Traditional script.
func BenchmarkFold(b *testing.B) {
	res, err := corpus.Load(corpus.Embedded(), corpus.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, script := range []hanzi.Script{hanzi.Simplified, hanzi.Traditional} {
		var paras []string
		var bytes int64
		for _, d := range res.Documents {
			if d.Script != script {
				continue
			}
			for _, p := range splitParagraphs(d.Text) {
				paras = append(paras, p)
				bytes += int64(len(p))
			}
		}
		b.Run(string(script), func(b *testing.B) {
			b.SetBytes(bytes)
			for b.Loop() {
				for _, p := range paras {
					hanzi.Fold(p)
				}
			}
		})
	}
}

func splitParagraphs(s string) []string {
	var out []string
	start := 0
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '\n' && s[i+1] == '\n' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 2
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
