package answer

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"wenda/analysis"
	"wenda/hanzi"
)

// DefaultMinOverlap is the share of a sentence's distinct folded character
// bigrams that must occur in the passages it cites for the sentence to
// count as supported.
//
// It was chosen on the dev questions of eval/questions.jsonl by
// TestCalibrateOverlap. Each dev question becomes a claim of the kind an
// answer makes: its interrogative words removed and its expected facts
// appended ("第五届双C论坛是在天举行的：11月2日"), so the claim words the
// question the way a person paraphrasing the article would, not in the
// article's own words. A claim should be accepted against the chunks that
// hold the question's evidence (146 claims) and rejected against the best
// retrieved passage that holds none (174 claims, from answerable and
// unanswerable questions alike: passages on the same subject that do not
// say the thing). Sweeping the threshold in steps of 0.05 and keeping the
// largest accepted-minus-wrongly-accepted share gives 0.45: 76.0% of
// supported claims accepted, 80.5% of unsupported ones rejected on overlap
// alone (0.40: 82.2% / 71.8%; 0.50: 71.9% / 83.3%). The number and name
// check rejects more of the unsupported ones on top. Run
//
//	go test ./eval -run TestCalibrateOverlap -v
//
// to see the sweep.
const DefaultMinOverlap = 0.45

// minBigrams is how many distinct bigrams a sentence needs before its
// overlap says anything; a shorter sentence (an English one without a
// Chinese quote, "是的。") must instead rest on a number or a name found in
// the cited passages.
const minBigrams = 3

// evidence is what verification compares sentences with: the folded terms
// and numbers of one passage.
type evidence struct {
	terms   map[string]bool
	numbers map[string]bool
	folded  string
	// quarantined passages hold instructions to the model and back nothing.
	quarantined bool
	// latin passages are written in a Latin script (more Latin letters
	// than Han characters): an English sentence is measured against them
	// by its words, which it shares with them, not by Chinese bigrams.
	latin bool
}

// newEvidence analyses a passage's text; folded is its folded form when
// the caller has it (retrieval.Passage.Folded), or "".
func newEvidence(text, folded string) evidence {
	if folded == "" {
		folded = hanzi.Fold(text)
	}
	ev := evidence{terms: map[string]bool{}, numbers: map[string]bool{}, folded: folded, quarantined: hasInjection(text), latin: mostlyLatin(folded)}
	for _, t := range analysis.FoldedTerms(folded) {
		ev.terms[t] = true
	}
	for _, n := range analysis.Numbers(folded) {
		ev.numbers[n] = true
	}
	return ev
}

// verifier checks answer sentences against the passages supplied with the
// question. Passages are numbered from 1 in the order given.
type verifier struct {
	ev         []evidence
	minOverlap float64
	english    bool // the answer is in English
}

// quarantined reports, per passage, whether it holds instructions to the
// model and so backs nothing.
func (v *verifier) quarantined() []bool {
	out := make([]bool, len(v.ev))
	for i, e := range v.ev {
		out[i] = e.quarantined
	}
	return out
}

func newVerifier(texts []string, minOverlap float64, english bool) *verifier {
	return newFoldedVerifier(texts, nil, minOverlap, english)
}

// newFoldedVerifier is newVerifier for passages folded already: folded[i]
// is texts[i] folded, or missing.
func newFoldedVerifier(texts, folded []string, minOverlap float64, english bool) *verifier {
	v := &verifier{minOverlap: minOverlap, english: english}
	for i, t := range texts {
		f := ""
		if i < len(folded) {
			f = folded[i]
		}
		v.ev = append(v.ev, newEvidence(t, f))
	}
	return v
}

// verdict is the outcome of checking one sentence.
type verdict struct {
	ok bool
	// backing lists the cited passage numbers that back the sentence; the
	// markers of other cited passages are dropped.
	backing []int
	// overlap is the sentence's bigram overlap with its cited passages.
	overlap float64
	// missing lists the numbers and names not found in them.
	missing []string
	// reason says why a sentence was not supported, as one of the
	// Withheld reason codes; empty when ok.
	reason string
}

// features are what a sentence is checked on.
type features struct {
	bigrams []string // distinct folded CJK bigrams
	// words are the distinct Latin words of an English sentence, which
	// measure it against passages written in Latin script as bigrams do
	// against Chinese ones.
	words []string
	exact []string // numbers and Latin names that must occur literally
	// anchors are names that count for the sentence where a cited passage
	// has them but do not count against it where none does.
	anchors []string
}

// features extracts the bigrams, exact terms and anchors of a sentence.
// Numbers are exact in any answer. In a Chinese answer every Latin word is
// a name that must occur in the cited passages (TikTok, APEC, Bessent). In
// an English answer a capitalised word cannot be required, since the
// article may write it in Chinese ("Bessent" for 贝森特, "Madrid" for
// 马德里), so it is only an anchor.
func (v *verifier) features(body string) features {
	folded := hanzi.Fold(body)
	var caps map[string]bool
	if v.english {
		caps = capitalized(body)
	}
	var f features
	seen := map[string]bool{}
	for _, t := range analysis.Terms(body) {
		if seen[t] {
			continue
		}
		seen[t] = true
		switch {
		case analysis.IsHanTerm(t) && len([]rune(t)) == 2:
			f.bigrams = append(f.bigrams, t)
		case isLatinWord(t) && !v.english:
			f.exact = append(f.exact, t)
		case isLatinWord(t):
			f.words = append(f.words, t)
			if caps[t] {
				f.anchors = append(f.anchors, t)
			}
		}
	}
	for _, n := range analysis.Numbers(folded) {
		if !seen["#"+n] {
			seen["#"+n] = true
			f.exact = append(f.exact, n)
		}
	}
	return f
}

