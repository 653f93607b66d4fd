package prompts

import (
	"strings"
	"unicode"

	"wenda/hanzi"
)

// refusals are the fixed sentences that say the articles do not answer a
// question. The model is told to reply with exactly this sentence, which
// lets IsRefusal recognise a refusal in any script.
var refusals = map[Language]string{
	Simplified:  "文章中没有找到这个问题的答案。",
	Traditional: "文章中沒有找到這個問題的答案。",
	English:     "The articles do not contain the answer to this question.",
}

// Refusal returns the refusal sentence in l.
func Refusal(l Language) string {
	if s, ok := refusals[l]; ok {
		return s
	}
	return refusals[Simplified]
}

// IsRefusal reports whether text contains a refusal sentence, in any of the
// answer languages, ignoring script, case, width, spaces and punctuation.
func IsRefusal(text string) bool {
	t := squash(text)
	for _, s := range refusals {
		if strings.Contains(t, squash(s)) {
			return true
		}
	}
	return false
}

// squash folds s and keeps only its letters and digits.
func squash(s string) string {
	var b strings.Builder
	for _, r := range hanzi.Fold(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
