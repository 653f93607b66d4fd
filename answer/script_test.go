package answer

import (
	"testing"

	"wenda/hanzi"
	"wenda/retrieval"
)

// TestScriptOf: the script an answer takes from its passages is that of
// most of their documents, the first's on a tie, and none when no document
// is Chinese.
func TestScriptOf(t *testing.T) {
	const (
		s = hanzi.Simplified
		T = hanzi.Traditional
		u = hanzi.Unknown
	)
	tests := []struct {
		scripts []hanzi.Script
		want    hanzi.Script
	}{
		{nil, u},
		{[]hanzi.Script{u, ""}, u},
		{[]hanzi.Script{T}, T},
		{[]hanzi.Script{s, T, T}, T},
		{[]hanzi.Script{T, s, s, u}, s},
		{[]hanzi.Script{T, s}, T},
		{[]hanzi.Script{u, s, T}, s},
	}
	for _, tt := range tests {
		var ps []retrieval.Passage
		for _, sc := range tt.scripts {
			ps = append(ps, retrieval.Passage{Script: sc})
		}
		if got := scriptOf(ps); got != tt.want {
			t.Errorf("scriptOf(%v) = %s, want %s", tt.scripts, got, tt.want)
		}
	}
}
