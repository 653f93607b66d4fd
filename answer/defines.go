package answer

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"wenda/analysis"
	"wenda/hanzi"
	"wenda/question"
)

// withDefinition puts first in the answer to a definition question the
// sentence that defines its subject, when the passages hold one: the
// subject opens it, with its own words in brackets or not, and a word
// that defines follows (翼尖小翼（winglet或wingtip），又称作翼梢小翼…，
// 通常用于…; 牛车水是…). An article's lead sentence says what its
// subject is; the sentences that share the most words with the question
// may only use the name. What the answer added last gives way when it
// would pass maxAnswerRunes.
func withDefinition(subject string, sents []*sentence, picks []*sentence) []*sentence {
	if s := definingSentence(subject, sents); s != nil {
		return putFirst(s, picks)
	}
	return picks
}

// putFirst puts s first among the picks unless they hold it, dropping
// what was added last when the answer would pass maxAnswerRunes.
func putFirst(s *sentence, picks []*sentence) []*sentence {
	if contains(picks, s) {
		return picks
	}
	out := append([]*sentence{s}, picks...)
	for len(out) > 1 && runesOf(out) > maxAnswerRunes {
		out = out[:len(out)-1]
	}
	return out
}

// definingSentence returns the first of sents that defines subject (see
// withDefinition), or nil.
func definingSentence(subject string, sents []*sentence) *sentence {
	var pattern string
	if han, _ := hanzi.Letters(subject); han == 0 {
		// An English term is defined by a sentence that opens with it,
		// or with it and the noun it names ("The happens before
		// relation"), and a verb that says what it is: "A data race is
		// defined as".
		pattern = `(?i)^(?:(?:an?|the)\s+)?` + regexp.QuoteMeta(subject) + `s?(?:\s+[a-z]{3,})?\s+(?:is|are|means|refers\s+to|denotes)\b`
	} else {
		words := slices.Concat(defineWords, aliasMarkers[question.AliasOther], aliasMarkers[question.AliasShort])
		pattern = `^《?` + regexp.QuoteMeta(strings.Trim(subject, "《》")) + `》?\s*(?:[（(][^）)]*[）)])?\s*[，,]?\s*(?:` + strings.Join(words, "|") + `)`
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil
	}
	for _, s := range sents {
		if s.quotable && re.MatchString(string(s.folded)) {
			return s
		}
	}
	return nil
}

// defineWords say, after a term, what it is; a sentence that gives
// another name of it (aliasMarkers) defines it too.
var defineWords = []string{"是", "为", "指", "即", "乃", "系", "泛指", "一般指", "通常指"}

// aliasMarkers are the words that introduce another name of a term in a
// passage, by the kind of name an alias question asks for, longest first.
var aliasMarkers = map[question.AliasKind][]string{
	question.AliasOther:   {"又被称为", "又称作", "又称为", "别称为", "又名", "又称", "别名", "别称", "亦称", "也叫", "又叫", "俗称", "也称", "或称", "通称"},
	question.AliasShort:   {"简称"},
	question.AliasFull:    {"全称"},
	question.AliasFormer:  {"原名", "本名", "旧称", "原称"},
	question.AliasEnglish: {"英文全称", "英文名称", "英文名", "英语", "英文"},
}

// aliasIn finds, in the first of sents that has one, the name an alias
// question asks for: what follows a word of its kind (aliasMarkers) that
// stands within aliasReach characters after a part of the question's
// subject a third of it long, two characters at least (凉茶舖，又名凉茶店 →
// 凉茶店; 内台航路，或称内台航线 → 内台航线), up to the end of its clause
// (aliasName).
func aliasIn(q *question.Analysis, sents []*sentence) (*spanRef, *sentence) {
	subject := []rune(q.Subject)
	// A part of the subject a third of it long, two characters at least:
	// 航路 of 内台航路, 二宫之争 of 史称二宫之争的战争, not 银行 of
	// 西贡商业信用银行.
	need := min(len(subject), max(2, (len(subject)+2)/3))
	for _, s := range sents {
		t := s.folded
		for _, m := range aliasMarkers[q.Alias] {
			mr := []rune(m)
			for k := 0; k+len(mr) <= len(t); k++ {
				if !slices.Equal(t[k:k+len(mr)], mr) || longestRun(subject, t[max(0, k-aliasReach):k]) < need {
					continue
				}
				if sp := aliasName(t, k+len(mr), m, q.Head); sp.Len() > 0 {
					return s.ref(sp), s
				}
			}
		}
	}
	return nil, nil
}