// check verifies one sentence (markers removed) against the passages it
// cites, numbered from 1; numbers outside the passages are ignored. A
// sentence is supported when every number, date, percentage and Latin name
// in it occurs in a cited passage, and either at least minOverlap of its
// bigrams occur in them or, for a sentence with too few bigrams to measure,
// at least one number or name does.
func (v *verifier) check(body string, cited []int) verdict {
	var usable []int
	for _, n := range cited {
		if n >= 1 && n <= len(v.ev) && !v.ev[n-1].quarantined {
			usable = append(usable, n)
		}
	}
	if len(usable) == 0 {
		vd := verdict{reason: WithheldNoCitation}
		for _, n := range cited {
			if n >= 1 && n <= len(v.ev) {
				vd.reason = WithheldQuarantined
			}
		}
		return vd
	}
	f := v.features(body)
	var vd verdict
	for _, x := range f.exact {
		found := false
		for _, n := range usable {
			if v.ev[n-1].has(x) {
				found = true
				break
			}
		}
		if !found {
			vd.missing = append(vd.missing, x)
		}
	}
	// The sentence's own measure, over all its cited passages: by words
	// too when one of them is in Latin script.
	units := f.units(slices.ContainsFunc(usable, func(n int) bool { return v.ev[n-1].latin }))
	vd.overlap = v.overlap(units, usable)
	// Each cited passage must back the sentence on its own: its numbers
	// and names, enough of its words (or, for a sentence too short to
	// measure, one of its numbers or names), and the same polarity. Two
	// passages that each hold half of a claim do not make it true
	// together, and a passage must not be made to say what it denies.
	folded := hanzi.Fold(body)
	clashed, over := false, false
	for _, n := range usable {
		e := v.ev[n-1]
		alone := true
		for _, x := range f.exact {
			alone = alone && e.has(x)
		}
		if own := f.units(e.latin); len(own) >= minBigrams {
			alone = alone && v.overlap(own, []int{n}) >= v.minOverlap
		} else {
			anchored := len(f.exact) > 0
			for _, x := range f.anchors {
				anchored = anchored || e.has(x)
			}
			alone = alone && anchored
		}
		if alone && polarityClash(folded, f.bigrams, e.folded) {
			alone, clashed = false, true
		}
		if alone && len(overstated(folded, e.folded)) > 0 {
			alone, over = false, true
		}
		if alone {
			vd.backing = append(vd.backing, n)
		}
	}
	if len(vd.backing) > 0 {
		vd.ok = true
		return vd
	}
	switch {
	case len(vd.missing) > 0:
		vd.reason = WithheldMissingTerms
	case clashed:
		vd.reason = WithheldPolarity
	case over:
		vd.reason = WithheldOverstated
	case len(units) >= minBigrams && vd.overlap < v.minOverlap:
		vd.reason = WithheldLowOverlap
	case len(units) >= minBigrams || len(usable) > 1:
		vd.reason = WithheldNoSingleSource
	default:
		vd.reason = WithheldNoAnchor
	}
	return vd
}

// units are what a sentence's overlap with passages counts: its Chinese
// bigrams, and for an English sentence over passages in Latin script its
// words as well.
func (f features) units(latin bool) []string {
	if latin && len(f.words) > 0 {
		return slices.Concat(f.bigrams, f.words)
	}
	return f.bigrams
}

// mostlyLatin reports text with more Latin letters than Han characters.
func mostlyLatin(text string) bool {
	han, latin := hanzi.Letters(text)
	return latin > han
}

// overlap is the share of bigrams found in the union of the passages.
func (v *verifier) overlap(bigrams []string, passages []int) float64 {
	if len(bigrams) == 0 {
		return 0
	}
	hit := 0
	for _, b := range bigrams {
		for _, n := range passages {
			if v.ev[n-1].terms[b] {
				hit++
				break
			}
		}
	}
	return float64(hit) / float64(len(bigrams))
}

// has reports whether a number or name occurs in the passage. A small
// number also matches its Chinese numeral ("3年" in the answer, "三年" in
// the article).
func (e evidence) has(x string) bool {
	if e.numbers[x] || e.terms[x] {
		return true
	}
	if cn, ok := analysis.ChineseNumeral(x); ok {
		return strings.Contains(e.folded, cn)
	}
	return false
}

func isLatinWord(t string) bool {
	for _, r := range t {
		if r > unicode.MaxLatin1 || !unicode.IsLetter(r) {
			return false
		}
	}
	return t != ""
}

// capitalRE matches Latin words with a capital letter.
var capitalRE = regexp.MustCompile(`[A-Za-z]*[A-Z][A-Za-z]*`)

// capitalized returns the folded Latin words of an English sentence that
// are written with a capital for a reason other than starting the sentence:
// TikTok, APEC and Bessent, but not "The".
func capitalized(body string) map[string]bool {
	out := map[string]bool{}
	for i, loc := range capitalRE.FindAllStringIndex(body, -1) {
		w := body[loc[0]:loc[1]]
		first := i == 0 && strings.TrimSpace(body[:loc[0]]) == ""
		if first && strings.ToUpper(w) != w && !hasInnerCapital(w) {
			continue
		}
		out[strings.ToLower(w)] = true
	}
	return out
}

func hasInnerCapital(w string) bool {
	for _, r := range w[1:] {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}
