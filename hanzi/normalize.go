package hanzi

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold runs NFKC and lower-casing over every chunk at ingest and over every
// passage of every query. Both go through general tables rune by rune:
// norm looks each rune up in its trie and, since Chinese text is full of
// full-width punctuation (，：（）) that NFKC maps to ASCII, normalizes
// nearly every paragraph the slow way; unicode.ToLower binary-searches the
// case ranges for each Han character. The tables below, built once from
// norm's and unicode's own answers for each rune of the Basic Multilingual
// Plane, let both be done with one array lookup per rune; text they do
// not cover (combining marks, Hangul jamo, runes beyond the BMP) takes the
// general path. TestNormalizeMatchesNorm holds them to it.

// Kinds of BMP runes in foldTable.
const (
	nfkcOther uint16 = iota // may interact with its neighbours: use norm
	nfkcSame                // starts a segment and NFKC keeps it
	// nfkcMapped+k: starts a segment, and NFKC maps it on its own to
	// foldMapped[k], whose runes all start segments too.
)

const nfkcMapped = 2

var (
	foldOnce   sync.Once
	foldTable  []uint16 // per BMP rune: nfkcOther, nfkcSame or nfkcMapped+k
	foldMapped []string
	foldUpper  []uint64 // BMP runes that unicode.ToLower changes
)

func buildFoldTables() {
	foldTable = make([]uint16, 0x10000)
	foldUpper = make([]uint64, 0x10000/64)
	startsSegment := func(s string) bool {
		for _, r := range s {
			if !norm.NFKC.PropertiesString(string(r)).BoundaryBefore() {
				return false
			}
		}
		return true
	}
	for r := rune(0); r < 0x10000; r++ {
		if unicode.ToLower(r) != r {
			foldUpper[r>>6] |= 1 << (uint(r) & 63)
		}
		if !utf8.ValidRune(r) {
			continue // surrogates
		}
		s := string(r)
		if !norm.NFKC.PropertiesString(s).BoundaryBefore() {
			continue
		}
		n := norm.NFKC.String(s)
		switch {
		case n == s:
			foldTable[r] = nfkcSame
		case n != "" && startsSegment(n) && len(foldMapped) < 0xFFFF-nfkcMapped:
			foldTable[r] = nfkcMapped + uint16(len(foldMapped))
			foldMapped = append(foldMapped, n)
		}
	}
}

// nfkc is norm.NFKC.String(s).
func nfkc(s string) string {
	foldOnce.Do(buildFoldTables)
	var b strings.Builder
	done := 0 // s[:done] is in b, or unchanged when b is empty
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++ // ASCII starts a segment and NFKC keeps it
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= 0x10000 || r == utf8.RuneError {
			return norm.NFKC.String(s)
		}
		switch k := foldTable[r]; {
		case k == nfkcSame:
		case k >= nfkcMapped:
			if b.Len() == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[done:i])
			b.WriteString(foldMapped[k-nfkcMapped])
			done = i + size
		default:
			return norm.NFKC.String(s)
		}
		i += size
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// lower is strings.ToLower(s), which returns s itself when no rune
// changes, found here without a case-range search per rune.
func lower(s string) string {
	foldOnce.Do(buildFoldTables)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return strings.ToLower(s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= 0x10000 || r == utf8.RuneError || foldUpper[r>>6]&(1<<(uint(r)&63)) != 0 {
			return strings.ToLower(s)
		}
		i += size
	}
	return s
}
