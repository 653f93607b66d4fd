package hanzi

import (
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/longbridgeapp/opencc"
)

// Script is the writing system of a Chinese text.
type Script string

// The scripts Detect reports.
const (
	Simplified  Script = "simplified"
	Traditional Script = "traditional"
	// Unknown is reported for text without enough Han characters to tell,
	// such as an English question.
	Unknown Script = "unknown"
)

// The converters load their dictionaries once, on first use; loading takes
// tens of milliseconds and the result is safe for concurrent use.
var (
	convOnce sync.Once
	t2s, s2t *opencc.OpenCC
	convErr  error
)

func converters() (*opencc.OpenCC, *opencc.OpenCC) {
	convOnce.Do(func() {
		t2s, convErr = opencc.New("t2s")
		if convErr == nil {
			s2t, convErr = opencc.New("s2tw")
		}
		if convErr != nil {
			// The dictionaries are embedded in the binary; failing to parse
			// them is a build defect, not a runtime condition.
			panic("hanzi: load OpenCC dictionaries: " + convErr.Error())
		}
	})
	return t2s, s2t
}

// ToSimplified converts Traditional characters and phrases in s to
// Simplified; other text passes through unchanged.
func ToSimplified(s string) string {
	if !hasHan(s) {
		return s
	}
	c, _ := converters()
	return convert(c, s)
}

// ToTraditional converts Simplified characters and phrases in s to
// Traditional with Taiwan's standard character forms (OpenCC s2tw);
// other text passes through unchanged.
func ToTraditional(s string) string {
	if !hasHan(s) {
		return s
	}
	_, c := converters()
	return fixCounterGe(convert(c, s))
}

// counterGe finds 箇 made from 个 after a numeral or demonstrative. The
// port matches dictionary phrases greedily without OpenCC's word
// segmentation, so the phrase 个中→箇中 swallows the 个 of 一个中国; after a
// numeral or demonstrative, 个 is always the measure word 個.
var counterGe = regexp.MustCompile(`([一二兩两三四五六七八九十百千萬万幾几這这那每某哪整半])箇`)

func fixCounterGe(s string) string {
	if !strings.Contains(s, "箇") {
		return s
	}
	return counterGe.ReplaceAllString(s, "${1}個")
}

// To converts s into the given script. Unknown leaves s as it is.
func To(sc Script, s string) string {
	switch sc {
	case Simplified:
		return ToSimplified(s)
	case Traditional:
		return ToTraditional(s)
	}
	return s
}

// Convert converts s, written in script from, into script to. Text
// already in the script asked for is left as it is: converting it again
// changes characters both scripts write (Simplified-to-Traditional turns the
// 里 of the Traditional 戴維·里滕豪斯 into 裡, and 天文台 into 天文臺). A
// short span cannot tell its own script (戴維·里 has one character of each
// reading), so from is the script of the text it was taken from.
func Convert(from, to Script, s string) string {
	if from == to {
		return s
	}
	return To(to, s)
}

// Detect tells whether s is written in Simplified or Traditional script by
// counting the Han characters that conversion in each direction would change.
// Most characters are shared by both scripts, so a handful of distinctive
// ones decide; text with none reports Unknown.
func Detect(s string) Script {
	if !hasHan(s) {
		return Unknown
	}
	simp := diffRunes(s, ToSimplified(s))  // Traditional characters present
	trad := diffRunes(s, ToTraditional(s)) // Simplified characters present
	switch {
	case simp == 0 && trad == 0:
		return Unknown
	case simp > trad:
		return Traditional
	case trad > simp:
		return Simplified
	}
	return Unknown
}

// Fold returns the index form of s: Unicode NFKC (full-width letters,
// digits and punctuation become their ASCII forms), Traditional converted to
// Simplified, and Latin letters lower-cased. Fold is what makes "ＴｉｋＴｏｋ",
// "tiktok" and "關稅"/"关税" compare equal.
func Fold(s string) string {
	return lower(ToSimplified(nfkc(s)))
}

// IsHan reports whether r is a CJK ideograph.
func IsHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// Letters counts the Han characters and the Latin letters (of ASCII and
// Latin-1, é as well as e) of s: how the language of a question or the
// script of a passage is told.
func Letters(s string) (han, latin int) {
	for _, r := range s {
		switch {
		case IsHan(r):
			han++
		case r <= unicode.MaxLatin1 && unicode.IsLetter(r):
			latin++
		}
	}
	return han, latin
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 && IsHan(r) {
			return true
		}
	}
	return false
}

func diffRunes(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) {
		// Phrase conversions can change length; fall back to counting
		// runes of a that are absent from b.
		seen := make(map[rune]int, len(rb))
		for _, r := range rb {
			seen[r]++
		}
		n := 0
		for _, r := range ra {
			if seen[r] > 0 {
				seen[r]--
				continue
			}
			n++
		}
		return n
	}
	n := 0
	for i := range ra {
		if ra[i] != rb[i] {
			n++
		}
	}
	return n
}
