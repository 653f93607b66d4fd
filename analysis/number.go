package analysis

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"wenda/hanzi"
)

// numberRE matches a number in folded text, with digit-grouping commas and
// a decimal part: 1,304 and 3.8 and 2025.
var numberRE = regexp.MustCompile(`[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?`)

// Numbers returns the numbers in folded text with their grouping commas
// removed, so that "4,000" is "4000".
func Numbers(folded string) []string {
	ms := numberRE.FindAllString(folded, -1)
	for i, m := range ms {
		ms[i] = strings.ReplaceAll(m, ",", "")
	}
	return ms
}

// StripGrouping removes digit-grouping commas from folded text: a comma
// between a digit and exactly three digits ("4,000年" becomes "4000年";
// "1,2,3" keeps its commas).
func StripGrouping(s string) string {
	if !strings.Contains(s, ",") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ',' && i > 0 && isDigit(s[i-1]) && groupOfThree(s, i+1) {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// groupOfThree reports whether s[i:] starts with exactly three digits.
func groupOfThree(s string, i int) bool {
	if i+3 > len(s) {
		return false
	}
	for k := i; k < i+3; k++ {
		if !isDigit(s[k]) {
			return false
		}
	}
	return i+3 == len(s) || !isDigit(s[i+3])
}

// numberExpr matches a number with the unit or counter that follows it
// ("111亿", "30分钟", "4.1%", "10月"): a number means something only with
// its unit, and "30分钟" must not be satisfied by a "30" elsewhere.
var numberExpr = regexp.MustCompile(`\d+(?:\.\d+)?(?:%|亿|万|千|百|年|月|日|号|分钟|小时|天|个|名|次|倍|美元|元|人|岁|架|艘|家|项|条|轮|公里|米|层|届|世纪)?`)

// NumberExprs returns the number expressions of compact folded text
// (folded, white space and grouping commas removed): each number with its
// unit or counter. Digits that are part of a Latin name — H200, G2, or a
// route name such as 41R or 95M — are not number expressions; the name is
// (see Names).
func NumberExprs(compact string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range numberExpr.FindAllStringIndex(compact, -1) {
		if m[0] > 0 && isASCIIAlnum(compact[m[0]-1]) {
			continue // the digits of a name such as H200 or G2
		}
		if e := compact[m[0]:m[1]]; m[1] < len(compact) && isASCIILetter(compact[m[1]]) && isDigit(e[len(e)-1]) {
			continue // a name such as 41R or 5G
		}
		if e := compact[m[0]:m[1]]; !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

// Compact is folded text as NumberExprs and whole-word matching want it:
// without white space (a PDF line may write "2021 年") and without
// digit-grouping commas.
func Compact(folded string) string {
	return StripGrouping(strings.Join(strings.Fields(folded), ""))
}

// Names returns the Latin names of a text as written, folded to lower
// case: words with a digit or a capital after the first letter (TikTok,
// APLN, H200, G2, 41R), and, when the text is mostly Chinese, any
// capitalised word (Gupta). Other Latin words — an English question's
// "What" — are not names.
func Names(original string) []string {
	han, latin := hanzi.Letters(original)
	chinese := han > latin
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(width.Narrow.String(original), func(r rune) bool {
		return !(r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	}) {
		if len(w) < 2 || !strings.ContainsFunc(w, unicode.IsLetter) {
			continue
		}
		inner := strings.ContainsFunc(w[1:], unicode.IsUpper) || strings.ContainsFunc(w, unicode.IsDigit)
		if inner || (chinese && unicode.IsUpper(rune(w[0]))) {
			if l := strings.ToLower(w); !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	return out
}

func isASCIIAlnum(b byte) bool { return isASCIILetter(b) || isDigit(b) }

func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// ContainsWhole reports whether e occurs in s with no letter or digit
// glued to its Latin ends: "h200" is not found in "h2000", nor "30分钟" in
// "130分钟".
func ContainsWhole(s, e string) bool { return CountWhole(s, e) > 0 }

// CountWhole counts the occurrences of e in s that no letter or digit is
// glued to (see ContainsWhole).
func CountWhole(s, e string) int {
	n := 0
	for from := 0; ; {
		i := strings.Index(s[from:], e)
		if i < 0 {
			return n
		}
		i += from
		j := i + len(e)
		before := i == 0 || !isASCIIAlnum(s[i-1]) || !isASCIIAlnum(e[0])
		after := j == len(s) || !isASCIIAlnum(s[j]) || !isASCIIAlnum(e[len(e)-1])
		if before && after {
			n++
		}
		from = i + 1
	}
}

// ChineseNumeral writes a number from 1 to 99 in Chinese numerals (as
// folded text, so Simplified): "3" is "三", "12" is "十二".
func ChineseNumeral(x string) (string, bool) {
	n := 0
	for _, r := range x {
		if r < '0' || r > '9' {
			return "", false
		}
		n = n*10 + int(r-'0')
		if n > 99 {
			return "", false
		}
	}
	if n == 0 || len(x) == 0 {
		return "", false
	}
	switch {
	case n < 10:
		return numeralDigits[n], true
	case n == 10:
		return "十", true
	case n < 20:
		return "十" + numeralDigits[n-10], true
	}
	return numeralDigits[n/10] + "十" + numeralDigits[n%10], true
}

// numeralDigits are the Chinese numerals of 1 to 9, folded, at their
// values.
var numeralDigits = []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// ordinalValues are the words that count or order the items of a list,
// folded: the numerals 一 to 十 (and 两), and the adverbs that order
// (首先, 其次, 再次).
var ordinalValues = func() map[string]int {
	m := map[string]int{"十": 10, "两": 2, "首先": 1, "其次": 2, "再次": 3}
	for v, d := range numeralDigits[1:] {
		m[d] = v + 1
	}
	return m
}()

// OrdinalValue returns the position or count a folded ordinal word
// stands for (三 → 3, 其次 → 2), or 0 when w is not one; ChineseNumeral
// writes the other way.
func OrdinalValue(w string) int { return ordinalValues[w] }
