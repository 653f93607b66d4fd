package embed

import (
	"context"
	"fmt"
	"math"
	"unicode/utf8"

	"wenda/analysis"
	"wenda/hanzi"
)

// TermEmbedder is an Embedder that can embed a text from the index terms
// the pipeline already made of it; Hash is one.
type TermEmbedder interface {
	EmbedTerms(folded string, terms []string) []float32
}

var _ TermEmbedder = (*Hash)(nil)

// Embedder turns texts into L2-normalised vectors. Implementations must be
// safe for concurrent use and return one vector per input, in order.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	// Spec identifies the vectors the embedder makes; the index refuses to
	// mix vectors from two different specs.
	Spec() Spec
}

// Spec names an embedding model and the size of its vectors.
type Spec struct {
	Kind  string `json:"kind"` // "hash" or "openai"
	Model string `json:"model"`
	Dim   int    `json:"dim"`
}

func (s Spec) String() string {
	return fmt.Sprintf("%s:%s/%d", s.Kind, s.Model, s.Dim)
}

// Hash is the built-in offline embedder: a feature-hashed bag of the
// folded text's lexical terms (CJK bigrams, Latin words, numbers) plus
// single Han characters at a lower weight, with sublinear term frequency and
// a signed hash to cancel collisions on average. It needs no network and no
// model files, and it is deterministic: the same text always gives the same
// vector. Single characters let it match paraphrases that share characters
// but few bigrams, which is where it complements BM25.
type Hash struct {
	Dim int
}

// DefaultHashDim is the Hash dimension unless configured.
const DefaultHashDim = 1024

// NewHash returns an offline embedder of the given dimension.
func NewHash(dim int) (*Hash, error) {
	if dim < 16 || dim > 1<<16 {
		return nil, fmt.Errorf("hash embedder dimension %d out of range [16, 65536]", dim)
	}
	return &Hash{Dim: dim}, nil
}

var _ Embedder = (*Hash)(nil)

// The spec of the hash embedder's vectors; hashModel changes whenever
// its features do, so that old vectors are never mixed with new ones.
const (
	hashKind  = "hash"
	hashModel = "terms+han-v1"
)

// Spec reports kind "hash".
func (h *Hash) Spec() Spec {
	return Spec{Kind: hashKind, Model: hashModel, Dim: h.Dim}
}

// Embed hashes each text; it never fails unless ctx is done.
func (h *Hash) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		out[i] = h.vector(hanzi.Fold(t))
	}
	return out, nil
}

// Weights of the two feature families.
const (
	termWeight = 1.0
	charWeight = 0.35
)

func (h *Hash) vector(folded string) []float32 {
	return h.EmbedTerms(folded, analysis.FoldedTerms(folded))
}

// EmbedTerms is the vector of a text already folded (hanzi.Fold) and
// analysed into its index terms (analysis.FoldedTerms), which the ingest
// pipeline has in hand: the text is not analysed a second time. It equals
// what Embed gives for the text.
func (h *Hash) EmbedTerms(folded string, terms []string) []float32 {
	// Features are keyed by their 64-bit FNV-1a hash, which is all the
	// vector uses of them.
	counts := make(map[uint64]float64, len(terms)+len(folded)/3)
	for _, t := range terms {
		counts[fnv1a(fnvOffset, t)] += termWeight
	}
	var buf [utf8.UTFMax]byte
	for _, r := range folded {
		if hanzi.IsHan(r) {
			n := utf8.EncodeRune(buf[:], r)
			counts[fnv1aBytes(fnv1aByte(fnvOffset, 0), buf[:n])] += charWeight
		}
	}
	v := make([]float32, h.Dim)
	for x, c := range counts {
		idx := int(x % uint64(h.Dim))
		w := 1 + math.Log(c)
		if c < 1 {
			w = c
		}
		if x>>63 == 1 {
			w = -w
		}
		v[idx] += float32(w)
	}
	normalize(v)
	return v
}

// FNV-1a, 64 bits, as hash/fnv computes it, without its allocations.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnv1a(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

func fnv1aBytes(h uint64, b []byte) uint64 {
	for _, c := range b {
		h = (h ^ uint64(c)) * fnvPrime
	}
	return h
}

func fnv1aByte(h uint64, c byte) uint64 { return (h ^ uint64(c)) * fnvPrime }

// normalize scales v to unit length in place; a zero vector stays zero.
func normalize(v []float32) {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= inv
	}
}
