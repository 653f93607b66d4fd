// Package analysis is the one home of text analysis in wenda: where a
// sentence ends, what an index term is, which terms of a question carry
// content, how numbers are written so that "4,000年" and "4000年" compare
// equal, and how BM25 scores a term.
//
// The cleaner (package corpus), the chunker and the retriever (retrieval),
// the verifier and the extractive reader (answer) and the evaluation (eval)
// all call it, so that they cannot disagree about a sentence end or a term:
// before it, four sentence splitters disagreed on 「；」 and 「〕」, and the
// BM25 formula was written twice. Lucene and bleve keep analysis in one
// analyzer chain for the same reason.
//
// Everything here works on text as written and on its folded form
// (hanzi.Fold: NFKC, Traditional→Simplified, lower case); functions that
// take folded text say so in their names or documentation. Fold aligns the
// folded form rune by rune with the original, so that a span found in
// folded text can be shown, and cited, in the article's own words.
package analysis