// aliasReach is how far before the word that introduces a name the term
// it names may stand.
const aliasReach = 24

// aliasName returns the name that starts at t[i], after the word marker
// that introduces it: past a 为, 作 or colon, up to the end of its clause
// or a bracket it did not open, at most maxAliasRunes. A list of names
// stays whole (黄莺、小黄蝉、重瓣黄蝉), but for the first item that ends
// in the noun the question asks about (什么圈: 岩石圈 of 岩石圈、地壳), and
// up to the next name's term when the list pairs terms with names
// (刘六本名刘宠、刘七本名刘宸: 刘宠).
func aliasName(t []rune, i int, marker, head string) analysis.Span {
	for i < len(t) && strings.ContainsRune("为作：: ", t[i]) {
		i++
	}
	depth, j := 0, i
	for ; j < len(t) && j-i < maxAliasRunes; j++ {
		r := t[j]
		if strings.ContainsRune("（(", r) {
			depth++
		} else if strings.ContainsRune("）)", r) {
			if depth == 0 {
				break
			}
			depth--
		} else if depth == 0 && strings.ContainsRune("，,。；;！？!?", r) {
			break
		}
	}
	if depth > 0 {
		return analysis.Span{}
	}
	start := i
	for k := i; k <= j; k++ {
		if k < j && t[k] != '、' {
			continue
		}
		item := string(t[start:k])
		if head != "" && strings.HasSuffix(item, head) || k < j && strings.Contains(string(t[k:j]), marker) {
			return analysis.Span{Start: start, End: k}
		}
		start = k + 1
	}
	return analysis.Span{Start: i, End: j}
}

// maxAliasRunes bounds a name an alias question is answered with.
const maxAliasRunes = 60

// identityIn finds, in the first of sents that has one, the description a
// passage gives the person an identity question asks about (Identity): the
// titles that stand right before the name, back to the start of their
// clause or the 是 that leads into them (中国人民大学国家发展与战略研究院
// 研究员、国际关系学院教授宋伟认为 → 中国人民大学…国际关系学院教授; 本文作者
// 是复旦大学美国研究中心副主任、教授赵明昊 → 复旦大学…副主任、教授), or
// those that follow the name and 是 (塞內卡是古羅馬最重要的悲劇作家 → 古羅馬
// 最重要的悲劇作家). A description ends in a word for what a person is
// (analysis.EndsInTitle): the words before a name that do not (据宋伟,
// 她说宋伟) say nothing of who he is.
func identityIn(name string, sents []*sentence) (*spanRef, *sentence) {
	nr := []rune(name)
	for _, s := range sents {
		if !s.quotable {
			continue
		}
		t := s.folded
		for k := 0; k+len(nr) <= len(t); k++ {
			if !slices.Equal(t[k:k+len(nr)], nr) {
				continue
			}
			sp := titlesBefore(t, k)
			if sp.Len() == 0 {
				sp = titlesAfter(t, k+len(nr))
			}
			if sp.Len() > 0 {
				return s.ref(sp), s
			}
		}
	}
	return nil, nil
}

// maxTitleRunes bounds a description found by identityIn.
const maxTitleRunes = 40

