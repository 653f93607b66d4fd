package index

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"wenda/chunk"
	"wenda/corpus"
	"wenda/embed"
)

// DefaultCollection is the collection the built-in articles (or --corpus)
// go into, and the one a request without a collection asks.
const DefaultCollection = "default"

// Metadata describes a collection to its users; it may change at any time.
type Metadata struct {
	Title string `json:"title"`
	// Description says in one line what the documents are about; the page
	// and the LLM prompts present the collection with it.
	Description string `json:"description,omitempty"`
	// Language is the language most documents are in: zh-Hans, zh-Hant or
	// en ("" when unknown).
	Language string `json:"language,omitempty"`
	// Examples are questions the page suggests.
	Examples []string `json:"examples,omitempty"`
}

// Collection is a named set of documents. Its embedder and chunker are
// fixed when it is created, so that vectors of two models, or chunks of
// two sizes, never mix in it.
type Collection struct {
	ID string `json:"id"`
	Metadata
	Embedder embed.Spec   `json:"embedder"`
	Chunker  chunk.Config `json:"chunker"`
	Created  time.Time    `json:"created"`
}

// CollectionInfo is a collection with its counts.
type CollectionInfo struct {
	Collection
	Documents int `json:"documents"`
	Chunks    int `json:"chunks"`
	// Quantization is how the engine compresses the collection's vectors,
	// read from the index itself ("none", "pq", "bq", …); empty for an
	// engine that has no such setting.
	Quantization string `json:"quantization,omitempty"`
}

var collectionID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// Limits on metadata, so that a collection's description stays a line
// and its examples fit a page.
const (
	MaxTitleRunes       = 200
	MaxDescriptionRunes = 500
	MaxExamples         = 20
	MaxExampleRunes     = 200
)

// ValidateID reports whether id can name a collection: 1 to 64 lower-case
// letters, digits, '-' and '_', starting with a letter or digit.
func ValidateID(id string) error {
	if !collectionID.MatchString(id) {
		return fmt.Errorf("collection id %q: use 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit", id)
	}
	return nil
}

// Validate reports metadata that is too long or not a known language.
func (m Metadata) Validate() error {
	switch {
	case runeLen(m.Title) > MaxTitleRunes:
		return fmt.Errorf("title is longer than %d characters", MaxTitleRunes)
	case runeLen(m.Description) > MaxDescriptionRunes:
		return fmt.Errorf("description is longer than %d characters", MaxDescriptionRunes)
	case strings.ContainsAny(m.Description, "\r\n"):
		return fmt.Errorf("description must be one line")
	case len(m.Examples) > MaxExamples:
		return fmt.Errorf("%d examples, at most %d", len(m.Examples), MaxExamples)
	}
	switch m.Language {
	case "", "zh-Hans", "zh-Hant", "en":
	default:
		return fmt.Errorf("language %q: want zh-Hans, zh-Hant or en", m.Language)
	}
	for i, e := range m.Examples {
		if n := runeLen(e); n == 0 || n > MaxExampleRunes {
			return fmt.Errorf("example %d: want 1 to %d characters", i+1, MaxExampleRunes)
		}
	}
	return nil
}

// Validate reports a collection that cannot be created.
func (c Collection) Validate() error {
	if err := ValidateID(c.ID); err != nil {
		return err
	}
	if err := c.Metadata.Validate(); err != nil {
		return fmt.Errorf("collection %s: %w", c.ID, err)
	}
	if c.Embedder.Kind == "" || c.Embedder.Dim <= 0 {
		return fmt.Errorf("collection %s: embedder %s has no kind or dimension", c.ID, c.Embedder)
	}
	if err := c.Chunker.Validate(); err != nil {
		return fmt.Errorf("collection %s: %w", c.ID, err)
	}
	return nil
}

func runeLen(s string) int { return len([]rune(s)) }

// Entry is one document ready for the index: the output of the ingest
// pipeline and the input of Writer.Put.
type Entry struct {
	// Doc is the cleaned document, text included.
	Doc corpus.Document
	// Header is the folded title and authors of the document, which the
	// relevance signal reads for every passage of it.
	Header string
	// Origin says how the document came in: "" for an upload, or the
	// name of the bulk source that synchronises it (ingest.OriginCorpus
	// for the configured corpus folder), which deletes only its own.
	Origin string
	// Chunks are the document's chunks in order (Ordinal 0, 1, …).
	Chunks []EntryChunk
}

