package answer

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"wenda/analysis"
	"wenda/hanzi"
	"wenda/retrieval"
)

// TermWeights gives the inverse document frequency of a folded index term
// over the whole collection; the retrieval.TermWeights of a search result
// is one. Without it the
// extractive answerer weighs terms by their frequency in the retrieved
// passages alone, which knows less about what is rare.
type TermWeights interface {
	IDF(term string) float64
}

var _ TermWeights = retrieval.TermWeights{}

// DefaultMaxSentences is how many sentences an extractive answer quotes at
// most.
const DefaultMaxSentences = 4

// maxAnswerRunes bounds an extractive answer; a sentence that would pass it
// is left out unless it is the first.
const maxAnswerRunes = 320

// Sentence scoring weights: coverage of the question's terms matters most
// (a sentence that names what was asked about), BM25 breaks ties between
// sentences covering the same terms, exact numbers and names asked for
// are rewarded, and a small prior favours better-ranked passages.
const (
	wCoverage = 0.5
	wBM25     = 0.3
	wExact    = 0.2
	wRank     = 0.1
	// wPara credits the sentence's paragraph for covering the question:
	// a sentence that answers often leaves its subject to the sentences
	// around it, and one that shares the question's words inside a
	// paragraph about something else rarely answers it. On the dev
	// questions 0.6 raised citation precision from 0.841 to 0.860 and
	// citation recall from 0.870 to 0.883 for one fact of 146 less
	// (fact recall 0.764 to 0.760); 1.5 traded more facts for precision.
	wPara = 0.6
	// captionFactor discounts photo captions, which repeat names and dates
	// but rarely answer anything.
	captionFactor = 0.6
	// moreFactor is how close to the best sentence another must score to
	// be added when it covers no new question term; minMoreFactor is the
	// floor for one that does.
	moreFactor    = 0.85
	minMoreFactor = 0.55
	// dupJaccard marks two sentences as near-duplicates.
	dupJaccard = 0.6
)

// candidate is one sentence of a retrieved passage.
type candidate struct {
	passage int // 0-based position among the passages
	unit
	terms  map[string]int
	length int
	score  float64
	covers map[string]bool // question terms it contains
}

// extractive picks the sentences of the passages that best answer query.
type extractive struct {
	weights      TermWeights
	maxSentences int
	// quarantined marks the passages that hold instructions to the model,
	// as the verifier found them; nil means check each passage here.
	quarantined []bool
}

// answer returns up to maxSentences sentences of ps, each followed by the
// [n] marker of its passage (n counts ps from 1), written in script; or ""
// when no sentence shares a term with the query.
func (e extractive) answer(query string, ps []retrieval.Passage, script hanzi.Script) string {
	qterms := analysis.QueryTerms(hanzi.Fold(query))
	cands := e.candidates(ps)
	if len(qterms) == 0 || len(cands) == 0 {
		return ""
	}
	e.score(qterms, cands)
	picks := e.pick(qterms, cands)
	var b strings.Builder
	for i, c := range picks {
		sents := []string{c.text}
		if i == 0 {
			sents = c.expanded()
		}
		for _, s := range sents {
			// The article's own note markers ("……成功[3]。") would read as
			// citations; the passage number replaces them.
			s = strings.TrimSpace(stripMarkers(s))
			b.WriteString(placeMarkers(hanzi.To(script, s), []int{c.passage + 1}))
		}
	}
	return b.String()
}

// minContextRunes is the length below which a picked sentence brings the
// sentences after it in its paragraph: a short sentence often only names
// the subject ("我认为本次马德里会谈具有承前启后的重要意义。") and the
// answer follows it.
const minContextRunes = 60

// expanded returns the best sentence with the sentences that follow it in
// its paragraph until minContextRunes are reached, at most two and never a
// question.
func (c *candidate) expanded() []string {
	out := []string{c.text}
	n := len([]rune(c.text))
	for _, s := range c.next {
		if n >= minContextRunes || len(out) > 2 {
			break
		}
		if end := analysis.LastNonCloser(s); end == '？' || end == '?' || !analysis.IsStop(end) || isReference(s) {
			break
		}
		out = append(out, s)
		n += len([]rune(s))
	}
	return out
}

