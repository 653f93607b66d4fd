package analysis

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"wenda/hanzi"
)

// placeholder stands in for a rune that folding would turn into several
// (NFKC writes "…" as "..."): a private-use character, which neither NFKC,
// OpenCC nor lower-casing touch.
const placeholder = '\uE000'

// FoldRunes returns the folded form of s (hanzi.Fold) with exactly one rune
// per rune of s, so that position i of the result is the folded form of
// rune i of s. A rune whose folded form is several runes ("…") or none
// keeps its own form. A span found in the folded text is then the same
// span of the original, which is what a citation or a short answer shows.
func FoldRunes(s string) []rune {
	folded := []rune(hanzi.Fold(s))
	n := utf8.RuneCountInString(s)
	if len(folded) == n {
		return folded
	}
	// Protect the runes NFKC would expand or drop, fold, then restore them.
	orig := []rune(s)
	protected := make([]rune, n)
	var kept []int
	for i, r := range orig {
		if r >= utf8.RuneSelf && utf8.RuneCountInString(norm.NFKC.String(string(r))) != 1 {
			protected[i] = placeholder
			kept = append(kept, i)
			continue
		}
		protected[i] = r
	}
	folded = []rune(hanzi.Fold(string(protected)))
	if len(folded) != n {
		// A phrase conversion changed the length: fold rune by rune.
		folded = make([]rune, n)
		for i, r := range protected {
			if f := []rune(hanzi.Fold(string(r))); len(f) == 1 {
				folded[i] = f[0]
			} else {
				folded[i] = unicode.ToLower(r)
			}
		}
	}
	for _, i := range kept {
		folded[i] = orig[i]
	}
	return folded
}
