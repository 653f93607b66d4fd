// Package retrieval turns a question into passages: it runs the lexical
// (BM25) and vector legs of an index engine over a collection, fuses them
// (min-max weighted or reciprocal-rank), merges overlapping chunks into
// passages that never overlap, optionally diversifies (MMR) and reranks
// them, and measures how relevant they are, for refusal. All of this sits
// above the engine (package index), so that the embedded engine and
// Weaviate rank and refuse alike.
//
// Query text is folded (NFKC, Traditional→Simplified, lower case) before
// it is analysed; what users see — passage text, citation quotes — stays
// in the original script.
package retrieval
