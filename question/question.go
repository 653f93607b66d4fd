package question

import (
	"cmp"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"wenda/analysis"
	"wenda/hanzi"
)

// Type is the kind of answer a question expects.
type Type string

// The answer types.
const (
	Unknown      Type = ""
	Number       Type = "number"       // a quantity, usually with a unit: 多少, 几个, 多高
	Date         Type = "date"         // a year, date, period or time: 哪一年, 何时
	Person       Type = "person"       // 谁, 哪位
	Place        Type = "place"        // 哪里, 哪个国家
	Organization Type = "organization" // 哪家公司, 哪所大学
	Title        Type = "title"        // a work, usually in 《》: 哪部电影
	Entity       Type = "entity"       // another thing named by a noun: 什么效应, 哪一种动物
	Definition   Type = "definition"   // X是什么, 什么是X
	List         Type = "list"         // 哪些, 有几个要素
	Reason       Type = "reason"       // 为什么, 原因
	Manner       Type = "manner"       // 如何, 怎样
	YesNo        Type = "yesno"        // 是否, 吗
)

// Factoid reports whether answers of type t are short spans — a number, a
// date, a name, a title or a thing — rather than explanations, lists or
// yes or no.
func (t Type) Factoid() bool {
	switch t {
	case Number, Date, Person, Place, Organization, Title, Entity:
		return true
	}
	return false
}

// Analysis is what a question asks, analysed once per question.
type Analysis struct {
	// Text is the question as asked, trimmed; Folded is its folded form
	// (hanzi.Fold), and Runes the folded form rune-aligned with Text
	// (analysis.FoldRunes), so that positions in one are positions in the
	// other.
	Text   string
	Folded string
	Runes  []rune
	// Type is the kind of answer expected.
	Type Type
	// Wh is the interrogative phrase in Runes ("哪一个国家", "多少",
	// "是谁"), empty when the question has none; Head is the noun it asks
	// about, folded ("国家"), or "".
	Wh   analysis.Span
	Head string
	// Unit is the unit or counter a number question asks in ("个" of
	// 几个, "年" of 哪一年), folded, or "".
	Unit string
	// Measure is, for a number question that writes no unit, a unit of
	// the kind its noun measures in ("元" of 金额是多少, "%" of 比例是多少),
	// or "". The span model reads Unit, as the questions it learned from
	// write it; the reader prefers a number of Measure's kind after.
	Measure string
	// Parts are, for a question that asks two things or more (Compound),
	// the analyses of each thing it asks, with the clauses that lead into
	// it ("截至马德里会谈，中美经贸谈判进行了几轮？"), as questions of their
	// own; nil otherwise.
	Parts []*Analysis
	// Borrowed are, for a part of a compound question with fewer than
	// minOwnTerms words of its own (contentTerms of FocusOrTerms), the
	// words of the parts before it, which it leans on: 2017年又是多少？ of
	// 2021年美国从中国的进口额是多少？ borrows 美国, 进口, 口额 (words
	// only, isWord: not 2021, for numbers and names stay with their part).
	Borrowed []string
	// Subject is what a definition question asks about (翼尖小翼 of
	// 翼尖小翼是什么？, 牛车水 of 什么是牛车水？) or an alias question asks
	// another name of (凉茶舖 of 凉茶舖又叫什么？), folded; "" for the
	// other questions and for a compound question, whose parts have theirs.
	Subject string
	// Alias is the kind of name an alias question asks for: AliasOther
	// (又名, 别称, 也叫), AliasShort (简称), AliasFull (全称),
	// AliasFormer (原名, 本名) or AliasEnglish (英文名); "" otherwise.
	Alias AliasKind
	// Identity is the person an identity question asks about (宋伟 of
	// 宋伟是谁？, 谁是宋伟？, 特朗普是什么人？), folded: a name, the whole of
	// the question but for how it asks who (identityAsked). The answer is
	// the description the passages give the person (…国际关系学院教授宋伟),
	// not another name. "" for other questions, and for one that asks who
	// holds a role (台湾首任巡抚是谁？, 成吉思汗的长子是谁？), whose answer is
	// a name.
	Identity string
	// Author reports a question that asks who wrote a document (这份报告的
	// 作者是谁？, 这篇文章是谁写的？): its answer is the name a passage gives
	// the author (本文作者是…教授赵明昊, 〔作者简介〕吴心伯，…).
	Author bool
	// Item is the position of the item of a list that the question names
	// by its ordinal (首先是因为 → 1, 其次 → 2, 第三个要素 → 3), 0 when it
	// names none. Whether the ordinal counts a list's items is for the
	// passages to say: 首先在夜间战斗机上安装雷达的 means first in time.
	Item int
	// Terms are the content terms of the question (analysis.QueryTerms),
	// in order; Focus are those outside the interrogative phrase: what
	// the question is about, which a passage that answers it shares.
	Terms []string
	Focus []string
	// Numbers (number expressions with their units), Names (Latin names)
	// and Titles (《》 and quoted terms) must occur literally in a passage
	// that answers the question; all folded.
	Numbers []string
	Names   []string
	Titles  []string
	// Known are the well-known names the question writes outside its
	// interrogative phrase and its titles, as the lexicon reads them word
	// by word (中国 and 日本 of 2025年中国对日本的进出口增长了多少): what
	// the answer is about, though a passage may write it another way.
	Known []string
	// Sibling is the item the question coordinates with what it asks, or
	// the end of it: the word of the lexicon or the two characters right
	// before a conjunction that leads into the interrogative (条约 of
	// 包括巴拿马运河条约以及哪一个, 狩猎 of …、狩猎，还有哪一种, 雨生 of
	// 张雨生和谁的对唱), folded; "" when there is none. The answer tends to
	// stand beside it in the passage, in the same list.
	Sibling string
	// search is the text to search with when it is not the question's
	// own: the term an English question asks the meaning of.
	search string
}

