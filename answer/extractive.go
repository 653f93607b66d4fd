package answer

import (
	"cmp"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"wenda/analysis"
	"wenda/hanzi"
	"wenda/prompts"
	"wenda/question"
	"wenda/retrieval"
)

// TermWeights gives the inverse document frequency of a folded index term
// over the whole collection; the retrieval.TermWeights of a search result
// is one. Without it the extractive reader weighs terms by their frequency
// in the retrieved passages alone, which knows less about what is rare.
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

// Sentence scoring weights: coverage of the question's focus terms matters
// most (a sentence that names what was asked about), BM25 breaks ties
// between sentences covering the same terms, exact numbers and names asked
// for are rewarded, and a small prior favours better-ranked passages.
const (
	wCoverage = 0.5
	wBM25     = 0.3
	wExact    = 0.2
	wRank     = 0.1
	// wPara credits the sentence's paragraph for covering the question:
	// a sentence that answers often leaves its subject to the sentences
	// around it, and one that shares the question's words inside a
	// paragraph about something else rarely answers it.
	wPara = 0.6
	// wNeighbour credits a sentence for what the sentence before it in
	// its paragraph covers: 「文周王（）百济第22代国王。475年至477年在位。」
	// answers 「文周王是哪年到哪年在位？」 in the second sentence, and the
	// first only echoes the question.
	wNeighbour = 0.35
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

// sentence is one quotable unit of a retrieved passage: a sentence, or
// clauses ending in ；or ： joined with the rest of their sentence.
type sentence struct {
	passage int          // 0-based position among the passages
	doc     string       // the passage's document
	script  hanzi.Script // the passage's document's script
	// title holds the terms of the document's title: they count half.
	// When the title names the document's subject (name, folded; see
	// subjectName), every sentence of the document is about it, and they
	// count half in every sentence, whether it names them or not.
	title  map[string]bool
	name   []rune
	span   analysis.Span // rune offsets in the passage text
	pos    int           // rune offset of the sentence in its document
	text   string        // as the article writes it
	folded []rune        // folded, rune-aligned with text
	terms  map[string]int
	length int // index terms
	para   int // paragraph number, unique across passages
	prev   *sentence
	next   *sentence
	// after is the next sentence of the passage, across paragraphs.
	after *sentence
	// quotable is false for questions, captions without a sentence end,
	// references and fragments: they are context, never the answer.
	quotable bool
	caption  bool
	// item is the number of the list item the sentence opens ("2. ",
	// "（2）"), bulletItem for a bulleted one, 0 when it opens none.
	item int

	score  float64
	cov    float64         // IDF-weighted share of the focus terms it holds
	covers map[string]bool // focus terms it holds
}

// reading is what the extractive reader made of the passages for one
// question: the answer text, the short answer in it, and the signals the
// answerability decision weighs.
type reading struct {
	// raw is the answer text with [n] markers (n counts the passages from
	// 1), in the answer's script; "" when nothing answers.
	raw string
	// picks are the sentences raw quotes.
	picks []*sentence
	// short is the span that answers a factoid question, or nil.
	short *spanRef
	// spans are the candidate short answers the span model ranked, best
	// first.
	spans []*candidate
	// signals are what the answerability decision reads.
	signals readerSignals
	// best are the quotable sentences that share the question's focus,
	// best first.
	best []*sentence
	// stated reports that a passage states the answer in so many words:
	// it describes the person an identity question names (identityIn),
	// or names the author of the document asked about (authorIn). The
	// question is answered whatever the answerability model's
	// probability.
	stated bool
	// listCut is the sentence, among a passage's last ones, that
	// announces a list the question asks for without all of its items
	// (listCutOff); nil when there is none.
	listCut *sentence
}

// spanRef is a span of a passage's text.
type spanRef struct {
	passage int
	span    analysis.Span
}

// ref is the span of its passage's text that sp, a span of the sentence's
// folded text, covers.
func (s *sentence) ref(sp analysis.Span) *spanRef {
	return &spanRef{passage: s.passage, span: analysis.Span{Start: s.span.Start + sp.Start, End: s.span.Start + sp.End}}
}

// readerSignals are the reader's measurements of how well the passages
// answer the question, for the answerability decision.
type readerSignals struct {
	// bestCoverage is the IDF-weighted share of the focus terms in the
	// best sentence; windowCoverage in it and its neighbours.
	bestCoverage   float64
	windowCoverage float64
	// candidate is the span model's probability for the best candidate
	// span, 0 when the question asks for a span and none was found;
	// margin is its score's lead over the second best.
	candidate float64
	margin    float64
	// typed reports a candidate; anchored one next to the question's
	// words on the side the interrogative stands.
	typed    bool
	anchored bool
	// rarestMissing is the IDF of the rarest focus term that no
	// retrieved passage holds, over the largest focus IDF; 0 when every
	// focus term is found.
	rarestMissing float64
	// focusInDoc is the IDF-weighted share of the focus terms found in
	// the best sentence's document (its passages).
	focusInDoc float64
	// candidateInDoc is the IDF-weighted share of the focus terms found
	// in the document of the candidate short answer the reader answers
	// with; 0 when it has none.
	candidateInDoc float64
	// sentences is how many quotable sentences the passages hold.
	sentences int
	// charCoverage is the share of the question's content characters
	// found in the best window (the best sentence with its neighbours, or
	// the sentence of the best candidate, whichever holds more);
	// specificCoverage the IDF-weighted share of the focus terms that the
	// best passage's title does not name, found there; commonRun the
	// longest run of the question's characters the window repeats, over
	// the question's content characters; spanAnchor how firmly the
	// question's words hold the best candidate.
	charCoverage     float64
	specificCoverage float64
	commonRun        float64
	spanAnchor       float64
	// mismatch is whether the form of the candidate the reader answers
	// with contradicts what the question asks (mismatch).
	mismatch bool
	// constraintsAway is the share of the question's numbers and names
	// that the sentence answered from (the candidate's, else the best),
	// its neighbours and its document's title do not hold
	// (constraintsAway).
	constraintsAway float64
}

// extractive reads the passages for the sentences and the span that best
// answer a question.
type extractive struct {
	weights      TermWeights
	spans        *SpanModel
	maxSentences int
	// quarantined marks the passages that hold instructions to the model,
	// as the verifier found them; nil means check each passage here.
	quarantined []bool
}

// read returns the reader's answer to q from ps, written in script. The
// first whole passages are the whole question's, which it reads and
// measures; a compound question's parts read all (answerParts).
func (e extractive) read(q *question.Analysis, ps []retrieval.Passage, whole int, script hanzi.Script) reading {
	var r reading
	focus := q.FocusOrTerms()
	sents := e.sentences(ps[:whole])
	for _, s := range sents {
		if s.quotable {
			r.signals.sentences++
		}
	}
	if len(focus) == 0 || len(sents) == 0 {
		return r
	}
	idf := e.idf(sents)
	e.score(q, focus, idf, sents)
	r.signals.rarestMissing, r.signals.focusInDoc = presence(focus, idf, sents)

	var quotable []*sentence
	for _, s := range sents {
		if s.quotable && s.score > 0 {
			quotable = append(quotable, s)
		}
	}
	if len(quotable) == 0 {
		return r
	}
	sort.SliceStable(quotable, func(i, j int) bool { return quotable[i].score > quotable[j].score })
	r.best = quotable
	best := quotable[0]
	r.signals.bestCoverage = best.cov
	r.signals.windowCoverage = windowCoverage(best, focus, idf)
	// The sentence answered from: the best, or the answered candidate's.
	from := best
	windows := [][]*sentence{{best.prev, best, best.next}}

	var picks []*sentence
	r.spans = e.rank(candidates(q, focus, idf, quotable))
	var cand *candidate
	if len(r.spans) > 0 {
		cand = r.spans[0]
		r.signals.typed = true
		r.signals.candidate = sigmoid(cand.score)
		r.signals.anchored = cand.features[spanFeature["anchor_expected"]] >= 0.5
		r.signals.margin = 4
		if len(r.spans) > 1 {
			r.signals.margin = math.Min(4, cand.score-r.spans[1].score)
		}
	}
	if cand != nil {
		r.signals.spanAnchor = cand.features[spanFeature["anchor_expected"]]
		windows = append(windows, []*sentence{cand.sent.prev, cand.sent, cand.sent.next})
	}
	title := best.title
	for _, w := range windows {
		c, sc, run := windowMatch(q, focus, idf, title, w)
		r.signals.charCoverage = math.Max(r.signals.charCoverage, c)
		r.signals.specificCoverage = math.Max(r.signals.specificCoverage, sc)
		r.signals.commonRun = math.Max(r.signals.commonRun, run)
	}
	// The answer is the best span the question does not write itself:
	// 政策 of 为了推行哪一个政策 names what is asked, not what answers it.
	// The ranker's first span still gives the signals above, on which the
	// answerability model is fitted; a question whose every span echoes
	// it gets no short answer.
	echoed := false
	if cand != nil && echoes(q, cand) {
		echoed = true
		for _, c := range r.spans[1:] {
			if !echoes(q, c) {
				cand, echoed = c, false
				break
			}
		}
	}
	if cand != nil {
		// The sentence holding the span answers; the sentence before it
		// joins when that one carries the question's subject and the
		// answer alone would not say what it answers.
		picks = []*sentence{cand.sent}
		if p := cand.sent.prev; p != nil && p.quotable && cand.sent.cov < 0.5 && p.cov > cand.sent.cov &&
			len(p.folded)+len(cand.sent.folded) <= 120 {
			picks = []*sentence{p, cand.sent}
		}
		// The best sentence too: the span may be wrong where the
		// sentence that restates the question is right. Then what the
		// span's sentence leads into, when it is short. What the best
		// sentence leads into is not added: where it answers, the span
		// stands there (candidates are read in the best sentences and
		// their neighbours), and elsewhere it only lengthened the answer.
		if !contains(picks, best) {
			// The best sentence always, whatever its length.
			picks = append(picks, best)
		}
		// And, of the three best, the one that restates most of the
		// question, when it is another.
		restates := best
		for _, x := range quotable[:min(3, len(quotable))] {
			if x.cov > restates.cov+1e-9 {
				restates = x
			}
		}
		if !contains(picks, restates) {
			picks = append(picks, restates)
		}
		// A sentence that opens by pointing back (他, 次年, 该公司)
		// is quoted after the sentence it points back to.
		picks = withAntecedent(picks)
		size := 0
		for _, p := range picks {
			size += len(p.folded)
		}
		more := cand.sent.expanded(q.Type)[1:]
		for _, x := range more {
			if contains(picks, x) || size+len(x.folded) > factoidRunes {
				continue
			}
			picks = append(picks, x)
			size += len(x.folded)
		}
		if !echoed {
			r.short = shortRef(q, cand)
		}
		// A number question that names what it measures (金额是多少)
		// is answered by the best number of that kind, when the span
		// ranker put another first (a date, 两国).
		// So is one that asks for a dynasty (哪个朝代) by the best span
		// that names one, where the ranker put a year first. The first
		// rule reads number questions only, the second date questions.
		answered := cand
		if c := cmp.Or(ofMeasure(q, r.spans), ofDynasty(q, r.spans)); c != nil && c != cand {
			r.short = shortRef(q, c)
			picks = putFirst(c.sent, picks)
			answered = c
		}
		// The form and the document of the span answered, which need
		// not be the ranker's first (a date first for 金额是多少).
		// So is a first candidate the span model all but rules out: no
		// span of the asked form is there (a bare 3 for how many bytes).
		r.signals.mismatch = r.signals.candidate < ruledOut || mismatch(q, cmp.Or(answered.shownText(q), answered.text()))
		r.signals.candidateInDoc = focusIn(focus, idf, sents, answered.sent.doc)
		from = answered.sent
		// A question that asks what a thing is called is answered by
		// the name a sentence sets in quotation marks as what it is
		// called (有「世界钢都」之称), where the ranker chose another.
		if s, sp, ok := quotedName(q, quotable[:min(3, len(quotable))]); ok {
			r.short = s.ref(sp)
			picks = putFirst(s, picks)
		}
	} else {
		picks = e.pick(q, best, quotable, idf)
		picks = withAntecedent(picks)
		if q.Type == question.List && announcesList(string(best.folded)) && listCutOff(best) {
			r.listCut = best
		}
		if q.Compound() {
			picks = e.answerParts(q, ps, picks)
		}
		if q.Type == question.Definition && q.Subject != "" {
			picks = withDefinition(q.Subject, quotable, picks)
		}
		if q.Type == question.Reason {
			r.short = causeIn(q, picks)
		}
		if q.Type == question.List {
			r.short = enumerationIn(q, picks)
		}
	}
	r.signals.constraintsAway = constraintsAway(q, from, ps[from.passage].Title, ps[:whole])
	picks = withConstraints(q, picks)
	// A question that names an item of a list by its ordinal (第一个要素,
	// 首先是因为) is answered by that item, after the sentence that
	// announces the list, whatever sentence held the best span: the
	// announcement echoes the question, the other items answer it as well
	// as the one asked. The short answer, if any, is the best span in the
	// item.
	if q.Item > 0 {
		if ann, item := itemAsked(q.Item, quotable); item != nil {
			picks = append([]*sentence{ann}, item.expanded(question.Unknown)...)
			r.short = nil
			for _, c := range r.spans {
				if c.sent == item {
					r.short = shortRef(q, c)
					break
				}
			}
		}
	}
	// An alias question is answered by the name a passage gives the term
	// after a word such as 又名 or 简称, whatever span the ranker chose.
	if q.Alias != "" {
		if ref, s := aliasIn(q, quotable); ref != nil {
			r.short = ref
			picks = putFirst(s, picks)
		}
	}
	// An identity question (宋伟是谁？) is answered by the description a
	// passage gives the person, and by the sentence that gives it alone:
	// the span ranker looks for a name, and the sentences that share the
	// most words with the question are what the person said. No span the
	// ranker finds says who someone is: without a description the
	// question gets no short answer.
	if q.Identity != "" {
		r.short = nil
		if ref, s := identityIn(q.Identity, quotable); ref != nil {
			r.short = ref
			picks = []*sentence{s}
			r.stated = true
		}
	}
	// A question that asks who wrote a document is answered by the name
	// an author statement gives (authorIn), whatever the ranker chose.
	if q.Author {
		if ref, s, named := authorIn(q, sents); ref != nil {
			r.short = ref
			picks = putFirst(s, picks)
			r.stated = named
		}
	}
	r.raw, r.picks = compose(picks, script), picks
	return r
}

// subjectRunes is the longest title, without a bracketed qualifier, that
// names a subject rather than summing up a story.
const subjectRunes = 12

// namesSubject reports whether a document's title names its subject, as
// an encyclopedia's does (马来穿山甲, 夜来香 (夹竹桃科)), rather than
// summing up what it says, as a headline does (观察者网专访吴心伯：从马德里
// 会谈看中美关系走向): short, and no clause punctuation outside brackets.
func namesSubject(title string) bool { return subjectName(title) != "" }

// subjectName returns the subject a title names (see namesSubject): the
// title without its bracketed qualifier; or "".
func subjectName(title string) string {
	name := strings.TrimSpace(bracketedRE.ReplaceAllString(title, ""))
	if n := utf8.RuneCountInString(name); n == 0 || n > subjectRunes || strings.ContainsAny(name, "：:，,。；;？?！!") {
		return ""
	}
	return name
}

// bracketedRE matches a bracketed qualifier of a title: (夹竹桃科).
var bracketedRE = regexp.MustCompile(`\s*[（(][^）)]*[）)]`)

// withConstraints adds to the picks, for each number, Latin name or title
// of the question that no pick holds, the sentence next to a pick that
// holds it, if one does: 「…2013年发生了什么事？」 is answered by the
// sentence after the one that echoes the question, which holds 2013 年.
func withConstraints(q *question.Analysis, picks []*sentence) []*sentence {
	cs := q.Constraints()
	if len(cs) == 0 || len(picks) == 0 {
		return picks
	}
	holds := func(s *sentence, c string) bool { return strings.Contains(analysis.Compact(string(s.folded)), c) }
	out := picks
	for _, c := range cs {
		c = analysis.Compact(c)
		if slices.ContainsFunc(out, func(s *sentence) bool { return holds(s, c) }) {
			continue
		}
	neighbours:
		for _, p := range picks {
			for _, n := range []*sentence{p.prev, p.next, p.after} {
				if n != nil && n.quotable && !contains(out, n) && holds(n, c) {
					out = append(out, n)
					break neighbours
				}
			}
		}
	}
	return out
}

// ruledOut is the span model's probability under which its best
// candidate is no answer of the form asked. No question of the
// development sets or the shipped ones has a best candidate under 0.03;
// an English question to an English collection, which the span model
// never learned from, may (3 for how many bytes, 0.007).
const ruledOut = 0.01

// ofMeasure returns the best ranked of spans that is a number in a unit
// of the kind q.Measure is, or a fraction (isFraction) for a share; nil
// when q names no such kind or no span is one. A number question that
// writes its unit (多少港元) is answered so too when the first span
// contradicts it (12月11日, mismatch). A first span that is a number in a
// unit written in Latin letters (1.601 km², 10km), which Units does not
// hold, may well be of that kind: then it stays.
func ofMeasure(q *question.Analysis, spans []*candidate) *candidate {
	if len(spans) == 0 || latinUnitEnd(q, spans[0]) {
		return nil
	}
	measure := q.Measure
	if measure == "" && q.Type == question.Number && mismatch(q, spans[0].text()) {
		measure = q.Unit
	}
	kind := analysis.UnitKind(measure)
	if kind == 0 {
		return nil
	}
	for _, c := range spans {
		text := c.text()
		if !numberWholeRE.MatchString(text) {
			continue
		}
		if unitKindOf(text) == kind || q.Measure == "%" && isFraction(q, c) {
			return c
		}
	}
	return nil
}

// ofDynasty returns, for a question that asks for a dynasty (哪个朝代,
// 哪一朝), the best ranked of spans that names one (宋朝, 唐代, 南北朝);
// nil when it asks for none or no span names one. A word that
// says which time without naming it (各朝, 历代, 古代, 近代) names none.
func ofDynasty(q *question.Analysis, spans []*candidate) *candidate {
	if q.Type != question.Date || len(spans) == 0 || q.Wh.Len() == 0 {
		return nil
	}
	wh := string(q.Runes[q.Wh.Start:q.Wh.End])
	if !strings.HasSuffix(wh, "朝代") && !strings.HasSuffix(wh, "朝") {
		return nil
	}
	for _, c := range spans {
		if namesDynasty(c.shownText(q)) && !echoes(q, c) {
			return c
		}
	}
	return nil
}

// namesDynasty reports whether folded text is a dynasty's name: two to
// four characters ending in 朝 or 代, opening with none of the words
// that say which time without naming it.
func namesDynasty(s string) bool {
	w := []rune(s)
	if len(w) < 2 || len(w) > 4 || !strings.ContainsRune("朝代", w[len(w)-1]) || strings.ContainsFunc(s, unicode.IsDigit) {
		return false
	}
	return !strings.ContainsRune(timeWithoutName, w[0])
}

// timeWithoutName open the words ending in 朝 or 代 that name no dynasty:
// 各朝, 历代, 古代, 先代, 近代, 现代, 当代, 前朝, 本朝, 后代, 年代, 时代,
// 一代, 两代, 几代, 每代, 上代, 下代.
const timeWithoutName = "各历古先近现当前本后年时一两几每上下"

// isFraction reports whether the short answer a candidate gives is a
// fraction: in digits (1/3, which numberWholeRE reads whole) or in words
// (四分之三, whose candidate is 四分 and which the reader shows whole).
func isFraction(q *question.Analysis, c *candidate) bool {
	return strings.Contains(c.text(), "/") || strings.Contains(c.shownText(q), "分之")
}

// latinUnitEnd reports whether the short answer a candidate gives is a
// number in a unit written in Latin letters (refine adds it: 10km).
func latinUnitEnd(q *question.Analysis, c *candidate) bool {
	return latinUnitEndRE.MatchString(c.shownText(q))
}

// latinUnitEndRE matches a number in a unit written in Latin letters,
// folded, at the end of a span.
var latinUnitEndRE = regexp.MustCompile(`\d\s*[a-zμ]+[²³23]?$`)

// echoes reports whether the short answer a candidate gives is words of
// the question itself, which answer nothing unless the question offers a
// choice (是北京还是上海, 烽火台和长城哪个比较早).
func echoes(q *question.Analysis, c *candidate) bool {
	w := c.shownText(q)
	return w != "" && !offersChoice(q.Folded) && strings.Contains(q.Folded, w)
}

// choiceRE matches what offers a choice in a folded question: 还是, 或,
// and 哪 before a comparison (哪个比较早, 哪一个更大).
var choiceRE = regexp.MustCompile(`还是|或|哪[^，,？?]{0,4}(?:比较|较|更)`)

// offersChoice reports whether a folded question offers answers to choose
// from.
func offersChoice(folded string) bool { return choiceRE.MatchString(folded) }

// namingQuestionRE matches, in a folded question, the words that ask
// what a thing is called.
var namingQuestionRE = regexp.MustCompile(`称为|称之为|称作|称号|美誉|别称|又称|俗称|昵称|绰号|外号|名为|叫做|叫什么|被称|之称|号称|人称`)

// namedQuoteRE matches, in folded text, a quotation that a word of naming
// stands right beside: 被称为「…」, 有「…」之称, 素有「…」的美誉.
var namedQuoteRE = regexp.MustCompile(`(?:称为|称作|号称|人称|俗称|又称|名为|叫做|誉为)[「『“]([^「」『』“”]{2,16})[」』”]|[「『“]([^「」『』“”]{2,16})[」』”](?:之称|之美誉|的美誉|美誉|的称号|之名|的别称|的绰号|的昵称)`)

// quotedName finds, in the first of sents that has one, the name a
// sentence sets in quotation marks as what something is called, for a
// question that asks what a thing is called (not for a number or a date:
// 自哪一年开始又称为「…」 asks when); never words of the question itself.
func quotedName(q *question.Analysis, sents []*sentence) (*sentence, analysis.Span, bool) {
	if q.Type == question.Number || q.Type == question.Date || !namingQuestionRE.MatchString(q.Folded) {
		return nil, analysis.Span{}, false
	}
	for _, s := range sents {
		text := string(s.folded)
		for _, m := range namedQuoteRE.FindAllStringSubmatchIndex(text, -1) {
			a, b := m[2], m[3]
			if a < 0 {
				a, b = m[4], m[5]
			}
			name := text[a:b]
			if strings.Contains(q.Folded, name) {
				continue
			}
			start := utf8.RuneCountInString(text[:a])
			return s, analysis.Span{Start: start, End: start + utf8.RuneCountInString(name)}, true
		}
	}
	return nil, analysis.Span{}, false
}

// shortRef is the short answer a candidate gives (shown) at its passage's
// offsets, or nil.
func shortRef(q *question.Analysis, c *candidate) *spanRef {
	sp, ok := c.shown(q)
	if !ok {
		return nil
	}
	return c.sent.ref(withoutAskedNoun(q, c.sent.folded, withoutAskedItems(q, c.sent.folded, sp)))
}

// withoutAskedNoun takes off the end of a short answer that is the noun
// the question asks about, after a 的: 产生出了什么效果 is answered by
// 心理异化 of 心理异化的效果, 以什么样的罪名 by 散布异端 of 散布异端的罪名.
// Without the 的 the noun belongs to the answer's name (文化大革命 of 哪一
// 个革命, 凡尔赛条约 of 哪个条约): there it stays, as the answers of the
// development sets keep it.
func withoutAskedNoun(q *question.Analysis, t []rune, sp analysis.Span) analysis.Span {
	n := utf8.RuneCountInString(q.Head)
	if n < 2 || !strings.HasSuffix(string(t[sp.Start:sp.End]), "的"+q.Head) {
		return sp
	}
	if end := sp.End - n - 1; end-sp.Start >= 2 {
		sp.End = end
	}
	return sp
}

// itemSeparatorRE matches what joins the items of a list in a short answer.
var itemSeparatorRE = regexp.MustCompile(`、|以及|且`)

// withoutAskedItems takes off the start and the end of a short answer that
// lists things the items the question itself names: 「…原因有二，一项是地狭人
// 稠，另一项原因为?」 is answered by 都市化程度高 of 地狭人稠且都市化程度高. An
// item counts as named when the question writes it, or writes most of it
// (清廷派来的官吏素质低 of 初期清廷派来的官吏素质低). A list whose every
// item the question names stays whole.
func withoutAskedItems(q *question.Analysis, t []rune, sp analysis.Span) analysis.Span {
	text := string(t[sp.Start:sp.End])
	cuts := itemSeparatorRE.FindAllStringIndex(text, -1)
	if len(cuts) == 0 || strings.ContainsAny(text, quoteMarks) {
		return sp
	}
	// The items, as byte ranges of text.
	type item struct{ start, end int }
	var items []item
	from := 0
	for _, c := range cuts {
		items = append(items, item{from, c[0]})
		from = c[1]
	}
	items = append(items, item{from, len(text)})
	asked := func(it item) bool {
		w := []rune(text[it.start:it.end])
		if len(w) < 2 {
			return false
		}
		return longestRun(w, q.Runes) >= max(2, (len(w)*3+4)/5)
	}
	i, j := 0, len(items)
	for i < j && asked(items[i]) {
		i++
	}
	for j > i && asked(items[j-1]) {
		j--
	}
	if i == j || i == 0 && j == len(items) {
		return sp
	}
	start := sp.Start + utf8.RuneCountInString(text[:items[i].start])
	end := sp.Start + utf8.RuneCountInString(text[:items[j-1].end])
	if end-start < 2 {
		return sp
	}
	return analysis.Span{Start: start, End: end}
}

// shownText is the folded text of what shown shows, or "" when that
// answers nothing.
func (c *candidate) shownText(q *question.Analysis) string {
	sp, ok := c.shown(q)
	if !ok {
		return ""
	}
	return string(c.sent.folded[sp.Start:sp.End])
}

// shown is the part of its sentence the reader shows as the short answer
// when it chooses the candidate: the span, refined; ok is false when that
// answers nothing, as an English function word alone ("The" of "The
// happens before relation") does.
func (c *candidate) shown(q *question.Analysis) (sp analysis.Span, ok bool) {
	sp = refine(q, c.sent.folded, c.span)
	w := c.sent.folded[sp.Start:sp.End]
	return sp, slices.ContainsFunc(w, hanzi.IsHan) || analysis.IsContentTerm(strings.ToLower(string(w)))
}

// itemAsked finds, among the three best sentences, one that announces a
// list whose marked items (listItems) reach position n, and returns it
// with its n-th item; nil when none does.
func itemAsked(n int, best []*sentence) (announcement, item *sentence) {
	for _, s := range best[:min(3, len(best))] {
		if !announcesList(string(s.folded)) {
			continue
		}
		if items := listItems(s); len(items) >= n {
			return s, items[n-1]
		}
	}
	return nil, nil
}

// rank scores candidates with the span model, best first.
func (e extractive) rank(cs []*candidate) []*candidate {
	m := e.spans
	if m == nil {
		m = DefaultSpanModel()
	}
	xs := make([][]float64, len(cs))
	for i, c := range cs {
		xs[i] = c.features
	}
	order, scores := m.Rank(xs)
	out := make([]*candidate, len(cs))
	for k, i := range order {
		cs[i].score = scores[i]
		out[k] = cs[i]
	}
	return out
}

// factoidRunes bounds the answer to a factoid question when it quotes the
// best sentence beside the sentence holding the short answer.
const factoidRunes = 100

// compose writes the picked sentences, each followed by the marker of its
// passage, in script, never one sentence twice.
func compose(picks []*sentence, script hanzi.Script) string {
	var sents []*sentence
	seen := map[string]bool{}
	for _, s := range readingOrder(picks) {
		if key := string(s.folded); !seen[key] {
			seen[key] = true
			sents = append(sents, s)
		}
	}
	var b strings.Builder
	var last rune // the last character written
	for i, s := range sents {
		// The article's own note markers ("……成功[3]。") would read as
		// citations; the passage number replaces them.
		body := hanzi.Convert(s.script, script, strings.TrimSpace(stripMarkers(s.text)))
		// An answer whose last sentence is a clause of the article's
		// ("一是……；") ends as a sentence does, not on the semicolon that
		// said more was to come.
		if i == len(sents)-1 {
			body = strings.TrimRight(body, "；;")
		}
		// A sentence that announces the items after it ("……以下几个特征：")
		// keeps its colon after the marker; the answer's last sentence
		// ends as a sentence does.
		colon := ""
		if trimmed := strings.TrimRight(body, "：:"); trimmed != body {
			if i < len(sents)-1 {
				colon = body[len(trimmed):]
			}
			body = trimmed
		}
		text := placeMarkers(body, []int{s.passage + 1}) + colon
		// A sentence without a full stop (see unterminated, and the last
		// clause above) gets one, so that it does not run into the next.
		if r := analysis.LastNonCloser(body); colon == "" && r != 0 && !analysis.IsStop(r) && !analysis.IsLatinStop(r) {
			text += fullStop(r)
		}
		// Sentences written in Latin script are joined by a space, as
		// English writes them ("…relations[1]. w happens…"); after a
		// Chinese full stop nothing stands.
		if last != 0 && last < utf8.RuneSelf && !unicode.IsSpace(last) {
			b.WriteByte(' ')
		}
		if text != "" {
			b.WriteString(text)
			last, _ = utf8.DecodeLastRuneInString(text)
		}
	}
	return b.String()
}

// fullStop is the full stop that follows last, a sentence's last
// character: "." after Latin script, "。" after Chinese.
func fullStop(last rune) string {
	if last < utf8.RuneSelf {
		return "."
	}
	return "。"
}

// readingOrder returns the picks of each document in the order the
// document writes them, the documents in the order of their first pick: an
// answer that quotes two sentences of a paragraph reads as the paragraph
// does, and a statement that runs over both stays whole.
func readingOrder(picks []*sentence) []*sentence {
	rank := map[string]int{}
	for _, s := range picks {
		if _, ok := rank[s.doc]; !ok {
			rank[s.doc] = len(rank)
		}
	}
	out := slices.Clone(picks)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.doc != b.doc {
			return rank[a.doc] < rank[b.doc]
		}
		return a.pos < b.pos
	})
	return out
}

