package corpus

import (
	"path"
	"strconv"
	"strings"
	"unicode"
)

// slug makes an ID from a file path: the file name without its extension,
// lower-cased, with every run of characters other than letters and digits
// turned into one hyphen. Han characters are letters and stay.
func slug(p string) string {
	base := path.Base(p)
	return slugify(strings.TrimSuffix(base, path.Ext(base)))
}

func slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
			continue
		}
		hyphen = true
	}
	if b.Len() == 0 {
		return "doc"
	}
	return b.String()
}

// assignIDs makes IDs unique. A name used once keeps its slug, so adding a
// file never renames another one; names that clash take their folder path
// into the slug ("a/notes.txt" → "a-notes"), and a numeric suffix settles
// any clash that is left ("x.txt" and "x.md").
func assignIDs(docs []Document) {
	count := map[string]int{}
	for _, d := range docs {
		count[slug(d.Path)]++
	}
	taken := map[string]bool{}
	for i := range docs {
		id := slug(docs[i].Path)
		if count[id] > 1 {
			id = slugify(strings.TrimSuffix(docs[i].Path, path.Ext(docs[i].Path)))
		}
		base := id
		for n := 2; taken[id]; n++ {
			id = base + "-" + strconv.Itoa(n)
		}
		taken[id] = true
		docs[i].ID = id
	}
}

// IDFor is the id a document loaded from the file at path gets when no
// other file of its collection claims the same one: what Parse gives it.
func IDFor(path string) string { return slug(path) }
