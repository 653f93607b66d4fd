// Package feedback keeps what readers said about answers: a thumbs up or
// down with an optional note, the question, the answer and what it cited.
// Entries are appended to a JSON Lines file, each synced to disk before it
// is acknowledged, so that the evaluation can later turn them into
// questions.
package feedback