// pick takes the best sentence with what follows it when it is short, then
// up to maxSentences-1 more that score close to it, preferring ones that
// cover question terms the picks so far do not, skipping near-duplicates,
// and taking sentences of other documents only when they bring a rare
// focus term the picks lack: common word pairs shared with the question do
// not make a sentence of an unrelated article part of the answer.
func (e extractive) pick(q *question.Analysis, best *sentence, cands []*sentence, idf func(string) float64) []*sentence {
	picks := best.expanded(q.Type)
	covered := map[string]bool{}
	size := 0
	for _, p := range picks {
		size += len(p.folded)
		for t := range p.covers {
			covered[t] = true
		}
	}
	limit := e.maxSentences
	if limit <= 0 {
		limit = DefaultMaxSentences
	}
	maxIDF := 0.0
	for _, t := range q.Focus {
		maxIDF = math.Max(maxIDF, idf(t))
	}
	for _, c := range cands[1:] {
		if len(picks) >= limit || c.score < minMoreFactor*best.score {
			break
		}
		adds, addsRare := false, false
		for t := range c.covers {
			if !covered[t] {
				adds = true
				if idf(t) >= 0.6*maxIDF {
					addsRare = true
				}
			}
		}
		if !adds && c.score < moreFactor*best.score {
			continue
		}
		if !sameDocument(c, best) && !addsRare {
			continue
		}
		if contains(picks, c) || size+len(c.folded) > maxAnswerRunes || nearDuplicate(c, picks) {
			continue
		}
		picks = append(picks, c)
		size += len(c.folded)
		for t := range c.covers {
			covered[t] = true
		}
	}
	return picks
}

