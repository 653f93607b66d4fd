package hanzi

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// convert is OpenCC's conversion (opencc.OpenCC.Convert) with the same
// dictionaries and the same rule, without its allocations. The library
// turns the text into runes, builds a string of the next ten runes at
// every position and collects each dictionary's prefix matches in a map;
// that made folding run at about 4 MB/s, and Fold runs on every chunk at
// ingest and on every passage of every query. Here the dictionaries'
// tries are walked byte by byte straight over the text, a rune that starts
// no entry costs a few array lookups, and nothing is allocated unless the
// text changes. TestConvertMatchesOpenCC holds the two to the same output.
func convert(cc *opencc.OpenCC, s string) string {
	if !utf8.ValidString(s) {
		// The library turns invalid bytes into U+FFFD; leave that to it.
		out, err := cc.Convert(s)
		if err != nil {
			return s
		}
		return out
	}
	for _, g := range cc.DictChains {
		s = convertGroup(g, s)
	}
	return s
}

// lookahead is how many runes OpenCC matches a phrase over (its preOffset).
const lookahead = 10

// convertGroup applies one group of dictionaries: at each position the
// first dictionary of the group with any entry that prefixes the next
// lookahead runes replaces its longest such entry by the entry's first
// value; a rune that no entry starts with is kept.
func convertGroup(g *opencc.Group, s string) string {
	first := startsOf(g)
	var b strings.Builder
	done := 0 // s[:done] is in b, or needs no change when b is empty
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if !first.has(r) {
			i += size
			continue
		}
		n, to, ok := longestEntry(g, s[i:])
		if !ok {
			i += size
			continue
		}
		if to == s[i:i+n] {
			i += n
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[done:i])
		b.WriteString(to)
		i += n
		done = i
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// longestEntry finds, in the first dictionary of g that has one, the
// longest entry that prefixes s within lookahead runes, and returns its
// length in bytes and its first value.
func longestEntry(g *opencc.Group, s string) (n int, value string, ok bool) {
	var one [1]byte
	for _, d := range g.Dicts {
		from, best, bestNode := 0, 0, -1
		runes := 0
		for k := 0; k < len(s); k++ {
			if s[k]&0xC0 != 0x80 { // a rune starts here
				if runes++; runes > lookahead {
					break
				}
			}
			one[0] = s[k]
			to, err := d.Trie.Jump(one[:], from)
			if err != nil {
				break
			}
			from = to
			if _, err := d.Trie.Value(to); err == nil {
				best, bestNode = k+1, to
			}
		}
		if bestNode >= 0 {
			v, _ := d.Trie.Value(bestNode)
			return best, d.Values[v][0], true
		}
	}
	return 0, "", false
}

// runeSet is a bitmap of runes.
type runeSet []uint64

func (rs runeSet) has(r rune) bool {
	w := int(r) >> 6
	return w < len(rs) && rs[w]&(1<<(uint(r)&63)) != 0
}

// starts caches, per dictionary group, the runes that begin an entry of
// one of its dictionaries. Most runes of a text begin none (in Simplified
// text, 95-98% do not begin a Traditional-to-Simplified entry), and a
// rune outside the set is kept without walking the tries.
var starts sync.Map // *opencc.Group → runeSet

func startsOf(g *opencc.Group) runeSet {
	if rs, ok := starts.Load(g); ok {
		return rs.(runeSet)
	}
	var rs runeSet
	for _, d := range g.Dicts {
		for _, id := range d.Trie.PrefixPredict(nil, 0) {
			key, err := d.Trie.Key(id)
			if err != nil {
				continue
			}
			r, _ := utf8.DecodeRune(key)
			for int(r)>>6 >= len(rs) {
				rs = append(rs, 0)
			}
			rs[int(r)>>6] |= 1 << (uint(r) & 63)
		}
	}
	rs2, _ := starts.LoadOrStore(g, rs)
	return rs2.(runeSet)
}
