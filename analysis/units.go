package analysis

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Units are the units of measure, the currencies and the units of time
// that follow a number, in folded form. The question analysis reads the
// unit a question asks in from them (多少公分 asks in 公分, not in 公) and
// the reader finds the numbers of a passage with them (80公分, not 80公),
// so both must know the same ones. Traditional forms fold to these
// (世紀 → 世纪, 英畝 → 英亩); 英呎, 英吋 and 英哩 (or 呎, 吋 and 哩) are
// the Hong Kong and Taiwan foot, inch and mile.
var Units = slices.Concat(unitKinds...)

// unitKinds are the units grouped by what they measure. A number in one
// kind does not answer a question asked in another: 50% is no price in
// 美元, and 2026年 no count of 人.
var unitKinds = [][]string{
	// Length.
	{"公里", "千米", "公尺", "公分", "厘米", "毫米", "米", "英里", "英哩", "英尺", "英呎", "英寸", "英吋", "海里", "光年", "呎", "吋", "哩"},
	// Area.
	{"平方公里", "平方千米", "平方英里", "平方英哩", "平方米", "公顷", "英亩", "亩"},
	// Volume.
	{"公升", "毫升", "升"},
	// Mass.
	{"公斤", "千克", "公吨", "克", "吨", "磅"},
	// Power.
	{"千瓦"},
	// Money.
	{"美元", "欧元", "英镑", "日元", "日圆", "港元", "港币", "人民币", "新台币", "元"},
	// Shares and ratios.
	{"个百分点", "百分点", "%", "倍"},
	// Time and age.
	{"世纪", "岁", "年", "个月", "月", "周", "天", "日", "小时", "分钟", "秒"},
}

// measureNouns are nouns that name what a number measures, with a unit
// of that kind: a question that asks 金额是多少, 比例是多少, 体长是多少,
// 面积是多少 or 体重是多少 asks in money, a share, a length, an area or a
// mass though it names no unit.
var measureNouns = []struct {
	suffixes []string
	unit     string
}{
	{[]string{"金额", "总额", "贸易额", "出口额", "进口额", "投资额", "销售额", "营业额", "交易额", "成交额", "募款额", "筹款额", "捐款额",
		"价格", "价值", "售价", "造价", "票价", "费用", "成本", "收入", "营收", "利润", "资金", "预算", "市值", "工资", "薪水", "薪资",
		"产值", "gdp", "顺差", "逆差", "赤字", "经费", "奖金", "罚款", "债务"}, "元"},
	{[]string{"比例", "占比", "比重", "比率", "百分比", "份额", "率"}, "%"},
	{[]string{"体长", "身长", "全长", "总长", "长度", "身高", "高度", "海拔", "深度", "宽度", "距离", "里程", "直径", "半径", "周长", "翼展", "射程"}, "米"},
	{[]string{"面积", "占地"}, "平方公里"},
	{[]string{"体重", "重量", "载重"}, "公斤"},
}

// UnitOfNoun returns a unit of the kind that noun, folded, measures in
// (金额, 出口额 → 元; 比例, 增长率 → %), or "" when it names no kind:
// the noun ends in one of measureNouns.
func UnitOfNoun(noun string) string {
	return measureUnit(func(s string) bool { return strings.HasSuffix(noun, s) })
}

// UnitOfNounAt is UnitOfNoun for the noun that text, folded, starts with:
// 经费 of 多少经费？, 价格 of 多少的价格收购 (after the 的). Only nouns of
// two characters or more count: a noun that ends in 率 or 额 names its
// kind with its whole.
func UnitOfNounAt(text string) string {
	text = strings.TrimPrefix(text, "的")
	return measureUnit(func(s string) bool { return utf8.RuneCountInString(s) >= 2 && strings.HasPrefix(text, s) })
}

// measureUnit returns the unit of the first of measureNouns that ok
// accepts, or "".
func measureUnit(ok func(noun string) bool) string {
	for _, m := range measureNouns {
		if slices.ContainsFunc(m.suffixes, ok) {
			return m.unit
		}
	}
	return ""
}

// UnitKind returns what a unit of Units measures, as a number that is the
// same for units of the same kind (公里 and 米, 美元 and 元), or 0 for a
// counter or anything else.
func UnitKind(u string) int {
	for i, kind := range unitKinds {
		if slices.Contains(kind, u) {
			return i + 1
		}
	}
	return 0
}

// UnitSuffix returns the longest unit of Units that folded text s ends
// with, or "".
func UnitSuffix(s string) string {
	return longestUnit(func(u string) bool { return strings.HasSuffix(s, u) })
}

// UnitPrefix returns the longest unit of Units that folded text s starts
// with, or "".
func UnitPrefix(s string) string {
	return longestUnit(func(u string) bool { return strings.HasPrefix(s, u) })
}

// longestUnit returns the longest unit of Units that ok accepts, or "".
func longestUnit(ok func(u string) bool) string {
	best := ""
	for _, u := range Units {
		if len(u) > len(best) && ok(u) {
			best = u
		}
	}
	return best
}

// Counters are the measure words that count things after a number: 3个,
// 5届, 12艘, 七类, 五轮.
const Counters = "个台人名位次届座所家项条层艘架辆部本首场种只头匹件块张支门户间篇集卷册期分票席枚颗粒国区号类批轮款例起份笔封"

// UnitPattern is a regular expression alternation of every unit and
// counter, longest first, so that it matches 分钟 rather than 分 and
// 个百分点 rather than 个.
func UnitPattern() string {
	all := slices.Clone(Units)
	for _, r := range Counters {
		all = append(all, string(r))
	}
	slices.SortStableFunc(all, func(a, b string) int {
		return cmp.Compare(utf8.RuneCountInString(b), utf8.RuneCountInString(a))
	})
	all = slices.Compact(all)
	for i, u := range all {
		all[i] = regexp.QuoteMeta(u)
	}
	return strings.Join(all, "|")
}

// LongUnitAt returns the unit of more than one character that folded text
// s begins with, the longest one, or "".
func LongUnitAt(s string) string {
	return longestUnit(func(u string) bool { return utf8.RuneCountInString(u) > 1 && strings.HasPrefix(s, u) })
}