// answerParts makes sure each thing a compound question asks has its own
// best sentence in the answer. Read whole, the question is answered for
// the part whose words dominate it (「2021年美国从中国的进口额是多少？
// 2017年又是多少？」 finds the sentence of 2021); read part by part, with
// the words it borrows (question.Analysis.Borrowed), each part's best
// sentence among all the passages, its parts' included, that holds a word
// of its own joins the picks when they lack it, within maxAnswerRunes. A
// part that asks what something is takes the sentence that defines it
// (什么是G2？谁最先提出？). The parts read sentences of their own, split
// once and scored afresh for each part, so the whole question's scores
// stay as the answerability decision read them.
func (e extractive) answerParts(q *question.Analysis, ps []retrieval.Passage, picks []*sentence) []*sentence {
	sents := e.sentences(ps)
	if len(sents) == 0 {
		return picks
	}
	idf := e.idf(sents)
	var need []*sentence
	for _, pq := range answeredParts(q) {
		own := pq.FocusOrTerms()
		if len(own) == 0 {
			continue
		}
		e.score(pq, slices.Concat(own, pq.Borrowed), idf, sents)
		var b *sentence
		for _, s := range sents {
			if s.quotable && s.score > 0 && (b == nil || s.score > b.score) && coversAny(s, own) {
				b = s
			}
		}
		if pq.Type == question.Definition && pq.Subject != "" {
			byScore := slices.Clone(sents)
			sort.SliceStable(byScore, func(i, j int) bool { return byScore[i].score > byScore[j].score })
			if d := definingSentence(pq.Subject, byScore); d != nil {
				b = d
			}
		}
		if b != nil && !contains(picks, b) && !contains(need, b) && !nearDuplicate(b, picks) {
			need = append(need, b)
		}
	}
	// The parts' sentences come before what the whole question added
	// last: picks are in the order they were chosen, so the last go.
	for len(picks) > 1 && runesOf(picks)+runesOf(need) > maxAnswerRunes {
		picks = picks[:len(picks)-1]
	}
	for _, b := range need {
		if runesOf(picks)+len(b.folded) <= maxAnswerRunes {
			picks = append(picks, b)
		}
	}
	return picks
}

// partsReading is a compound question's parts, each read on its own in the
// passages its own search found, and the answerability model's
// probability for each.
type partsReading struct {
	results       []partResult
	readings      []reading
	probabilities []float64
}

// readParts reads each part of a compound question in the passages its own
// search found and measures it as a question of its own with m; nil when
// there are no parts or one finds nothing to quote.
func (e extractive) readParts(m *LinearModel, parts []partResult, script hanzi.Script) *partsReading {
	if len(parts) < 2 {
		return nil
	}
	// The verifier's marks are for the whole question's passages; these
	// are others, checked by the reader itself.
	e.quarantined = nil
	out := &partsReading{results: parts}
	for _, pr := range parts {
		if len(pr.res.Passages) == 0 {
			return nil
		}
		rd := e.read(pr.q, pr.res.Passages, len(pr.res.Passages), script)
		if rd.raw == "" {
			return nil
		}
		out.readings = append(out.readings, rd)
		out.probabilities = append(out.probabilities, m.Probability(Vector(measure(pr.q, pr.res, rd))))
	}
	return out
}

// least is the probability of the part least likely answered.
func (p *partsReading) least() float64 { return slices.Min(p.probabilities) }

// passages are those the parts' searches found, in the order found.
func (p *partsReading) passages() []retrieval.Passage {
	var out []retrieval.Passage
	for _, pr := range p.results {
		out = append(out, pr.res.Passages...)
	}
	return out
}

// compose is the reading of the question that the parts' readings make
// together, citing ps, which holds every passage they quote: each part's
// first sentence, then each part's second, and so on while the answer
// stays within maxAnswerRunes; no sentence twice.
func (p *partsReading) compose(ps []retrieval.Passage, script hanzi.Script) reading {
	at := make(map[string]int, len(ps))
	for i, x := range ps {
		at[x.ID] = i
	}
	var picks []*sentence
	size := 0
	for k, more := 0, true; more; k++ {
		more = false
		for i, rd := range p.readings {
			if k >= len(rd.picks) {
				continue
			}
			more = true
			s := rd.picks[k]
			if contains(picks, s) || nearDuplicate(s, picks) || k > 0 && size+len(s.folded) > maxAnswerRunes {
				continue
			}
			// The part's sentences count its own passages; the answer
			// cites ps.
			s.passage = at[p.results[i].res.Passages[s.passage].ID]
			picks = append(picks, s)
			size += len(s.folded)
		}
	}
	return reading{raw: compose(picks, script), picks: picks}
}

// runesOf is the length of the sentences, in characters.
func runesOf(ss []*sentence) int {
	n := 0
	for _, s := range ss {
		n += len(s.folded)
	}
	return n
}

// coversAny reports whether s holds one of the terms.
func coversAny(s *sentence, terms []string) bool {
	for _, t := range terms {
		if s.covers[t] {
			return true
		}
	}
	return false
}

func sameDocument(a, b *sentence) bool { return a.doc == b.doc }

func contains(ss []*sentence, s *sentence) bool {
	for _, x := range ss {
		if x == s || string(x.folded) == string(s.folded) {
			return true
		}
	}
	return false
}

// minContextRunes is the length below which a picked sentence brings the
// sentences after it in its paragraph: a short sentence often only names
// the subject ("我认为本次马德里会谈具有承前启后的重要意义。") and the
// answer follows it.
const minContextRunes = 60

