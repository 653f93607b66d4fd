package weaviate

import (
	"errors"
	"time"

	"wenda/chunk"
	"wenda/corpus"
	"wenda/embed"
	"wenda/index"
)

// TEMPORARY: the engine contract as announced for package index; replaced
// by wenda/index when it lands.

var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
)

type Metadata struct {
	Title       string   `json:"title,omitempty"`
	Description string   `json:"description,omitempty"`
	Language    string   `json:"language,omitempty"`
	Examples    []string `json:"examples,omitempty"`
}

type Collection struct {
	ID       string       `json:"id"`
	Metadata Metadata     `json:"metadata"`
	Embedder embed.Spec   `json:"embedder"`
	Chunker  chunk.Config `json:"chunker"`
	Created  time.Time    `json:"created"`
}

type CollectionInfo struct {
	Collection
	Documents int `json:"documents"`
	Chunks    int `json:"chunks"`
}

type EntryChunk struct {
	chunk.Chunk
	Terms  []string
	Vector []float32
}

type Entry struct {
	Doc    corpus.Document
	Header string
	Chunks []EntryChunk
}

type Hit struct {
	Chunk chunk.Chunk
	Score float64
}

type TermStats struct {
	Chunks   int
	AvgTerms float64
	DF       map[string]int
}

type Filter = index.Filter

type Page struct {
	After string
	Limit int
}

type DocInfo struct {
	ID      string
	Title   string
	Authors []string
	Source  string
	Date    string
	Header  string
	Chunks  int
}

type DocPage struct {
	Docs []DocInfo
	Next string
}
