package hanzi

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestNormalizeMatchesNorm holds nfkc and lower to norm.NFKC.String and
// strings.ToLower: every BMP rune alone and between neighbours of every
// kind, random runs of the runes the tables cover, and the articles.
func TestNormalizeMatchesNorm(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := nfkc(s), norm.NFKC.String(s); got != want {
			t.Fatalf("nfkc(%+q) = %+q, norm gives %+q", s, got, want)
		}
		if got, want := lower(s), strings.ToLower(s); got != want {
			t.Fatalf("lower(%+q) = %+q, strings.ToLower gives %+q", s, got, want)
		}
	}
	// Neighbours that interact under NFKC, or change under lower-casing.
	neighbours := []rune{'a', 'E', 'ﬁ', '\u0301', '\u0308', '\u3099', '\uFF9E', '\u1100', '\u1161', '\u11A8', '가',
		'，', 'Ａ', '①', '㎏', '中', '關', '\u00A0', '\u2026', 'ς', 'İ', '\U0001D400', '\U00020000', '\uFFFD'}
	rng := rand.New(rand.NewPCG(7, 11))
	var covered []rune
	for r := rune(1); r < 0x10000; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		s := string(r)
		check(s)
		n := neighbours[rng.IntN(len(neighbours))]
		check(string(n) + s)
		check(s + string(n))
		check("中" + s + "文" + string(n))
		if foldTable[r] != nfkcOther {
			covered = append(covered, r)
		}
	}
	if len(covered) < 50000 {
		t.Fatalf("only %d BMP runes take the table path", len(covered))
	}
	for range 20000 {
		var b strings.Builder
		for n := 1 + rng.IntN(12); n > 0; n-- {
			if rng.IntN(8) == 0 {
				b.WriteRune(neighbours[rng.IntN(len(neighbours))])
			} else {
				b.WriteRune(covered[rng.IntN(len(covered))])
			}
		}
		check(b.String())
	}
	files, err := filepath.Glob("../corpus/articles/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no articles: %v", err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, para := range strings.Split(string(raw), "\n") {
			check(para)
		}
	}
	check("")
	check("\xff\xfe關稅")
}