// titlesBefore returns the description that ends at t[end] (identityIn),
// or an empty span.
func titlesBefore(t []rune, end int) analysis.Span {
	// It starts a clause, or after the 是 that leads into it.
	opens := func(i int) bool { return i == 0 || t[i-1] == '是' || strings.ContainsRune(clauseBreaks, t[i-1]) }
	start := end
	for !opens(start) && end-start < maxTitleRunes {
		start--
	}
	if !opens(start) {
		return analysis.Span{} // no clause start within reach
	}
	// A verb that takes the person as its object ends what the clause
	// says before the description: 观察者网独家对话复旦大学…主任吴心伯 →
	// 复旦大学…主任.
	for _, w := range beforeDescription {
		if i := strings.LastIndex(string(t[start:end]), w); i >= 0 {
			start += utf8.RuneCountInString(string(t[start:end])[:i] + w)
		}
	}
	if start < end && t[start] == '了' {
		start++
	}
	// Another person may stand in the clause, joined by a conjunction or
	// 、: 国务院副总理何立峰与美方牵头人、美国财政部长贝森特, 国家主席习近平在
	// 韩国釜山与美国总统特朗普. The description starts after the conjunction
	// that follows a title, a name and at most a place; one inside a name
	// (国家发展与战略研究院) follows no title.
	for c := end - 1; c > start; c-- {
		reach := maxNameAndPlace
		switch {
		case t[c] == '、':
			// 、 also joins two titles (研究员、国际关系学院教授): after
			// a title and a name only (高级顾问纳瓦罗、商务部长卢特尼克).
			reach = 4
		case !strings.ContainsRune("与和及同", t[c]):
			continue
		}
		for k := c - 2; k >= max(start, c-reach); k-- {
			// A name is no title: 博士|后研究员 is one title, not a title
			// and a name; nor a common word: 总统|贸易 与制造业高级顾问 is
			// one title too.
			name := string(t[k:c])
			if han, _ := hanzi.Letters(name); han == c-k && analysis.EndsInTitle(string(t[start:k])) && !analysis.EndsInTitle(name) && !commonWord(name) {
				return describes(t, c+1, end)
			}
		}
	}
	return describes(t, start, end)
}

// beforeDescription are the words after which, in the clause before a
// name, its description starts (titlesBefore): verbs whose object is the
// person.
var beforeDescription = []string{"对话", "专访", "采访", "会见", "会晤", "接见", "拜会", "拜访", "邀请", "宴请", "看望", "致电", "任命", "提名", "感谢", "祝贺", "欢迎"}

// maxNameAndPlace bounds the name, and the place it is at, between a
// person's titles and the conjunction that joins another person.
const maxNameAndPlace = 10

// titlesAfter returns the description that follows the name and 是, or
// the name and a comma (〔作者简介〕吴心伯，复旦大学美国研究中心主任、教授),
// at t[from] (identityIn), up to the end of its clause, or an empty span.
func titlesAfter(t []rune, from int) analysis.Span {
	if from >= len(t) || !strings.ContainsRune("是,，", t[from]) {
		return analysis.Span{}
	}
	start, end := from+1, from+1
	for end < len(t) && end-start < maxTitleRunes && !strings.ContainsRune(clauseBreaks, t[end]) {
		end++
	}
	if end < len(t) && !strings.ContainsRune(clauseBreaks, t[end]) {
		return analysis.Span{}
	}
	return describes(t, start, end)
}

// describes returns t[start:end] trimmed of spaces and of a preposition,
// 以及 or a word that brings an example (如, 例如, 包括) that opens it
// (由美国财政部长 → 美国财政部长, 如国务卿 → 国务卿) when it ends in a word
// for what a person is (analysis.EndsInTitle), or an empty span.
func describes(t []rune, start, end int) analysis.Span {
	for start < end && t[start] == ' ' {
		start++
	}
	if m := leadingWordRE.FindString(string(t[start:end])); m != "" && end-start-utf8.RuneCountInString(m) >= 2 {
		start += utf8.RuneCountInString(m)
	}
	// A date is when, not who: 8月中国商务部…副部长 → 中国商务部…副部长.
	if m := leadingDateRE.FindStringIndex(string(t[start:end])); m != nil {
		start += utf8.RuneCountInString(string(t[start:end])[:m[1]])
	}
	for end > start && t[end-1] == ' ' {
		end--
	}
	if analysis.EndsInTitle(string(t[start:end])) {
		return analysis.Span{Start: start, End: end}
	}
	return analysis.Span{}
}

// leadingDateRE matches a date that opens the words before a name.
var leadingDateRE = regexp.MustCompile(`^(?:` + dateCore + `)[,，]?`)

// leadingWordRE matches a word that may open the words before a name
// without being part of its description: a preposition, 以及, or a word
// that brings an example.
var leadingWordRE = regexp.MustCompile(`^(?:以及|例如|比如|譬如|包括|[由据和与及同对向被让把将在跟给如])`)