// expanded returns the sentence with the sentences that follow it in its
// paragraph until minContextRunes are reached, at most two more and never a
// question. A list question takes the sentences of the list that an
// announcing sentence ("有几个要素是必不可少的：") leads into.
func (s *sentence) expanded(t question.Type) []*sentence {
	out := []*sentence{s}
	n := len(s.folded)
	want, most := minContextRunes, 2
	step := func(x *sentence) *sentence { return x.next }
	if t == question.List && announcesList(string(s.folded)) {
		// An announced list whose items are marked (其一…其二…, 第一…
		// 第二…) is answered by its items, without the sentences that
		// explain each: they would spend the answer on the first item.
		if items := listItems(s); items != nil {
			return append(out, items...)
		}
		// The items of an announced list often stand in the paragraphs
		// that follow: 有几个要素是必不可少的。¶首先是要平等相待。
		want, most = 200, 4
		step = func(x *sentence) *sentence { return x.after }
	}
	for x := step(s); x != nil; x = step(x) {
		if n >= want || len(out) > most || !x.quotable {
			break
		}
		out = append(out, x)
		n += len(x.folded)
	}
	return out
}

// itemWords are the ordinals that open an item of a list, in folded text
// (其一是, 第二，, 三是, 首先, 其次), with the ordinal's word captured.
const itemWords = `(?:其([一二三四五六七八九十])|第([一二三四五六七八九十])(?:[，,、是]|个方面|点)|([一二三四五六七八九十])是|(首先|其次|再次|最后))`

// itemRE matches the ordinal that opens a sentence that is an item.
var itemRE = regexp.MustCompile(`^\s*` + itemWords)

// Bounds of the search for a list's items: how many sentences after the
// announcing one are read, and how many items are taken when the
// announcement does not count them.
const (
	listScan     = 16
	listItemsMax = 6
)

// listItems returns the items of the list that s announces: the sentences
// after it in its passage that open with ordinals or are numbered items
// counting up from the first (其一, 其二; 首先, 其次, 最后; 1. 2.), or
// bulleted items, at least two of them, and as many
// as the announcement counts (有两大特征) when it does; nil when there
// are fewer than two.
func listItems(s *sentence) []*sentence {
	limit := listItemsMax
	if n := announcedCount(string(s.folded)); n > 0 {
		limit = n
	}
	var items []*sentence
	next := 1
	k := 0
	for x := s.after; x != nil && k < listScan && len(items) < limit; x, k = x.after, k+1 {
		// A numbered or bulleted item stands as the list writes it, a
		// full stop or not (1. 平等相待), if a label is not all it holds;
		// another announcement before the first item begins another list.
		if !x.quotable && (x.item == 0 || wordRunes(x.text) < 2) {
			continue
		}
		if len(items) == 0 && announcesList(string(x.folded)) {
			break
		}
		n := x.item
		if n == bulletItem {
			n = next
		}
		if m := itemRE.FindStringSubmatch(string(x.folded)); m != nil {
			word := m[1] + m[2] + m[3] + m[4]
			n = analysis.OrdinalValue(word)
			if word == "最后" && len(items) > 0 {
				n = next
			}
		}
		if n == 0 {
			continue
		}
		if n != next {
			if len(items) > 0 {
				break // another list, or the count broke off
			}
			continue
		}
		items = append(items, x)
		next++
	}
	if len(items) < 2 {
		return nil
	}
	return items
}

// enumerationIn returns the short answer to a question that asks for a
// list: the items a picked sentence enumerates with 、, the last joined
// by a conjunction or not (扁掌龙族、倾齿龙族; 1、2、3、…、30和60). Of the
// enumerations in the picked sentences, the one the question's words
// stand closest around wins (the scientists for 「最早研究计算神经科学的
// 科学家有哪些？」, not the sciences another sentence lists), then the one
// in the better sentence, then the longer; nil when none enumerates.
func enumerationIn(q *question.Analysis, picks []*sentence) *spanRef {
	var best *spanRef
	var bestSent *sentence
	bestNear, most := -1, 0
	for _, s := range picks {
		t := s.folded
		for k := 0; k < len(t); k++ {
			if t[k] != '、' {
				continue
			}
			sp, n := enumerationAt(t, k)
			k = sp.End
			if n < 2 {
				continue
			}
			near := questionCharsAround(q, s.name, t, sp)
			if near > bestNear || near == bestNear && (s.score > bestSent.score || s == bestSent && n > most) {
				bestNear, most, bestSent = near, n, s
				best = s.ref(sp)
			}
		}
	}
	return best
}

// enumerationReach is how far before and after an enumeration the
// question's words are looked for.
const enumerationReach = 6

// questionCharsAround counts the Han characters within enumerationReach
// before and after sp in t that the question also holds, but for those of
// the name of the document's subject, which every sentence of it is about.
func questionCharsAround(q *question.Analysis, subject, t []rune, sp analysis.Span) int {
	n := 0
	for _, w := range [][]rune{t[max(0, sp.Start-enumerationReach):sp.Start], t[sp.End:min(len(t), sp.End+enumerationReach)]} {
		for _, r := range w {
			if hanzi.IsHan(r) && slices.Contains(q.Runes, r) && !slices.Contains(subject, r) {
				n++
			}
		}
	}
	return n
}

// enumerationAt returns the enumeration whose first 、 is t[first], and
// how many items it holds (0 when an item is missing or is one character
// that is no digit or letter). The first item runs back from that 、, and
// the last on from the last 、, to a separator, a particle other than 之
// (曾之乔 is a name) or a function word; a conjunction there (和, 与, 及,
// 以及, 或) joins one more item.
func enumerationAt(t []rune, first int) (analysis.Span, int) {
	start := first
	for start > 0 && !isSeparator(t, start-1) && !strings.ContainsRune(itemEnders, t[start-1]) && !endsFunctionWord(t[:start], start) {
		start--
	}
	if start == first {
		return analysis.Span{Start: first, End: first + 1}, 0
	}
	items := []analysis.Span{{Start: start, End: first}}
	last := first
	for {
		end := last + 1
		for end < len(t) && !isSeparator(t, end) {
			end++
		}
		if end < len(t) && t[end] == '、' {
			items = append(items, analysis.Span{Start: last + 1, End: end})
			last = end
			continue
		}
		e := itemEnd(t, last+1, end)
		items = append(items, analysis.Span{Start: last + 1, End: e})
		if c := conjunctionAt(t, e, end); c > 0 {
			if e2 := itemEnd(t, e+c, end); e2 > e+c {
				items = append(items, analysis.Span{Start: e + c, End: e2})
			}
		}
		break
	}
	for _, it := range items {
		if it.Len() == 0 || it.Len() == 1 && !(t[it.Start] < utf8.RuneSelf && isASCIIAlnum(byte(t[it.Start]))) {
			return analysis.Span{Start: first, End: items[len(items)-1].End}, 0
		}
	}
	items[0] = withoutOuterVerb(t, items[0], items[1:], true)
	items[len(items)-1] = withoutOuterVerb(t, items[len(items)-1], items[:len(items)-1], false)
	sp := analysis.Span{Start: items[0].Start, End: items[len(items)-1].End}
	if !balanced(t[sp.Start:sp.End]) {
		return sp, 0 // cut through a title: 战略》报告、《2026
	}
	return sp, len(items)
}

// itemEnders end the outer items of an enumeration: the particles, but
// for 之, which names hold.
var itemEnders = strings.ReplaceAll(particles, "之", "")

// itemEnd returns where the item that starts at t[k] ends, at or before
// t[end]: at a particle of itemEnders or a function word after its first
// character (曾之乔: 曾 is also a surname), except inside a protected word
// (共和国).
func itemEnd(t []rune, k, end int) int {
	if k < end {
		k++
	}
	for k < end {
		if p := protectedAt(t, k, end); p > 0 {
			k += p
			continue
		}
		if strings.ContainsRune(itemEnders, t[k]) || functionWordAt(t, k, end) > 0 {
			break
		}
		k++
	}
	return k
}

// withoutOuterVerb returns an outer item of an enumeration, when it is
// longer than each of the others, without what stands outside a verb in
// it: for the first item, up to the last verb (著作有《精神科学导言》), for
// the last, from the first. The verb is a common word of the lexicon's
// verbal class of two characters or more, or 有, 是, 为 or 如 (主演 is a
// noun there, so 曾之乔主演 stays whole); two characters remain.
func withoutOuterVerb(t []rune, item analysis.Span, others []analysis.Span, first bool) analysis.Span {
	for _, o := range others {
		if o.Len() >= item.Len() {
			return item
		}
	}
	w := t[item.Start:item.End]
	if first {
		for k := len(w) - 2; k > 0; k-- {
			if anyWordAt(w, k, maxEdgeWord, false, isItemVerb) {
				return analysis.Span{Start: item.Start + k, End: item.End}
			}
		}
		return item
	}
	for k := 2; k < len(w); k++ {
		if anyWordAt(w, k, maxEdgeWord, true, isItemVerb) {
			return analysis.Span{Start: item.Start, End: item.Start + k}
		}
	}
	return item
}

// isItemVerb reports whether w is a verb that withoutOuterVerb cuts at.
func isItemVerb(w []rune) bool {
	if len(w) == 1 {
		return strings.ContainsRune("有是为如", w[0])
	}
	return isVerbal(w)
}

// balanced reports whether every 《 in w is closed by a 》 after it, and
// every 》 opened.
func balanced(w []rune) bool {
	open := 0
	for _, r := range w {
		switch r {
		case '《':
			open++
		case '》':
			if open--; open < 0 {
				return false
			}
		}
	}
	return open == 0
}

// conjunctionAt returns the length of the conjunction at t[k:end] that
// joins the last item of an enumeration (和, 与, 及, 以及, 或, 或者), or 0.
func conjunctionAt(t []rune, k, end int) int {
	for _, c := range []string{"以及", "或者", "和", "与", "及", "或"} {
		if c := []rune(c); k+len(c) <= end && slices.Equal(t[k:k+len(c)], c) {
			return len(c)
		}
	}
	return 0
}

// listCutOff reports whether the list s announces goes on past the end of
// its passage: the announcement counts its items (有两大特征) and fewer
// stand in the passage, which ends within listScan sentences after it; or
// it ends in a colon and is the passage's last sentence. An announcement
// that does not count (一方面, 有以下几点) is no evidence that any item is
// missing.
func listCutOff(s *sentence) bool {
	k := 0
	for x := s.after; x != nil; x = x.after {
		if k++; k >= listScan {
			return false
		}
	}
	if n := announcedCount(string(s.folded)); n > 0 {
		return len(listItems(s)) < n
	}
	return k == 0 && strings.ContainsAny(string(analysis.LastNonCloser(s.text)), "：:")
}

// inlineItemRE finds the items of a list inside the sentence that
// announces it, each after a colon, a comma or a semicolon, in folded
// text.
var inlineItemRE = regexp.MustCompile(`[：:，,；;]\s*` + itemWords)

// countRE finds how many items a sentence announces: 有两大, 分为三个
// 方面; not the 九大 of 第九大 (a party congress).
var countRE = regexp.MustCompile(`(?:有|包括|分为|分成|归纳为|概括为|提出了?|以下|如下)([两二三四五六七八九十])(?:个|点|项|条|种|类|大)`)

// announcedCount is the number of items folded sentence s announces, or
// 0 when it does not say.
func announcedCount(s string) int {
	if m := countRE.FindStringSubmatch(s); m != nil {
		return analysis.OrdinalValue(m[1])
	}
	return 0
}

// listRE matches a sentence that announces a list rather than giving it:
// it ends in a colon, or counts what follows ("有三点", "有两大", "以下几个
// 方面").
var listRE = regexp.MustCompile(`[：:]\s*$|有[几一二三四五六七八九十两][个点项条种类大]|(?:以下|如下|下列|这|这些)[^。]{0,6}(?:几|[一二三四五六七八九十两]|[0-9])?(?:个|点|项|条|方面|要素|阶段|措施)|[一二三四五六七八九十两几][个点项条大]?(?:方面|要素|阶段|措施|原因|原则|特点|特征|因素|后果|问题)`)

// announcesList reports whether folded sentence f announces a list. A
// sentence that holds its items (有两种方式：一是…，二是…) gives the
// list: at least two, and as many as it counts.
func announcesList(f string) bool {
	return listRE.MatchString(f) && len(inlineItemRE.FindAllString(f, -1)) < max(2, announcedCount(f))
}

