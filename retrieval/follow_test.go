package retrieval

import (
	"context"
	"strings"
	"testing"

	"wenda/analysis"
	"wenda/index"
)

// TestFollowing: the text after a passage is the document's own, at its
// offsets, up to a sentence end; a passage cut short inside its chunk
// (as a chunk boundary would cut it) continues where it was cut; the
// last passage of a document comes back as it was.
func TestFollowing(t *testing.T) {
	ix := realIndex(t)
	ctx := context.Background()
	res, err := ix.Search(ctx, Query{Text: "特朗普第二任期在处理对华关系上有两大突出特征", K: 5})
	if err != nil {
		t.Fatal(err)
	}
	docText := func(p Passage) []rune {
		d, err := fixtureEngine.Document(ctx, index.DefaultCollection, p.DocID)
		if err != nil {
			t.Fatal(err)
		}
		return []rune(d.Text)
	}
	check := func(name string, p, q Passage, n int) {
		t.Helper()
		doc := docText(p)
		if q.Start != p.Start || !strings.HasPrefix(q.Text, p.Text) {
			t.Fatalf("%s: the passage itself changed", name)
		}
		if got := string(doc[q.Start:q.End]); got != q.Text {
			t.Errorf("%s: [%d,%d) is not the document's text there", name, q.Start, q.End)
		}
		if q.Folded != string(analysis.FoldRunes(q.Text)) {
			t.Errorf("%s: the folded text is not the text folded", name)
		}
		added := q.End - p.End
		if added > n || added == 0 && q.End < len(doc) {
			t.Errorf("%s: %d runes added, want 1..%d", name, added, n)
		}
		if added > 0 && !analysis.EndsSentence(q.Text) {
			t.Errorf("%s: ends inside a sentence: …%s", name, string([]rune(q.Text)[len([]rune(q.Text))-10:]))
		}
	}
	var found bool
	for _, p := range res.Passages {
		i := strings.Index(p.Text, "其一是对华态度的两面性。")
		if i < 0 {
			continue
		}
		found = true
		q, err := ix.Following(ctx, index.DefaultCollection, p, 300)
		if err != nil {
			t.Fatal(err)
		}
		check("whole passage", p, q, 300)

		// The same passage cut after 其一: what follows brings 其二.
		cut := p
		cut.Text = p.Text[:i+len("其一是对华态度的两面性。")]
		cut.End = cut.Start + len([]rune(cut.Text))
		cut.Folded = string(analysis.FoldRunes(cut.Text))
		q, err = ix.Following(ctx, index.DefaultCollection, cut, 600)
		if err != nil {
			t.Fatal(err)
		}
		check("cut passage", cut, q, 600)
		if !strings.Contains(q.Text[len(cut.Text):], "其二是问题导向。") {
			t.Errorf("the text after the cut lacks the second item: %s", q.Text[len(cut.Text):])
		}
	}
	if !found {
		t.Fatal("no passage holds the first item of the list")
	}

	// The end of a document: nothing follows.
	doc := fixtureDocs[0]
	last, err := fixtureEngine.Chunk(ctx, index.DefaultCollection, index.ChunkID(doc.ID, 0))
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; ; k++ {
		c, err := fixtureEngine.Chunk(ctx, index.DefaultCollection, index.ChunkID(doc.ID, k))
		if err != nil {
			break
		}
		last = c
	}
	p := Passage{Chunk: last, Folded: string(analysis.FoldRunes(last.Text))}
	q, err := ix.Following(ctx, index.DefaultCollection, p, 300)
	if err != nil {
		t.Fatal(err)
	}
	if q.End != p.End || q.Text != p.Text {
		t.Errorf("the last chunk grew: [%d,%d) → [%d,%d)", p.Start, p.End, q.Start, q.End)
	}
}
