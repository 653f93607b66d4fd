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

// Of the Verbal words, the verbs: a name opens with 国立 or 第二次, not
// with 接受 (jieba's tags v against b, m, a, vn).
func TestIsVerb(t *testing.T) {
	verbs := []string{"举行", "表明", "接受", string(FoldRunes("舉行"))}
	others := []string{"国立", "第二次", "不同", "发展", "英国", "任务", "需要的", ""}
	for _, w := range verbs {
		if !IsVerb(w) || ClassOf(w) != Verbal {
			t.Errorf("IsVerb(%q) = %v, ClassOf = %d: want a verb, Verbal too", w, IsVerb(w), ClassOf(w))
		}
	}
	for _, w := range others {
		if IsVerb(w) {
			t.Errorf("IsVerb(%q) = true, want false", w)
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
