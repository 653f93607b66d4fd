package eval

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"wenda/hanzi"
)

// Short-answer metrics follow the official evaluation of CMRC 2018
// (cmrc2018_evaluate.py), which DRCD results are also reported with: both
// sides are lower-cased and cut into segments — each CJK character and
// each punctuation mark alone, runs of other characters as words — with
// punctuation removed. Exact match compares the texts with punctuation
// removed; F1 takes the longest common run of segments as the overlap, its
// share of the prediction as precision and of the gold answer as recall.
// Both take the best over a question's gold alternatives. Texts are folded
// first (hanzi.Fold), so that a Simplified answer matches a Traditional
// gold span, as the answers wenda gives are written in the question's
// script.

// cmrcPunct is the punctuation the official script removes, plus its
// ASCII forms (folding turns full-width punctuation into ASCII).
const cmrcPunct = "-:_*^/\\~`+=，。：？！“”；’《》……·、「」（）－～『』" + ",.:?!\";'()[]<>{}|@#$%&"

func isCMRCPunct(r rune) bool { return strings.ContainsRune(cmrcPunct, r) || unicode.IsPunct(r) }

// cmrcSegments cuts folded text into the official script's segments,
// punctuation removed.
func cmrcSegments(s string) []string {
	var out []string
	var word strings.Builder
	flush := func() {
		for _, w := range strings.Fields(word.String()) {
			out = append(out, w)
		}
		word.Reset()
	}
	for _, r := range hanzi.Fold(s) {
		switch {
		case isCMRCPunct(r):
			flush()
		case hanzi.IsHan(r):
			flush()
			out = append(out, string(r))
		default:
			word.WriteRune(r)
		}
	}
	flush()
	return out
}

// cmrcPlain is folded text with white space and punctuation removed, as
// exact match compares it.
func cmrcPlain(s string) string {
	var b strings.Builder
	for _, r := range hanzi.Fold(s) {
		if !isCMRCPunct(r) && !unicode.IsSpace(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// exactMatch is 1 when the prediction equals one of the gold answers.
func exactMatch(pred string, golds []string) float64 {
	p := cmrcPlain(pred)
	if p == "" {
		return 0
	}
	for _, g := range golds {
		if cmrcPlain(g) == p {
			return 1
		}
	}
	return 0
}

// charF1 is the best F1 of the prediction against the gold answers.
func charF1(pred string, golds []string) float64 {
	ps := cmrcSegments(pred)
	best := 0.0
	for _, g := range golds {
		gs := cmrcSegments(g)
		n := longestCommonRun(ps, gs)
		if n == 0 {
			continue
		}
		prec, rec := float64(n)/float64(len(ps)), float64(n)/float64(len(gs))
		best = max(best, 2*prec*rec/(prec+rec))
	}
	return best
}

// longestCommonRun is the length of the longest run of segments a and b
// share.
func longestCommonRun(a, b []string) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	best := 0
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
				best = max(best, cur[j+1])
			} else {
				cur[j+1] = 0
			}
		}
		prev, cur = cur, prev
	}
	return best
}

// maxFactoidRunes is the longest gold answer a factoid question has: a
// question whose shortest gold answer is longer asks for an explanation.
const maxFactoidRunes = 16

// isFactoid reports whether a question asks for a short fact: it is
// answerable, has exactly one group of answer facts, and the shortest
// alternative of that group has at most maxFactoidRunes characters (a
// name, a number, a date, a title or a short phrase). It is decided from
// the gold answers alone, not from wenda's analysis of the question, so
// that the set of questions measured does not depend on the system
// measured.
func isFactoid(q Question) bool {
	if !q.Answerable || len(q.AnswerFacts) != 1 {
		return false
	}
	shortest := -1
	for _, s := range q.AnswerFacts[0] {
		if n := len([]rune(cmrcPlain(s))); shortest < 0 || n < shortest {
			shortest = n
		}
	}
	return shortest > 0 && shortest <= maxFactoidRunes
}

// answerRunes is the length of an answer text in characters, markers and
// white space left out.
func answerRunes(text string) int {
	n := 0
	for _, r := range stripMarkers(text) {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// repeatsSentence reports whether an answer says one sentence twice, word
// for word (markers, white space and script aside).
func repeatsSentence(text string) bool {
	seen := map[string]bool{}
	for _, c := range claims(text) {
		key := Normalize(c.text)
		if len([]rune(key)) < 4 {
			continue
		}
		if seen[key] {
			return true
		}
		seen[key] = true
	}
	return false
}

// ROCPoint is one operating point of the refusal decision: refusing every
// question whose answerability score is below Threshold refuses
// FalseRefusal of the answerable questions and NegativeRejection of the
// unanswerable ones.
type ROCPoint struct {
	Threshold         float64 `json:"threshold"`
	FalseRefusal      float64 `json:"false_refusal"`
	NegativeRejection float64 `json:"negative_rejection"`
}

// rocCurve computes the ROC of refusing below each distinct score, from
// refusing nothing to refusing everything, and the area under it: the
// probability that an answerable question scores above an unanswerable
// one (ties count half). ok is false without both kinds of question.
func rocCurve(scores []float64, answerable []bool) (points []ROCPoint, auc float64, ok bool) {
	type sq struct {
		s   float64
		pos bool
	}
	var xs []sq
	var pos, neg int
	for i, s := range scores {
		if math.IsNaN(s) {
			s = math.Inf(-1) // no estimate: refused first
		}
		xs = append(xs, sq{s, answerable[i]})
		if answerable[i] {
			pos++
		} else {
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return nil, 0, false
	}
	sort.Slice(xs, func(i, j int) bool { return xs[i].s < xs[j].s })
	// Refusing the i lowest scores: false refusals and rejections so far.
	points = append(points, ROCPoint{Threshold: xs[0].s})
	fr, nr := 0, 0
	for i := 0; i < len(xs); {
		j := i
		for j < len(xs) && (j == i || xs[j].s == xs[i].s) {
			if xs[j].pos {
				fr++
			} else {
				nr++
			}
			j++
		}
		th := 1.0 + 1e-9
		if j < len(xs) {
			th = xs[j].s
		}
		points = append(points, ROCPoint{Threshold: th, FalseRefusal: float64(fr) / float64(pos), NegativeRejection: float64(nr) / float64(neg)})
		i = j
	}
	// The area under negative rejection as a function of false refusal,
	// by trapezoids: the probability that an unanswerable question scores
	// below an answerable one, ties counted half (Mann–Whitney).
	for k := 1; k < len(points); k++ {
		a, b := points[k-1], points[k]
		auc += (b.FalseRefusal - a.FalseRefusal) * (a.NegativeRejection + b.NegativeRejection) / 2
	}
	return points, auc, true
}
