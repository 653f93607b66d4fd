// Package ingest puts documents into an index: it cuts a cleaned document
// into chunks with the collection's chunker, folds each chunk behind the
// document's title and authors and analyses it into index terms, embeds it
// with the collection's embedder, and hands the result to the engine as
// one atomic Put. Indexer.Put does it for one document (an upload);
// Indexer.Sync makes a collection hold exactly a stream of documents (the
// bulk `wenda ingest`), re-embedding only what changed, with memory bounded
// by its batches whatever the corpus size.
package ingest
