package answer

import (
	"context"
	"strings"
	"testing"

	"wenda/hanzi"
)

func TestEvidencePointsAtTheQuotedSentence(t *testing.T) {
	ix := realIndex(t)
	svc := NewService(ix, Options{Weights: ix})
	for _, q := range []string{
		"美方同意暂停实施50%穿透性规则多长时间？",
		"吴心伯认为特朗普第二任期中美关系经历了哪几个阶段？",
		"達巍用哪個英文詞概括這次元首會晤？",
	} {
		a, err := svc.Ask(context.Background(), Request{Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if !a.Answerable || len(a.Citations) == 0 {
			t.Fatalf("%q: refused: %s", q, a.Reason)
		}
		answer := strings.Join(strings.Fields(hanzi.Fold(stripMarkers(a.Text))), "")
		for _, c := range a.Citations {
			if len(c.Evidence) == 0 {
				t.Errorf("%q: citation %d has no evidence", q, c.N)
				continue
			}
			d, ok := ix.Doc(c.DocID)
			if !ok {
				t.Fatalf("no document %s", c.DocID)
			}
			text := []rune(d.Text)
			quoted := false
			for _, e := range c.Evidence {
				if e.Start < c.Start || e.End > c.End || e.Start >= e.End {
					t.Errorf("%q: evidence [%d,%d) outside citation [%d,%d)", q, e.Start, e.End, c.Start, c.End)
					continue
				}
				s := strings.Join(strings.Fields(hanzi.Fold(stripMarkers(string(text[e.Start:e.End])))), "")
				if strings.Contains(answer, s) {
					quoted = true
				}
			}
			// The extractive answerer quotes sentences: one of them must
			// be the evidence the citation points at.
			if !quoted {
				t.Errorf("%q: citation %d evidence %v is not a sentence the answer quotes", q, c.N, c.Evidence)
			}
		}
	}
}