// candidates splits the passages into sentences worth quoting: not a
// question (an interviewer's question restates what the user asked without
// answering it), not a heading or caption fragment without a sentence end,
// not in a passage that holds instructions to the model, and not a repeat
// of a sentence already seen in an overlapping passage. Clauses ending in
// ；are joined with the rest of their sentence.
func (e extractive) candidates(ps []retrieval.Passage) []*candidate {
	var out []*candidate
	seen := map[string]bool{}
	for i, p := range ps {
		if e.quarantined != nil && e.quarantined[i] || e.quarantined == nil && hasInjection(p.Text) {
			continue
		}
		for _, u := range units(p.Text) {
			end := analysis.LastNonCloser(u.text)
			if end == '？' || end == '?' || !analysis.IsStop(end) || wordRunes(u.text) < 8 || isReference(u.text) {
				continue
			}
			key := hanzi.Fold(u.text)
			if seen[key] {
				continue
			}
			seen[key] = true
			c := &candidate{passage: i, unit: u, terms: map[string]int{}}
			for _, t := range analysis.Terms(u.text) {
				c.terms[t]++
				c.length++
			}
			out = append(out, c)
		}
	}
	return out
}

// unit is a sentence of a passage, with the sentences that follow it in
// the same paragraph.
type unit struct {
	text string
	next []string
	para string // the whole paragraph
}

// maxUnitRunes bounds a sentence joined from ；-clauses.
const maxUnitRunes = 200

// units splits a passage into sentences, paragraph by paragraph, joining a
// clause that ends in ；or ： with what follows it up to the sentence end.
func units(text string) []unit {
	var out []unit
	for _, para := range strings.Split(text, "\n") {
		var sents []string
		for _, s := range analysis.SplitSentences(para) {
			s = strings.TrimSpace(s)
			if n := len(sents); n > 0 && strings.ContainsRune("；;：:", analysis.LastNonCloser(sents[n-1])) &&
				len([]rune(sents[n-1]))+len([]rune(s)) <= maxUnitRunes {
				sents[n-1] += s
				continue
			}
			sents = append(sents, s)
		}
		for i, s := range sents {
			out = append(out, unit{text: s, next: sents[i+1:], para: para})
		}
	}
	return out
}

func (e extractive) score(qterms []string, cands []*candidate) {
	idf := e.idf(cands)
	total, avg := 0.0, 0.0
	for _, t := range qterms {
		total += idf(t)
	}
	for _, c := range cands {
		avg += float64(c.length)
	}
	avg /= float64(len(cands))
	var exactTerms []string
	for _, t := range qterms {
		if analysis.IsExactTerm(t) {
			exactTerms = append(exactTerms, t)
		}
	}
	paras := map[string]map[string]bool{} // terms of each paragraph, analysed once
	bm := make([]float64, len(cands))
	maxBM := 0.0
	for i, c := range cands {
		c.covers = map[string]bool{}
		cov := 0.0
		for _, t := range qterms {
			tf := float64(c.terms[t])
			if tf == 0 {
				continue
			}
			c.covers[t] = true
			cov += idf(t)
			bm[i] += analysis.BM25(idf(t), tf, float64(c.length), avg)
		}
		maxBM = max(maxBM, bm[i])
		exact := 1.0
		if len(exactTerms) > 0 {
			hit := 0
			for _, t := range exactTerms {
				if c.terms[t] > 0 {
					hit++
				}
			}
			exact = float64(hit) / float64(len(exactTerms))
		}
		pcov := 0.0
		pterms, ok := paras[c.para]
		if !ok {
			pterms = paraTerms(c.para)
			paras[c.para] = pterms
		}
		for _, t := range qterms {
			if pterms[t] {
				pcov += idf(t)
			}
		}
		c.score = wCoverage*cov/total + wPara*pcov/total + wExact*exact + wRank/float64(1+c.passage)
		// A question about 2025 is not answered by a sentence about 2021.
		if len(exactTerms) > 0 {
			c.score *= 0.5 + 0.5*exact
		}
		if isCaption(c.text) {
			c.score *= captionFactor
		}
	}
	for i, c := range cands {
		if maxBM > 0 {
			c.score += wBM25 * bm[i] / maxBM
		}
		if len(c.covers) == 0 {
			c.score = 0
		}
	}
}

