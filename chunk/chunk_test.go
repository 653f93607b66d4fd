package chunk

import (
	"strings"
	"testing"
	"unicode/utf8"

	"wenda/corpus"
)

func TestChunkInvariantsOnRealArticles(t *testing.T) {
	docs := realDocs(t)
	for _, cfg := range []Config{Default, {MaxRunes: 200, OverlapRunes: 40}, {MaxRunes: 600, OverlapRunes: 0}} {
		for i := range docs {
			d := &docs[i]
			text := []rune(d.Text)
			chunks := cfg.Split(d)
			if len(chunks) == 0 {
				t.Fatalf("%s: no chunks", d.ID)
			}
			sentEnds := map[int]bool{}
			for _, s := range sentences(text, 0, len(text)) {
				sentEnds[s.end] = true
			}
			prevStart := -1
			for k, c := range chunks {
				n := utf8.RuneCountInString(c.Text)
				if n > cfg.MaxRunes {
					t.Errorf("%v %s: chunk %d has %d runes, max %d", cfg, d.ID, k, n, cfg.MaxRunes)
				}
				if got := string(text[c.Start:c.End]); got != c.Text {
					t.Errorf("%s: chunk %d offsets [%d,%d) do not round-trip", d.ID, k, c.Start, c.End)
				}
				if c.Ordinal != k || c.DocID != d.ID {
					t.Errorf("%s: chunk %d has ordinal %d doc %s", d.ID, k, c.Ordinal, c.DocID)
				}
				if c.Start <= prevStart {
					t.Errorf("%s: chunk %d starts at %d, not after previous start %d", d.ID, k, c.Start, prevStart)
				}
				prevStart = c.Start
				// A chunk ends at a sentence end unless its last sentence
				// alone was too long.
				if !sentEnds[c.End] && !longSentenceAt(text, c.End, cfg.MaxRunes) {
					t.Errorf("%v %s: chunk %d ends mid-sentence: …%s", cfg, d.ID, k, tail(c.Text, 20))
				}
			}
			// Every sentence of the document is in some chunk.
			covered := make([]bool, len(text))
			for _, c := range chunks {
				for j := c.Start; j < c.End; j++ {
					covered[j] = true
				}
			}
			for j, r := range text {
				if !covered[j] && !strings.ContainsRune(" \n\t\u3000", r) {
					t.Fatalf("%s: rune %d (%q) is in no chunk", d.ID, j, r)
				}
			}
		}
	}
}

func longSentenceAt(text []rune, end, max int) bool {
	for _, s := range sentences(text, 0, len(text)) {
		if s.start < end && end < s.end {
			return s.end-s.start > max
		}
	}
	return false
}

func tail(s string, n int) string {
	r := []rune(s)
	return string(r[max(0, len(r)-n):])
}

func TestChunkOverlapIsWholeSentences(t *testing.T) {
	d := &corpus.Document{ID: "t", Text: strings.Repeat("这是一个用来测试重叠的句子。", 40)}
	cfg := Config{MaxRunes: 100, OverlapRunes: 30}
	chunks := cfg.Split(d)
	if len(chunks) < 3 {
		t.Fatalf("got %d chunks", len(chunks))
	}
	for k := 1; k < len(chunks); k++ {
		if chunks[k].Start >= chunks[k-1].End {
			t.Errorf("chunk %d does not overlap the previous one", k)
		}
		if !strings.HasPrefix(chunks[k].Text, "这是") {
			t.Errorf("chunk %d starts mid-sentence: %q", k, chunks[k].Text[:12])
		}
	}
}

func TestLongSentenceIsCut(t *testing.T) {
	long := strings.Repeat("甲乙丙丁，", 100) + "。"
	d := &corpus.Document{ID: "t", Text: "短句。" + long + "结尾。"}
	chunks := Config{MaxRunes: 120, OverlapRunes: 0}.Split(d)
	for _, c := range chunks {
		if n := utf8.RuneCountInString(c.Text); n > 120 {
			t.Errorf("chunk of %d runes", n)
		}
	}
	if !strings.HasSuffix(chunks[len(chunks)-1].Text, "结尾。") {
		t.Errorf("last chunk %q", chunks[len(chunks)-1].Text)
	}
}

func realDocs(t testing.TB) []corpus.Document {
	t.Helper()
	res, err := corpus.Load(corpus.Embedded(), corpus.Options{})
	if err != nil {
		t.Fatalf("load embedded corpus: %v", err)
	}
	return res.Documents
}