// EntryChunk is a chunk with what the engines index it by.
type EntryChunk struct {
	chunk.Chunk
	// Terms are the chunk's index terms from package analysis, repeated as
	// often as they occur; the lexical leg scores exactly these.
	Terms []string
	// Vector is the chunk's embedding, unit length, from the collection's
	// embedder.
	Vector []float32
}

// Validate reports an entry an engine must refuse: one whose chunks do not
// belong to its document, are out of order, fall outside its text, or
// whose vectors are not dim long.
func (e *Entry) Validate(dim int) error {
	if e.Doc.ID == "" {
		return fmt.Errorf("entry without a document id")
	}
	n := runeLen(e.Doc.Text)
	for i, c := range e.Chunks {
		switch {
		case c.DocID != e.Doc.ID:
			return fmt.Errorf("document %s: chunk %s belongs to %q", e.Doc.ID, c.ID, c.DocID)
		case c.Ordinal != i:
			return fmt.Errorf("document %s: chunk %s has ordinal %d at position %d", e.Doc.ID, c.ID, c.Ordinal, i)
		case c.ID != ChunkID(e.Doc.ID, i):
			return fmt.Errorf("document %s: chunk id %q, want %q", e.Doc.ID, c.ID, ChunkID(e.Doc.ID, i))
		case c.Start < 0 || c.Start > c.End || c.End > n:
			return fmt.Errorf("document %s: chunk %s spans [%d, %d) of a %d-character text", e.Doc.ID, c.ID, c.Start, c.End, n)
		case len(c.Vector) != dim:
			return fmt.Errorf("document %s: chunk %s has a %d-dimensional vector, the collection's embedder makes %d", e.Doc.ID, c.ID, len(c.Vector), dim)
		}
	}
	return nil
}

// ChunkID is the id of a document's chunk with the given ordinal.
func ChunkID(docID string, ordinal int) string { return fmt.Sprintf("%s:%d", docID, ordinal) }

// DocInfo is a stored document without its text.
type DocInfo struct {
	corpus.Document // Text is empty
	// Header and Origin are the Entry's, as it was put.
	Header string `json:"-"`
	Origin string `json:"origin,omitempty"`
	// Chars is the length of the text in runes, the unit of every offset.
	Chars  int       `json:"chars"`
	Chunks int       `json:"chunks"`
	Added  time.Time `json:"added"`
}

// Page selects part of a listing: Limit items after skipping Offset;
// Limit 0 means all.
type Page struct {
	Offset int
	Limit  int
}

// DocPage is one page of a collection's documents and how many it holds.
type DocPage struct {
	Documents []DocInfo `json:"documents"`
	Total     int       `json:"total"`
}

// Hit is a chunk found by one leg of a search, with its score in that leg.
type Hit struct {
	Chunk chunk.Chunk
	Score float64
}

// TermStats are collection-wide statistics over chunks for BM25 and the
// relevance signal.
type TermStats struct {
	Chunks   int            // chunks in the collection
	AvgTerms float64        // mean number of index terms per chunk
	DF       map[string]int // chunks holding each asked term (absent: none)
}

// Filter narrows a search to some documents or a date range. Dates compare
// as strings, so "2025", "2025-10" and "2025-10-31" all work as bounds, and
// "2025-10" as an upper bound admits any day of October; a document
// without a date passes only when no range is set.
type Filter struct {
	DocIDs []string `json:"doc_ids,omitempty"`
	From   string   `json:"from,omitempty"`
	To     string   `json:"to,omitempty"`
}

// IsZero reports a filter that admits everything.
func (f Filter) IsZero() bool { return len(f.DocIDs) == 0 && f.From == "" && f.To == "" }

// Admits reports whether the filter lets through a document with the given
// id and date. Both engines filter by these rules.
func (f Filter) Admits(id, date string) bool {
	if len(f.DocIDs) > 0 {
		found := false
		for _, d := range f.DocIDs {
			if d == id {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if f.From != "" && (date == "" || date < f.From) {
		return false
	}
	if f.To != "" && (date == "" || date > f.To && !strings.HasPrefix(date, f.To)) {
		return false
	}
	return true
}
