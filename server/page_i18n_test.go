package server

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"wenda/uploads"
)

// TestPageWordsEveryCode checks that the page has words, in its three
// languages, for every error code the server can send, every reason a
// sentence can be withheld for and every kind of refusal: a code it lacks
// would reach the reader as the server's English.
func TestPageWordsEveryCode(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("web", "i18n.js"))
	if err != nil {
		t.Fatal(err)
	}
	// entries maps each key of the page's tables to its number of
	// translations.
	entries := map[string]int{}
	for _, m := range regexp.MustCompile(`(?m)^\s+(\w+): \[((?:"[^"]*",?\s*)+)\],?$`).FindAllSubmatch(page, -1) {
		entries[string(m[1])] = len(regexp.MustCompile(`"[^"]*"`).FindAll(m[2], -1))
	}
	if len(entries) < 100 {
		t.Fatalf("read only %d entries from i18n.js", len(entries))
	}
	want := map[string]string{} // key → where the code comes from
	scan := func(glob string, re *regexp.Regexp, prefix string) {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			if regexp.MustCompile(`_test\.go$`).MatchString(f) {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllSubmatch(b, -1) {
				want[prefix+string(m[1])] = f
			}
		}
	}
	scan("*.go", regexp.MustCompile(`(?:apiError\{[^,{}]+, |badRequest\(|notFound\(|Code: )"([a-z_]+)"`), "")
	scan(filepath.Join("..", "answer", "*.go"), regexp.MustCompile(`Withheld\w+ += "([a-z_]+)"`), "why_")
	scan(filepath.Join("..", "answer", "*.go"), regexp.MustCompile(`Refusal\w+ += "([a-z_]+)"`), "refusal_")
	// Codes made from a service's name and a failure.
	for _, svc := range []string{"llm", "embeddings"} {
		for _, kind := range []string{"timeout", "rejected", "unavailable"} {
			want[svc+"_"+kind] = "errors.go"
		}
	}
	// Why an uploaded document failed: its error_code.
	for _, code := range uploads.ErrorCodes() {
		want[code] = "uploads.ErrorCodes"
	}
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) < 40 {
		t.Fatalf("found only %d codes: %v", len(keys), keys)
	}
	for _, k := range keys {
		if n := entries[k]; n != 3 {
			t.Errorf("%s (from %s) has %d translations in server/web/i18n.js, want 3 (zh-Hans, zh-Hant, en)", k, want[k], n)
		}
	}
}
