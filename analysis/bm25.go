package analysis

import "math"

// BM25 parameters, the defaults bleve scores its index with; the
// relevance signal and the reader score passages and sentences with the
// same formula.
const (
	BM25K1 = 1.2
	BM25B  = 0.75
)

// IDF is the BM25 inverse document frequency of a term found in df of n
// documents (or chunks, or sentences); an unseen term gets the highest
// value.
func IDF(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// BM25 is one term's contribution to the BM25 score of a text: idf, the
// term's count tf in the text, the text's length in terms and the average
// length of the texts scored.
func BM25(idf, tf, length, avgLength float64) float64 {
	if tf <= 0 {
		return 0
	}
	if avgLength <= 0 {
		avgLength = 1
	}
	return idf * tf * (BM25K1 + 1) / (tf + BM25K1*(1-BM25B+BM25B*length/avgLength))
}