// Compound reports a question that asks two things ("……是多少？
// 2017年又是多少？"): no single span answers it, and Parts holds them.
func (a *Analysis) Compound() bool { return len(a.Parts) > 1 }

// FocusOrTerms returns Focus, or Terms when the interrogative phrase
// holds every term: what a passage that answers the question shares.
func (a *Analysis) FocusOrTerms() []string {
	if len(a.Focus) == 0 {
		return a.Terms
	}
	return a.Focus
}

// SearchText is the text to search with: the question, and the terms it
// borrows; for an English question that asks what a term means ("What
// does happens-before mean?"), the term, since "mean" would find the
// passages that say "means" rather than the one that defines it.
func (a *Analysis) SearchText() string {
	if a.search != "" {
		return a.search
	}
	if len(a.Borrowed) == 0 {
		return a.Text
	}
	return a.Text + " " + strings.Join(a.Borrowed, " ")
}

// Constraints lists Numbers, Names and Titles together.
func (a *Analysis) Constraints() []string {
	return slices.Concat(a.Numbers, a.Names, a.Titles)
}

// Analyze analyses a question.
func Analyze(text string) *Analysis {
	text = strings.TrimSpace(text)
	a := &Analysis{Text: text, Runes: analysis.FoldRunes(text)}
	a.Folded = string(a.Runes)
	a.Terms = analysis.QueryTerms(a.Folded)
	compact := analysis.Compact(a.Folded)
	a.Numbers = analysis.NumberExprs(compact)
	a.Names = analysis.Names(text)
	a.Titles = titles(a.Folded)
	a.classify()
	a.Focus = a.focus()
	a.Known = knownNames(a.Runes, a.Wh)
	a.Sibling = sibling(a.Runes, a.Wh)
	a.Item = itemAsked(a.Folded)
	if texts := parts(a.Text, a.Runes); texts != nil {
		a.Parts = analyzeParts(texts)
	} else if kind, subject := aliasAsked(a.Folded); kind != "" {
		a.Alias, a.Subject = kind, subject
	} else if name := identityAsked(a.Folded); name != "" {
		a.Identity = name
		// However it asks who (谁是X, X是谁, X是什么人), it searches the
		// same way: the word order changed which passages the question's
		// words found, and 谁是吴心伯 missed the one that describes him.
		a.search = name + "是谁"
	} else if authorRE.MatchString(a.Folded) {
		a.Author = true
	} else if a.Type == Definition {
		a.Subject = a.subject()
	} else if term, meaning := englishDefined(a.Text); term != "" {
		// The term is what the question asks about and what the answer
		// must hold; "mean" and the words around it belong to the
		// question, not to its content.
		a.Type, a.Subject = Definition, term
		a.Terms = analysis.QueryTerms(string(analysis.FoldRunes(term)))
		a.Focus = a.Terms
		if meaning {
			a.search = term
		}
	}
	return a
}

// englishDefined returns the term an English question asks to define,
// in lower case, or ""; meaning reports the form "What does X mean?".
func englishDefined(q string) (term string, meaning bool) {
	m := englishDefinitionRE.FindStringSubmatch(q)
	if m == nil {
		return "", false
	}
	// "What is the capital of France?" asks for a thing; "What does
	// happens before mean?" asks what a term means, whatever words the
	// term is made of.
	if m[1] != "" && englishRelationRE.MatchString(m[1]) {
		return "", false
	}
	return strings.ToLower(m[1] + m[2]), m[2] != ""
}

// englishDefinitionRE matches an English question that asks what a term
// is or means, with the term: "What is a data race?", "What does
// happens-before mean?". englishRelationRE matches the words that make the
// term a relation instead, which asks for a thing: "What is the capital of
// France?".
var (
	englishDefinitionRE = regexp.MustCompile(`(?i)^\s*(?:what\s+(?:is|are)\s+(?:an?\s+|the\s+)?([a-z][a-z0-9\-]*(?:\s+[a-z][a-z0-9\-]*){0,3})|what\s+does\s+(?:an?\s+|the\s+)?([a-z][a-z0-9\-]*(?:\s+[a-z][a-z0-9\-]*){0,3})\s+mean)\s*\?*\s*$`)
	englishRelationRE   = regexp.MustCompile(`(?i)(?:^|\s)(?:of|in|on|for|by|with|from|at|to|between|about|after|before|during|did|does|do|was|were|is|are)(?:\s|$)`)
)

// itemRE finds an ordinal that may name an item of a list in a folded
// question: 首先, 其次, 再次, or 第 and a numeral with a counter of items
// (第一个, 第二点); not 第一位 or 第一次, which count people and times,
// nor 第二大 (the second largest).
var itemRE = regexp.MustCompile(`首先|其次|再次|第([一二三四五六七八九十])(?:个|点|项|条|种|方面|阶段|步)`)

// itemAsked is the position an ordinal of the question names, or 0.
func itemAsked(folded string) int {
	m := itemRE.FindStringSubmatch(folded)
	switch {
	case m == nil:
		return 0
	case m[1] != "":
		return analysis.OrdinalValue(m[1])
	}
	return analysis.OrdinalValue(m[0])
}

// minOwnTerms is the number of terms of its own below which a part of a
// compound question borrows those of the parts before it.
const minOwnTerms = 3

// contentTerms counts the terms that are words (isWord).
func contentTerms(terms []string) int {
	n := 0
	for _, t := range terms {
		if isWord(t) {
			n++
		}
	}
	return n
}

