package bench

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"strings"
	"unicode/utf8"

	"wenda/analysis"
	"wenda/chunk"
	"wenda/corpus"
	"wenda/hanzi"
)

// Seed is the seed of the synthetic corpora the benchmarks use; the same
// seed gives the same documents on every machine.
const Seed = 20251030

// Source is the pool of real sentences that synthetic documents are made
// of, each with the script of the article it came from.
type Source struct {
	sents   []string
	scripts []hanzi.Script
}

// NewSource takes the sentences of docs, in corpus order.
func NewSource(docs []corpus.Document) (*Source, error) {
	s := &Source{}
	for _, d := range docs {
		for _, sent := range analysis.SplitSentences(d.Text) {
			s.sents = append(s.sents, sent)
			s.scripts = append(s.scripts, d.Script)
		}
	}
	if len(s.sents) == 0 {
		return nil, errors.New("synthetic corpus: no sentences in the source documents")
	}
	return s, nil
}

// SeedSource is the Source made of the articles shipped in the binary.
func SeedSource() (*Source, error) {
	docs, err := SeedDocuments()
	if err != nil {
		return nil, err
	}
	return NewSource(docs)
}

// SeedDocuments loads the shipped articles the way ingest does.
func SeedDocuments() ([]corpus.Document, error) {
	res, err := corpus.Load(corpus.Embedded(), corpus.Options{})
	if err != nil {
		return nil, fmt.Errorf("load seed corpus: %w", err)
	}
	return res.Documents, nil
}

// Sentences is the number of sentences in the pool.
func (s *Source) Sentences() int { return len(s.sents) }

// Shape bounds the documents Synthesize makes. The defaults give documents
// of a few thousand characters, like the shipped articles.
type Shape struct {
	MinParagraphs, MaxParagraphs int // per document
	MinSentences, MaxSentences   int // per paragraph
	ParagraphsPerSection         int // a heading opens every this many paragraphs
}

// DefaultShape is the shape the benchmarks use.
var DefaultShape = Shape{MinParagraphs: 6, MaxParagraphs: 24, MinSentences: 1, MaxSentences: 5, ParagraphsPerSection: 5}

// Synthesize returns documents whose chunks under ch number at least
// chunks (a few more, since the last document is kept whole). Paragraphs
// are runs of sentences drawn at random from the pool; a heading made of
// the start of a sentence opens each section. Everything is decided by
// seed.
func (s *Source) Synthesize(chunks int, ch chunk.Config, shape Shape, seed uint64) []corpus.Document {
	var docs []corpus.Document
	for d := range s.Stream(chunks, ch, shape, seed) {
		docs = append(docs, d)
	}
	return docs
}

// Stream yields the documents Synthesize returns, one at a time, making
// each when it is asked for: a corpus of a million chunks never sits in
// memory whole.
func (s *Source) Stream(chunks int, ch chunk.Config, shape Shape, seed uint64) iter.Seq2[corpus.Document, error] {
	return func(yield func(corpus.Document, error) bool) {
		rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		for i, total := 0, 0; total < chunks; i++ {
			d := s.document(rng, i, shape)
			total += len(ch.Split(&d))
			if !yield(d, nil) {
				return
			}
		}
	}
}

