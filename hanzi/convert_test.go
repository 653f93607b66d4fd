package hanzi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// TestConvertMatchesOpenCC holds convert to the library's own conversion:
// on the shipped articles (raw, front matter and all) in both directions, and on every entry of every
// dictionary, alone, in context and run together with its neighbours, so
// that each phrase rule and each longest-match choice is exercised.
func TestConvertMatchesOpenCC(t *testing.T) {
	t2s, s2t := converters()
	files, err := filepath.Glob("../corpus/articles/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no articles: %v", err)
	}
	var texts []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(raw))
	}
	texts = append(texts, "", "a", "TikTok 301", "\xff\xfe關稅", "乾隆", "乾燥", "著名", "著作")
	for _, c := range []struct {
		name string
		cc   *opencc.OpenCC
	}{{"t2s", t2s}, {"s2t", s2t}} {
		var keys []string
		for _, g := range c.cc.DictChains {
			for _, d := range g.Dicts {
				for _, id := range d.Trie.PrefixPredict(nil, 0) {
					k, err := d.Trie.Key(id)
					if err != nil {
						t.Fatal(err)
					}
					keys = append(keys, string(k))
				}
			}
		}
		if len(keys) < 1000 {
			t.Fatalf("%s: only %d dictionary entries found", c.name, len(keys))
		}
		cases := append([]string(nil), texts...)
		for i := 0; i < len(keys); i += 40 {
			run := strings.Join(keys[i:min(i+40, len(keys))], "")
			cases = append(cases, run, "中"+strings.Join(keys[i:min(i+40, len(keys))], "的")+"文")
		}
		for _, k := range keys[:200] {
			cases = append(cases, k, "他"+k+"了")
		}
		for _, in := range cases {
			want, err := c.cc.Convert(in)
			if err != nil {
				t.Fatal(err)
			}
			if got := convert(c.cc, in); got != want {
				t.Errorf("%s(%.40q) = %.40q, OpenCC gives %.40q", c.name, in, got, want)
			}
		}
	}
}

func TestConvertKeepsUnchangedText(t *testing.T) {
	t2s, _ := converters()
	in := "中美经贸团队在马德里举行谈判"
	out := convert(t2s, in)
	if out != in {
		t.Fatalf("convert changed Simplified text: %q", out)
	}
	if utf8.RuneCountInString(out) != utf8.RuneCountInString(in) {
		t.Fatal("length changed")
	}
}
