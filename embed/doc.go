// Package embed turns texts into unit-length vectors: Hash, the built-in
// offline embedder (feature-hashed index terms and characters, no model
// and no network), and OpenAI, which calls the /embeddings endpoint of any
// OpenAI-compatible service. A Spec names the vectors an embedder makes;
// an index records it and never mixes vectors of two specs.
package embed
