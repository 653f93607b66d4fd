// Package retrieval turns cleaned documents into searchable passages:
// normalisation across scripts, sentence-aware chunking, embedding (an
// offline hashed embedder or any OpenAI-compatible endpoint), a persisted
// index that holds vectors in chromem-go and BM25 postings in bleve, and
// queries in bm25, vector or hybrid mode with reciprocal-rank fusion, an
// optional reranker and a relevance signal for refusal.
//
// Index text is folded (NFKC, Traditional→Simplified, lower case); what
// users see — passage text, citation quotes — stays in the original script.
package retrieval
