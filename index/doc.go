// Package index is the contract between wenda and the engines that store
// its collections: the embedded engine (chromem-go for vectors, bleve for
// BM25 postings, in package index/embedded) and Weaviate (index/weaviate).
//
// An engine holds collections. A collection is a named set of documents
// with its own metadata and the embedder and chunker its vectors were made
// with, fixed when it is created. A document enters a collection as an
// Entry: the cleaned document, its folded header, and its chunks, each with
// the index terms the one analyzer made of it and its vector. Put adds or
// replaces a document atomically — every chunk of it becomes visible at
// once, or none does — and Delete removes it the same way.
//
// Engines answer only the legs of a search: Lexical (BM25 over the index
// terms) and Vector (nearest chunk vectors), each with a Filter, plus the
// term statistics the relevance signal needs. Fusion of the two legs,
// merging of overlapping chunks into passages, MMR, reranking and the
// relevance signal live once above the engines, in package retrieval, so
// that both engines rank and refuse the same way.
//
// Every method takes a context and returns an error: with a remote engine
// each one is a network call. Conditions callers branch on are ErrNotFound
// and ErrExists, wrapped with what was not found.
//
// The package indextest runs the same behavioural tests on any Engine.
package index
