// Package chunk cuts a cleaned document into chunks: spans of whole
// sentences, at most Config.MaxRunes long, each repeating the tail of the
// previous one so that a claim spanning two chunks is found whole in one.
// Chunks never cross a section heading. Offsets are runes of the
// document's text, the unit every later stage (index, passages, citations)
// reports.
package chunk
