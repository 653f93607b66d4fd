package answer

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"wenda/analysis"
	"wenda/question"
)

// A claim can share every word with its passage and still say the
// opposite: "并非如此：美方同意暂停一年，这一说法已被否认" against "美方同意暂停
// 一年". Verification therefore compares the polarity of each claim with
// the clauses of the passage that carry it: the clause is negative when it
// holds a negation (不, 没有, 未, not, never…), a denial or refusal (否认,
// 驳斥, 不实, denied, false…) or a reversal (并非如此, 恰恰相反, on the
// contrary…). The claim and the clauses carrying it must agree: a claim
// may not add a negation its passage lacks, nor drop one its passage has.
// Contrast words that do not reverse what they join (但, 然而, but) are not
// cues: a summary may join two true clauses with them.

// negationRE matches the negative cues in folded (Simplified, lower-case)
// text, once the words in which a negation character does not negate
// have been blanked out (notNegRE).
var negationRE = regexp.MustCompile(`不|没|未|非|无|否|别|勿|莫|毫无|绝非|并非|拒绝|驳斥|辟谣|谣言|虚假|假消息|相反` +
	`|\b(not|no|never|none|neither|nor|without|cannot|deny|denies|denied|denial|refute|refuted|refutes|false|untrue|rumou?rs?|hoax|contrary)\b|n't\b`)

// notNegRE lists words written with a negation character that do not
// negate what they say ("不断", "非常", "未来", "是否", "特别"), and the
// double negation "不得不", which affirms. Longer words come first.
var notNegRE = regexp.MustCompile(`不得不|不一而足|不仅|不但|不只|不光|不断|不少|不久|不过|不管|不论|不禁|不时|不已|不免|不妨|不愧|不料|不由|不觉|不同|不外` +
	`|无论|无疑|无不|无数|无比|无限|无线|无人机|非常|非但|非洲|南非|是非|除非|莫非|莫斯科|莫大|非法|非凡|未来|否则|是否|能否|可否|与否` +
	`|没收|淹没|埋没|出没|别人|别的|分别|特别|区别|类别|级别|告别|差别|个别|识别|性别|辨别|别国|有别|国别|派别|鉴别|相反相成`)

// negative reports whether a folded clause holds a negative cue.
func negative(folded string) bool {
	return negationRE.MatchString(maskNotNegative(strings.ToLower(folded)))
}

// clauseBreaks end a clause in folded text: clause and sentence
// punctuation, brackets and quotation marks.
const clauseBreaks = "，,；;：:。！？!?\n（）()“”「」\""

// clauses splits folded text at clauseBreaks.
func clauses(folded string) []string {
	return strings.FieldsFunc(folded, func(r rune) bool { return strings.ContainsRune(clauseBreaks, r) })
}

// carried is the share of bigrams (of a claim clause) found in a clause.
func carried(bigrams []string, clause string) float64 {
	if len(bigrams) == 0 {
		return 0
	}
	hit := 0
	for _, b := range bigrams {
		if strings.Contains(clause, b) {
			hit++
		}
	}
	return float64(hit) / float64(len(bigrams))
}

// polarityClash reports whether a claim (folded, with its distinct
// bigrams) says the opposite of the clauses of a passage that carry it. A
// claim clause is carried by the passage clause that holds most of its
// bigrams, when that is at least half of them. The claim is negative when
// any of its clauses is; the passage, when any clause carrying the claim
// is. A claim none of whose clauses is carried is compared with the single
// passage clause holding most of its bigrams.
func polarityClash(claim string, bigrams []string, passage string) bool {
	pcs := clauses(passage)
	if len(pcs) == 0 || len(bigrams) == 0 {
		return false
	}
	claimNeg, passageNeg, anyCarried := false, false, false
	best, bestShare := "", 0.0
	for _, cc := range clauses(claim) {
		claimNeg = claimNeg || negative(cc)
		var own []string
		for _, b := range bigrams {
			if strings.Contains(cc, b) {
				own = append(own, b)
			}
		}
		if len(own) < 2 {
			continue
		}
		top, topShare := "", 0.0
		for _, pc := range pcs {
			if s := carried(own, pc); s > topShare {
				top, topShare = pc, s
			}
		}
		if topShare >= 0.5 {
			anyCarried = true
			passageNeg = passageNeg || negative(top)
		}
		if topShare > bestShare {
			best, bestShare = top, topShare
		}
	}
	if !anyCarried {
		if best == "" {
			return false
		}
		passageNeg = negative(best)
	}
	return claimNeg != passageNeg
}