// isWord reports whether a term is a word of its own: no digit, no Latin
// letter and no particle in it (年又 and 又是 of 2017年又是多少 are not;
// numbers and names are constraints, which stay with their part).
func isWord(t string) bool {
	return !strings.ContainsFunc(t, func(r rune) bool { return r < 0x80 || strings.ContainsRune(particles, r) })
}

// analyzeParts analyses each part of a compound question: each asks one
// thing, so none has parts of its own.
func analyzeParts(texts []string) []*Analysis {
	var out []*Analysis
	var before []string
	for _, text := range texts {
		p := Analyze(text)
		own := p.FocusOrTerms()
		if contentTerms(own) < minOwnTerms {
			p.Borrowed = slices.Clone(before)
		}
		for _, t := range own {
			if isWord(t) && !slices.Contains(before, t) {
				before = append(before, t)
			}
		}
		out = append(out, p)
	}
	return out
}

// listNounRE matches the nouns that, counted by 几, ask for the items:
// 几个要素, 哪三个阶段, 几点原因.
var listNounRE = regexp.MustCompile(`^(?:个|点|项|大|条)?(?:要素|方面|原因|阶段|特点|特征|条件|步骤|部分|问题|措施|原则|因素|领域|议题|目标|任务|内容|环节|层面|理由|后果|作用)`)

// parts cuts a question into the things it asks: each clause that asks
// something (an interrogative rule matches its folded form) closes a part,
// which holds the clauses before it that ask nothing; clauses after the
// last asking one join it. A question asking one thing has no parts.
// folded is text folded rune by rune (Analysis.Runes), so positions found
// in it cut text.
func parts(text string, fr []rune) []string {
	rs := []rune(text)
	var out []string
	start := 0
	for _, loc := range clauseRuneSpans(fr) {
		clause := string(fr[loc[0]:loc[1]])
		if strings.TrimSpace(clause) == "" || !asks(clause) {
			continue
		}
		out = append(out, strings.TrimSpace(string(rs[start:loc[2]])))
		start = loc[2]
	}
	if len(out) < 2 {
		return nil
	}
	out[len(out)-1] += strings.TrimSpace(string(rs[start:]))
	return out
}

// clauseRuneSpans returns each clause of a folded question as rune
// offsets: where it starts, where it ends, and where the punctuation after
// it ends. What a question quotes is not cut: its sentences are words it
// asks about (誰認為「…，我們無法『買斷』任何一間房屋。」?).
func clauseRuneSpans(fr []rune) [][3]int {
	var out [][3]int
	start, quoted := 0, 0
	for i := 0; i < len(fr); {
		switch {
		case strings.ContainsRune(quoteOpens, fr[i]):
			quoted++
		case strings.ContainsRune(quoteCloses, fr[i]) && quoted > 0:
			quoted--
		}
		if quoted > 0 || !strings.ContainsRune(clauseCuts, fr[i]) {
			i++
			continue
		}
		j := i
		for j < len(fr) && strings.ContainsRune(clauseCuts, fr[j]) {
			j++
		}
		out = append(out, [3]int{start, i, j})
		start, i = j, j
	}
	if start < len(fr) {
		out = append(out, [3]int{start, len(fr), len(fr)})
	}
	return out
}

// askingLookalikes are words that hold an interrogative character and
// ask nothing: 几何 (geometry, 几何光学), 任何 (any).
var askingLookalikes = strings.NewReplacer("几何", "□□", "任何", "□□")

// maskWords hides the askingLookalikes of folded text from the rules,
// keeping every other character at its offset.
func maskWords(s string) string { return askingLookalikes.Replace(s) }

// clauseCuts are the characters that end a clause of a question.
const clauseCuts = "?？;；。,，"

// quoteOpens and quoteCloses are the quotation marks whose words a
// question quotes, pair by pair.
const (
	quoteOpens  = "「『“《"
	quoteCloses = "」』”》"
)

// asks reports whether a clause asks something.
func asks(clause string) bool {
	clause = maskWords(clause)
	for _, r := range rules {
		if r.re != reasonNounRE && r.re.MatchString(clause) {
			return true
		}
	}
	return false
}

// subject returns the words of a definition question outside its
// interrogative phrase, on the side that has any, without the
// punctuation, spaces and particles at their ends.
func (a *Analysis) subject() string {
	if s := trimSubject(string(a.Runes[:a.Wh.Start])); s != "" {
		return s
	}
	return trimSubject(string(a.Runes[a.Wh.End:]))
}

// trimSubject trims from the words a question names the punctuation,
// spaces and particles at their ends (的, 是, 又, …); brackets and quotes
// that hold a name stay.
func trimSubject(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsPunct(r) && !strings.ContainsRune("《》「」“”（）", r) || unicode.IsSpace(r) || strings.ContainsRune("的是呢吗又也还", r)
	})
}

// AliasKind is the kind of name an alias question asks for.
type AliasKind string

// The kinds of name an alias question asks for.
const (
	AliasOther   AliasKind = "other"
	AliasShort   AliasKind = "short"
	AliasFull    AliasKind = "full"
	AliasFormer  AliasKind = "former"
	AliasEnglish AliasKind = "english"
)

// aliasWords are the words an alias question asks for a name with, and
// the kind of name each asks for.
var aliasWords = map[string]AliasKind{
	"别名": AliasOther, "别称": AliasOther, "别号": AliasOther, "又名": AliasOther, "又被称": AliasOther,
	"又称": AliasOther, "也叫": AliasOther, "又叫": AliasOther, "亦称": AliasOther, "俗称": AliasOther,
	"也称": AliasOther, "简称": AliasShort, "全称": AliasFull, "原名": AliasFormer, "本名": AliasFormer,
	"旧称": AliasFormer, "英文名称": AliasEnglish, "英文全称": AliasEnglish, "英文名": AliasEnglish,
}

