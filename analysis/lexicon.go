package analysis

import (
	_ "embed"
	"strings"
	"sync"
)

//go:generate sh -c "go run ./internal/mklexicon > lexicon.txt"

// WordClass is what a common word is, as the lexicon knows it.
type WordClass uint8

const (
	// Uncommon: not a common word. Most names are not.
	Uncommon WordClass = iota
	// Verbal: a common word that is not a noun: a verb (需要, 表示), an
	// adjective (严重), an adverb, a pronoun, a particle, a numeral, a
	// measure word or an idiom. It names nothing a question asks for by
	// name.
	Verbal
	// Noun: a common noun (任务, 交通).
	Noun
	// Name: a well-known name (英国, 毛泽东, 联合国) or another proper noun.
	Name
)

// lexiconText is the lexicon, a folded word and its class on each line: v
// (Verbal), V (Verbal and a verb), n (Noun) or p (Name); the 36,000 words
// found at least 100 times in jieba's dictionary. internal/mklexicon makes
// it (go generate).
//
//go:embed lexicon.txt
var lexiconText string

// words is the lexicon read: each word's class, and which of the Verbal
// words are verbs.
type words struct {
	class map[string]WordClass
	verb  map[string]bool
}

var lexicon = sync.OnceValue(func() words {
	w := words{class: make(map[string]WordClass, 40000), verb: make(map[string]bool, 10000)}
	for line := range strings.Lines(lexiconText) {
		word, class, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
		if !ok || strings.HasPrefix(word, "#") {
			continue
		}
		switch class {
		case "V":
			w.verb[word] = true
			w.class[word] = Verbal
		case "v":
			w.class[word] = Verbal
		case "n":
			w.class[word] = Noun
		case "p":
			w.class[word] = Name
		}
	}
	return w
})

// ClassOf returns the class of a folded word: Uncommon for a word the
// lexicon does not hold, whole.
func ClassOf(folded string) WordClass {
	return lexicon().class[folded]
}

// IsVerb reports whether a folded word is a verb (举行, 表明), which the
// Verbal class holds with adjectives, adverbs, numerals and the rest: a
// name can open with 国立 or 第二次, not with 接受.
func IsVerb(folded string) bool {
	return lexicon().verb[folded]
}

// WordAt returns the length and class of the longest word of minRunes to
// maxRunes characters that rs starts with and the lexicon holds; 0 and
// Uncommon when it holds none.
func WordAt(rs []rune, minRunes, maxRunes int) (int, WordClass) {
	for n := min(maxRunes, len(rs)); n >= minRunes && n > 0; n-- {
		if c := ClassOf(string(rs[:n])); c != Uncommon {
			return n, c
		}
	}
	return 0, Uncommon
}

// WordEnding is WordAt at the end of rs: the longest word rs ends with.
func WordEnding(rs []rune, minRunes, maxRunes int) (int, WordClass) {
	for n := min(maxRunes, len(rs)); n >= minRunes && n > 0; n-- {
		if c := ClassOf(string(rs[len(rs)-n:])); c != Uncommon {
			return n, c
		}
	}
	return 0, Uncommon
}