func (s *Source) document(rng *rand.Rand, i int, shape Shape) corpus.Document {
	var (
		b        strings.Builder
		runes    int
		sections []corpus.Section
		votes    = map[hanzi.Script]int{}
	)
	paragraph := func(p string) {
		if b.Len() > 0 {
			b.WriteString("\n\n")
			runes += 2
		}
		b.WriteString(p)
		runes += utf8.RuneCountInString(p)
	}
	paras := between(rng, shape.MinParagraphs, shape.MaxParagraphs)
	for p := 0; p < paras; p++ {
		if shape.ParagraphsPerSection > 0 && p%shape.ParagraphsPerSection == 0 {
			h := fmt.Sprintf("%s、%s", chineseNumeral(p/shape.ParagraphsPerSection+1), prefix(s.sents[rng.IntN(len(s.sents))], 12))
			start := runes
			if b.Len() > 0 {
				start += 2 // the paragraph break before the heading
			}
			sections = append(sections, corpus.Section{Heading: h, Start: start})
			paragraph(h)
		}
		var para strings.Builder
		for n := between(rng, shape.MinSentences, shape.MaxSentences); n > 0; n-- {
			k := rng.IntN(len(s.sents))
			para.WriteString(s.sents[k])
			votes[s.scripts[k]]++
		}
		paragraph(para.String())
	}
	text := b.String()
	sum := sha256.Sum256([]byte(text))
	id := fmt.Sprintf("synth-%06d", i)
	script, best := hanzi.Unknown, 0
	for _, sc := range []hanzi.Script{hanzi.Simplified, hanzi.Traditional, hanzi.Unknown} {
		if votes[sc] > best {
			script, best = sc, votes[sc]
		}
	}
	return corpus.Document{
		ID:       id,
		Title:    prefix(s.sents[rng.IntN(len(s.sents))], 30),
		Source:   "synthetic",
		Date:     fmt.Sprintf("%04d-%02d-%02d", 2024+rng.IntN(3), 1+rng.IntN(12), 1+rng.IntN(28)),
		Script:   script,
		Format:   corpus.FormatPlain,
		Path:     id + ".txt",
		Hash:     hex.EncodeToString(sum[:]),
		Text:     text,
		Sections: sections,
	}
}

// TextBytes is the size of the documents' text in bytes, the figure MB/s
// of ingest is reckoned from.
func TextBytes(docs []corpus.Document) int64 {
	var n int64
	for _, d := range docs {
		n += int64(len(d.Text))
	}
	return n
}

func between(rng *rand.Rand, lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + rng.IntN(hi-lo+1)
}

// prefix is the first n runes of s without trailing punctuation.
func prefix(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return strings.TrimRight(string(r), "，。！？；、：,.!?;: ")
}

func chineseNumeral(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	if n <= 10 {
		return digits[n]
	}
	return fmt.Sprint(n)
}

// Corpus returns the seed corpus for chunks == 0 and otherwise a synthetic
// corpus of at least that many chunks under ch, made with Seed.
func Corpus(chunks int, ch chunk.Config) ([]corpus.Document, error) {
	if chunks == 0 {
		return SeedDocuments()
	}
	src, err := SeedSource()
	if err != nil {
		return nil, err
	}
	return src.Synthesize(chunks, ch, DefaultShape, Seed), nil
}

// CorpusStream is Corpus as a stream.
func CorpusStream(chunks int, ch chunk.Config) (iter.Seq2[corpus.Document, error], error) {
	if chunks == 0 {
		docs, err := SeedDocuments()
		if err != nil {
			return nil, err
		}
		return func(yield func(corpus.Document, error) bool) {
			for _, d := range docs {
				if !yield(d, nil) {
					return
				}
			}
		}, nil
	}
	src, err := SeedSource()
	if err != nil {
		return nil, err
	}
	return src.Stream(chunks, ch, DefaultShape, Seed), nil
}

// Shapes of the documents a user uploads: a page is about 600
// characters, so TenPages is a 10-page report and SmallFile a note of a
// few hundred characters.
var (
	TenPages  = Shape{MinParagraphs: 30, MaxParagraphs: 30, MinSentences: 2, MaxSentences: 4, ParagraphsPerSection: 6}
	SmallFile = Shape{MinParagraphs: 2, MaxParagraphs: 4, MinSentences: 1, MaxSentences: 3}
)

// Documents returns n documents of the given shape whose ids start with
// prefix, decided by seed.
func (s *Source) Documents(n int, shape Shape, seed uint64, prefix string) []corpus.Document {
	rng := rand.New(rand.NewPCG(seed, seed^0x51ed2701))
	out := make([]corpus.Document, n)
	for i := range out {
		d := s.document(rng, i, shape)
		d.ID = fmt.Sprintf("%s-%06d", prefix, i)
		d.Path = d.ID + ".txt"
		out[i] = d
	}
	return out
}
