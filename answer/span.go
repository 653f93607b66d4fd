package answer

import (
	_ "embed"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"wenda/analysis"
	"wenda/hanzi"
	"wenda/question"
)

// The short answer of a factoid question is found by alignment and
// ranking. The sentence that answers restates much of the question, and
// the answer stands where the question has its interrogative phrase. The
// words of a sentence that the question also has are marked; what is left
// between them, cut at punctuation, are the places an answer can stand.
// Inside those, spans of the expected type — a number with its unit, a
// date, a title in 《》, or, for a name or a thing, the pieces between
// particles — are candidates. A name may hold words of the question
// (美国工业工程师学会 for 哪一个组织为工业工程做出定义), so a stretch between
// particles that holds them and other words is a candidate whole. Each
// candidate is described by features that mean the same in any
// collection (its shape against the expected type, how close the
// question's words stand on each side, the words right around it, how
// well its sentence covers the question), and the span model, a logistic
// regression trained on labelled questions by "wenda train", ranks them.

// candidate is a span of a sentence that may answer a factoid question.
type candidate struct {
	sent *sentence
	// span is in runes of sent.text.
	span     analysis.Span
	features []float64
	// row is the fields of the sentence when it is a table's row.
	row *row
	// score is the span model's score; prob its probability.
	score float64
}

// text is the candidate's span, folded.
func (c *candidate) text() string { return string(c.sent.folded[c.span.Start:c.span.End]) }

// SpanFeatureNames are the features of a candidate span, in the order of
// the span model's weights.
var SpanFeatureNames = []string{
	"fit",             // how well the span's form fits the expected type, 0..1
	"len_1",           // one character
	"len_2_4",         // two to four
	"len_5_8",         // five to eight
	"len_9",           // nine or more
	"number_expr",     // a number expression, for a number question
	"unit_match",      // it ends with the unit asked for (0.5: holds its first character)
	"ordinal_match",   // 第… exactly when the question asks 第几
	"date_expr",       // a date expression, for a date question
	"time_phrase",     // a time said in words (春季化雪的时候), for a date question
	"title",           // a title in 《》
	"name_dot",        // a name with a middle dot (皮埃尔·特鲁多), for a person
	"surname",         // two to four characters opening with a common surname, for a person
	"place_end",       // ends in a place character (国, 省, 河), for a place
	"org_end",         // ends in an organisation character (司, 院, 党), for an organisation
	"head_end",        // ends with the last character of the noun asked about (哪一派 → …派)
	"digits",          // holds digits, for a name or a thing
	"latin_only",      // Latin letters only, in a Chinese question
	"in_brackets",     // stands inside （）
	"question_chars",  // share of its characters that the question has
	"anchor_left",     // question words just left of it, weighted by rarity and nearness
	"anchor_right",    // the same on the right
	"anchor_expected", // on the side where the question has its interrogative
	"before_match",    // the character before it is the one before the interrogative, or its synonym
	"after_match",     // the same after it
	"copula_before",   // right after 是, 为, 乃 or 即
	"sent_rel",        // its sentence's score over the best sentence's
	"sent_cov",        // share of the question's focus in its sentence
	"sent_best",       // its sentence is the best
	"sent_window",     // share of the focus in its sentence and its neighbours
	"passage_rank",    // 1 / (1 + passage position)
	"position",        // where in its sentence it starts, 0..1
	"rarity",          // mean IDF of its bigrams over the largest IDF: names are rare, 当时 is not
	"left_break",      // how common the pair of characters across its left end is: high when the end breaks a word (允|许)
	"right_break",     // the same across its right end
	"subject",         // it names the subject of its document, as the title does (绿岛 of 绿岛乡)
	"common_verbal",   // it is a common word that is not a noun (需要, 表示, 严重): no name
	"common_noun",     // it is a common noun (任务, 交通)
	"common_name",     // it is a well-known name (英国, 毛泽东)
	"verbal_start",    // it opens with a common word of one or two characters that is not a noun (于清朝)
	"verbal_end",      // it ends with one (孙文就任, 莱佛士索性)
	"verbal_beside",   // sides of it that a common word that is not a noun stands right next to, over 2 (有|珊瑚环礁|围绕)
	"trimmed",         // it is another candidate without such a word at its start or end (withoutVerbalEdges)
	"splits_word",     // sides of it across which a common word runs, over 2 (湘王不|堪 cuts 不堪)
	"cuts_name",       // sides of it at which it cuts a transliterated name, over 2 (戴维·里|滕豪斯)
	"sibling",         // it stands in a list beside the item the question coordinates it with (…条约和|大卫营和约)
}

//go:embed spanmodel.json
var spanModelJSON []byte

// DefaultSpanModel returns the span model shipped with wenda
// (spanmodel.json), trained by "wenda train".
func DefaultSpanModel() *SpanModel {
	m, err := ParseSpanModel(spanModelJSON, SpanFeatureNames)
	if err != nil {
		panic("answer: embedded span model: " + err.Error())
	}
	return m
}

// candidateSentences is how many of the best sentences, with the
// sentences around them, are searched for a span.
const candidateSentences = 6

// maxPieceRunes bounds a candidate span made of pieces between particles.
const maxPieceRunes = 16

// candidates returns the candidate spans answering a factoid question in
// the best-scoring sentences (sorted best first) and their neighbours,
// each with its features; nil for a question that does not ask for a span.
func candidates(q *question.Analysis, focus []string, idf func(string) float64, sorted []*sentence) []*candidate {
	if !q.Type.Factoid() || q.Compound() || len(sorted) == 0 || sorted[0].score <= 0 {
		return nil
	}
	seen := map[*sentence]bool{}
	var pool []*sentence
	add := func(s *sentence) {
		if s != nil && s.quotable && !seen[s] {
			seen[s] = true
			pool = append(pool, s)
		}
	}
	for _, s := range sorted[:min(candidateSentences, len(sorted))] {
		add(s)
		add(s.next)
		add(s.prev)
	}
	al := newAlignment(q, focus, idf)
	al.top = sorted[0]
	al.local = localIDF(sorted)
	var out []*candidate
	named := false
	for _, s := range pool {
		for _, c := range al.candidates(s) {
			named = named || c.row != nil && c.row.named
			out = append(out, c)
		}
	}
	if !named {
		return out
	}
	// The question names a row of a table: the other rows, which hold its
	// words among others, do not answer it.
	kept := out[:0]
	for _, c := range out {
		if c.row == nil || c.row.named {
			kept = append(kept, c)
		}
	}
	return kept
}

// alignment is what a sentence is aligned against: the question's focus
// terms and constraints, and the characters around its interrogative.
type alignment struct {
	q     *question.Analysis
	idf   func(string) float64
	focus []string
	terms []string
	// weight of each term: its IDF over the largest.
	weight map[string]float64
	// qchars are the characters of the question outside the
	// interrogative phrase.
	qchars map[rune]bool
	// before and after are the folded characters right before and after
	// the interrogative phrase ("与" of 与哪一个国家, "相" of 哪一个城市相邻);
	// 0 when the phrase starts or ends the question.
	before, after rune
	// left and right say on which side of the answer the question's words
	// stand: left when the interrogative ends the question
	// ("……的是哪一个国家"), right when it starts it ("谁……"), both
	// between.
	left, right bool
	top         *sentence
	// local weighs any character pair by its frequency among the
	// retrieved sentences: collection statistics are fetched for the
	// question's terms only.
	local func(string) float64
}

func newAlignment(q *question.Analysis, focus []string, idf func(string) float64) *alignment {
	a := &alignment{q: q, idf: idf, focus: focus, weight: map[string]float64{}, qchars: map[rune]bool{}}
	maxIDF := 0.0
	for _, t := range focus {
		maxIDF = math.Max(maxIDF, idf(t))
	}
	for _, t := range append(append([]string(nil), focus...), q.Constraints()...) {
		if _, ok := a.weight[t]; ok {
			continue
		}
		a.terms = append(a.terms, t)
		w := 1.0
		if maxIDF > 0 {
			w = math.Min(1, idf(t)/maxIDF)
		}
		a.weight[t] = w
	}
	rs := q.Runes
	wh := q.Wh
	for i, r := range rs {
		if (i < wh.Start || i >= wh.End) && hanzi.IsHan(r) {
			a.qchars[r] = true
		}
	}
	if wh.Start > 0 {
		a.before = rs[wh.Start-1]
	}
	end := len(rs)
	for end > wh.End && (unicode.IsPunct(rs[end-1]) || unicode.IsSpace(rs[end-1]) || strings.ContainsRune("呢吗", rs[end-1])) {
		end--
	}
	if wh.End < end {
		a.after = rs[wh.End]
	}
	lead := hasHanOrAlnum(rs[:wh.Start])
	trail := hasHanOrAlnum(rs[wh.End:end])
	a.left, a.right = lead, trail
	if !lead && !trail {
		a.left, a.right = true, true
	}
	return a
}