// sentences splits the passages into sentence units, paragraph by
// paragraph, joining a clause that ends in ；or ：with what follows it up
// to the sentence end. Passages that hold instructions to the model are
// left out, and a sentence already seen in an overlapping passage is not
// repeated.
func (e extractive) sentences(ps []retrieval.Passage) []*sentence {
	var out []*sentence
	seen := map[string]bool{}
	para := 0
	for i, p := range ps {
		if e.quarantined != nil && e.quarantined[i] || e.quarantined == nil && hasInjection(p.Text) {
			continue
		}
		var last *sentence // the passage's previous sentence
		title := analysis.TermSet(string(analysis.FoldRunes(p.Title)))
		var name []rune
		if n := subjectName(p.Title); n != "" {
			name = analysis.FoldRunes(n)
		}
		text := []rune(p.Text)
		folded := []rune(p.Folded)
		if len(folded) != len(text) {
			folded = analysis.FoldRunes(p.Text)
		}
		for start := 0; start < len(text); {
			end := start
			for end < len(text) && text[end] != '\n' {
				end++
			}
			var prev *sentence
			marker, number := label(text[start:end])
			entry := marker > 0 && entryRE.MatchString(string(text[start+marker:end]))
			for k, sp := range units(text, start+marker, end) {
				inner, item := 0, 0 // a numbered point within the paragraph
				if k == 0 {
					item = number
				} else {
					inner, item = label(text[sp.Start:sp.End])
					sp.Start += inner
				}
				s := &sentence{passage: i, doc: p.DocID, script: p.Script, title: title, name: name, span: sp, pos: p.Start + sp.Start, text: string(text[sp.Start:sp.End]), folded: folded[sp.Start:sp.End], para: para}
				s.item = item
				s.quotable, s.caption = quotable(s.text, item != 0)
				if entry || (marker > 0 || inner > 0) && citesSource(s.text) {
					s.quotable = false
				}
				key := string(s.folded)
				if seen[key] {
					prev = nil
					continue
				}
				seen[key] = true
				s.terms = map[string]int{}
				for _, t := range analysis.FoldedTerms(key) {
					s.terms[t]++
					s.length++
				}
				if prev != nil {
					prev.next, s.prev = s, prev
				}
				if last != nil {
					last.after = s
				}
				prev, last = s, s
				out = append(out, s)
			}
			para++
			start = end + 1
		}
	}
	return out
}

// maxUnitRunes bounds a sentence joined from ；-clauses.
const maxUnitRunes = 200

// units returns the sentence units of text[from:to], one paragraph.
func units(text []rune, from, to int) []analysis.Span {
	var out []analysis.Span
	for _, sp := range analysis.Sentences(text, from, to) {
		if n := len(out); n > 0 {
			last := out[n-1]
			end := analysis.LastNonCloser(string(text[last.Start:last.End]))
			if strings.ContainsRune("；;：:", end) && sp.End-last.Start <= maxUnitRunes {
				out[n-1].End = sp.End
				continue
			}
		}
		out = append(out, sp)
	}
	return out
}

// The fewest letters and digits of a sentence that may be quoted, and of
// a list item's.
const (
	minQuoteRunes = 6
	minItemRunes  = 4
)

// quotable reports whether a sentence may be quoted as (part of) an
// answer: not a question (an interviewer's question restates what the user
// asked without answering it), not a heading or fragment without a
// sentence end, not a reference; and whether it is a photo caption. A
// sentence is a fragment under minQuoteRunes letters and digits, a list
// item's first under minItemRunes: an item says its point briefly
// (1. 要平等相待。).
func quotable(s string, item bool) (ok, caption bool) {
	end := analysis.LastNonCloser(s)
	least := minQuoteRunes
	if item {
		least = minItemRunes
	}
	if analysis.IsQuestionMark(end) || !analysis.IsStop(end) && end != '.' && !unterminated(s) || wordRunes(s) < least || isReference(s) {
		return false, false
	}
	return true, isCaption(s)
}

// unterminated reports a paragraph's last sentence that lost its full
// stop, as encyclopedia extracts and scraped pages often end: one of at
// least unterminatedRunes letters and digits, in clauses. A heading is
// shorter and is not written in clauses; a photo's caption is not an
// unfinished sentence.
func unterminated(s string) bool {
	return wordRunes(s) >= unterminatedRunes && strings.ContainsAny(s, "，,") && !photoRE.MatchString(s)
}

// unterminatedRunes is the length from which an unterminated line with
// clauses reads as a sentence rather than a heading.
const unterminatedRunes = 16

// score scores every sentence for the question.
func (e extractive) score(q *question.Analysis, focus []string, idf func(string) float64, sents []*sentence) {
	total, avg := 0.0, 0.0
	for _, t := range focus {
		total += idf(t)
	}
	for _, s := range sents {
		avg += float64(s.length)
	}
	avg /= float64(len(sents))
	exactTerms := q.Constraints()
	paras := map[int]map[string]bool{}
	for _, s := range sents {
		if paras[s.para] == nil {
			paras[s.para] = map[string]bool{}
		}
		for t := range s.terms {
			paras[s.para][t] = true
		}
	}
	bm := make([]float64, len(sents))
	maxBM := 0.0
	for i, s := range sents {
		s.covers = map[string]bool{}
		cov := 0.0
		for _, t := range focus {
			tf := float64(s.terms[t])
			if tf == 0 && !(analysis.IsExactTerm(t) && strings.Contains(string(s.folded), t)) {
				if len(s.name) > 0 && s.title[t] {
					// Every sentence of an article is about the subject
					// its title names, whether it repeats the name or
					// says 牠们 or 该市: the name's terms count for all
					// of them alike.
					cov += idf(t) / 2
				}
				continue
			}
			s.covers[t] = true
			if s.title[t] {
				cov += idf(t) / 2
			} else {
				cov += idf(t)
			}
			bm[i] += analysis.BM25(idf(t), math.Max(tf, 1), float64(s.length), avg)
		}
		if total > 0 {
			s.cov = cov / total
		}
		maxBM = math.Max(maxBM, bm[i])
	}
	for i, s := range sents {
		exact := 1.0
		if len(exactTerms) > 0 {
			hit := 0
			compact := analysis.Compact(string(s.folded))
			for _, t := range exactTerms {
				if analysis.ContainsWhole(compact, t) {
					hit++
				}
			}
			exact = float64(hit) / float64(len(exactTerms))
		}
		pcov, ncov := 0.0, 0.0
		for _, t := range focus {
			w := idf(t)
			if s.title[t] {
				w /= 2
			}
			if nearby(s, t) {
				pcov += w
			}
			if s.prev != nil && !s.covers[t] && s.prev.covers[t] {
				ncov += w
			}
		}
		if total > 0 {
			pcov /= total
			ncov /= total
		}
		s.score = wCoverage*s.cov + wPara*pcov + wNeighbour*ncov + wExact*exact + wRank/float64(1+s.passage)
		if maxBM > 0 {
			s.score += wBM25 * bm[i] / maxBM
		}
		// A question about 2025 is not answered by a sentence about 2021.
		if len(exactTerms) > 0 {
			s.score *= 0.5 + 0.5*exact
		}
		if s.caption {
			s.score *= captionFactor
		}
		if len(s.covers) == 0 && ncov == 0 {
			s.score = 0
		}
	}
}

// windowMatch measures how much of the question a window of sentences
// restates: the share of the question's content characters it holds, the
// IDF-weighted share of the focus terms the title does not name, and the
// longest run of question characters it repeats, over the question's
// content characters. A question written from a sentence shares long runs
// with it; one whose answer was never written shares the article's
// subject, named in its title, and little else. A question with no Han
// content characters (an English one) counts its focus terms, words, in
// their place: read as characters, it shares none with any window, and
// the answerability model took its every passage for one that does not
// answer.
func windowMatch(q *question.Analysis, focus []string, idf func(string) float64, title map[string]bool, w []*sentence) (chars, specific, run float64) {
	var text strings.Builder
	for _, s := range w {
		if s != nil {
			text.WriteString(string(s.folded))
			text.WriteByte('\n')
		}
	}
	win := text.String()
	var content []rune
	for i, r := range q.Runes {
		if (i < q.Wh.Start || i >= q.Wh.End) && hanzi.IsHan(r) && !strings.ContainsRune(particles, r) {
			content = append(content, r)
		}
	}
	if len(content) > 0 {
		hit := 0
		for _, r := range content {
			if strings.ContainsRune(win, r) {
				hit++
			}
		}
		chars = float64(hit) / float64(len(content))
		run = float64(longestRun(q.Runes, []rune(win))) / float64(len(content))
	} else if len(focus) > 0 {
		hit := 0
		for _, t := range focus {
			if strings.Contains(win, t) {
				hit++
			}
		}
		chars = float64(hit) / float64(len(focus))
	}
	total, got := 0.0, 0.0
	for _, t := range focus {
		if title[t] {
			continue
		}
		total += idf(t)
		if strings.Contains(win, t) {
			got += idf(t)
		}
	}
	if total > 0 {
		specific = got / total
	} else {
		specific = 1
	}
	return chars, specific, math.Min(run, 1)
}

