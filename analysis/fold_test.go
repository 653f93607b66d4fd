package analysis

import (
	"testing"
	"unicode/utf8"

	"wenda/hanzi"
)

// fold is hanzi.Fold, for brevity in this package's tests.
func fold(s string) string { return hanzi.Fold(s) }

func TestFoldRunesIsAlignedWithTheOriginal(t *testing.T) {
	tests := []struct{ in, want string }{
		{"關稅ＴｉｋＴｏｋ", "关税tiktok"},
		// NFKC writes … as ...; FoldRunes keeps it one rune.
		{"他說……好。", "他说……好。"},
		{"约２０００平方公里㎡", "约2000平方公里㎡"},
	}
	for _, tt := range tests {
		got := string(FoldRunes(tt.in))
		if got != tt.want {
			t.Errorf("FoldRunes(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(tt.in) {
			t.Errorf("FoldRunes(%q) has %d runes, the original %d", tt.in, utf8.RuneCountInString(got), utf8.RuneCountInString(tt.in))
		}
	}
}