// aliasRE matches an alias question, folded: what it names, then one of
// aliasWords, longest first (凉茶舖又叫什么, 黄蝉的别称叫什么,
// 锦地罗又被称之为什么, 那须盐原车站的原名是什么).
var aliasRE = func() *regexp.Regexp {
	words := slices.Collect(maps.Keys(aliasWords))
	slices.SortFunc(words, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	return regexp.MustCompile(`^(.+?)(` + strings.Join(words, "|") + `)(?:叫|是|为|之为|作)?(?:什么|何|甚么)`)
}()

// identityRE matches an identity question, folded, with the name it asks
// about in one of its two groups.
var identityRE = regexp.MustCompile(`^\s*(?:([^\s?!。]{2,12}?)(?:是|为)(?:谁|什么人|何人|哪位|哪一位|什么来头)|谁是([^\s?!。]{2,12}?))\s*[?!。]?\s*$`)

// identityAsked returns the person an identity question asks about, or
// "" (Analysis.Identity). What the question names is a person's name when
// it is two to five Chinese characters, or names joined by a middle dot,
// and not a role: no 的 or 之 (成吉思汗的长子, 现代物理学之父), no word for
// what a person is at its end (美国总统), no 者 (建立者).
func identityAsked(folded string) string {
	m := identityRE.FindStringSubmatch(folded)
	if m == nil {
		return ""
	}
	name := m[1] + m[2]
	n, _ := hanzi.Letters(name)
	dots := strings.Count(name, "·")
	if n+dots != utf8.RuneCountInString(name) || n < 2 || n > 5 && dots == 0 || strings.ContainsAny(name, "的之") ||
		strings.HasSuffix(name, "者") || analysis.EndsInTitle(name) {
		return ""
	}
	return name
}

// authorRE matches a question that asks who wrote a document, folded.
var authorRE = regexp.MustCompile(`作者(?:是|为)?(?:谁|何人|哪位|哪一位)|(?:是|由)?谁(?:写|撰写|执笔|所写|所撰)的?[?？。]?\s*$`)

// aliasAsked returns the kind of name an alias question asks for and what
// it names (trimSubject); "" for another question.
func aliasAsked(folded string) (AliasKind, string) {
	m := aliasRE.FindStringSubmatch(folded)
	if m == nil {
		return "", ""
	}
	subject := trimSubject(m[1])
	if subject == "" {
		return "", ""
	}
	return aliasWords[m[2]], subject
}

// titlesRE matches titles and quoted terms: 《…》, 〈…〉, 「…」, 『…』, “…”.
var titlesRE = regexp.MustCompile(`《([^《》]{1,40})》|〈([^〈〉]{1,40})〉|「([^「」]{1,40})」|『([^『』]{1,40})』|“([^“”]{1,40})”`)

func titles(folded string) []string {
	var out []string
	for _, m := range titlesRE.FindAllStringSubmatch(folded, -1) {
		for _, g := range m[1:] {
			if g = strings.TrimSpace(g); g != "" && !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
	}
	return out
}

// focus returns the content terms that lie outside the interrogative
// phrase.
func (a *Analysis) focus() []string {
	if a.Wh.Len() == 0 {
		return a.Terms
	}
	rest := string(a.Runes[:a.Wh.Start]) + "\x00" + string(a.Runes[a.Wh.End:])
	var out []string
	for _, t := range a.Terms {
		if strings.Contains(rest, t) {
			out = append(out, t)
		}
	}
	return out
}

// A rule finds an interrogative phrase in a folded question.
type rule struct {
	re *regexp.Regexp
	// typ is the type the phrase asks for; Unknown means: from its head
	// noun (group "head"), or Entity when the noun says nothing.
	typ Type
}

// reasonNounRE matches the noun 原因, not an interrogative: it types a
// question that has none (造成……的原因), but a clause it alone matches
// asks nothing (原因有二，除了……，还有哪一原因？ asks one thing).
var reasonNounRE = regexp.MustCompile(`原因`)

// measureRE matches the measure word that may stand between 哪/几 and
// the noun: 哪一个国家, 哪所大学, 几座城市.
var measureRE = regexp.MustCompile(`^(?:一)?(?:个|位|种|部|条|座|家|所|支|只|项|本|首|场|届|间|名|次|段|片|门|类|件|辆|艘|架|张|块|份|款|期|集|章|节|任|代|级|组)?`)

// particles end a head noun: the rest of the question starts there.
const particles = "是的在被与和将会能有于由为从对把呢吗给所最之中上下里时曾也都又还就才并而及或以向跟让使令叫称却"

// rules are tried in order; the first that matches decides.
var rules = []rule{
	// Dates before numbers: 哪一年 is a date, 几年 a number.
	// 哪几天 and 哪几个月 ask which days and months, not how many.
	{regexp.MustCompile(`(?:哪|什么|何)(?:一|几)?(?:个)?(?:年代|年份|世纪|年|月份|月|天|日|日期|时候|时间|时期|季节|朝代?)|何时|几月|几号|几日|几点`), Date},
	// 哪几 and a measure word ask which ones, not how many (精通哪几门语言).
	{regexp.MustCompile(`哪几[^乎何\P{Han}]`), List},
	{regexp.MustCompile(`多少|几[^乎何\P{Han}]|多(?:大|高|长|重|远|深|宽|久|厚|快|老)(?:[?？的呢]|$|程度|时间|距离|年纪|岁数|面积|范围|比例|比重|份额|比率)|第几|百分之几|几成|几倍`), Number},
	{regexp.MustCompile(`是谁|为谁|谁|何人|哪(?:一)?位|什么人(?:物)?`), Person},
	{regexp.MustCompile(`哪里|哪儿|何处|何地|在哪(?:里|儿)?|何方|去哪(?:里|儿)?|什么地方`), Place},
	// 为什么 asks why only when a verb follows: 被称为什么 asks what.
	{regexp.MustCompile(`(?:^|[^称成作名视改译叫列定化分])(?:为什么|为何)[\p{Han}]|何故|因何`), Reason},
	{regexp.MustCompile(`哪些|哪几|哪两|哪三`), List},
	{regexp.MustCompile(`哪|什么|何(?:种|类|者|国)`), Unknown}, // asks about its head noun
	{regexp.MustCompile(`如何|怎么|怎样|怎么样|何种方式`), Manner},
	{regexp.MustCompile(`是否|有没有|是不是|能否|可否|会不会|能不能|吗[?？]?\s*$`), YesNo},
	{regexp.MustCompile(`指的?是?什么|是指什么|什么意思|什么是|何谓|意思是|是什么[?？]?\s*$`), Definition},
	{reasonNounRE, Reason},
	{regexp.MustCompile(`什么|何|哪`), Entity},
	{regexp.MustCompile(`(?i)^\s*(?:who|whom|whose)\b`), Person},
	{regexp.MustCompile(`(?i)^\s*when\b|(?i)\bwhat (?:year|date|time)\b`), Date},
	{regexp.MustCompile(`(?i)^\s*where\b`), Place},
	{regexp.MustCompile(`(?i)\bhow (?:many|much|long|old|far|big|large|high)\b`), Number},
	{regexp.MustCompile(`(?i)^\s*why\b`), Reason},
	{regexp.MustCompile(`(?i)^\s*how\b`), Manner},
	{regexp.MustCompile(`(?i)^\s*(?:is|are|was|were|do|does|did|can|could|has|have|will|would)\b`), YesNo},
	{regexp.MustCompile(`(?i)^\s*(?:what|which)\b`), Entity},
}

// Head nouns and the types they ask for, matched by suffix: 哪个国家 and
// 哪一國 ask for a place, 哪所大学 for an organisation.
var heads = []struct {
	suffixes []string
	typ      Type
}{
	{[]string{"作品", "电影", "影片", "书", "小说", "歌", "歌曲", "专辑", "单曲", "节目", "剧", "电视剧", "游戏", "杂志", "诗", "著作", "漫画", "动画"}, Title},
	{[]string{"原因", "理由", "缘故"}, Reason},
	{[]string{"公司", "组织", "机构", "单位", "大学", "学校", "学院", "团体", "政党", "党", "部门", "球队", "队", "俱乐部", "银行", "企业", "集团", "报社", "电视台", "政府", "军队", "协会", "医院", "乐团", "乐队", "家族", "王朝", "教派", "出版社"}, Organization},
	{[]string{"国家", "国", "城市", "城", "地方", "地区", "省", "州", "县", "市", "岛", "河", "江", "山", "湖", "海", "港", "洲", "区", "村", "镇", "街", "路", "地点", "大陆", "半岛", "地", "处", "站", "机场", "宫"}, Place},
	{[]string{"人", "君主", "国王", "皇帝", "总统", "人物", "球员", "作者", "导演", "演员", "宰相", "将领", "将军", "学者", "科学家", "作家", "画家", "歌手", "首相", "主席", "领袖", "官员", "教练", "成员", "创始人", "主角", "王", "帝", "者"}, Person},
	{[]string{"年", "年代", "世纪", "朝代", "时期", "时代", "月", "天", "日"}, Date},
}

// classify finds the interrogative phrase and the type it asks for.
func (a *Analysis) classify() {
	q := a.Folded
	masked := maskWords(q)
	for _, r := range rules {
		loc := r.re.FindStringSubmatchIndex(masked)
		if loc == nil {
			continue
		}
		start, end := loc[0], loc[1]
		typ := r.typ
		if typ == Reason {
			// The rule may hold the character before and the verb after.
			for _, w := range []string{"为什么", "为何", "何故", "因何", "原因"} {
				if i := strings.Index(q[start:end], w); i >= 0 {
					start, end = start+i, start+i+len(w)
					break
				}
			}
		}
		if typ == Unknown {
			if strings.HasPrefix(q[start:], "何") {
				end = start + len("何")
			}
			kind := kindAsked(q[end:])
			a.Head, end = headAt(q, end)
			if a.Head == "" && !strings.HasPrefix(q[start:], "哪") {
				// "是什么？" names no noun: a later rule decides.
				continue
			}
			typ = typeOfHead(a.Head)
			if kind {
				typ = Entity // 什么样的人 asks what kind of people, not who
			}
		}
		if typ == Place && strings.HasSuffix(q[start:end], "哪") {
			// 在哪个城市, 去哪些城市: the noun after the interrogative
			// says what is asked, as it does after 哪个: 在哪所大学 asks
			// for an organisation, and 在哪些方面 or 在哪一场比赛 for no
			// place (the rules for 哪些 and 哪 read them).
			if h, hend := headAfterWhere(q, end); h != "" {
				if typ = typeOfHead(h); typ == Entity {
					continue
				}
				a.Head, end = h, hend
			}
		}
		// Trailing punctuation and particles are not part of the phrase;
		// a head noun ends it whole (能 ends 功能).
		for a.Head == "" && end > start {
			r, size := lastRune(q[start:end])
			if !unicode.IsPunct(r) && !strings.ContainsRune("是的在被与和将会能有于由为从对把呢吗 ", r) || r == '何' {
				break
			}
			end -= size
		}
		if typ == Number && listNounRE.MatchString(q[end:]) {
			typ = List // 有几个要素是必不可少的: the items are asked for, not a count
		}
		if before, ok := strings.CutSuffix(strings.TrimRight(q, "?？ "), "是什么"); typ == Definition && ok &&
			!meaningAsked(before) && (attributeAsked(before) || len([]rune(q[:start])) > 8) {
			// 构成宇宙的基本单位是什么, 牛佬的职业是什么: a thing, not a
			// definition; 这名称的意思是什么 asks for a meaning.
			typ = Entity
		}
		a.Type = typ
		a.Wh = analysis.Span{Start: runeIndex(q, start), End: runeIndex(q, end)}
		a.Unit = unitOf(typ, a.Runes, a.Wh)
		if typ == Number && a.Unit == "" {
			a.Measure = measureOf(a.Runes, a.Wh)
		}
		if typ == Number || a.Unit == "日" {
			// The unit belongs to the phrase: 多少美元 asks for an amount in
			// dollars, and 美元 is not what the question is about.
			a.Wh.End = unitEnd(a.Runes, a.Wh, a.Unit)
		}
		return
	}
	a.tail()
}

// meaningNouns are the nouns a question asks for a meaning with: "X的意思
// 是什么" is a definition question, however long X is.
var meaningNouns = []string{"意思", "意义", "含义", "涵义", "意涵", "定义", "解释", "概念", "寓意", "释义"}

// meaningAsked reports whether the words before 是什么 end with a noun of
// meaningNouns.
func meaningAsked(before string) bool {
	return slices.ContainsFunc(meaningNouns, func(n string) bool { return strings.HasSuffix(before, n) })
}

// maxAttribute is the length in characters of the longest attribute noun
// attributeAsked takes: 艺名, 分子式, 建筑风格.
const maxAttribute = 4

// attributeAsked reports whether the words before 是什么 end with 的 and a
// noun of at most maxAttribute Han characters: 牛佬的职业, 林郁智的艺名,
// 教堂的建筑风格. The question asks for the value of an attribute (漫画家,
// 纳豆, 巴罗克风格), not what the words mean.
func attributeAsked(before string) bool {
	i := strings.LastIndex(before, "的")
	if i < 0 {
		return false
	}
	noun := before[i+len("的"):]
	n := utf8.RuneCountInString(noun)
	han, _ := hanzi.Letters(noun)
	return n > 0 && n <= maxAttribute && han == n
}

// headAt finds the head noun that starts at byte i of a folded question,
// after an optional measure word: a known head noun (the longest), else
// the noun phrase the lexicon reads there (nounPhraseAt), else the Han
// characters up to a particle, at most two. It returns the noun and the
// byte offset after it.
//
// The noun of 什么样的结构 follows 样的. A measure word may be the first
// character of the noun (哪一部门, 哪一类型, 哪一部分): a known noun or a
// measure noun is looked for with the measure word and without it.
func headAt(q string, i int) (string, int) {
	if kindAsked(q[i:]) {
		i += len("样的")
	}
	m := measureRE.FindString(q[i:])
	best, at := "", 0
	for _, from := range measureReadings(i, m) {
		if h := knownHeadAt(q[from:]); len(h) > len(best) {
			best, at = h, from
		}
	}
	if best != "" {
		return best, at + len(best)
	}
	i += len(m)
	if np := nounPhraseAt(q[i:]); np != "" {
		return np, i + len(np)
	}
	n := 0
	for _, r := range q[i:] {
		if !hanzi.IsHan(r) || strings.ContainsRune(particles, r) || n == 2 {
			break
		}
		best += string(r)
		n++
	}
	return best, i + len(best)
}

// maxWordRunes is the longest word leadingWord looks up.
const maxWordRunes = 4

// maxNameRunes is the longest name knownNames looks up.
const maxNameRunes = 8

// knownNames reads a folded question word by word, the longest word the
// lexicon holds first, and returns the words it holds as names, once
// each, outside the interrogative phrase wh and the titles in 《》.
func knownNames(rs []rune, wh analysis.Span) []string {
	var out []string
	depth := 0
	for k := 0; k < len(rs); {
		switch rs[k] {
		case '《':
			depth++
		case '》':
			depth = max(0, depth-1)
		}
		n, class := analysis.WordAt(rs[k:], 2, maxNameRunes)
		if n == 0 || depth > 0 {
			k++
			continue
		}
		if w := string(rs[k : k+n]); class == analysis.Name && (k+n <= wh.Start || k >= wh.End) && !slices.Contains(out, w) {
			out = append(out, w)
		}
		k += n
	}
	return out
}

// maxSiblingRunes bounds the word Sibling reads.
const maxSiblingRunes = 4

// sibling returns the word right before a conjunction (以及, 还有, 和, 与,
// 及, 或, 跟, 同, 、) that ends right before the interrogative phrase wh,
// or before the comma of ，还有 or ，另一 ahead of it (一个是黄河流域，另一个是,
// 除了维持治安、竞技、狩猎，还有哪一种): the longest word of the lexicon
// that ends there, else its last two Han characters; "" when the question
// coordinates nothing with what it asks or no two Han characters precede
// the conjunction.
func sibling(rs []rune, wh analysis.Span) string {
	k := -1 // where the conjunction starts
	if wh.End > wh.Start {
		k = conjunctionBefore(rs, wh.Start)
	}
	if k < 0 {
		// 一个是黄河流域，另一个是?: the comma before 还有 or 另一, the last
		// one ahead of the interrogative's end (the question's end when
		// it asks by its mark alone). Folded text writes commas in ASCII.
		end := len(rs)
		if wh.End > wh.Start {
			end = wh.End
		}
		for i := 1; i+2 < end; i++ {
			if w := string(rs[i+1 : i+3]); rs[i] == ',' && (w == "还有" || w == "另一") {
				k = i
			}
		}
		if k < 0 {
			return ""
		}
	}
	j := k
	for j > 0 && k-j < maxSiblingRunes && hanzi.IsHan(rs[j-1]) {
		j--
	}
	if k-j < 2 {
		return ""
	}
	if n, _ := analysis.WordEnding(rs[j:k], 2, k-j); n > 0 {
		return string(rs[k-n : k])
	}
	return string(rs[k-2 : k])
}

// conjunctionBefore returns where the conjunction that ends right before
// rune i starts (以及, 还有 with the commas before it, or one character of
// analysis.IsCoordinator), or -1 when none does.
func conjunctionBefore(rs []rune, i int) int {
	switch s := string(rs[:i]); {
	case strings.HasSuffix(s, "以及"), strings.HasSuffix(s, "还有"):
		k := i - 2
		for k > 0 && (rs[k-1] == ',' || rs[k-1] == '、') {
			k--
		}
		return k
	case i > 0 && analysis.IsCoordinator(rs[i-1]):
		return i - 1
	}
	return -1
}

// headAfterWhere returns the head noun that follows 在哪 or 去哪 ending at
// byte i after a measure word or 些 (城市 of 在哪个城市 and 去哪些城市) and
// the byte offset after it; "" and i when none does: 在哪举行 and 在哪工作
// ask where, and so does 在哪一发生, whose 发生 is no noun.
func headAfterWhere(q string, i int) (string, int) {
	from := i
	if strings.HasPrefix(q[from:], "些") {
		from += len("些")
	} else if m := measureRE.FindString(q[from:]); m == "" {
		return "", i
	}
	h, end := headAt(q, from)
	if typeOfHead(h) == Entity && analysis.ClassOf(h) != analysis.Noun {
		return "", i // no noun: 在哪一发生 asks where
	}
	return h, end
}

// nounPhraseAt returns the noun phrase rest starts with, or "": the
// longest word there that the lexicon holds, when it holds it as a common
// noun (物理量, 战斗机, 委员会; one character only where a particle or no
// Han character follows it: 功 of 功能 is not the noun), and the common
// noun after it when that one ends in a known head noun, which says what
// is asked (政治人物 asks for a person, 慈善团体 for an organisation). A
// name is taken only before such a noun (英格兰国王 asks for a king; 中国
// of 哪一个中国上海市的市辖区 is not what is asked). Other nouns after the
// first are not taken: the lexicon holds many a verb as a noun (产生,
// 办理), so the phrase would run into the question's verb.
func nounPhraseAt(rest string) string {
	first, firstClass := leadingWord(rest)
	if firstClass != analysis.Noun && firstClass != analysis.Name {
		return ""
	}
	if r, _ := utf8.DecodeRuneInString(rest[len(first):]); len([]rune(first)) == 1 && hanzi.IsHan(r) && !strings.ContainsRune(particles, r) {
		// One character of a word the lexicon does not hold: 族 of 族群.
		return ""
	}
	if next, class := leadingWord(rest[len(first):]); class == analysis.Noun && typeOfHead(next) != Entity {
		return first + next
	}
	if firstClass == analysis.Name {
		// A name is what the noun asked about belongs to, not that noun:
		// 哪一个中国上海市的市辖区 asks for a district.
		return ""
	}
	return first
}

// leadingWord returns the longest word of Han characters, at most maxWordRunes,
// that rest starts with and the lexicon holds, with its class, or "" and
// Uncommon.
func leadingWord(rest string) (string, analysis.WordClass) {
	rs := []rune(rest)
	n, c := analysis.WordAt(rs, 1, maxWordRunes)
	w := string(rs[:n])
	if han, _ := hanzi.Letters(w); n == 0 || han != n {
		return "", analysis.Uncommon
	}
	return w, c
}

// measureNouns are nouns whose first character is also a measure word:
// 哪一部分 asks about a 部分, not a 分.
var measureNouns = []string{"位置", "部分", "部队", "部落", "部位", "部长", "类型", "类别", "项目", "级别", "名称", "名字", "段落", "条约", "条件", "条款", "款式", "门类", "期间", "本土", "首都", "首相", "首领", "家族", "场所", "场馆", "代表", "任务"}

// kindAsked reports whether rest, what follows 什么 or 怎, starts with
// the 样的 of 什么样的结构, which asks what kind of a noun (the noun
// follows): a description, whatever the noun.
func kindAsked(rest string) bool {
	after, ok := strings.CutPrefix(rest, "样的")
	if !ok {
		return false
	}
	r, _ := utf8.DecodeRuneInString(after)
	return hanzi.IsHan(r) && !strings.ContainsRune(particles, r)
}

// measureReadings are the byte offsets where the noun after an
// interrogative at i, followed by measure word m, may start: after the
// measure word, after only its 一, and at i.
func measureReadings(i int, m string) []int {
	out := []int{i + len(m)}
	if rest := strings.TrimPrefix(m, "一"); rest != m && rest != "" {
		out = append(out, i+len("一"))
	}
	if m != "" {
		out = append(out, i)
	}
	return out
}

// knownHeadAt returns the longest known head noun (or measure noun) that
// rest starts with, or "".
func knownHeadAt(rest string) string {
	best := ""
	for _, s := range measureNouns {
		if len(s) > len(best) && strings.HasPrefix(rest, s) {
			best = s
		}
	}
	for _, hs := range heads {
		for _, s := range hs.suffixes {
			if len(s) > len(best) && strings.HasPrefix(rest, s) {
				best = s
			}
		}
	}
	return best
}

// tail handles a question with no interrogative word, which asks for what
// follows its last word ("奥斯卡金像奖的本名是?", "心房末端所形成的膨大称之为?").
func (a *Analysis) tail() {
	end := len(a.Runes)
	for end > 0 && (unicode.IsPunct(a.Runes[end-1]) || unicode.IsSpace(a.Runes[end-1])) {
		end--
	}
	if end > 0 {
		a.Type = Entity
		a.Wh = analysis.Span{Start: end, End: end}
	}
}

// typeOfHead maps a head noun to the type it asks for.
func typeOfHead(h string) Type {
	for _, hs := range heads {
		for _, s := range hs.suffixes {
			if strings.HasSuffix(h, s) {
				return hs.typ
			}
		}
	}
	return Entity
}

// unitOf finds the unit a number or date question asks in: 几个 → 个,
// 多少美元 → 美元, 几世纪 → 世纪, 哪一年 → 年, 哪个年代 → 年代, 几月几日 → 日.
func unitOf(typ Type, q []rune, wh analysis.Span) string {
	phrase := string(q[wh.Start:wh.End])
	rest := string(q[wh.End:])
	switch typ {
	case Date:
		// 几月几日 asks for the day, not the month.
		if strings.HasSuffix(phrase, "月") && (strings.HasPrefix(rest, "几日") || strings.HasPrefix(rest, "几号")) {
			return "日"
		}
		for _, u := range []string{"年代", "世纪", "年", "月", "日", "天", "号"} {
			if strings.Contains(phrase, u) {
				return u
			}
		}
	case Number:
		// 几个, 第几届, 几世纪: the counter or unit after 几 — a known
		// unit of two or more characters, which may run past the phrase,
		// or one character.
		if m := numberUnitRE.FindStringSubmatchIndex(phrase); m != nil && m[2] >= 0 {
			if u := analysis.LongUnitAt(phrase[m[2]:] + rest); u != "" {
				return u
			}
			if r, _ := utf8.DecodeRuneInString(phrase[m[2]:]); isUnit(r) {
				return string(r)
			}
		}
		// 多少人, 多少美元, 多少公分: the unit follows the phrase, the
		// same way.
		if u := analysis.LongUnitAt(rest); u != "" {
			return u
		}
		// 多少人, 几座: a counter or a unit of one character. Any other
		// character begins the noun counted (多少比例, 多少运动员), which
		// the answer need not repeat (1/3, 23人).
		if wh.End < len(q) {
			if r := q[wh.End]; isUnit(r) {
				return string(r)
			}
		}
	}
	return ""
}

// measureOf finds the kind of unit a number question's noun measures in
// (analysis.UnitOfNoun): the noun right before the phrase that ends the
// question or its clause, 金额是多少, 增长率为多少, or a measuring noun
// right after it (多少经费, 多少的价格, 多少百分比的机车). Any other noun
// after the phrase is what is counted (多少蒙古军), not a kind of unit;
// so is time (多少时间), which a year would answer as well as a duration.
func measureOf(q []rune, wh analysis.Span) string {
	if wh.End < len(q) && !strings.ContainsRune("?？。，,;；呢", q[wh.End]) {
		return analysis.UnitOfNounAt(string(q[wh.End:]))
	}
	before := string(q[:wh.Start])
	for {
		i := slices.IndexFunc(linkingWords, func(w string) bool { return strings.HasSuffix(before, w) })
		if i < 0 {
			return analysis.UnitOfNoun(before)
		}
		before = strings.TrimSuffix(before, linkingWords[i])
	}
}

// linkingWords stand between a noun and the 多少 that asks its number.
// None is a character a noun ends in: with 值 among them, 价值约值 would
// lose its 值 twice. measureOf takes off one at a time, the longest that
// ends the words first, so that 体重大约 loses 大约, not 约 alone.
var linkingWords = func() []string {
	ws := []string{"是", "为", "约", "大约", "大概", "约值", "高达", "达到", "达", "有", "分别", "一共", "总共", "共", "具体", "究竟", "到底", "应该"}
	slices.SortStableFunc(ws, func(a, b string) int { return len(b) - len(a) })
	return ws
}()

// isUnit reports whether a character is a counter or a unit of one
// character.
func isUnit(r rune) bool {
	return strings.ContainsRune(analysis.Counters, r) || slices.Contains(analysis.Units, string(r))
}

// unitEnd is where the question phrase wh ends once it takes in the unit
// it asks in: the unit written right after it (多少|美元), begun inside it
// (几世|纪), or asked with a second 几 (几月|几日).
func unitEnd(q []rune, wh analysis.Span, unit string) int {
	u := []rune(unit)
	if len(u) == 0 {
		return wh.End
	}
	for i := max(wh.Start, wh.End-len(u)+1); i <= wh.End+1 && i+len(u) <= len(q); i++ {
		if i == wh.End+1 && q[wh.End] != '几' {
			break
		}
		if string(q[i:i+len(u)]) == unit {
			return max(wh.End, i+len(u))
		}
	}
	return wh.End
}

// numberUnitRE finds the counter inside a number phrase: 几个, 第几届.
var numberUnitRE = regexp.MustCompile(`几(?:一)?([^乎何\P{Han}])`)

func lastRune(s string) (rune, int) {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0, 0
	}
	r := rs[len(rs)-1]
	return r, len(string(r))
}

// runeIndex converts a byte offset of s into a rune offset.
func runeIndex(s string, byteOff int) int { return len([]rune(s[:byteOff])) }

// script reports the script of the question, for callers that answer in it.
func (a *Analysis) Script() hanzi.Script { return hanzi.Detect(a.Text) }

// Premise returns what a why-question takes as given, folded: the
// question without its interrogative phrase and its closing punctuation
// (特朗普政府批准了那项价值4亿美元的对台军售案 of 特朗普政府为什么批准了
// 那项价值4亿美元的对台军售案？). "" for other questions, and for a
// compound one, whose parts have theirs.
func (a *Analysis) Premise() string {
	if a.Type != Reason || a.Compound() || a.Wh.End <= a.Wh.Start {
		return ""
	}
	p := string(a.Runes[:a.Wh.Start]) + string(a.Runes[a.Wh.End:])
	return strings.TrimRightFunc(p, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
}