// longestRun is the length of the longest run of Han characters that a
// and b share.
func longestRun(a, b []rune) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	best := 0
	for i := range a {
		for j := range b {
			if a[i] == b[j] && hanzi.IsHan(a[i]) {
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

// nearby reports whether a sentence or one of the two sentences on each
// side of it in its paragraph holds term t: a sentence's context, which a
// whole long paragraph is not.
func nearby(s *sentence, t string) bool {
	if s.terms[t] > 0 {
		return true
	}
	for x, k := s.prev, 0; x != nil && k < 2; x, k = x.prev, k+1 {
		if x.terms[t] > 0 {
			return true
		}
	}
	for x, k := s.next, 0; x != nil && k < 2; x, k = x.next, k+1 {
		if x.terms[t] > 0 {
			return true
		}
	}
	return false
}

// constraintsAway is the share of the question's constraints (its
// numbers, Latin names and titles) and of the well-known names it writes
// (question.Analysis.Known) that the passages hold but a sentence, its
// neighbours and its document's title do not: a question about 2021
// answered from a sentence about 2020, or about trade with 日本 from one
// about trade with others, while the passages name them elsewhere. 0 when
// the passages hold none of them (constraints_found and rarest_missing
// weigh those). Numbers are compared without white space or grouping
// commas (2021 年 in a PDF's text).
func constraintsAway(q *question.Analysis, s *sentence, title string, passages []retrieval.Passage) float64 {
	cs := slices.Concat(q.Constraints(), q.Known)
	if len(cs) == 0 {
		return 0
	}
	var w, all strings.Builder
	for _, x := range []*sentence{s.prev, s, s.next} {
		if x != nil {
			w.WriteString(string(x.folded))
			w.WriteByte('\n')
		}
	}
	w.WriteString(string(analysis.FoldRunes(title)))
	for _, p := range passages {
		all.WriteString(p.Folded)
		all.WriteByte('\n')
		all.WriteString(string(analysis.FoldRunes(p.Title)))
		all.WriteByte('\n')
	}
	// Each text twice: with white space, for Latin names, and compact,
	// for the rest.
	window := [2]string{w.String(), analysis.Compact(w.String())}
	held := [2]string{all.String(), analysis.Compact(all.String())}
	found, away := 0, 0
	for _, c := range cs {
		form := 1
		if slices.Contains(q.Names, c) {
			form = 0
		}
		c = analysis.Compact(c)
		if analysis.ContainsWhole(held[form], c) {
			found++
			if !analysis.ContainsWhole(window[form], c) {
				away++
			}
		}
	}
	if found == 0 {
		return 0
	}
	return float64(away) / float64(found)
}

// windowCoverage is the IDF-weighted share of the focus terms that a
// sentence and its neighbours hold together.
func windowCoverage(s *sentence, focus []string, idf func(string) float64) float64 {
	total, got := 0.0, 0.0
	for _, t := range focus {
		total += idf(t)
		if s.covers[t] || s.prev != nil && s.prev.covers[t] || s.next != nil && s.next.covers[t] {
			got += idf(t)
		}
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// afterLeadingVerb returns where sp starts without the verb it opens
// with, and without the words that are no nouns before that verb (更 of
// 更表明): 西半球 of 更表明西半球. Words are read longest first, so a
// name the lexicon holds whole is read whole (联合国大会 opens with
// 联合国, not with the verb 联合); a verb is two characters at least, as
// a character alone may be a surname (任, 解); two characters are left.
// sp.Start when it opens with no verb.
func afterLeadingVerb(t []rune, sp analysis.Span) int {
	start := sp.Start
	for k := sp.Start; k < sp.End; {
		n, class := analysis.WordAt(t[k:sp.End], 1, maxEdgeWord)
		if n == 0 || class != analysis.Verbal {
			break
		}
		if k += n; n >= 2 && analysis.IsVerb(string(t[k-n:k])) {
			start = k
		}
	}
	if sp.End-start < 2 {
		return sp.Start
	}
	return start
}

// beforeTrailingVerb returns where sp ends without the verb of two
// characters or more it ends with (举行 of 康士坦丁堡举行), when two
// characters are left; sp.End otherwise.
func beforeTrailingVerb(t []rune, sp analysis.Span) int {
	n, _ := analysis.WordEnding(t[sp.Start:sp.End], 2, maxEdgeWord)
	if n == 0 || !analysis.IsVerb(string(t[sp.End-n:sp.End])) || sp.Len()-n < 2 {
		return sp.End
	}
	return sp.End - n
}

// transliterationStart returns where the run of transliterating
// characters that sp starts inside of begins (哈 of 国王哈康五世), when
// the run is two characters or more, what it adds is no common word and
// what stands before it ends one; sp.Start otherwise.
func transliterationStart(t []rune, sp analysis.Span) int {
	if sp.Len() == 0 || !isTransliterating(t[sp.Start]) {
		return sp.Start
	}
	k := sp.Start
	for k > 0 && isTransliterating(t[k-1]) {
		k--
	}
	// The run is the characters before the span and its first at least.
	if k == sp.Start || endsAWord(t[k:sp.Start]) || k > 0 && !endsAWord(t[:k]) {
		return sp.Start
	}
	return k
}

// latinNameAround returns the name in Latin words (latinNames) that sp,
// a part of it, stands in, when the words it adds are not the
// question's; sp otherwise.
func latinNameAround(q *question.Analysis, t []rune, sp analysis.Span) analysis.Span {
	for _, n := range latinNames(t) {
		if n == sp || sp.Start < n.Start || n.End < sp.End {
			continue
		}
		added := strings.Fields(string(t[n.Start:sp.Start]) + " " + string(t[sp.End:n.End]))
		if slices.ContainsFunc(added, func(w string) bool { return strings.Contains(q.Folded, w) }) {
			return sp
		}
		return n
	}
	return sp
}

// focusIn returns the IDF-weighted share of the focus terms held by the
// passages of document doc.
func focusIn(focus []string, idf func(string) float64, sents []*sentence, doc string) float64 {
	total, got := 0.0, 0.0
	for _, t := range focus {
		total += idf(t)
		for _, s := range sents {
			if s.doc == doc && s.covers[t] {
				got += idf(t)
				break
			}
		}
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// presence measures how much of the question's focus the passages hold at
// all: the IDF of the rarest focus term held by none, relative to the
// rarest focus term, and the IDF-weighted share of focus terms held by the
// document of the best-scoring sentence.
func presence(focus []string, idf func(string) float64, sents []*sentence) (rarestMissing, inDoc float64) {
	var best *sentence
	for _, s := range sents {
		if best == nil || s.score > best.score {
			best = s
		}
	}
	maxIDF := 0.0
	for _, t := range focus {
		maxIDF = math.Max(maxIDF, idf(t))
	}
	for _, t := range focus {
		if maxIDF > 0 && !slices.ContainsFunc(sents, func(s *sentence) bool { return s.covers[t] }) {
			rarestMissing = math.Max(rarestMissing, idf(t)/maxIDF)
		}
	}
	if best != nil {
		inDoc = focusIn(focus, idf, sents, best.doc)
	}
	return rarestMissing, inDoc
}

// idf returns the corpus IDF when there are term weights, else an IDF over
// the sentences.
func (e extractive) idf(sents []*sentence) func(string) float64 {
	if e.weights != nil {
		return e.weights.IDF
	}
	df := map[string]int{}
	for _, s := range sents {
		for t := range s.terms {
			df[t]++
		}
	}
	n := len(sents)
	return func(t string) float64 { return analysis.IDF(n, df[t]) }
}

// nearDuplicate reports whether c shares most of its terms with a pick.
func nearDuplicate(c *sentence, picks []*sentence) bool {
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
	for end > 0 && (analysis.IsStop(rs[end-1]) || analysis.IsCloser(rs[end-1]) || rs[end-1] == '.') {
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

// captionRE matches a sentence that ends with a credit in brackets, such
// as "（Reuters）" or "（新华社）", as photo captions do.
var captionRE = regexp.MustCompile(`[（(][^（()）]{1,24}[)）]\s*[。.]?\s*$`)

// photoRE matches what only a photo's caption says: "▲……", "图为……", a
// photographer's credit ("……摄)") or the picture's source.
var photoRE = regexp.MustCompile(`^\s*▲|图为|圖為|图片来源|圖片來源|[摄攝]\s*[)）]`)

func isCaption(s string) bool { return photoRE.MatchString(s) || captionRE.MatchString(s) }

// webAddressRE matches a sentence that carries a web address: a source
// cited, not something said.
var webAddressRE = regexp.MustCompile(`https?://|www\.`)

func isReference(s string) bool { return webAddressRE.MatchString(s) }

// labelRE matches the label that opens a note or a list item: "[1] ",
// "[*] ", "［1］", "〔1〕" as a document's notes are written after its body;
// "1. ", "1、", "(1)", "（1）", "1)", "（一）", "一、", "一．", "①" as
// reports, Word files, slides and PDFs number their points and their
// bibliographies (the item's number is captured); a bullet ("• ", "- ",
// "* ", "■") as they mark points without numbers.
var labelRE = regexp.MustCompile(`^\s*(?:[\[［〔]\s*(?:[0-9０-９]{1,3}|\*{1,3})\s*[\]］〕]|[(（]\s*([0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})\s*[)）]|([0-9０-９]{1,3})\s*[.．、)）]|([一二三四五六七八九十]{1,3})[、．]|([①-⑳])|(` + bulletClass + `|[-*]\s))\s*`)

// bulletClass matches the characters documents mark an unnumbered list's
// items with; not the middle dot, which joins the parts of a name.
const bulletClass = `[•●○◦▪■□◆◇➢►‣∙]`

// bulletItem is the item number of a bulleted item: it is counted where
// it stands.
const bulletItem = -1

// maxLabelRunes bounds a label and the spaces after it ("（十二） ").
const maxLabelRunes = 12

// numerals are the Chinese numerals a list's items are counted with.
const numerals = "一二三四五六七八九十"

// labelStarts are the characters a label may open with, besides digits.
const labelStarts = "[［〔(（一二三四五六七八九十①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳•●○◦▪■□◆◇➢►‣∙-*"

// label returns the length in runes of the label that opens a note
// paragraph or a list item, or 0, and the item's number (0 for a note or
// past 十, bulletItem for a bullet). The text after it is read without
// it: a footnote or a point that says something (据统计，……人数为26.59万)
// is quoted as the document's words, and a label never passes for a
// citation of the answer. A number that goes on ("1.36%是混血儿",
// "10、20年代", "一、二年级") is no label.
func label(text []rune) (n, item int) {
	i := 0
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	if i == len(text) || !strings.ContainsRune(labelStarts, text[i]) && !isDigit(text[i]) {
		return 0, 0
	}
	// A label is short: the pattern reads a few runes past the spaces,
	// not the whole paragraph.
	t := string(text[:min(len(text), i+maxLabelRunes)])
	m := labelRE.FindStringSubmatchIndex(t)
	if m == nil {
		return 0, 0
	}
	n = utf8.RuneCountInString(t[:m[1]])
	if n == len(text) || isDigit(text[n]) || m[6] >= 0 && strings.ContainsRune(numerals, text[n]) {
		return 0, 0
	}
	for g := 2; g < len(m); g += 2 {
		if m[g] < 0 {
			continue
		}
		w := t[m[g]:m[g+1]]
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case g == 10:
			item = bulletItem
		case r >= '①' && r <= '⑳':
			item = int(r-'①') + 1
		case isDigit(r):
			for _, d := range w {
				item = item*10 + digitValue(d)
			}
		default:
			item = analysis.OrdinalValue(w)
		}
	}
	return n, item
}

// digitValue is the value of an ASCII or full-width digit.
func digitValue(r rune) int {
	if r >= '０' {
		return int(r - '０')
	}
	return int(r - '0')
}

// isDigit reports an ASCII or full-width digit.
func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

// sourceRE matches a sentence of a note or a numbered entry that cites a
// source: it opens with a title, after an author and a colon or a "see"
// (《……》，外交部网站; 白云怡：《……》; 参见《……》; “China's Growing Global
// Fan Club,” The Economist), with an author and a title (The White House,
// “National Security Strategy……”; 博鳌亚洲论坛，《……》), or it gives an issue
// or pages (第5期，第109-113页; pp.17-24; p.9).
var sourceRE = regexp.MustCompile(`^\s*(?:参见|参阅|详见|见|轉引自|转引自|引自|(?i:see|cf\.))?\s*(?:[^，,。；;：:《“"〈]{1,24}[：:]\s*)?[《〈“"]|^[^，,。“"《]{1,60}[,，]\s*[“"《]|第\s*[0-9０-９]+\s*[期卷]|第\s*[0-9０-９]+(?:\s*[-–—至]\s*[0-9０-９]+)?\s*[页頁]|\bpp?\.\s*[0-9]`)

// entryRE matches what only a bibliography's entry holds, wherever in the
// entry it stands: the kind of work as Chinese bibliographies mark it
// (GB/T 7714: 乡土中国[M]. 北京, [J], [EB/OL]), a year in brackets, a volume
// and issue, a DOI, an "et al." or an ISBN as English bibliographies and
// lists of books write them. An entry's sentences are split at its dots,
// and none of them is quoted.
var entryRE = regexp.MustCompile(`\[[A-Z]{1,2}(?:/[A-Z]{2})?\]|\([0-9]{4}[a-z]?\)\s*[.,]|[0-9]{4}\s*[,，]\s*[0-9]+\s*\([0-9]+\)|(?i:\bdoi\s*:|doi\.org/)|\bet al\.|\bISBN\b`)

// citesSource reports whether a sentence of a note or a numbered entry
// cites a source rather than saying something: such a sentence is not
// quoted.
func citesSource(s string) bool { return sourceRE.MatchString(s) || entryRE.MatchString(s) }

// shortAnswer places the reader's span in the final answer: the document
// offsets of the span, in the question's script, and the number of the
// citation of its passage. It is nil when there is no span, or when the
// sentence holding it did not survive verification.
func shortAnswer(a Answer, ps []retrieval.Passage, ref *spanRef, lang prompts.Language) *ShortAnswer {
	if ref == nil || ref.passage >= len(ps) {
		return nil
	}
	p := ps[ref.passage]
	rs := []rune(p.Text)
	if ref.span.Start < 0 || ref.span.End > len(rs) || ref.span.Start >= ref.span.End {
		return nil
	}
	words := string(rs[ref.span.Start:ref.span.End])
	if !strings.Contains(hanzi.Fold(stripMarkers(a.Text)), hanzi.Fold(words)) {
		return nil
	}
	for _, c := range a.Citations {
		if c.ChunkID == p.ID {
			return &ShortAnswer{Text: hanzi.Convert(p.Script, lang.Script(), words), Citation: c.N, DocID: p.DocID,
				Start: p.Start + ref.span.Start, End: p.Start + ref.span.End}
		}
	}
	return nil
}

// A reason is said with a word that introduces it (由于满洲是清朝的发祥地，
// 鉴于……的质疑), with 因 alone before the clause that draws its
// consequence with 而 (因镇压福建范汝为之乱不力而被削职) or at the start of
// a clause (因厦门大学教师教学质量不好，), as the ground something is done
// on (以患病为由) or its purpose (为了更有效率地处理国务，, 此后为了平息
// 游行，), as what brings something about (由肾病引起, 受河岸解冻及雨季降水
// 的影响, 是……的结果), or with a word that follows it and introduces the
// consequence (……的质疑，因此……); or, tried after those, as what is
// avoided (以免令天文台电话线路繁忙), what something comes with (随着湾仔
// 发展商业区，),
// the subject of a verb of bringing about (户籍制度造就了城乡之间的隔阂),
// what a sentence names the reason (原因之一是, 其原因最大的是), 因 after
// the words that open its clause (他和克莱蒙梭因英法两国……，, 后因生态问题
// ……，) or 为 before a verb of purpose (为摆脱石油危机，). reasonREs holds
// a pattern for each, in the order they are tried; each pattern's first
// group is the reason.
var (
	causeRE   = regexp.MustCompile(`(?:由于|因为|鉴于|基于|出于|原因是|原因在于|是因为|乃因|皆因)(` + inClause + `{2,40})`)
	becauseRE = regexp.MustCompile(`(?:^|[^原基诱起成主近远])因([^此素果应为` + clauseStops + `]` + inClause + `{1,29}?)而`)
	clauseRE  = regexp.MustCompile(`(?:^|[，,；;：:])因([^此素果应为而` + clauseStops + `]` + inClause + `{1,39})[，,]`)
	groundRE  = regexp.MustCompile(`以([^以` + clauseStops + `]{2,20})为由`)
	purposeRE = regexp.MustCompile(`(?:^|[，,；;：:])` + inClause + `{0,8}?为了(` + inClause + `{2,40})`)
	effectRE  = regexp.MustCompile(`(?:^|[，,；;：:])(` + inClause + `{2,40})[，,](?:因此|所以|因而|故而|从而|于是|以致|导致)`)
	avoidRE   = regexp.MustCompile(`以免(?:令|使|让)?(` + inClause + `{2,30})`)
	withRE    = regexp.MustCompile(`(?:^|[，,；;：:])(?:但|而)?(?:随着|随著|随住)(` + inClause + `{2,30})[，,]`)
	agentRE   = regexp.MustCompile(`(?:^|[，,；;：:])(?:但是|但|而|可是)?(` + inClause + `{2,20}?)(?:造成|导致|造就|引起|引发|促成)了?`)
	byRE      = regexp.MustCompile(`由(` + inClause + `{2,20}?)所?(?:引起|造成|导致|引发)`)
	underRE   = regexp.MustCompile(`受到?(` + inClause + `{2,20}?)的?影响`)
	resultRE  = regexp.MustCompile(`是(` + inClause + `{2,30})的结果`)
	namedRE   = regexp.MustCompile(`原因[^是` + clauseStops + `]{1,4}(?:是|在于)(` + inClause + `{2,40})`)
	laterRE   = regexp.MustCompile(`(?:^|[，,；;：:])` + inClause + `{0,8}?[^原基诱起成主近远` + clauseStops + `]因([^此素果应为而` + clauseStops + `]` + inClause + `{1,39})[，,]`)
	forRE     = regexp.MustCompile(`(?:^|[，,；;：:])` + inClause + `{0,8}?为((?:` + purposeVerbs + `)` + inClause + `{1,30})[，,]`)
	reasonREs = []*regexp.Regexp{causeRE, becauseRE, clauseRE, groundRE, purposeRE, byRE, underRE, resultRE, effectRE, avoidRE, withRE, agentRE, namedRE, laterRE, forRE}
)

// purposeVerbs are verbs that say, after 为 (for), what something is
// done for: 为摆脱石油危机，, 为避免……的对冲，. 为 alone is also 是 (is),
// 被 (by) and 替 (for someone), so only these make it a purpose.
const purposeVerbs = "避免|摆脱|纪念|防止|保护|解决|应对|满足|提高|加强|确保|促进|配合|庆祝|迎接|争取|适应|减少|缓解|抵御|对抗|报复|表彰|安置|容纳|方便|巩固|扩大|维持|维护|筹措|节省|降低"

// clauseStops are the marks a reason does not run across: the ends of
// clauses and sentences, and brackets; inClause matches a character
// that is none of them.
const (
	clauseStops = `，,。；;：:！!？?（）()`
	inClause    = `[^` + clauseStops + `]`
)

// causeIn returns the reason a why-question's picked sentences state, in
// the order they were picked (reasonREs), without the items of it the
// question names itself (withoutAskedItems); nil when none states one.
func causeIn(q *question.Analysis, picks []*sentence) *spanRef {
	for _, s := range picks {
		t := string(s.folded)
		for _, re := range reasonREs {
			m := re.FindStringSubmatchIndex(t)
			if m == nil {
				continue
			}
			// 由于X而Y: the reason is X.
			end := m[3]
			if k := strings.IndexRune(t[m[2]:m[3]], '而'); k >= 0 && utf8.RuneCountInString(t[m[2]:m[2]+k]) >= 2 {
				end = m[2] + k
			}
			return reasonRef(q, s, t, m[2], end)
		}
	}
	// Failing those, what comes before 而 or 后 (after) is the reason
	// when what follows it is what the question asks about: 脱脱被元廷
	// 大臣弹劾而功亏一篑 for 为什么功亏一篑, 卢沟桥事变后，中日两国进入
	// 全面战争状态 for 中日两国进入全面战争状态的原因.
	for _, s := range picks {
		t := string(s.folded)
		for _, re := range []*regexp.Regexp{thenRE, afterRE} {
			for _, m := range re.FindAllStringSubmatchIndex(t, -1) {
				if next := []rune(t[m[4]:m[5]]); !strings.Contains(q.Folded, string(next[:2])) {
					continue
				}
				return reasonRef(q, s, t, m[2], m[3])
			}
		}
	}
	return nil
}

// reasonRef is the reason that stands in t, sentence s's folded text, from
// byte from to byte to, without what the question names itself.
func reasonRef(q *question.Analysis, s *sentence, t string, from, to int) *spanRef {
	start := utf8.RuneCountInString(t[:from])
	sp := analysis.Span{Start: start, End: start + utf8.RuneCountInString(t[from:to])}
	return s.ref(withoutAskedItems(q, s.folded, sp))
}

// thenRE and afterRE match a clause's words before 而 (and so) and before
// 后 (after) as their first group, and what follows as their second, two
// characters at least.
var (
	thenRE  = regexp.MustCompile(`(?:^|[，,；;：:])(` + inClause + `{2,30}?)而(` + inClause + `{2,})`)
	afterRE = regexp.MustCompile(`(?:^|[，,；;：:])(` + inClause + `{2,30}?)(?:之后|以后|后)[，,]?(` + inClause + `{2,})`)
)

// refine trims the short answer the span model chose to the words that
// answer: a preposition before it or a function word at either end is not
// part of it (与|汉斯·戴尔特·苏伊士, 当时由|约翰·温克尔曼, 朱尔·雷邦德|于), and
// the counter a number question asks in belongs to the number the
// sentence writes it after (第几区: 第三 + 区), the noun the question asks
// about takes the words before it (什么部队: 公安边防 + 部队), and a question of which year
// or month is answered by the year or the month (哪一年: 2009年5月 →
// 2009年). A trim that would leave one
// character is not made: 曾德 and 和约 are words. The span model's
// candidates and features are untouched: this reads the one it chose.
func refine(q *question.Analysis, t []rune, sp analysis.Span) analysis.Span {
	// A count opens no name and no thing (一位德国 answers with 德国, 一种
	// 现代主义 with 现代主义), nor does a verb of having or naming (有七星石,
	// 称岩石圈). Either goes when two characters are left.
	if q.Type != question.Number && q.Type != question.Date {
		text := string(t[sp.Start:sp.End])
		n := len([]rune(countPrefixRE.FindString(text)))
		if m := verbPrefixRE.FindString(text); n == 0 && m != "" && !(m == "有" && sp.Len() > 1 && strings.ContainsRune(wordsWithYou, t[sp.Start+1])) {
			n = len([]rune(m))
		}
		if n > 0 && sp.Len()-n >= 2 {
			sp.Start += n
		}
	}
	// A name opens with no verb: 国家邮政局 of 接受国家邮政局, 西半球
	// of 更表明西半球. A thing asked for may (扣留家属 for 会做出什么事情),
	// so only a person's, a place's or an organisation's. A person's or a
	// place's ends with none either: 康士坦丁堡 of 康士坦丁堡举行 (an
	// organisation's may: 非营利组织).
	switch q.Type {
	case question.Person, question.Place:
		sp.Start = afterLeadingVerb(t, sp)
		sp.End = beforeTrailingVerb(t, sp)
	case question.Organization:
		sp.Start = afterLeadingVerb(t, sp)
	}
	for changed := true; changed && sp.Len() > 2; {
		changed = false
		if w := functionWordAt(t, sp.Start, sp.End); w > 0 && sp.Len()-w >= 2 {
			sp.Start += w
			changed = true
		} else if strings.ContainsRune(leadingParticles, t[sp.Start]) {
			sp.Start++
			changed = true
		} else if n, _ := analysis.WordAt(t[sp.Start:sp.End], 2, maxEdgeWord); n == 0 && strings.ContainsRune(leadingConjunctions, t[sp.Start]) {
			sp.Start++
			changed = true
		} else if w := functionWordEnding(t[:sp.End], sp.End); w > 0 && sp.Len()-w >= 2 {
			sp.End -= w
			changed = true
		} else if strings.ContainsRune(trailingParticles, t[sp.End-1]) {
			sp.End--
			changed = true
		}
	}
	// A person is named without the 等 of a list, the verb of saying or
	// dying after the name, and without the period of their rule: 王毅 of
	// 王毅等, 杰克·斯特劳 of 杰克·斯特劳表示, 伊不拉音·本·阿赫迈德 of
	// …在位期间.
	if q.Type == question.Person {
		if loc := personTrailRE.FindStringIndex(string(t[sp.Start:sp.End])); loc != nil {
			if k := len([]rune(string(t[sp.Start:sp.End])[:loc[0]])); k >= 2 {
				sp.End = sp.Start + k
			}
		}
	}
	// A person's name written with a middle dot starts with the run of
	// transliterating characters before the dot: 法兰克·盖瑞 of
	// 此建筑物由法兰克·盖瑞, 埃里克·兰德 of 生物学教授埃里克·兰德. A side
	// with no such run is left as it is (亚历山大·…).
	if q.Type == question.Person {
		sp = nameAround(t, sp)
	}
	// A transliterated name is read from its first character: 保加尔市,
	// not 尔市 (the question wrote 保加 in 伏尔加保加利亚); 哈康五世, not
	// 康五世.
	switch q.Type {
	case question.Person, question.Place, question.Organization, question.Entity:
		sp.Start = transliterationStart(t, sp)
	}
	// A name in Latin words is read whole, as the candidates hold it: jsr
	// of jsr 93, j-one of j-one records.
	if q.Type != question.Number && q.Type != question.Date {
		sp = latinNameAround(q, t, sp)
	}
	// The noun the question asks about is not its answer, the words
	// before it are: 什么思想 is answered by 儒家思想, not by 思想.
	if h := []rune(q.Head); len(h) > 0 && string(t[sp.Start:sp.End]) == q.Head {
		k := sp.Start
		for k > 0 && sp.Start-k <= maxModifierRunes && hanzi.IsHan(t[k-1]) && !strings.ContainsRune(particles, t[k-1]) && !endsFunctionWord(t[:k], k) {
			k--
		}
		// Only up to where the words before it begin; a run longer than
		// that is a clause, whose start is no boundary.
		if sp.Start-k <= maxModifierRunes {
			sp.Start = k
		}
	}
	// 哪一年 is answered by the year, not by the day it fell on: 2009年5月
	// → 2009年.
	if q.Type == question.Date && (q.Unit == "年" || q.Unit == "月") {
		// 1990年代 and 元禄年间 are periods, not a year and more.
		if k := slices.Index(t[sp.Start:sp.End], []rune(q.Unit)[0]); k >= 1 && sp.Start+k+1 < sp.End && !strings.ContainsRune("代间", t[sp.Start+k+1]) {
			sp.End = sp.Start + k + 1
		}
	}
	// When, asked with no unit, is answered with the whole date the
	// sentence writes: 2004年6月30日, not 2004年 or 2004年6月.
	if q.Type == question.Date && q.Unit == "" && sp.Len() > 0 {
		var m string
		switch t[sp.End-1] {
		case '年':
			m = monthDayRE.FindString(string(t[sp.End:]))
		case '月':
			m = dayRE.FindString(string(t[sp.End:]))
		}
		sp.End += len([]rune(m))
	}
	// A year counted in an era is read with the era's name: 民国19年, 昭和
	// 四十九年, not 19年.
	if (q.Type == question.Date || q.Type == question.Number) && sp.Len() > 0 && eraYearRE.MatchString(string(t[sp.Start:sp.End])) {
		if m := eraRE.FindString(string(t[max(0, sp.Start-3):sp.Start])); m != "" {
			sp.Start -= len([]rune(m))
		}
	}
	// When is answered with the part of the century or the decade the
	// sentence names: 19世纪晚期, not 19世纪; 哪一世纪 by the century.
	if q.Type == question.Date && q.Unit == "" && sp.Len() > 0 {
		if text := string(t[sp.Start:sp.End]); strings.HasSuffix(text, "世纪") || strings.HasSuffix(text, "年代") {
			if m := []rune(periodAfterRE.FindString(string(t[sp.End:]))); len(m) > 1 || len(m) == 1 && periodEnds(t, sp.End+1) {
				sp.End += len(m)
			}
		}
	}
	if q.Type == question.Number && sp.Len() > 0 {
		sp = wholeNumber(t, sp)
	}
	if u := []rune(q.Unit); q.Type == question.Number && len(u) == 1 && strings.ContainsRune(analysis.Counters, u[0]) &&
		sp.End < len(t) && t[sp.End] == u[0] && strings.ContainsRune(cnDigits+"0123456789", t[sp.End-1]) {
		sp.End++
	}
	return wholeTitles(t, sp)
}

// wholeTitles widens a span that holds one mark of a title or a quotation
// (quotedSpanRE) but not the other to all of it: 原声带》 → 《格斗天王
// 电视原声带》, 法》 → 《新闻法》. Half a title names nothing. A span
// inside the marks is a part the question asks for (G2 of 「G2即将召开！」).
func wholeTitles(t []rune, sp analysis.Span) analysis.Span {
	// A title or a quotation it cuts has a mark of it inside it; most
	// spans have none, and need not search their sentence.
	if !slices.ContainsFunc(t[sp.Start:sp.End], func(r rune) bool { return strings.ContainsRune(quoteMarks, r) }) {
		return sp
	}
	for _, q := range matches(quotedSpanRE, t, 0, len(t)) {
		opens := sp.Start <= q.Start && q.Start < sp.End
		closes := sp.Start < q.End && q.End <= sp.End
		if opens != closes {
			sp = analysis.Span{Start: min(sp.Start, q.Start), End: max(sp.End, q.End)}
		}
	}
	return sp
}

// quoteMarks are the marks that open and close what quotedSpanRE matches.
const quoteMarks = "《》「」『』"

// periodEnds reports whether a part of a period written in one character
// (末, 初, 中) ends before t[k]: 20世纪初， or 20世纪初的, not the 中 of
// 19世纪中国.
func periodEnds(t []rune, k int) bool {
	return k >= len(t) || !hanzi.IsHan(t[k]) || strings.ContainsRune("的时起至到以后", t[k])
}

// monthDayRE matches the month and the day that may follow a year, and
// dayRE the day that may follow a month: 6月30日, 九月十日.
var (
	monthDayRE = regexp.MustCompile(`^` + dayCount + `月(?:` + dayCount + `[日号])?`)
	dayRE      = regexp.MustCompile(`^` + dayCount + `[日号]`)
)

// dayCount is the number of a month or a day, in digits or in Chinese.
const dayCount = `(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})`

// eraYearRE matches a year small enough to be counted in an era.
var eraYearRE = regexp.MustCompile(`^(?:[0-9]{1,2}|[` + cnDigits + `元]+)年`)

// latinUnitRE matches a unit written in Latin letters after a number, in
// folded (lower-case) text.
var latinUnitRE = regexp.MustCompile(`^\s?(?:km|cm|mm|kg|mg|ml|mph|kw|mw|gb|mb|hz|m)(?:²|2\b|\b)`)

// wholeNumber widens a number question's answer to the whole number the
// sentence writes: with the unit it is written in (10km, 1.601 km²), as
// the range it opens or closes (900米至1,900米, 70-80公里 of 80公里: half a
// range is a wrong figure), as the fraction or score it begins (四分之三,
// 1比3, 三分之一至二分之一), as the time with its hundredths of a second
// (3分33秒62), with the smaller unit a count in two units goes on in
// (13年零8个月), with the time a rate is per (100公里/小时, 144英里每小时)
// and with the 左右 that makes it approximate (一年左右).
func wholeNumber(t []rune, sp analysis.Span) analysis.Span {
	sp.Start = rangeStart(t, sp.Start)
	sp = numberEnd(t, sp)
	if sp.End+1 < len(t) && strings.ContainsRune(rangeMarks, t[sp.End]) {
		if e := numberAt(t, sp.End+1); e > sp.End+1 {
			sp = numberEnd(t, analysis.Span{Start: sp.Start, End: e})
		}
	}
	// 13年零 of 13年零8個月 is the first part of a count in two units.
	if sp.Len() > 1 && t[sp.End-1] == '零' {
		if first := (analysis.Span{Start: sp.Start, End: sp.End - 1}); unitEnd(t, first) {
			sp = first
		}
	}
	if unitEnd(t, sp) && sp.End+1 < len(t) && t[sp.End] == '零' {
		if next := (analysis.Span{Start: sp.End + 1, End: numberAt(t, sp.End+1)}); unitEnd(t, next) {
			sp.End = next.End
		}
	}
	if unitEnd(t, sp) {
		sp.End += perTime(t[sp.End:])
	}
	if strings.HasPrefix(string(t[sp.End:min(len(t), sp.End+2)]), "左右") {
		sp.End += 2
	}
	return sp
}

// perTime returns the length of the time a rate is counted per at the
// start of rest (/小时, 每秒: a unit of time of analysis.Units after / or
// 每), or 0.
func perTime(rest []rune) int {
	if len(rest) < 2 || rest[0] != '/' && rest[0] != '每' {
		return 0
	}
	u := analysis.UnitPrefix(string(rest[1:]))
	if u == "" || analysis.UnitKind(u) != analysis.UnitKind("小时") {
		return 0
	}
	return 1 + utf8.RuneCountInString(u)
}

// numberAt returns where the number that starts at t[k] ends (numberSpanRE),
// or k when none starts there.
func numberAt(t []rune, k int) int {
	if loc := numberSpanRE.FindStringIndex(string(t[k:])); loc != nil && loc[0] == 0 {
		return k + len([]rune(string(t[k:])[:loc[1]]))
	}
	return k
}

// numberEnd widens a number span over the unit in Latin letters after
// its digits and over the rest of the fraction, score or time it begins.
func numberEnd(t []rune, sp analysis.Span) analysis.Span {
	if sp.End >= len(t) {
		return sp
	}
	if unicode.IsDigit(t[sp.End-1]) {
		if m := latinUnitRE.FindString(string(t[sp.End:])); m != "" {
			sp.End += len([]rune(m))
		}
	}
	if sp.End < len(t) {
		hundredths := t[sp.End-1] == '秒' && sp.Len() > 1 && unicode.IsDigit(t[sp.End-2]) && unicode.IsDigit(t[sp.End])
		if m := numberTailRE.FindString(string(t[sp.End:])); m != "" && (t[sp.End-1] == '分' && t[sp.End] == '之' || t[sp.End-1] == '比' && t[sp.End] != '之' || hundredths) {
			sp.End += len([]rune(m))
		}
	}
	return sp
}

// rangeMarks join the two ends of a range of numbers.
const rangeMarks = "至到-~～—－"

// rangeStart returns where the range of numbers starts whose second end
// starts at t[k] (70 of 70-80公里, 15 of 15至25公里), or k when a range
// mark and a number do not stand right before it.
func rangeStart(t []rune, k int) int {
	if k < 2 || !strings.ContainsRune(rangeMarks, t[k-1]) {
		return k
	}
	for _, sp := range matches(numberSpanRE, t, max(0, k-1-maxRangeEndRunes), k-1) {
		if sp.End == k-1 {
			return sp.Start
		}
	}
	return k
}

// maxRangeEndRunes is the longest first end of a range rangeStart looks
// back for: 1,900万平方公里.
const maxRangeEndRunes = 12

// numberTailRE matches the rest of a fraction (之三), of a score (3) or
// of a time (62) that a span ending in 分, 比 or 秒 leaves out.
var numberTailRE = regexp.MustCompile(`^之?[0-9` + cnDigits + `]+`)

// countPrefixRE matches a count that opens a span: a numeral and a
// measure word (一位, 两种).
var countPrefixRE = regexp.MustCompile(`^[一两二三四五六七八九十几]+[位项个名种座条家所部本首只件支类]`)

// personTrailRE matches what may follow a person's name in a span and is
// not part of it: the 等 of a list, a verb of saying or dying, a title, or
// the period of a rule.
var personTrailRE = regexp.MustCompile(`(?:等人|等|表示|指出|认为|说|去世|逝世|总统|总理|首相|主席|国王|教授|博士|将军|先生|女士|(?:执政|在位|统治)?(?:时期|时代|期间|年间))$`)

// verbPrefixRE matches a verb of having or naming that opens a span and
// is not part of what it names: 有七星石, 称岩石圈, 称之为贾木纳河.
var verbPrefixRE = regexp.MustCompile(`^(?:称之为|称|有)`)

// wordsWithYou are the characters that make a word with the 有 before
// them (有限, 有关, 有效, 有组织, 有色金属, 有害物质, 有期徒刑): that 有
// stays.
const wordsWithYou = "限关效名机线组色益害毒偿期氧"

// maxModifierRunes bounds the words a head noun takes before it.
const maxModifierRunes = 6

// Particles that do not begin or end an answer.
const (
	leadingParticles = "于由与在从被将把对向"
	// leadingConjunctions open no answer as a word of their own (故|冲锋枪,
	// 惟|基督教, 的|琼·爱丽逊), but do in a longer one (故宫, 的确).
	leadingConjunctions = "的故惟而"
	trailingParticles   = "于的了着过即"
)

// nameAround narrows a span holding a middle dot to the name around its
// dots: on the left, to the run of at least two transliterating characters
// before the first dot, when a word ends before it.
func nameAround(t []rune, sp analysis.Span) analysis.Span {
	first, last := -1, -1
	for k := sp.Start; k < sp.End; k++ {
		if isNameDot(t[k]) {
			if first < 0 {
				first = k
			}
			last = k
		}
	}
	if first < 0 {
		return sp
	}
	k := first
	for k > sp.Start && isTransliterating(t[k-1]) {
		k--
	}
	// Only where what the run leaves on its left ends with no letter, a
	// particle, a function word or a common word (───|奥托, 由|法兰克,
	// 教授|埃里克): the run can stop short of a name's first characters
	// (钱|德拉·鲍斯, 罗慕|路斯·奥古斯都), which are no words.
	if first-k >= 2 && k > sp.Start && endsAWord(t[sp.Start:k]) {
		sp.Start = k
	} else {
		// Or after the last common word of two characters or more, a
		// noun or no noun, that ends a character or more before the first
		// dot: 女星|琼·克劳馥, 美军司令|温菲尔德·史考特. A name is no such
		// word, nor holds one at its end (亚历山大·布隆尼亚尔 is whole).
		for k := first - 1; k >= sp.Start+2; k-- {
			if _, c := analysis.WordEnding(t[sp.Start:k], 2, maxEdgeWord); c == analysis.Noun || c == analysis.Verbal {
				sp.Start = k
				break
			}
		}
	}
	// On the right, a name's last characters are too varied to know, so
	// the span is cut only where a particle or a function word follows
	// the run (…·特鲁多于…).
	k = last + 1
	for k < sp.End && isTransliterating(t[k]) {
		k++
	}
	if k-last-1 >= 2 && k < sp.End && (strings.ContainsRune(particles, t[k]) || functionWordAt(t, k, sp.End) > 0) {
		sp.End = k
		return sp
	}
	// Nor where a common word of two characters or more that is no noun
	// starts two characters or more past the last dot and ends inside the
	// span: a name holds none (琼·克劳馥|称赞他; 温菲尔德·史考特|订定 is not
	// cut, the lexicon lacks 订定). Not sooner, since a name's last part
	// may open like one; and not at one character, which the lexicon
	// classes too (佩 of 格罗佩斯).
	for k := last + 3; k < sp.End; k++ {
		if anyWordAt(t[:sp.End], k, maxEdgeWord, true, isVerbalWord) {
			sp.End = k
			break
		}
	}
	return sp
}

// isVerbalWord reports whether w is a common word of two characters or
// more that is no noun: one character the lexicon classes too (佩).
func isVerbalWord(w []rune) bool { return len(w) >= 2 && isVerbal(w) }

// endsAWord reports whether w ends with no letter (a dash, a bracket), a
// particle, a function word or a common word of the lexicon of two to
// maxEdgeWord characters.
func endsAWord(w []rune) bool {
	n := len(w)
	if n == 0 {
		return false
	}
	if !unicode.IsLetter(w[n-1]) || strings.ContainsRune(particles, w[n-1]) || functionWordEnding(w, n) > 0 {
		return true
	}
	for k := 2; k <= min(maxEdgeWord, n); k++ {
		if analysis.ClassOf(string(w[n-k:])) != analysis.Uncommon {
			return true
		}
	}
	return false
}

// pointsBack reports whether a sentence opens with a word that points back
// to what the sentence before it named (他, 该公司, 次年, 其中): quoted
// alone, it does not say whom or when it speaks of. An ordinal (其一,
// 其次) and a word that adds or compares (此外, 其他) point to nothing.
func pointsBack(s *sentence) bool {
	t := strings.TrimLeftFunc(string(s.folded), func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	for _, w := range notPointingBack {
		if strings.HasPrefix(t, w) {
			return false
		}
	}
	for _, w := range pointingBack {
		if strings.HasPrefix(t, w) {
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(t)
	return strings.ContainsRune(pointers, r)
}

// Words that open a sentence (folded) and point back to the time or the
// event of the sentence before it, beside the pointers that open a phrase;
// and words that open with a pointer and point back to nothing.
var (
	pointingBack    = []string{"次年", "翌年", "同年", "当年", "随后", "后来", "之后", "其后", "此后", "不久"}
	notPointingBack = []string{"此外", "其实", "其他", "其它", "他国", "此前", "其次", "其一", "其二", "其三", "其四", "其五", "其六", "其七", "其八", "其九", "其十"}
)

// withAntecedent adds, for each picked sentence that points back, the
// sentence before it in its paragraph, unless that one points back as
// well: 「次年孫權立孫和為太子」 is quoted after 「赤烏四年，孫權的長子孫登死亡」,
// which says what year 次年 follows and whose death it was.
func withAntecedent(picks []*sentence) []*sentence {
	out := picks
	for _, s := range picks {
		if p := s.prev; p != nil && p.quotable && !contains(out, p) && pointsBack(s) && !pointsBack(p) {
			out = append(out, p)
		}
	}
	return out
}
