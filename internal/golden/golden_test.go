package golden

import (
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	got := Diff("a\nb\nc\nd", "a\nB\nc\nd")
	for _, want := range []string{"-    2 | b", "+    2 | B"} {
		if !strings.Contains(got, want) {
			t.Errorf("Diff output lacks %q:\n%s", want, got)
		}
	}
	if Diff("same\ntext", "same\ntext") != "" {
		t.Error("Diff of equal texts is not empty")
	}
}
