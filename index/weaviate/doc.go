// Package weaviate keeps wenda's collections in a Weaviate cluster, for
// when one machine is not enough: the same engine contract as the embedded
// engine, answered by a distributed, replicated store.
//
// A wenda collection is two Weaviate collections: its chunks (vector,
// index terms, text, offsets) and its documents (metadata and full text).
// A catalog collection holds every collection's settings, so a wenda
// process keeps no state of its own and any number of them may serve the
// same cluster.
//
// Chinese BM25 works the way it does in the embedded engine: each chunk
// stores wenda's own folded index terms (CJK bigrams, numbers and Latin
// words, from package analysis) in a property with whitespace
// tokenization, and a query searches it with the same terms. Weaviate's own
// tokenizers would make a whole run of Han characters one token, or find
// nothing for a two-character word, and know nothing of Traditional and
// Simplified script.
//
// Every read and write runs at one consistency level (QUORUM by default),
// and a collection is created with a replication factor (min(3, nodes) by
// default), so a three-node cluster answers and accepts writes with any one
// node down.
package weaviate
