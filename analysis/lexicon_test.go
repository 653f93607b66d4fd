package analysis

import "testing"

func TestClassOf(t *testing.T) {
	tests := []struct {
		word string
		want WordClass
	}{
		{"需要", Verbal},
		{"表示", Verbal},
		{"于", Verbal},
		{"任务", Noun},
		{"英国", Name},
		{"毛泽东", Name},
		{"朱熹", Name},
		// Found fewer than 100 times in the dictionary: not common.
		{"雷根", Uncommon},
		// Not in it.
		{"隆纳", Uncommon},
		// Only whole words: 需要 is one, 需要的 is not.
		{"需要的", Uncommon},
		{"", Uncommon},
	}
	for _, tt := range tests {
		if got := ClassOf(tt.word); got != tt.want {
			t.Errorf("ClassOf(%q) = %d, want %d", tt.word, got, tt.want)
		}
	}
}

// A word written in Traditional script is looked up folded, as the reader
// folds the text it reads.
func TestClassOfFoldedTraditional(t *testing.T) {
	for word, want := range map[string]WordClass{"任務": Noun, "表示": Verbal, "英國": Name} {
		if got := ClassOf(string(FoldRunes(word))); got != want {
			t.Errorf("ClassOf(fold(%q)) = %d, want %d", word, got, want)
		}
	}
}
