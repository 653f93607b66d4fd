// Package embedded is wenda's default engine, in the process and on one
// machine: each collection is a folder with a document log (the durable
// record of every document, its text, chunk spans and vectors), bleve
// postings scored with BM25 and updated in place, and a chromem-go
// collection in memory that answers every vector query.
//
// A Put is committed when its log record is fsynced; bleve and chromem-go
// hold versioned chunk ids, and a search shows only the versions the
// catalogue names, so a document changes for readers in one step and a
// crash at any point leaves, after the next open, each document wholly in
// or wholly out. Queries never wait for writers beyond that step.
package embedded
