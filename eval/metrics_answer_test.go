package eval

import (
	"slices"
	"testing"

	"wenda/answer"
)

func TestClaims(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		texts []string
		marks [][]int
	}{
		{
			name:  "markers before and after the full stop",
			text:  "穿透性规则暂停一年[1]。美方还暂停了港口费。[2][3]",
			texts: []string{"穿透性规则暂停一年。", "美方还暂停了港口费。"},
			marks: [][]int{{1}, {2, 3}},
		},
		{
			name:  "lead-in and list lines",
			text:  "根据文章：\n- 会谈持续1小时40分钟[1]\n- \n特朗普称将于明年4月访华 [2]",
			texts: []string{"- 会谈持续1小时40分钟", "特朗普称将于明年4月访华"},
			marks: [][]int{{1}, {2}},
		},
		{
			name:  "Latin sentences and a decimal",
			text:  "Tariffs fell by 10.5 points [1]. No source here.",
			texts: []string{"Tariffs fell by 10.5 points .", "No source here."},
			marks: [][]int{{1}, nil},
		},
		{
			name:  "closing quote stays with its sentence",
			text:  "特朗普发文称“G2即将召开！”[4]随后启程。",
			texts: []string{"特朗普发文称“G2即将召开！”", "随后启程。"},
			marks: [][]int{{4}, nil},
		},
		{name: "empty", text: "  \n", texts: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := claims(tt.text)
			if len(got) != len(tt.texts) {
				t.Fatalf("claims = %+v, want %d", got, len(tt.texts))
			}
			for i, c := range got {
				if c.text != tt.texts[i] || !slices.Equal(c.marks, tt.marks[i]) {
					t.Errorf("claim %d = %q %v, want %q %v", i, c.text, c.marks, tt.texts[i], tt.marks[i])
				}
			}
		})
	}
}

func TestAnswerMetrics(t *testing.T) {
	evidence := newMatcher([]Group{{"穿透性規則"}, {"港口费"}})
	facts := newMatcher([]Group{{"一年", "1年"}, {"50%"}, {"1,304亿"}})
	cites := []answer.Citation{
		{N: 1, ChunkID: "g2:3", Quote: "美方暂停实施穿透性规则一年。"},
		{N: 2, ChunkID: "g2:4", Quote: "双方谈到大豆采购。"},
		{N: 3, ChunkID: "g2:5", Quote: "美方暂停港口费\n一年。"},
		{N: 4, ChunkID: "", Quote: "没有出处的引文"}, // points at no passage
	}
	tests := []struct {
		name                    string
		text                    string
		facts, valid, prec, rec ratio
	}{
		{
			name:  "every claim cites evidence",
			text:  "美方暂停50%规则一年[1]。港口费也暂停了[3]。贸易额1304亿[2]。",
			facts: ratio{3, 3}, valid: ratio{3, 3}, prec: ratio{2, 4}, rec: ratio{2, 3},
		},
		{
			name:  "dangling markers",
			text:  "暂停一年[1][7]。另有安排[4]。",
			facts: ratio{1, 3}, valid: ratio{1, 3}, prec: ratio{2, 4}, rec: ratio{1, 2},
		},
		{
			name:  "no markers at all",
			text:  "美方暂停规则一年，比例为50%。",
			facts: ratio{2, 3}, valid: ratio{0, 0}, prec: ratio{2, 4}, rec: ratio{0, 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := factRecall(facts, tt.text); got != tt.facts {
				t.Errorf("factRecall = %v, want %v", got, tt.facts)
			}
			if got := citationValidity(tt.text, cites); got != tt.valid {
				t.Errorf("citationValidity = %v, want %v", got, tt.valid)
			}
			if got := citationPrecision(evidence, cites); got != tt.prec {
				t.Errorf("citationPrecision = %v, want %v", got, tt.prec)
			}
			if got := citationRecall(evidence, tt.text, cites); got != tt.rec {
				t.Errorf("citationRecall = %v, want %v", got, tt.rec)
			}
		})
	}
}

func TestFactRecallIgnoresMarkers(t *testing.T) {
	// The marker sits inside the fact string once markers are kept.
	facts := newMatcher([]Group{{"2025年10月30日"}})
	if got := factRecall(facts, "会晤于2025年10月[1]30日举行。"); got != (ratio{1, 1}) {
		t.Errorf("factRecall = %v, want 1/1", got)
	}
}