func hasHanOrAlnum(rs []rune) bool {
	for _, r := range rs {
		if hanzi.IsHan(r) || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// separators end the places an answer can stand. The ASCII comma and dot
// do too, unless they stand inside a number (see isSeparator); so does the
// reference mark ※ that opens a note (※梁启超为免…).
const separators = "，。；：、？！;:?!（）()“”\"「」『』【】〔〕〖〗［］[]…—|※"

// particles are the characters that bound the pieces of a free run: a name
// or a thing rarely holds one, and an answer never begins or ends with one.
const particles = "的了是在于为被由和与及或将把从对向让使也又还就才并而以其之所即乃则因等着过曾已至到往自亦仍均皆仅只"

// clauseOpeners are the conjunctions of one character a clause may open
// with: 但, 却.
const clauseOpeners = "但却"

// protected are words that hold a particle but are one word: 共和国 is not
// 共 and 国, 将军 not 将 and 军, 基因 not 基 and 因. They are common nouns
// and names that answer questions (a title, an office, a country, a
// cause).
var protected = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		共和 和平 和谐 和约 和解 总和 缓和 温和 和尚
		之父 之母 之都 之城 之乡 之王 之神 之星 之子
		所长 研究所 交易所 事务所 派出所 指挥所 诊所 场所 住所
		将军 上将 中将 少将 大将 将领 将士
		大使 公使 特使 使者 天使 使馆 使命
		原因 基因 因素 原则 规则 法则 准则 行为 理由 由来
		以色列 埃及 土耳其 维也纳 马其顿
		自治 自由 自然 自杀 平等 高等 等级 平均 人才 天才 成就
		过程 对象 对手 对方 目的 曾祖 曾孙`) {
		m[w] = true
	}
	return m
}()

// maxProtectedRunes is the length of the longest protected word.
const maxProtectedRunes = 3

// transliteration are characters Chinese writes foreign names with: a run
// of three or more of them is likely a name (普劳图斯, 卡尔梅克). Those
// that also write common words (基 of 基本, 可 of 可以, 大 of 大卫) are
// left out: a run of them is no name.
const transliteration = "阿埃艾安奥巴拜班邦保贝本比彼宾波伯布查达戴丹道德迪蒂丁顿东杜多厄恩尔法菲费芬弗夫福富盖甘戈格古哈海汉翰豪赫亨胡华霍吉加贾杰金卡凯坎康柯科克肯库奎拉莱兰朗劳勒雷里丽利莉廉连林琳隆卢鲁路伦罗洛马玛迈麦曼梅门蒙米敏莫默姆穆纳娜奈南内尼涅纽努诺欧帕佩彭皮珀普奇齐乔切琼瑞萨塞桑瑟森沙尚舍施什史斯松苏索塔泰坦汤唐特提廷图托瓦万威韦维卫温沃乌伍西希谢辛逊休雅亚扬耶伊英尤约泽扎詹治"

// functionWords are words of two or more characters that bound the
// pieces of a run as particles do: conjunctions, adverbs, prepositions
// and the verbs that introduce a name ("叫做", "来自", "位于").
var functionWords = []string{
	"尽管", "虽然", "但是", "然而", "因为", "所以", "如果", "已经", "可能", "比较", "主要", "通过", "来自",
	"包括", "分别", "同时", "以及", "并且", "而且", "由于", "对于", "关于", "除了", "其中", "之后", "之前",
	"以后", "以前", "以来", "当时", "开始", "成为", "称为", "叫做", "作为", "位于", "属于", "担任", "使用",
	"利用", "根据", "按照", "经过", "直到", "一直", "曾经", "仍然", "还是", "只是", "就是", "也是", "都是",
	"不是", "即是", "而是", "便是", "则是", "正是", "亦是", "则为", "名为", "改为", "称作", "叫作", "号称",
	"由此", "因此", "于是", "并且", "还有", "其他", "另外", "此外", "以外", "之外", "等等", "一起", "共同",
	"获得", "发表", "认为", "表示", "指出", "进行", "开始", "继续", "正式", "最终", "最后", "首先",
	"例如", "比如", "譬如", "不过", "可是",
}

// standIns are words that name nothing themselves: pronouns and the
// words that stand for a noun already named (双方, 当地) or say when or in
// what respect (当时, 方面). A sentence holds them where its answer would
// stand, so a run of text that is nothing else is no answer. Those that
// open with a pointer (他们, 该国, 此时) are ruled out by it.
var standIns = []string{
	"我", "我们", "你", "你们", "那", "那些", "那里", "当地", "本人", "自己", "对方", "双方",
	"当时", "时候", "期间", "方面", "一方面", "另一方面",
}

// bareCountRE is a bare count: a numeral and a measure word, the size of a
// thing rather than its name.
var bareCountRE = regexp.MustCompile(`^(?:一|两|二|三|四|五|六|七|八|九|十|几|数|多)+(?:个|种|位|名|项|类|些|座|家|所|条|部|支|只|件|次)$`)

// answerShaped reports whether a span's folded text can be an answer to a
// question of type typ: not a function word or a stand-in, not a phrase
// that points back (该党), not a bare count unless a number is asked, and
// not cut through a bracket, a name's dot or a dash (》中, ·我, a- of
// a-135, 市长- of 由市长-为沙皇…指派).
func answerShaped(text string, typ question.Type) bool {
	if slices.Contains(functionWords, text) || slices.Contains(standIns, text) {
		return false
	}
	if typ != question.Number && bareCountRE.MatchString(text) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(text)
	last, _ := utf8.DecodeLastRuneInString(text)
	opening := "》」』）)”’" + nameDots + pointers
	if typ != question.Number {
		opening += dashes // a number may be negative: -89.2°C
	}
	return !strings.ContainsRune(opening, first) && !strings.ContainsRune("《「『（(“‘"+nameDots+dashes, last)
}

// dashes join two names into one (北帕默斯顿-吉斯伯恩线, a-135) or set off
// a phrase: a span that opens or ends with one is cut through a name or
// a sentence.
const dashes = "-‐‑–—－"

// pointers open a phrase that points back to what was named before
// (该党, 此地区, 这一时期, 其子, 他的家乡): an answer names it instead. 本 and
// 那 are left out, for they open names (本田, 本拉登, 那不勒斯, 那霸).
const pointers = "该此这其他她它"

// locatives trail a noun without being part of the name: 失败后, 效应下.
const locatives = "后前下上中内外时间里"

// synonyms are function characters that play the same part, so that 和哪一
// 个国家 in the question meets 与英国 in the sentence.
var synonyms = []string{"和与及跟同暨", "在于於", "是为乃即係", "因由"}

func sameFunction(a, b rune) bool {
	if a == b {
		return a != 0
	}
	for _, s := range synonyms {
		if strings.ContainsRune(s, a) && strings.ContainsRune(s, b) {
			return true
		}
	}
	return false
}

// candidates finds the candidate spans of s.
func (a *alignment) candidates(s *sentence) []*candidate {
	t := s.folded
	n := len(t)
	cover := a.cover(t)
	spans := map[analysis.Span]bool{}
	var order []analysis.Span
	addSpan := func(sp analysis.Span) {
		sp = a.extend(t, cover, sp)
		if sp.Len() > 0 && !spans[sp] {
			spans[sp] = true
			order = append(order, sp)
		}
	}
	for i := 0; i < n; {
		if cover[i] > 0 || isSeparator(t, i) {
			i++
			continue
		}
		j := i
		for j < n && cover[j] == 0 && !isSeparator(t, j) {
			j++
		}
		for _, sp := range a.spansIn(t, i, j) {
			addSpan(sp)
		}
		i = j
	}
	// A name may hold the question's words: 美国工业工程师学会 answers
	// 哪一个组织为工业工程做出定义. Each stretch between particles that
	// holds words of the question and others is a candidate whole.
	if a.q.Type != question.Number && a.q.Type != question.Date {
		for _, sp := range chunks(t) {
			free, shared := false, false
			for k := sp.Start; k < sp.End; k++ {
				if cover[k] > 0 {
					shared = true
				} else if hasHanOrAlnum(t[k : k+1]) {
					free = true
				}
			}
			if free && shared && sp.Len() <= maxPieceRunes {
				addSpan(sp)
			}
		}
	}
	// A title is a candidate whole, even where the question shares some
	// of its words: 《占士邦》 answers 哪部小说 though 占士 is in the
	// question.
	if a.q.Type == question.Title || a.q.Type == question.Entity {
		for _, sp := range matches(titleSpanRE, t, 0, n) {
			if !a.ownTitle(t[sp.Start:sp.End]) && sp.Len() >= 3 {
				addSpan(sp)
			}
		}
	}
	// A name in Latin letters may be words apart (j-one records, jsr 93),
	// which the spaces between them cut: a run of such words that shares
	// none of the question's is a candidate whole.
	if a.q.Type != question.Number && a.q.Type != question.Date {
		for _, sp := range latinNames(t) {
			if !coversAWord(t, cover, sp) {
				addSpan(sp)
			}
		}
	}
	// Without the common word that is no noun at either end, which the
	// particles the pieces are cut at do not separate: 珊瑚环礁 of
	// 有珊瑚环礁围绕, 刘穆之 of 刘穆之一直. The ranker weighs each against
	// the others (trimmed, verbal_beside, verbal_start, verbal_end).
	found := len(order)
	if a.q.Type != question.Number && a.q.Type != question.Date {
		for _, sp := range order[:found] {
			for _, v := range withoutVerbalEdges(t, sp) {
				addSpan(v)
			}
		}
	}
	var out []*candidate
	fields := rowFields(t, cover)
	for i, sp := range order {
		if fields != nil && !fields.answers(sp) {
			continue
		}
		if f := a.features(s, cover, sp); f != nil {
			f[spanFeature["trimmed"]] = b2f(i >= found)
			out = append(out, &candidate{sent: s, span: sp, features: f, row: fields})
		}
	}
	return out
}

// A table's row is read as a sentence of fields, "header：value" joined by
// "；" (地区：西藏；管理机构：噶厦；长官：驻藏大臣，驻喇萨。). The headers
// name what the values are: they echo the question (哪个机构管理) and are
// never its answer, so no candidate stands in a header. When the question
// names a header (管理机构 in 蒙古由哪个机构管理), the answer is that
// field's value, not the value that names the row (蒙古). When the
// question names a row, a value it holds word for word (西藏 of
// 西藏由哪个机构管理 in 地区：西藏), the rows that hold those words among
// others (地区：蒙古、西藏、青海、新疆) do not answer. A sentence with one
// colon (吴心伯：……, a speaker's words) is no row.

// field is one "header：value" of a row, as offsets into the sentence,
// and whether the question names its header (a rune of it covered).
type field struct {
	start, colon, end int
	asked             bool
}

// row is the fields of a sentence that is a table's row, whether the
// question names any of their headers, and whether it names the row: all
// the letters and digits of a value that answers nothing are the
// question's.
type row struct {
	fields []field
	asked  bool
	named  bool
}

// rowFields returns the fields of folded sentence t, with the headers
// cover marks as the question's, or nil when t is no row: one that does
// not open with a header, or has fewer than two. A header runs from the
// sentence's start or a semicolon to a colon (see fieldStart), and its
// value from there to the next semicolon or the sentence end.
func rowFields(t []rune, cover []float64) *row {
	r := &row{}
	for k := range t {
		if !isColon(t[k]) {
			continue
		}
		start := fieldStart(t, k)
		if start < 0 {
			continue
		}
		end := k + 1
		for end < len(t) && t[end] != ';' && t[end] != '；' {
			end++
		}
		f := field{start: start, colon: k, end: end}
		for j := start; j < k && !f.asked; j++ {
			f.asked = cover[j] > 0
		}
		r.asked = r.asked || f.asked
		r.fields = append(r.fields, f)
	}
	if len(r.fields) < 2 || r.fields[0].start != 0 {
		return nil
	}
	for _, f := range r.fields {
		if !f.asked && r.asked && wholly(t, cover, f.colon+1, f.end) {
			r.named = true
		}
	}
	return r
}

// wholly reports whether the question's terms cover every letter and
// digit of t[i:j], of which there is one at least.
func wholly(t []rune, cover []float64, i, j int) bool {
	any := false
	for k := i; k < j; k++ {
		if unicode.IsLetter(t[k]) || unicode.IsDigit(t[k]) {
			if cover[k] == 0 {
				return false
			}
			any = true
		}
	}
	return any
}

// fieldStart returns where the header that ends at colon k begins, or -1
// when k ends no header: a header holds no clause or sentence punctuation
// but its brackets, which close (金额（万元）, 占比(%) are headers;
// 巴黎古监狱（法语 of 巴黎古监狱（法语："La Conciergerie"） is not), and no
// enumeration comma, corner quote or markup brace (Wikipedia's
// -{zh-hans:…;zh-hant:…}- names a title in each script).
func fieldStart(t []rune, k int) int {
	start := 0
	for i := k - 1; i >= 0; i-- {
		if t[i] == ';' || t[i] == '；' {
			start = i + 1
			break
		}
		if strings.ContainsRune(clauseBreaks, t[i]) && !strings.ContainsRune(brackets, t[i]) || strings.ContainsRune("、『』{}", t[i]) {
			return -1
		}
	}
	depth := 0
	for _, r := range t[start:k] {
		switch r {
		case '(', '（', '[', '［', '【':
			depth++
		case ')', '）', ']', '］', '】':
			depth--
		}
		if depth < 0 {
			return -1
		}
	}
	if depth != 0 {
		return -1
	}
	return start
}

// brackets are the brackets a table header may hold.
const brackets = "()（）[]［］【】"

// answers reports whether sp may answer in the row: it stands in a value,
// and in the value of a header the question names when it names one.
func (r *row) answers(sp analysis.Span) bool {
	for _, f := range r.fields {
		if sp.Start > f.colon && sp.End <= f.end {
			return f.asked || !r.asked
		}
	}
	return false
}

func isColon(r rune) bool { return r == ':' || r == '：' }

// cover marks the runes of t that a question term covers, with the term's
// weight.
func (a *alignment) cover(t []rune) []float64 {
	n := len(t)
	cover := make([]float64, n)
	text := string(t)
	for _, term := range a.terms {
		tr := []rune(term)
		exact := analysis.IsExactTerm(term)
		for from := 0; ; {
			i := strings.Index(text[from:], term)
			if i < 0 {
				break
			}
			i += from
			from = i + len(term)
			// A number or a Latin word is the same term only as a whole:
			// the 2 of 2月 is not the 2 of 2006.
			if exact && (i > 0 && isASCIIAlnum(text[i-1]) || from < len(text) && isASCIIAlnum(text[from])) {
				continue
			}
			ri := len([]rune(text[:i]))
			for k := ri; k < ri+len(tr) && k < n; k++ {
				cover[k] = math.Max(cover[k], a.weight[term])
			}
		}
	}
	return cover
}

// spansIn returns the spans inside the free run t[i:j] that may answer.
func (a *alignment) spansIn(t []rune, i, j int) []analysis.Span {
	var out []analysis.Span
	switch a.q.Type {
	case question.Number:
		for _, sp := range matches(numberSpanRE, t, i, j) {
			// The unit the question asks in, when the sentence writes it
			// right after the number: 5亿日圆.
			if u := []rune(a.q.Unit); len(u) > 1 && sp.End+len(u) <= j && string(t[sp.End:sp.End+len(u)]) == a.q.Unit {
				sp.End += len(u)
			}
			// A duration in two units of one kind: 1小时40分钟, not 19日两国
			// (of 9月19日两国元首通话).
			if next := numberSpanRE.FindStringIndex(string(t[sp.End:j])); next != nil && next[0] == 0 && unitEnd(t, sp) {
				two := analysis.Span{Start: sp.Start, End: sp.End + len([]rune(string(t[sp.End:j])[:next[1]]))}
				if k := unitKindOf(string(t[sp.Start:sp.End])); k != 0 && k == unitKindOf(string(t[sp.End:two.End])) {
					out = append(out, two)
				}
			}
			out = append(out, withEra(t, i, sp)...)
			// Without the word of approximation: 约188万公里 → 188万公里.
			if m := approxRE.FindString(string(t[sp.Start:sp.End])); m != "" && len([]rune(m)) < sp.Len() {
				out = append(out, analysis.Span{Start: sp.Start + len([]rune(m)), End: sp.End})
			}
			// With the counter the pattern does not know: 2000起.
			if sp.End < j && hanzi.IsHan(t[sp.End]) && !strings.ContainsRune(particles, t[sp.End]) && unicode.IsDigit(t[sp.End-1]) {
				out = append(out, analysis.Span{Start: sp.Start, End: sp.End + 1})
			}
		}
		// A question of how long (多长时间, 多久) asks for a duration: a
		// day of the calendar or a time of day is when, not how long
		// (持续了多长时间 is not answered by 10月30日).
		if durationRE.MatchString(string(a.q.Runes[a.q.Wh.Start:a.q.Wh.End])) {
			kept := out[:0]
			for _, sp := range out {
				if !calendarRE.MatchString(string(t[sp.Start:sp.End])) {
					kept = append(kept, sp)
				}
			}
			out = kept
		}
	case question.Date:
		for _, m := range matches(dateSpanRE, t, i, j) {
			// 1227年前后 is about 1227, not 1227 years ago.
			if m.End < len(t) && t[m.End] == '后' && t[m.End-1] == '前' {
				m.End--
			}
			for _, sp := range withEra(t, i, m) {
				out = append(out, sp)
				// The year or the month alone, when the question asks for
				// it: 2009年5月6日 → 2009年.
				text := string(t[sp.Start:sp.End])
				for _, u := range []string{"年", "月"} {
					if k := strings.Index(text, u); k >= 0 && k+len(u) < len(text) {
						out = append(out, analysis.Span{Start: sp.Start, End: sp.Start + len([]rune(text[:k+len(u)]))})
					}
				}
				// With the part of the period after it: 14世纪末.
				if sp.End < j && strings.ContainsRune("末初中", t[sp.End]) {
					out = append(out, analysis.Span{Start: sp.Start, End: sp.End + 1})
				}
			}
		}
		for _, sp := range matches(timePhraseRE, t, i, j) {
			sp = trimSpan(t, sp)
			out = append(out, sp)
			// Without the word for a part of it: 白垩纪中期 → 白垩纪.
			if m := periodPartRE.FindStringIndex(string(t[sp.Start:sp.End])); m != nil && m[0] > 0 {
				out = append(out, analysis.Span{Start: sp.Start, End: sp.Start + len([]rune(string(t[sp.Start:sp.End])[:m[0]]))})
			}
		}
	default:
		out = append(out, matches(titleSpanRE, t, i, j)...)
		ps := pieces(t, i, j)
		out = append(out, ps...)
		switch a.q.Type {
		case question.Person, question.Place, question.Organization:
			out = append(out, betweenVerbs(t, ps)...)
		}
		switch a.q.Type {
		case question.Person:
			out = append(out, surnameSpans(t, i, j)...)
			out = append(out, transliterations(t, i, j)...)
		case question.Place:
			out = append(out, cutAfter(t, ps, placeEnds)...)
			out = append(out, transliterations(t, i, j)...)
		case question.Organization:
			out = append(out, cutAfter(t, ps, orgEnds)...)
		}
		if h := []rune(a.q.Head); len(h) > 0 {
			out = append(out, cutAfter(t, ps, string(h[len(h)-1]))...)
		}
	}
	// The noun asked about, when the sentence writes it right after the
	// span, belongs to the answer: 大夏 + 大学 for 什么大学.
	if h := []rune(a.q.Head); len(h) > 0 {
		for _, sp := range out {
			if sp.End+len(h) <= len(t) && string(t[sp.End:sp.End+len(h)]) == a.q.Head && !strings.HasSuffix(string(t[sp.Start:sp.End]), a.q.Head) {
				out = append(out, analysis.Span{Start: sp.Start, End: sp.End + len(h)})
			}
		}
	}
	return out
}

// unitEnd reports whether a number span ends in a unit, not a digit.
func unitEnd(t []rune, sp analysis.Span) bool {
	return sp.Len() > 0 && hanzi.IsHan(t[sp.End-1])
}

// eras are the era names a year may be counted in: 民国19年, 昭和四十九年.
var eraRE = regexp.MustCompile(`(?:民国|昭和|明治|大正|平成|令和|光绪|宣统|同治|咸丰|道光|嘉庆|乾隆|雍正|康熙|顺治|万历|嘉靖|洪武|永乐|永禄|天正|庆长|公元前|西元前|公元|西元)$`)

// approxRE matches the words of approximation a number may open with.
var approxRE = regexp.MustCompile(`^(?:约|大约|近|超过|逾)`)

// withEra returns the span, and the span with the era name before it when
// there is one inside the run.
func withEra(t []rune, runStart int, sp analysis.Span) []analysis.Span {
	out := []analysis.Span{sp}
	before := string(t[max(runStart, sp.Start-3):sp.Start])
	if m := eraRE.FindString(before); m != "" {
		out = append(out, analysis.Span{Start: sp.Start - len([]rune(m)), End: sp.End})
	}
	return out
}

// coversAWord reports whether the question's terms cover a whole word
// of the Latin name t[sp] (the j of j-one is no word).
func coversAWord(t []rune, cover []float64, sp analysis.Span) bool {
	for k := sp.Start; k < sp.End; {
		e := k
		for e < sp.End && t[e] != ' ' {
			e++
		}
		if !slices.ContainsFunc(cover[k:e], func(c float64) bool { return c == 0 }) {
			return true
		}
		k = e + 1
	}
	return false
}

// latinNameRE matches words of Latin letters and digits one space apart,
// in folded (lower-case) text.
var latinNameRE = regexp.MustCompile(`[a-z0-9][a-z0-9&'+.-]*(?: [a-z0-9][a-z0-9&'+.-]*)+`)

// maxLatinNameWords is the most words a name in Latin letters has: more
// are a phrase.
const maxLatinNameWords = 5

// latinNames returns the names of two to maxLatinNameWords words in Latin
// letters that a Chinese sentence t holds (runs of latinNameRE with a
// letter), without a dot that ends them. A sentence with no Chinese is
// prose, not names.
func latinNames(t []rune) []analysis.Span {
	if !slices.ContainsFunc(t, hanzi.IsHan) {
		return nil
	}
	var out []analysis.Span
	for _, sp := range matches(latinNameRE, t, 0, len(t)) {
		for sp.Len() > 0 && t[sp.End-1] == '.' {
			sp.End--
		}
		words := 1 + strings.Count(string(t[sp.Start:sp.End]), " ")
		if words <= maxLatinNameWords && slices.ContainsFunc(t[sp.Start:sp.End], func(r rune) bool { return r >= 'a' && r <= 'z' }) {
			out = append(out, sp)
		}
	}
	return out
}

// pieces cuts a free run at particles and function words and returns
// every run of one or more consecutive pieces up to maxPieceRunes, trimmed
// of particles, and each also without a trailing locative.
func pieces(t []rune, i, j int) []analysis.Span {
	// A clause may open with 但 or 却 (但崇汉派与守旧派……), which no
	// name does; 但丁 is a name.
	if j-i > 2 && (i == 0 || isSeparator(t, i-1)) && strings.ContainsRune(clauseOpeners, t[i]) && t[i+1] != '丁' {
		i++
	}
	cuts := cutAtParticles(t, i, j)
	var out []analysis.Span
	for x := range cuts {
		for y := x; y < len(cuts); y++ {
			sp := analysis.Span{Start: cuts[x].Start, End: cuts[y].End}
			if sp.Len() > maxPieceRunes {
				break
			}
			out = append(out, sp)
		}
	}
	if len(cuts) == 0 || j-i <= maxPieceRunes {
		if whole := trimSpan(t, analysis.Span{Start: i, End: j}); whole.Len() > 0 {
			out = append(out, whole)
		}
	}
	for _, sp := range out {
		if sp.Len() > 2 && strings.ContainsRune(locatives, t[sp.End-1]) {
			out = append(out, analysis.Span{Start: sp.Start, End: sp.End - 1})
		}
	}
	return out
}

// chunks cuts t at separators, particles and function words, as pieces
// cuts a free run.
func chunks(t []rune) []analysis.Span {
	var out []analysis.Span
	for i := 0; i < len(t); {
		if isSeparator(t, i) {
			i++
			continue
		}
		j := i
		for j < len(t) && !isSeparator(t, j) {
			j++
		}
		out = append(out, cutAtParticles(t, i, j)...)
		i = j
	}
	return out
}

// cutAtParticles cuts t[i:j] at particles and function words, except
// inside a protected word, and returns the pieces.
func cutAtParticles(t []rune, i, j int) []analysis.Span {
	var cuts []analysis.Span
	start := i
	for k := i; k <= j; {
		if p := protectedAt(t, k, j); p > 0 {
			k += p
			continue
		}
		w := 0
		if k < j {
			w = functionWordAt(t, k, j)
		}
		if k == j || w > 0 || strings.ContainsRune(particles, t[k]) {
			if k > start {
				cuts = append(cuts, analysis.Span{Start: start, End: k})
			}
			k += max(w, 1)
			start = k
			continue
		}
		k++
	}
	return cuts
}

// protectedAt returns the length of the protected word at t[k:j], or 0.
func protectedAt(t []rune, k, j int) int {
	for n := min(maxProtectedRunes, j-k); n >= 2; n-- {
		if protected[string(t[k:k+n])] {
			return n
		}
	}
	return 0
}

// transliterations returns the runs of three or more transliteration
// characters inside t[i:j].
func transliterations(t []rune, i, j int) []analysis.Span {
	var out []analysis.Span
	for k := i; k < j; {
		if !isTransliterating(t[k]) {
			k++
			continue
		}
		m := k
		for m < j && (isTransliterating(t[m]) || t[m] == '·') {
			m++
		}
		if m-k >= 3 {
			out = append(out, analysis.Span{Start: k, End: m})
		}
		k = m
	}
	return out
}

// betweenVerbs returns the stretches of two characters or more that the
// common words of the lexicon that are no nouns (analysis.Verbal: verbs,
// adverbs, adjectives) leave of each piece they stand in, reading each
// piece word by word (the longest word of the lexicon at each point):
// 马来西亚吉隆坡 of 马来西亚吉隆坡举行新一轮谈判, which no particle cuts;
// 龙云 of 龙云被迫接受命令. A person, a place or an organisation is named
// without such a word; the piece whole is a candidate as before, and the
// ranker weighs the two.
func betweenVerbs(t []rune, ps []analysis.Span) []analysis.Span {
	var out []analysis.Span
	for _, sp := range ps {
		start, cut := sp.Start, false
		for k := sp.Start; k < sp.End; {
			n, class := analysis.WordAt(t[k:sp.End], 2, maxEdgeWord)
			if class == analysis.Verbal {
				if k-start >= 2 {
					out = append(out, analysis.Span{Start: start, End: k})
				}
				k += n
				start, cut = k, true
				continue
			}
			k += max(n, 1)
		}
		if cut && sp.End-start >= 2 {
			out = append(out, analysis.Span{Start: start, End: sp.End})
		}
	}
	return out
}

// cutAfter returns, for each span, the span cut right after the first of
// its characters in chars past its first, when there is one: 陕西省中南部
// → 陕西省 for a place, 湘王不堪受辱 → 湘王 for 哪一个亲王.
func cutAfter(t []rune, spans []analysis.Span, chars string) []analysis.Span {
	var out []analysis.Span
	for _, sp := range spans {
		for k := sp.Start + 1; k < sp.End-1; k++ {
			if strings.ContainsRune(chars, t[k]) {
				out = append(out, analysis.Span{Start: sp.Start, End: k + 1})
				break
			}
		}
	}
	return out
}

// endsFunctionWord reports whether a function word ends right before t[k].
func endsFunctionWord(t []rune, k int) bool { return functionWordEnding(t, k) > 0 }

// functionWordEnding returns the length of the function word that ends
// right before t[k], or 0.
func functionWordEnding(t []rune, k int) int {
	for _, w := range functionWordRunes {
		if n := len(w); k-n >= 0 && slices.Equal(t[k-n:k], w) {
			return n
		}
	}
	return 0
}

// functionWordRunes are the functionWords as runes, to compare with a
// sentence's runes where they stand, without making a string of each
// place (the reader tries every word at both ends of every candidate).
var functionWordRunes = func() [][]rune {
	out := make([][]rune, len(functionWords))
	for i, w := range functionWords {
		out[i] = []rune(w)
	}
	return out
}()

// nameDots are the middle dots that join the parts of a transliterated
// name (皮埃尔·特鲁多).
const nameDots = "·‧・"

func isNameDot(r rune) bool { return strings.ContainsRune(nameDots, r) }

// functionWordAt returns the length of the function word at t[k:j], or 0.
func functionWordAt(t []rune, k, j int) int {
	for _, w := range functionWordRunes {
		if n := len(w); k+n <= j && slices.Equal(t[k:k+n], w) {
			return n
		}
	}
	return 0
}

// nameBreakers are the particles no Chinese name holds.
const nameBreakers = "的了是被将把着过等就也都又并而即则"

// surnameSpans returns, for a person question, the spans of two to four
// characters that open with a common surname inside a run: a name often
// stands in a clause with no particle around it (宋高宗同意赵鼎的主张).
func surnameSpans(t []rune, i, j int) []analysis.Span {
	var out []analysis.Span
	for k := i; k < j; k++ {
		if !strings.ContainsRune(surnames, t[k]) {
			continue
		}
		// A name holds none of the particles that no name holds: 龙云,
		// not 龙云被; 李在明 and 郭至君 are names. Nor does it hold a digit
		// or a letter: 于20 of 已于2006年 is none.
		for n := 2; n <= 3 && k+n <= j && hanzi.IsHan(t[k+n-1]) && !strings.ContainsRune(nameBreakers, t[k+n-1]); n++ {
			out = append(out, analysis.Span{Start: k, End: k + n})
		}
	}
	return out
}

// ownTitle reports whether a title is one the question itself names.
func (a *alignment) ownTitle(t []rune) bool {
	inner := strings.Trim(string(t), "《》")
	for _, q := range a.q.Titles {
		if q == inner {
			return true
		}
	}
	return false
}

// isSeparator reports whether t[i] ends a place where an answer can stand.
func isSeparator(t []rune, i int) bool {
	r := t[i]
	inside := i > 0 && i+1 < len(t)
	if r == '.' || r == ',' {
		return !(inside && unicode.IsDigit(t[i-1]) && unicode.IsDigit(t[i+1]))
	}
	// Text extracted from a PDF sets digits a space apart from the
	// characters around them (2015 年启动, 87 亿美元, 10 月 30 日): the
	// space between a number and its unit, or between a date's parts,
	// separates nothing.
	if r == ' ' && inside && (unicode.IsDigit(t[i-1]) && hanzi.IsHan(t[i+1]) || strings.ContainsRune("年月", t[i-1]) && unicode.IsDigit(t[i+1])) {
		return false
	}
	return strings.ContainsRune(separators, r) || unicode.IsSpace(r)
}

func isASCIIAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// extend grows a span over a name's middle dot into the rest of the name,
// though the question shares it: 皮埃尔· + 特鲁多. That part of the name
// ends at a particle, or where the question's words begin or end: 乔治·
// 卢卡斯, not 乔治·卢卡斯捐赠了, for 由谁所捐赠.
func (a *alignment) extend(t []rune, cover []float64, sp analysis.Span) analysis.Span {
	if sp.End < len(t) && isNameDot(t[sp.End]) {
		sp.End++
	}
	// part reports whether t[k] continues a name part whose first
	// character is t[first].
	part := func(k, first int) bool {
		if isNameDot(t[k]) {
			return true
		}
		return hanzi.IsHan(t[k]) && !strings.ContainsRune(particles, t[k]) &&
			(cover[k] > 0) == (cover[first] > 0)
	}
	if sp.Len() > 0 && isNameDot(t[sp.End-1]) && sp.End < len(t) {
		k := sp.End
		for k < len(t) && k-sp.End < 8 && part(k, sp.End) {
			k++
		}
		sp.End = k
	}
	if sp.Start > 1 && isNameDot(t[sp.Start-1]) {
		k := sp.Start - 1
		for k > 0 && sp.Start-k < 8 && part(k-1, sp.Start-2) {
			k--
		}
		sp.Start = k
	}
	return sp
}

// features describes one span of s, or returns nil when it cannot answer.
func (a *alignment) features(s *sentence, cover []float64, sp analysis.Span) []float64 {
	t := s.folded
	w := t[sp.Start:sp.End]
	text := string(w)
	n := len(w)
	if n == 0 || !hasHanOrAlnum(w) || !answerShaped(text, a.q.Type) {
		return nil
	}
	typ := a.q.Type
	f := make([]float64, len(SpanFeatureNames))
	set := func(name string, v float64) { f[spanFeature[name]] = v }
	set("fit", a.fit(w))
	switch {
	case n == 1:
		set("len_1", 1)
	case n <= 4:
		set("len_2_4", 1)
	case n <= 8:
		set("len_5_8", 1)
	default:
		set("len_9", 1)
	}
	digits := strings.ContainsFunc(text, unicode.IsDigit)
	last := w[n-1]
	switch typ {
	case question.Number:
		set("number_expr", b2f(numberWholeRE.MatchString(text)))
		if u := a.q.Unit; u != "" {
			switch {
			case strings.HasSuffix(text, u):
				set("unit_match", 1)
			case strings.ContainsRune(text, []rune(u)[0]):
				set("unit_match", 0.5)
			}
		}
		ordinal := strings.HasPrefix(string(a.q.Runes[a.q.Wh.Start:a.q.Wh.End]), "第")
		set("ordinal_match", b2f(ordinal == strings.HasPrefix(text, "第")))
	case question.Date:
		set("date_expr", b2f(dateWholeRE.MatchString(text)))
		set("time_phrase", b2f(!dateWholeRE.MatchString(text)))
		if u := a.q.Unit; u != "" && (strings.Contains(text, u) || u == "天" && strings.ContainsAny(text, "日号")) {
			set("unit_match", 1)
		}
	default:
		set("digits", b2f(digits))
		set("latin_only", b2f(latinOnly(text) && hanzi.Detect(a.q.Text) != hanzi.Unknown))
		if h := []rune(a.q.Head); len(h) > 0 && last == h[len(h)-1] {
			set("head_end", 1)
		}
	}
	set("title", b2f(strings.HasPrefix(text, "《") && strings.HasSuffix(text, "》")))
	switch typ {
	case question.Person:
		set("name_dot", b2f(strings.ContainsAny(text, nameDots)))
		set("surname", b2f(surnamed(w)))
	case question.Place:
		set("place_end", b2f(strings.ContainsRune(placeEnds, last)))
	case question.Organization:
		set("org_end", b2f(strings.ContainsRune(orgEnds, last)))
	}
	set("in_brackets", b2f(inBrackets(t, sp)))
	shared := 0
	for _, r := range w {
		if a.qchars[r] {
			shared++
		}
	}
	set("question_chars", float64(shared)/float64(n))
	l, r := anchor(cover, t, sp.Start, -1), anchor(cover, t, sp.End-1, +1)
	set("anchor_left", l)
	set("anchor_right", r)
	switch {
	case a.left && a.right:
		set("anchor_expected", math.Max(l, r)*0.7+math.Min(l, r)*0.3)
	case a.left:
		set("anchor_expected", l)
	default:
		set("anchor_expected", r)
	}
	if sp.Start > 0 {
		prev := t[sp.Start-1]
		set("before_match", b2f(sameFunction(prev, a.before)))
		set("copula_before", b2f(strings.ContainsRune("是为乃即係", prev)))
	}
	if sp.End < len(t) {
		set("after_match", b2f(sameFunction(t[sp.End], a.after)))
	}
	if a.top != nil && a.top.score > 0 {
		set("sent_rel", s.score/a.top.score)
	}
	set("sent_cov", s.cov)
	set("sent_best", b2f(s == a.top))
	set("sent_window", windowCoverage(s, a.focus, a.idf))
	set("passage_rank", 1/float64(1+s.passage))
	set("position", float64(sp.Start)/float64(len(t)))
	set("rarity", a.rarity(w))
	if sp.Start > 0 && hanzi.IsHan(t[sp.Start-1]) && hanzi.IsHan(t[sp.Start]) {
		set("left_break", 1-a.rarity(t[sp.Start-1:sp.Start+1]))
	}
	if sp.End < len(t) && hanzi.IsHan(t[sp.End-1]) && hanzi.IsHan(t[sp.End]) {
		set("right_break", 1-a.rarity(t[sp.End-1:sp.End+1]))
	}
	set("subject", b2f(namesTitle(w, s.name)))
	switch analysis.ClassOf(text) {
	case analysis.Verbal:
		set("common_verbal", 1)
	case analysis.Noun:
		set("common_noun", 1)
	case analysis.Name:
		set("common_name", 1)
	}
	// A word of one or two characters, never the whole of w.
	set("verbal_start", b2f(verbalWordAt(w, 0, min(2, n-1), true)))
	set("verbal_end", b2f(verbalWordAt(w, n, min(2, n-1), false)))
	set("verbal_beside", (b2f(verbalWordAt(t, sp.Start, maxEdgeWord, false))+b2f(verbalWordAt(t, sp.End, maxEdgeWord, true)))/2)
	set("splits_word", (b2f(wordAcross(t, sp.Start))+b2f(wordAcross(t, sp.End)))/2)
	set("cuts_name", (b2f(nameCutBefore(t, sp))+b2f(nameCutAfter(t, sp)))/2)
	set("sibling", b2f(besideSibling(t, sp, a.q.Sibling)))
	return f
}

// besideSibling reports whether span sp of t is joined to a neighbour by
// a conjunction or an enumeration comma, in a clause that holds the end
// of sibling (question.Analysis.Sibling) outside sp: an item of the list
// the question names one other item of (大卫营和约 beside 巴拿马运河条约,
// for 包括巴拿马运河条约以及哪一个). The passage may list the items in
// another order, so any place in the clause will do.
func besideSibling(t []rune, sp analysis.Span, sibling string) bool {
	sib := []rune(sibling)
	if len(sib) < 2 || sp.End <= sp.Start {
		return false
	}
	joined := sp.Start > 0 && analysis.IsCoordinator(t[sp.Start-1]) ||
		sp.End < len(t) && (analysis.IsCoordinator(t[sp.End]) || t[sp.End] == '以') // 以及
	if !joined {
		return false
	}
	ends := func(r rune) bool { return strings.ContainsRune("，。；：！？,;:!?\n", r) }
	from, to := sp.Start, sp.End
	for from > 0 && !ends(t[from-1]) {
		from--
	}
	for to < len(t) && !ends(t[to]) {
		to++
	}
	tail := string(sib[len(sib)-2:])
	return strings.Contains(string(t[from:sp.Start]), tail) || strings.Contains(string(t[sp.End:to]), tail)
}

// isTransliterating reports whether r is a character transliterated
// names are written with.
func isTransliterating(r rune) bool { return strings.ContainsRune(transliteration, r) }

// nameCutAfter reports whether span sp of t ends inside a transliterated
// name: before a name dot or, when it holds a dot of its own, between two
// characters such names are written with (汉斯·艾斯|勒) or one character
// past its last dot where the text runs on (戴维·里|滕豪斯, 吉米·史|都华: a
// name's part after its last dot is rarely one character). Without a dot
// in the span it says nothing: those characters are common in other words
// too (安, 德, 东, 海, 华, 加, 金, 南, 西).
func nameCutAfter(t []rune, sp analysis.Span) bool {
	e := sp.End
	if e >= len(t) {
		return false
	}
	if isNameDot(t[e]) {
		return true
	}
	if !slices.ContainsFunc(t[sp.Start:e], isNameDot) {
		return false
	}
	return isTransliterating(t[e-1]) && isTransliterating(t[e]) ||
		e-2 > sp.Start && isNameDot(t[e-2]) && hanzi.IsHan(t[e-1]) && hanzi.IsHan(t[e])
}

// nameCutBefore is nameCutAfter at the start of the span (尤|里西斯·辛普森).
func nameCutBefore(t []rune, sp analysis.Span) bool {
	s := sp.Start
	if s == 0 {
		return false
	}
	if isNameDot(t[s-1]) {
		return true
	}
	if !slices.ContainsFunc(t[s:sp.End], isNameDot) {
		return false
	}
	return isTransliterating(t[s-1]) && isTransliterating(t[s]) ||
		s+2 < sp.End && isNameDot(t[s+1]) && hanzi.IsHan(t[s]) && hanzi.IsHan(t[s-1])
}

// wordAcross reports whether a common word of the lexicon, of two to
// maxEdgeWord characters, runs across the boundary before t[b]: a span
// that starts or ends there cuts it.
func wordAcross(t []rune, b int) bool {
	// A word ending at b and one starting there read the text as well as
	// a word across b does (之后|台北市 against 后台): the boundary
	// splits no word when they cover the word across it. They are looked
	// up once a word across is found (most edges have none).
	left, right := -1, -1
	for n := 2; n <= maxEdgeWord; n++ {
		for from := max(b-n+1, 0); from < b && from+n <= len(t); from++ {
			if analysis.ClassOf(string(t[from:from+n])) == analysis.Uncommon {
				continue
			}
			if left < 0 {
				left, _ = analysis.WordEnding(t[:b], 2, maxEdgeWord)
				right, _ = analysis.WordAt(t[b:], 2, maxEdgeWord)
			}
			if b-left > from || b+right < from+n {
				return true
			}
		}
	}
	return false
}

// maxEdgeWord is the longest common word the lexicon is asked for at a
// span's edge: the one withoutVerbalEdges takes off, the one wordAcross
// finds cut, the one endsAWord finds before a name.
const maxEdgeWord = 4

// withoutVerbalEdges returns the parts of span sp of t left when a common
// word that is no noun (analysis.Verbal) is taken off its start, its end
// or both: every such word of up to maxEdgeWord characters, as long as
// two characters remain.
func withoutVerbalEdges(t []rune, sp analysis.Span) []analysis.Span {
	w := t[sp.Start:sp.End]
	starts, ends := []int{0}, []int{0}
	for n := 1; n <= maxEdgeWord && n+2 <= len(w); n++ {
		if isVerbal(w[:n]) {
			starts = append(starts, n)
		}
		if isVerbal(w[len(w)-n:]) {
			ends = append(ends, n)
		}
	}
	var out []analysis.Span
	for _, a := range starts {
		for _, b := range ends {
			if (a > 0 || b > 0) && len(w)-a-b >= 2 {
				out = append(out, analysis.Span{Start: sp.Start + a, End: sp.End - b})
			}
		}
	}
	return out
}

// verbalWordAt reports whether a common word that is no noun, of up to
// longest characters, starts at offset i of t (ends there, when starts is
// false).
func verbalWordAt(t []rune, i, longest int, starts bool) bool {
	return anyWordAt(t, i, longest, starts, isVerbal)
}

// anyWordAt reports whether a word of up to longest characters for which is
// reports true starts at offset i of t (ends there, when starts is false).
func anyWordAt(t []rune, i, longest int, starts bool, is func([]rune) bool) bool {
	for n := 1; n <= longest; n++ {
		from, to := i-n, i
		if starts {
			from, to = i, i+n
		}
		if from < 0 || to > len(t) {
			return false
		}
		if is(t[from:to]) {
			return true
		}
	}
	return false
}

// isVerbal reports whether w, whole, is a common word that is no noun
// (analysis.Verbal).
func isVerbal(w []rune) bool { return analysis.ClassOf(string(w)) == analysis.Verbal }

// namesTitle reports whether w names the subject name: all of it, or all
// but a last character such as 市, 省 or 乡 (中山 of 中山市), in two
// characters or more.
func namesTitle(w, name []rune) bool {
	n := len(w)
	return n >= 2 && n <= len(name) && len(name)-n <= 1 && slices.Equal(w, name[:n])
}

// localIDF weighs the character pairs of the retrieved sentences by the
// share of sentences holding them.
func localIDF(sents []*sentence) func(string) float64 {
	df := map[string]int{}
	for _, s := range sents {
		seen := map[string]bool{}
		for k := 0; k+1 < len(s.folded); k++ {
			if p := string(s.folded[k : k+2]); !seen[p] {
				seen[p] = true
				df[p]++
			}
		}
	}
	n := len(sents)
	return func(t string) float64 { return analysis.IDF(n, df[t]) }
}

// rarity is the mean IDF of the character bigrams of w among the
// retrieved sentences, over the IDF of a pair found in none, in [0, 1].
func (a *alignment) rarity(w []rune) float64 {
	idf := a.local
	if idf == nil {
		idf = a.idf
	}
	top := idf("\x00")
	if top <= 0 {
		return 0
	}
	sum, n := 0.0, 0
	for k := 0; k+1 < len(w); k++ {
		if hanzi.IsHan(w[k]) && hanzi.IsHan(w[k+1]) {
			sum += idf(string(w[k : k+2]))
			n++
		}
	}
	if n == 0 {
		return 0.5
	}
	return math.Min(1, sum/float64(n)/top)
}

// spanFeature maps a feature name to its position.
var spanFeature = func() map[string]int {
	m := map[string]int{}
	for i, n := range SpanFeatureNames {
		m[n] = i
	}
	return m
}()

// fit scores how well a span's form fits the expected type, in [0, 1].
func (a *alignment) fit(w []rune) float64 {
	s := string(w)
	n := len(w)
	switch a.q.Type {
	case question.Number:
		if numberWholeRE.MatchString(s) {
			return 1
		}
		return 0.5
	case question.Date:
		if dateWholeRE.MatchString(s) {
			return 1
		}
		return 0.5
	}
	if numberOnlyRE.MatchString(s) {
		return 0.1
	}
	fit := 0.6
	last := w[n-1]
	switch a.q.Type {
	case question.Person:
		switch {
		case strings.ContainsAny(s, nameDots):
			fit = 1
		case surnamed(w):
			fit = 0.9
		case n >= 2 && n <= 4:
			fit = 0.7
		}
	case question.Place:
		if strings.ContainsRune(placeEnds, last) {
			fit = 1
		}
	case question.Organization:
		if strings.ContainsRune(orgEnds, last) {
			fit = 1
		}
	case question.Title:
		if strings.HasPrefix(s, "《") {
			fit = 1
		}
	}
	if h := []rune(a.q.Head); len(h) > 0 && last == h[len(h)-1] {
		fit = 1
	}
	return fit
}

// mismatch reports whether a candidate's form contradicts what its
// question asks: a number in another kind of unit than the one asked
// (50% for 多少美元, 3年 for 多少人), a calendar date for a number that is
// no time, a number that is no date for a date question, no day for 几号
// or 哪一天, a number, a date or a time said relative to now (本月, 明年)
// for a name or a thing, or a country for a city, a province or a smaller
// place (中国 for 哪个城市). The reader ranks such a candidate first when
// nothing better is there, so the answerability decision weighs it.
func mismatch(q *question.Analysis, text string) bool {
	digits := strings.ContainsFunc(text, unicode.IsDigit)
	switch q.Type {
	case question.Number:
		asked := analysis.UnitKind(q.Unit)
		calendar := dateWholeRE.MatchString(text) && (strings.ContainsAny(text, "月纪") || yearRE.MatchString(text))
		if calendar && asked != analysis.UnitKind("年") {
			return true
		}
		got := unitKindOf(text)
		return q.Unit != "" && got != 0 && got != asked
	case question.Date:
		if digits && !dateSpanRE.MatchString(text) {
			return true
		}
		return (q.Unit == "日" || q.Unit == "号" || q.Unit == "天") && !strings.ContainsAny(text, "日号")
	case question.Place:
		if h := []rune(q.Head); len(h) > 0 && strings.ContainsRune(subnationalEnds, h[len(h)-1]) && strings.HasSuffix(text, "国") {
			return true
		}
	}
	return relativeTimeRE.MatchString(text) || digits && (numberWholeRE.MatchString(text) || dateWholeRE.MatchString(text))
}

// subnationalEnds are the last characters of the nouns that ask for a
// place inside a country (城市, 省, 州, 县, 镇, 村; not 地区): a country's
// name, ending in 国, does not answer them.
const subnationalEnds = "市城省州县镇村乡郡"

// relativeTimeRE matches a time said relative to now or to the text (本月,
// 明年, 当天, 目前), or a part of a year or month named alone (年尾 of
// 2007年年尾, 月初, 上旬): it names no person, place or thing.
var relativeTimeRE = regexp.MustCompile(`^(?:(?:本|今|明|去|前|后|上|下|次|同|当|该|每|近|翌|隔|这|那)(?:年|月|日|天|周|週|季|季度|年度|个月|星期|世纪)|(?:年|月)(?:初|底|尾|中|末)|(?:上|中|下)旬|目前|当时|此后|此前|如今|现在|今后|以后|以前|之后|之前|近年|近日|近期|日前|届时)$`)

// yearRE matches a year written in three or four digits.
var yearRE = regexp.MustCompile(`[0-9]{3,4}年`)

func latinOnly(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || r == ' ' || r == '-') {
			return false
		}
	}
	return s != ""
}

// inBrackets reports whether a span stands inside （）or ().
func inBrackets(t []rune, sp analysis.Span) bool {
	depth := 0
	for k := 0; k < sp.Start; k++ {
		switch t[k] {
		case '（', '(':
			depth++
		case '）', ')':
			depth = max(0, depth-1)
		}
	}
	return depth > 0
}

// anchor measures how firmly the question's words hold a span from one
// side: the weight of the question terms near it in direction dir (-1
// left, +1 right), the nearest counting most. A bracketed aside next to
// the span ("汤玛斯·霍尔兹（Thomas R. Holtz）正式建立") is skipped.
func anchor(cover []float64, t []rune, i, dir int) float64 {
	best := 0.0
	d := 0
	for k := i + dir; k >= 0 && k < len(t); k += dir {
		if skip := bracketAt(t, k, dir); skip != k {
			k = skip
			continue
		}
		if cover[k] > 0 {
			best = math.Max(best, cover[k]*nearness(d))
		}
		if analysis.IsStop(t[k]) {
			break
		}
		d++
		if d > 12 {
			break
		}
	}
	return best
}

// bracketAt returns, when t[k] opens a bracket in direction dir, the
// position of the bracket that closes it; else k.
func bracketAt(t []rune, k, dir int) int {
	open, closer, open2, closer2 := '（', '）', '(', ')'
	if dir < 0 {
		open, closer, open2, closer2 = closer, open, closer2, open2
	}
	if t[k] != open && t[k] != open2 {
		return k
	}
	for m := k + dir; m >= 0 && m < len(t) && (m-k)*dir < 60; m += dir {
		if t[m] == closer || t[m] == closer2 {
			return m
		}
	}
	return k
}

// nearness maps a distance in runes to [0, 1]: adjacent, or one particle
// away, is 1.
func nearness(g int) float64 {
	switch {
	case g <= 1:
		return 1
	case g <= 3:
		return 0.7
	case g <= 8:
		return 0.4
	}
	return 0.15
}

// surnamed reports whether w, two to four characters, opens with a
// common surname and is not a common word that happens to: 解决 and 管辖
// open with the surnames 解 and 管, 黄金 with 黄, and none is a name.
func surnamed(w []rune) bool {
	if n := len(w); n < 2 || n > 4 || !strings.ContainsRune(surnames, w[0]) || !analysis.IsHanTerm(string(w)) {
		return false
	}
	switch analysis.ClassOf(string(w)) {
	case analysis.Verbal, analysis.Noun:
		return false
	}
	return analysis.ClassOf(string(w[:2])) != analysis.Verbal
}

// surnames are the commonest Chinese family names (folded): a span of two
// to four characters opening with one is likely a person's name, when it
// is no common word (surnamed).
const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"

// Characters that end place and organisation names.
const (
	placeEnds = "国省市县州区河江山岛湖海洋洲港城镇村乡郡府道岭峰湾峡谷原盆"
	orgEnds   = "司院校党会部局团队社行署厅处馆委军所台帮派教"
)

// numberOnlyRE matches a span that is only a number, which does not name
// a person, a place or a thing.
var numberOnlyRE = regexp.MustCompile(`^[0-9.,%]+$`)

// Number and date expressions, in folded text. A number takes the units
// and counters the question analysis knows too (analysis.Units).
var (
	numberUnits = `(?:余|多|几)?(?:万|亿|千|百)?(?:` + analysis.UnitPattern() + `)?`
	// A number in digits may stand a space apart from its unit, as text
	// extracted from a PDF writes it (87 亿美元): the space is taken
	// only with what follows it.
	numberCore = `(?:约|大约|近|超过|逾|第)?(?:[0-9][0-9,.]*(?:/[0-9]+)?(?: (?:余|多|几|万|亿|千|百|` + analysis.UnitPattern() + `))?|[` + cnDigits + `]+)` + numberUnits
)

const (
	cnDigits = `零〇一二三四五六七八九十百千万亿两`
	// cnNumeral is a number in Chinese numerals, which opens with a digit
	// (cnLead): 四千, not 千 or 亿 alone.
	cnLead    = `[零〇一二三四五六七八九十两]`
	cnNumeral = cnLead + `[` + cnDigits + `]*`
	// A date's digits may stand a space apart from 年, 月 and 日, as
	// text extracted from a PDF writes them (2015 年, 10 月 30 日); a
	// space is taken only with what follows it.
	dateMonth = `(?:[0-9]{1,2} ?|[一二三四五六七八九十正]{1,2})月`
	dateDay   = `(?:[0-9]{1,2}(?: ?[日号])?|[一二三四五六七八九十]{1,3}[日号]?)`
	dateCore  = dateMonth + `(?:初|中|下)` + dateDay +
		`|(?:约|大约)?(?:[0-9][0-9,.]* ?|` + cnNumeral + `)(?:多|余)?(?:万|亿)?年前` +
		`|(?:公元前|西元前|公元|西元|前)?(?:[0-9]{1,4} ?|` + cnLead + `[` + cnDigits + `]{0,3})(?:年代|世纪|年(?: ?[0-9]{1,2} ?月(?: ?[0-9]{1,2} ?[日号])?)?|月(?: ?[0-9]{1,2} ?[日号])?)` +
		`|` + dateMonth + ` ?` + dateDay
)

var (
	numberSpanRE = regexp.MustCompile(numberCore)
	// durationRE finds a question of how long; calendarRE a day of the
	// calendar or a time of day.
	durationRE    = regexp.MustCompile(`多长时间|多长的时间|多久|多少时间|多少个?(?:小时|分钟|秒钟?)|多少天|多少个?月|多少年`)
	calendarRE    = regexp.MustCompile(`\d+\s*月\s*\d+\s*[日号]|\d+\s*年\s*\d+\s*月|\d{1,2}\s*[:：]\s*\d{2}|\d+\s*点\s*\d+\s*分`)
	numberWholeRE = regexp.MustCompile(`^(?:` + numberCore + `)$`)
	dateSpanRE    = regexp.MustCompile(dateCore)
	dateWholeRE   = regexp.MustCompile(`^(?:` + dateCore + `)$`)
	titleSpanRE   = regexp.MustCompile(`《[^《》]{1,40}》`)
	// quotedSpanRE matches a title or a quotation whole: 《…》, 「…」, 『…』.
	quotedSpanRE = regexp.MustCompile(titleSpanRE.String() + `|「[^「」]{1,40}」|『[^『』]{1,40}』`)
	// timePhraseRE matches a time said in words: 春季化雪的时候, 战后初期.
	timePhraseRE = regexp.MustCompile(`[\p{Han}]{1,10}(?:的时候|时候|时期|时代|期间|年间|之际|以前|以后|之后|之前|初期|末期|中期|前后|季|朝|代|纪)`)
	// periodAfterRE matches the part of a period written after a decade
	// or a century: 19世纪晚期, 16世纪中叶, 1990年代中后期.
	periodAfterRE = regexp.MustCompile(`^(?:中后期|中晚期|初期|中期|末期|前期|后期|早期|晚期|中叶|上半叶|下半叶|末|初|中)`)
	// periodPartRE matches the words for a part of a period.
	periodPartRE = regexp.MustCompile(`(?:初期|中期|末期|前期|后期|早期|晚期)$`)
)

// unitKindOf is the kind of the unit a number's folded text ends with
// (analysis.UnitKind), 0 when it ends with none: 87亿美元 is money, 40分钟
// time.
func unitKindOf(text string) int { return analysis.UnitKind(analysis.UnitSuffix(text)) }

// matches returns the spans of re inside t[i:j], as rune offsets of t.
func matches(re *regexp.Regexp, t []rune, i, j int) []analysis.Span {
	sub := string(t[i:j])
	var out []analysis.Span
	for _, m := range re.FindAllStringIndex(sub, -1) {
		s := i + len([]rune(sub[:m[0]]))
		e := s + len([]rune(sub[m[0]:m[1]]))
		out = append(out, analysis.Span{Start: s, End: e})
	}
	return out
}

// trimSpan drops particles from the ends of a span.
func trimSpan(t []rune, sp analysis.Span) analysis.Span {
	for sp.Start < sp.End && strings.ContainsRune(particles, t[sp.Start]) {
		sp.Start++
	}
	for sp.End > sp.Start && strings.ContainsRune(particles, t[sp.End-1]) {
		sp.End--
	}
	return sp
}