// idf returns the corpus IDF when there are term weights, else an IDF over
// the candidate sentences.
func (e extractive) idf(cands []*candidate) func(string) float64 {
	if e.weights != nil {
		return e.weights.IDF
	}
	df := map[string]int{}
	for _, c := range cands {
		for t := range c.terms {
			df[t]++
		}
	}
	n := len(cands)
	return func(t string) float64 {
		d := df[t]
		return analysis.IDF(n, d)
	}
}

// pick takes the best sentence, then up to maxSentences-1 more that score
// close to it, preferring ones that cover question terms the picks so far
// do not, and skipping near-duplicates.
func (e extractive) pick(qterms []string, cands []*candidate) []*candidate {
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	best := cands[0]
	if best.score == 0 {
		return nil
	}
	picks := []*candidate{best}
	covered := maps(best.covers)
	size := len([]rune(strings.Join(best.expanded(), "")))
	limit := e.maxSentences
	if limit <= 0 {
		limit = DefaultMaxSentences
	}
	for _, c := range cands[1:] {
		if len(picks) >= limit || c.score < minMoreFactor*best.score {
			break
		}
		adds := false
		for t := range c.covers {
			if !covered[t] {
				adds = true
			}
		}
		if !adds && c.score < moreFactor*best.score {
			continue
		}
		if size+len([]rune(c.text)) > maxAnswerRunes || nearDuplicate(c, picks) {
			continue
		}
		picks = append(picks, c)
		size += len([]rune(c.text))
		for t := range c.covers {
			covered[t] = true
		}
	}
	return picks
}

func maps(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// nearDuplicate reports whether c shares most of its terms with a pick.
func nearDuplicate(c *candidate, picks []*candidate) bool {
	for _, p := range picks {
		inter, union := 0, len(p.terms)
		for t := range c.terms {
			if p.terms[t] > 0 {
				inter++
			} else {
				union++
			}
		}
		if union > 0 && float64(inter)/float64(union) >= dupJaccard {
			return true
		}
	}
	return false
}

// placeMarkers places markers for nums before the sentence's closing
// punctuation: "……框架协议。" becomes "……框架协议[1]。".
func placeMarkers(s string, nums []int) string {
	rs := []rune(s)
	end := len(rs)
	for end > 0 && (analysis.IsStop(rs[end-1]) || analysis.IsCloser(rs[end-1])) {
		end--
	}
	// Keep closing quotes with the text they close: "……」[1]。".
	for end < len(rs) && analysis.IsCloser(rs[end]) {
		end++
	}
	var m strings.Builder
	for _, n := range nums {
		m.WriteString("[" + strconv.Itoa(n) + "]")
	}
	return string(rs[:end]) + m.String() + string(rs[end:])
}

// wordRunes counts the letters and digits of s.
func wordRunes(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// captionRE matches photo captions: "▲……", "图为……", or a sentence that
// ends with a credit in brackets such as "（Reuters）" or "（新华社）".
var captionRE = regexp.MustCompile(`^\s*▲|图为|圖為|[（(][^（()）]{1,24}[)）]\s*[。.]?\s*$`)

func isCaption(s string) bool { return captionRE.MatchString(s) }

// referenceRE matches bibliography entries and notes: a line that opens
// with a note marker, or that carries a web address.
var referenceRE = regexp.MustCompile(`^\s*[\[［〔(（]?\s*[0-9０-９]+\s*[\]］〕)）.、]|https?://|www\.`)

func isReference(s string) bool { return referenceRE.MatchString(s) }

// paraTerms is the set of index terms of a paragraph.
func paraTerms(para string) map[string]bool {
	out := map[string]bool{}
	for _, t := range analysis.Terms(para) {
		out[t] = true
	}
	return out
}
