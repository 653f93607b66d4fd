package eval

import (
	"context"
	"math"
	"regexp"
	"strings"
	"testing"

	"wenda/answer"
	"wenda/embed"
	"wenda/internal/testindex"
	"wenda/retrieval"
)

// interrogatives are the words that make a question a question; removing
// them and appending the expected facts turns a question into the kind of
// claim an answer makes.
var interrogatives = regexp.MustCompile(`为什么|為什麼|什么样|什麼樣|什么|什麼|哪些|哪一|哪个|哪個|哪位|哪里|哪裡|哪|多少|多长|多長|几|幾|如何|怎样|怎樣|怎么|怎麼|是否|有没有|有沒有|吗|嗎|呢|谁|誰|[？?]`)

// claimOf writes a question and its expected facts as a claim:
// "第五届双C论坛是在哪一天举行的？" with fact "11月2日" becomes
// "第五届双C论坛是在天举行的：11月2日".
func claimOf(q Question) string {
	c := interrogatives.ReplaceAllString(q.Question, "")
	var facts []string
	for _, g := range q.AnswerFacts {
		facts = append(facts, g[0])
	}
	if len(facts) > 0 {
		c += "：" + strings.Join(facts, "、")
	}
	return c
}

// TestCalibrateOverlap measures the bigram overlap (answer.ClaimOverlap)
// of claims made from the dev questions with the chunks that hold their
// evidence, which verification should accept, and with the best-ranked
// passage that holds none, which it should reject, and compares the rule's
// pick — the largest accepted-minus-wrongly-accepted share — with
// answer.DefaultMinOverlap.
func TestCalibrateOverlap(t *testing.T) {
	ix, err := testindex.Build(t.Context(), t.TempDir(), embed.DefaultHashDim, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	all, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	qs, err := SelectSplit(all, SplitDev)
	if err != nil {
		t.Fatal(err)
	}
	chunks := ix.AllChunks()
	norms := make([]string, len(chunks))
	for i, c := range chunks {
		norms[i] = Normalize(c.Text)
	}
	var pos, neg []float64
	for _, q := range qs {
		sr, err := ix.Search(context.Background(), retrieval.Query{Text: q.Question, K: 10})
		if err != nil {
			t.Fatal(err)
		}
		claim := claimOf(q)
		evidence := newMatcher(q.Evidence)
		if q.Answerable {
			var texts []string
			for i, c := range chunks {
				if evidence.any(norms[i]) {
					texts = append(texts, c.Text)
				}
			}
			if len(texts) == 0 {
				continue
			}
			pos = append(pos, answer.ClaimOverlap(claim, texts))
		}
		for _, p := range sr.Passages {
			if q.Answerable && evidence.any(Normalize(p.Text)) {
				continue
			}
			neg = append(neg, answer.ClaimOverlap(claim, []string{p.Text}))
			break
		}
	}
	best, bestJ := 0.0, -1.0
	for i := 1; i <= 19; i++ {
		th := float64(i) / 20
		acc, rej := 0, 0
		for _, o := range pos {
			if o >= th {
				acc++
			}
		}
		for _, o := range neg {
			if o < th {
				rej++
			}
		}
		tpr, tnr := share(acc, len(pos)), share(rej, len(neg))
		t.Logf("overlap %.2f: supported claims accepted %.3f, unsupported rejected %.3f", th, tpr, tnr)
		if j := tpr + tnr - 1; j > bestJ+1e-9 {
			best, bestJ = th, j
		}
	}
	t.Logf("%d supported and %d unsupported claims; best threshold %.2f (accepted minus wrongly accepted %.3f)", len(pos), len(neg), best, bestJ)
	if math.Abs(best-answer.DefaultMinOverlap) > 0.051 {
		t.Errorf("DefaultMinOverlap = %.2f, but the dev questions now pick %.2f: recalibrate", answer.DefaultMinOverlap, best)
	}
}