// authorIn finds the name an author statement of the passages gives, for
// a question that asks who wrote a document (Author): the name after
// 作者简介 (〔作者简介〕 吴心伯，复旦大学…; a heading 作者简介 and a
// paragraph that opens with Rukmani Gupta 是…), or the name after 作者是
// and its titles (本文作者是复旦大学美国研究中心副主任、教授赵明昊). Of
// the documents that make one, the one whose title holds most of the
// question's terms: the question names what it asks about by its title.
// It returns the name and the sentence that gives it, and whether that
// document's title holds a term of the question; nil when no passage
// makes one, or when none of the documents that do is named and the
// passages come from more than one: the name would be another
// document's author.
func authorIn(q *question.Analysis, sents []*sentence) (*spanRef, *sentence, bool) {
	var ref *spanRef
	var at *sentence
	best := -1
	for _, s := range sents {
		sp, in := authorNamed(s)
		if in == nil || !in.quotable {
			continue
		}
		share := 0
		for _, t := range q.Terms {
			if in.title[t] {
				share++
			}
		}
		if share > best {
			best = share
			ref = in.ref(sp)
			at = in
		}
	}
	if best == 0 {
		for _, s := range sents {
			if s.doc != at.doc {
				return nil, nil, false
			}
		}
	}
	return ref, at, best > 0
}

// authorNamed returns the author's name an author statement in s gives,
// and the sentence it stands in (s, or the one after a heading); nil
// when s makes none.
func authorNamed(s *sentence) (analysis.Span, *sentence) {
	t := s.folded
	if i := runeIndex(t, "作者简介"); i >= 0 {
		j := i + 4
		for j < len(t) && strings.ContainsRune("〕]】)）:： ", t[j]) {
			j++
		}
		if j == len(t) && s.after != nil {
			// A heading: the name opens the next paragraph.
			s, t, j = s.after, s.after.folded, 0
			for j < len(t) && t[j] == ' ' {
				j++
			}
		}
		if sp := nameAt(t, j); sp.Len() > 0 {
			return sp, s
		}
		return analysis.Span{}, nil
	}
	for _, w := range []string{"作者是", "作者为", "作者:", "作者："} {
		i := runeIndex(t, w)
		if i < 0 {
			continue
		}
		start := i + len([]rune(w))
		end := start
		for end < len(t) && end-start < maxTitleRunes && !strings.ContainsRune(clauseBreaks, t[end]) {
			end++
		}
		// The name follows its titles: 复旦大学…副主任、教授赵明昊.
		from := start
		for k := end - 1; k > start; k-- {
			if analysis.EndsInTitle(string(t[start:k])) {
				from = k
				break
			}
		}
		if sp := nameAt(t, from); sp.Len() > 0 && sp.End == end {
			return sp, s
		}
	}
	return analysis.Span{}, nil
}

// nameAt returns the name that starts at t[i]: two to four Chinese
// characters, or up to four Latin words, up to a comma, a space, 是 or a
// bracket; an empty span when none stands there.
func nameAt(t []rune, i int) analysis.Span {
	j := i
	for j < len(t) && hanzi.IsHan(t[j]) && t[j] != '是' && j-i < 4 {
		j++
	}
	if n := j - i; n >= 2 && (j == len(t) || !hanzi.IsHan(t[j]) || t[j] == '是') {
		return analysis.Span{Start: i, End: j}
	}
	words, j := 0, i
	for j < len(t) && words < 4 {
		k := j
		for k < len(t) && (t[k] >= 'a' && t[k] <= 'z' || t[k] == '.' || t[k] == '-') {
			k++
		}
		if k-j < 2 {
			break
		}
		words++
		j = k
		if j+1 < len(t) && t[j] == ' ' && t[j+1] >= 'a' && t[j+1] <= 'z' {
			j++
			continue
		}
		break
	}
	if words == 0 {
		return analysis.Span{}
	}
	return analysis.Span{Start: i, End: j}
}

// runeIndex returns the index of the first w in t, or -1.
func runeIndex(t []rune, w string) int {
	if i := strings.Index(string(t), w); i >= 0 {
		return utf8.RuneCountInString(string(t)[:i])
	}
	return -1
}

// commonWord reports whether w, whole, is a common word that names no one
// (a noun or a word that is no noun): 贸易, not 习近平.
func commonWord(w string) bool {
	c := analysis.ClassOf(w)
	return c == analysis.Noun || c == analysis.Verbal
}
