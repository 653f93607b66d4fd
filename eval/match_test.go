package eval

import (
	"slices"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"traditional to simplified", "穿透性規則", "穿透性规则"},
		{"full width and case", "ＡＰＥＣ峰會", "apec峰会"},
		{"white space across a hard wrap", "中美\n  关系 的\t未来", "中美关系的未来"},
		{"ideographic space", "中美\u3000关系", "中美关系"},
		{"grouping comma", "1,304亿美元", "1304亿美元"},
		{"several grouping commas", "1,234,567", "1234567"},
		{"full-width grouping comma", "1，304亿", "1304亿"},
		{"list commas stay", "1,2,3", "1,2,3"},
		{"four digits after a comma stay", "1,2345", "1,2345"},
		{"comma after a word stays", "美国,304家", "美国,304家"},
		{"comma at the end stays", "共1,", "共1,"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMatcher(t *testing.T) {
	m := newMatcher([]Group{{"穿透性規則", "50%规则"}, {"1,304亿"}, {"中美关系"}})
	tests := []struct {
		name    string
		passage string
		want    []bool
	}{
		{"traditional span in a simplified passage", "美方的穿透性规则为期一年。", []bool{true, false, false}},
		{"number without grouping comma", "贸易额达到1304亿美元。", []bool{false, true, false}},
		{"span split by a hard wrap", "未来的中美\n关系取决于……", []bool{false, false, true}},
		{"traditional passage, simplified span", "中美關係穩定，實行50%規則。", []bool{true, false, true}},
		{"nothing", "无关的段落。", []bool{false, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.groups(Normalize(tt.passage))
			if !slices.Equal(got, tt.want) {
				t.Errorf("groups = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMarkers(t *testing.T) {
	tests := []struct {
		in   string
		want []int
	}{
		{"一年[1]。", []int{1}},
		{"一年[1][2]，另见[12]。", []int{1, 2, 12}},
		{"一年[1, 3]与[2，4]和[5、6]", []int{1, 3, 2, 4, 5, 6}},
		{"全角［3］", []int{3}},
		{"not a marker [a] [1a] []", nil},
	}
	for _, tt := range tests {
		if got := markers(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("markers(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if got := stripMarkers("一年[1]，50%[2][3]。"); got != "一年，50%。" {
		t.Errorf("stripMarkers = %q", got)
	}
}