// absoluteRE matches the words that make a claim absolute in time or
// scope: "永久取消全部关税" says more than "取消部分关税，暂停一年", though it
// shares most of its words. A claim may use one only when its passage does.
var absoluteRE = regexp.MustCompile(`永久|永远|全部|所有|一切|全面|完全|彻底|始终|一律|全都|绝对|无一例外|毫无例外` +
	`|\b(all|every|always|forever|permanently|entirely|completely|fully|totally)\b`)

// overstated returns the absolute words of a folded claim that its folded
// passage does not have.
func overstated(claim, passage string) []string {
	var out []string
	for _, w := range absoluteRE.FindAllString(strings.ToLower(claim), -1) {
		if !strings.Contains(strings.ToLower(passage), w) {
			out = append(out, w)
		}
	}
	return out
}

// A why-question takes what it asks about as given: 「特朗普政府为什么批准了
// 那项对台军售案？」 asks for the reason of an approval. When the sentence
// that carries the question's words most says the opposite (拒绝批准一项
// 价值4亿美元的对台军售案), the documents give no reason for it: the
// question rests on a false premise, and an answer quoting that sentence
// would seem to confirm it.

// premiseSentences is how many of the reader's best sentences are read
// for the one that states or denies a why-question's premise.
const premiseSentences = 3

// minPremiseShare is the share of a premise's bigrams a sentence must hold
// to be the one that states or denies it.
const minPremiseShare = 0.4

// premiseDenied returns the one of the sentences that denies premise
// (folded; question.Analysis.Premise), as the article writes it, or "".
// The sentence read is the one among them holding most of the premise's
// bigrams, at least minPremiseShare, the first of those that hold as
// many; it denies the premise when a negative cue stands right before two
// characters of it (拒绝批准, 暂不加征, 并不意味着) and the premise itself
// holds none.
func premiseDenied(premise string, sents []*sentence) string {
	if premise == "" || negative(premise) {
		return ""
	}
	bigrams := hanBigrams(premise)
	var top *sentence
	share := 0.0
	for _, s := range sents {
		if c := carried(bigrams, string(s.folded)); c >= minPremiseShare && c > share {
			top, share = s, c
		}
	}
	if top == nil {
		return ""
	}
	masked := []rune(maskNotNegative(strings.ToLower(string(top.folded))))
	for _, loc := range negationRE.FindAllStringIndex(string(masked), -1) {
		end := utf8.RuneCountInString(string(masked)[:loc[1]])
		if end+2 > len(masked) || !slices.Contains(bigrams, string(masked[end:end+2])) {
			continue
		}
		return strings.TrimSpace(stripMarkers(top.text))
	}
	return ""
}

// deniedPremise returns the one of the reader's best sentences that
// denies q's premise, if q is a why-question (premiseDenied); or "".
func (r reading) deniedPremise(q *question.Analysis) string {
	return premiseDenied(q.Premise(), r.best[:min(premiseSentences, len(r.best))])
}

// maskNotNegative blanks out the words of folded text that hold a negation
// character but do not negate (notNegRE), keeping every other character
// at its offset.
func maskNotNegative(folded string) string {
	return notNegRE.ReplaceAllStringFunc(folded, func(w string) string {
		return strings.Repeat("　", utf8.RuneCountInString(w))
	})
}

// hanBigrams returns the distinct character pairs of folded text, the
// index terms of its Chinese (analysis.FoldedTerms) that the verifier
// counts a claim's support in too.
func hanBigrams(folded string) []string {
	var out []string
	for _, t := range analysis.FoldedTerms(folded) {
		if analysis.IsHanTerm(t) && utf8.RuneCountInString(t) == 2 && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}
