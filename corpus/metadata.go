package corpus

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The bounds of a document's metadata. A document's header (title and
// authors) is indexed and shown with every passage, so a file whose front
// matter lists 20,000 authors must not cost 20,000 authors' worth of work
// per chunk, nor fill the page; real articles stay far inside these.
const (
	MaxTitleRunes  = 300
	MaxAuthors     = 20
	MaxAuthorRunes = 100
	MaxSourceRunes = 200
	MaxURLBytes    = 2048
)

// boundMetadata cuts the metadata of d to the bounds above, keeps only
// http and https URLs (a javascript: or data: URL in front matter must
// never become a link on the page), and makes each field one line.
func boundMetadata(d *Document) {
	d.Title = boundField(d.Title, MaxTitleRunes)
	d.Source = boundField(d.Source, MaxSourceRunes)
	var authors []string
	seen := map[string]bool{}
	for _, a := range d.Authors {
		a = boundField(a, MaxAuthorRunes)
		if a == "" || seen[a] {
			continue
		}
		seen[a] = true
		authors = append(authors, a)
		if len(authors) == MaxAuthors {
			break
		}
	}
	d.Authors = authors
	d.URL = safeURL(d.URL)
}

// boundField makes s one trimmed line of at most n runes, ending in "…"
// when it was cut.
func boundField(s string, n int) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == '\t' }), " ")
	s = strings.TrimFunc(s, unicode.IsSpace)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// safeURL returns u when it is an absolute http or https URL of sane
// length, and "" otherwise.
func safeURL(u string) string {
	u = strings.TrimSpace(u)
	if u == "" || len(u) > MaxURLBytes {
		return ""
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return ""
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https":
		return u
	}
	return ""
}
