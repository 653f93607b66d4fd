package prompts

import "strings"

// Topic is the collection a question is asked of, as its metadata
// describes it. The prompts present the documents with it, so that nothing
// about what they are about is written into the templates.
type Topic struct {
	Title       string
	Description string
	// Language is the language most documents are in: zh-Hans, zh-Hant,
	// en, or "" when unknown.
	Language string
}

// Phrase names the documents in the words of their collection's metadata,
// as in "a collection of documents titled «…»: …". The metadata is set by
// the operator or an editor; it is cleaned of markup and new lines all the
// same.
func (t Topic) Phrase() string {
	clean := func(s string) string {
		return strings.Join(strings.Fields(Neutralize(s)), " ")
	}
	title, desc := clean(t.Title), clean(t.Description)
	var b strings.Builder
	b.WriteString("a collection of ")
	switch t.Language {
	case "zh-Hans", "zh-Hant":
		b.WriteString("Chinese ")
	case "en":
		b.WriteString("English ")
	}
	b.WriteString("documents")
	if title != "" {
		b.WriteString(" titled «" + title + "»")
	}
	if desc != "" {
		b.WriteString(" (" + strings.TrimRight(desc, ".。") + ")")
	}
	return b.String()
}

// Foreign reports whether an English question must be put into Chinese to
// be matched against the documents: so it is unless they are English.
func (t Topic) Foreign() bool { return t.Language != "en" }
