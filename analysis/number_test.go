package analysis

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestNumberExprs(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"会晤为什么只谈了30分钟？", []string{"30分钟"}},
		{"2025年12月那笔111亿美元的军售", []string{"2025年", "12月", "111亿"}},
		{"增加了４.１％吗", []string{"4.1%"}},
		// Route names and chips are names, not numbers.
		{"41R和95M路公交车经过哪里？", nil},
		{"英伟达H200芯片与5G", nil},
		// Grouping commas do not split a number.
		{"4,000年前", []string{"4000年"}},
	}
	for _, tt := range tests {
		got := NumberExprs(Compact(fold(tt.q)))
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("NumberExprs(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"英伟达H200芯片与TikTok", []string{"h200", "tiktok"}},
		{"Gupta的报告怎么说？", []string{"gupta"}},
		{"According to Gupta, what did APLN find?", []string{"apln"}},
		{"What is the G2 idea?", []string{"g2"}},
		{"41R和95M路公交车", []string{"41r", "95m"}},
		{"ＴｉｋＴｏｋ禁令", []string{"tiktok"}},
	}
	for _, tt := range tests {
		if got := Names(tt.q); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Names(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestFourThousandYearsMatchesWithOrWithoutComma(t *testing.T) {
	passage := Compact(fold("距今約4,000年的遺址"))
	for _, e := range NumberExprs(Compact(fold("4000年前的遗址在哪里？"))) {
		if !ContainsWhole(passage, e) {
			t.Errorf("%q not found in %q", e, passage)
		}
	}
}

func TestContainsWhole(t *testing.T) {
	tests := []struct {
		s, e string
		want bool
	}{
		{"谈了30分钟", "30分钟", true},
		{"谈了130分钟", "30分钟", false},
		{"h2000芯片", "h200", false},
		{"h200芯片", "h200", true},
		{"41r路", "41r", true},
		{"241r路", "41r", false},
	}
	for _, tt := range tests {
		if got := ContainsWhole(tt.s, tt.e); got != tt.want {
			t.Errorf("ContainsWhole(%q, %q) = %v", tt.s, tt.e, got)
		}
	}
}

func TestStripGrouping(t *testing.T) {
	tests := map[string]string{"1,304亿": "1304亿", "4,000年": "4000年", "1,2,3": "1,2,3", "12,3456": "12,3456", "a,000": "a,000"}
	for in, want := range tests {
		if got := StripGrouping(in); got != want {
			t.Errorf("StripGrouping(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestChineseNumeral(t *testing.T) {
	tests := map[string]string{"3": "三", "10": "十", "12": "十二", "40": "四十", "99": "九十九"}
	for in, want := range tests {
		if got, ok := ChineseNumeral(in); !ok || got != want {
			t.Errorf("ChineseNumeral(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"0", "100", "3a", ""} {
		if _, ok := ChineseNumeral(in); ok {
			t.Errorf("ChineseNumeral(%q) succeeded", in)
		}
	}
}

func TestLongUnitAt(t *testing.T) {
	tests := []struct{ s, want string }{
		{"公分？", "公分"},
		{"平方公里的土地", "平方公里"},
		{"公里", "公里"},
		{"世纪时", "世纪"},
		{"个百分点", "个百分点"},
		{"个心室", ""}, // a counter of one character is not a long unit
		{"米", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := LongUnitAt(tt.s); got != tt.want {
			t.Errorf("LongUnitAt(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestUnitPatternPrefersLongest(t *testing.T) {
	re := regexp.MustCompile(`^[0-9]+(?:` + UnitPattern() + `)`)
	for s, want := range map[string]string{
		"30分钟后":     "30分钟",
		"3个百分点":     "3个百分点",
		"80公分的鱼":    "80公分",
		"92英亩":      "92英亩",
		"5平方公里":     "5平方公里",
		"2台机车":      "2台",
		"17世纪的艺术风格": "17世纪",
	} {
		if got := re.FindString(s); got != want {
			t.Errorf("%q: got %q, want %q", s, got, want)
		}
	}
}

// TestOrdinalValue reads back what ChineseNumeral writes, from 1 to 10,
// and the words that order a list.
func TestOrdinalValue(t *testing.T) {
	for n := 1; n <= 10; n++ {
		w, _ := ChineseNumeral(strconv.Itoa(n))
		if got := OrdinalValue(w); got != n {
			t.Errorf("OrdinalValue(%q) = %d, want %d", w, got, n)
		}
	}
	for w, want := range map[string]int{"两": 2, "首先": 1, "其次": 2, "再次": 3, "最后": 0, "百": 0, "": 0} {
		if got := OrdinalValue(w); got != want {
			t.Errorf("OrdinalValue(%q) = %d, want %d", w, got, want)
		}
	}
}

// TestUnitOfNounAt: the measuring noun a text starts with, after a 的,
// names the kind of unit; a noun of one character, or another noun, none.
func TestUnitOfNounAt(t *testing.T) {
	tests := []struct{ text, want string }{
		{"经费？", "元"},
		{"的价格收购盈科拓展", "元"},
		{"百分比的机车集中于亚洲", "%"},
		{"距离", "米"},
		{"率", ""},      // one character: 率 names its kind only at a noun's end
		{"时间？", ""},    // time is no kind here: a year would answer it
		{"蒙古军，驻扎", ""}, // what is counted
	}
	for _, tt := range tests {
		if got := UnitOfNounAt(tt.text); got != tt.want {
			t.Errorf("UnitOfNounAt(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
