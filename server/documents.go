package server

import (
	"errors"
	"net/http"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"wenda/corpus"
	"wenda/hanzi"
	"wenda/index"
)

// documentSummary is an article without its text, as GET /v1/documents
// lists it.
type documentSummary struct {
	ID      string       `json:"id"`
	Title   string       `json:"title"`
	Authors []string     `json:"authors,omitempty"`
	Source  string       `json:"source,omitempty"`
	URL     string       `json:"url,omitempty"`
	Date    string       `json:"date,omitempty"`
	Script  hanzi.Script `json:"script"`
	// Chars is the length of the cleaned text in characters (runes), the
	// unit of every offset the API reports.
	Chars int `json:"chars"`
}

type documentsResponse struct {
	Documents []documentSummary `json:"documents"`
}

// documentResponse is one article with its cleaned text; citation offsets
// index its text in characters (runes), not bytes or UTF-16 units.
type documentResponse struct {
	documentSummary
	Format   corpus.Format    `json:"format"`
	Text     string           `json:"text"`
	Sections []corpus.Section `json:"sections"`
	Notes    []corpus.Note    `json:"notes"`
	// Pages says where each printed page begins in Text, for documents
	// that have pages (PDF, PPTX).
	Pages []corpus.Page `json:"pages,omitempty"`
}

// chunkResponse is the target of a citation: the passage, its place in the
// article, and enough of the article to name it.
type chunkResponse struct {
	ID      string `json:"id"`
	DocID   string `json:"doc_id"`
	Ordinal int    `json:"ordinal"`
	// Start and End are rune offsets [Start, End) into the document text.
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Heading string `json:"heading,omitempty"`
	Text    string `json:"text"`
	Title   string `json:"title"`
	Source  string `json:"source,omitempty"`
	URL     string `json:"url,omitempty"`
	Date    string `json:"date,omitempty"`
}

func summarize(d *corpus.Document, chars int) documentSummary {
	return documentSummary{
		ID: d.ID, Title: d.Title, Authors: d.Authors, Source: d.Source, URL: d.URL, Date: d.Date,
		Script: d.Script, Chars: chars,
	}
}

// documents answers GET /v1/documents with every article, without text.
func (s *Server) documents(c *gin.Context) {
	page, err := backendOf(c).Library.Documents(c.Request.Context(), index.DefaultCollection, index.Page{})
	if err != nil {
		s.abort(c, err)
		return
	}
	out := documentsResponse{Documents: make([]documentSummary, len(page.Documents))}
	for i := range page.Documents {
		out.Documents[i] = summarize(&page.Documents[i].Document, page.Documents[i].Chars)
	}
	c.JSON(http.StatusOK, out)
}

// document answers GET /v1/documents/:id with the article and its text.
func (s *Server) document(c *gin.Context) {
	id := c.Param("id")
	d, err := backendOf(c).Library.Document(c.Request.Context(), index.DefaultCollection, id)
	if errors.Is(err, index.ErrNotFound) {
		s.abort(c, notFound("document_not_found", "there is no document %q; GET /v1/documents lists them", id))
		return
	}
	if err != nil {
		s.abort(c, err)
		return
	}
	c.JSON(http.StatusOK, fullDocument(&d))
}

// fullDocument is a document with its text, as both document routes
// answer.
func fullDocument(d *corpus.Document) documentResponse {
	return documentResponse{
		documentSummary: summarize(d, utf8.RuneCountInString(d.Text)),
		Format:          d.Format,
		Text:            d.Text,
		Sections:        nonNil(d.Sections),
		Notes:           nonNil(d.Notes),
		Pages:           d.Pages,
	}
}

// chunk answers GET /v1/chunks/:id, the target of a citation's chunk_id.
func (s *Server) chunk(c *gin.Context) {
	id := c.Param("id")
	lib := backendOf(c).Library
	ctx := c.Request.Context()
	ch, err := lib.Chunk(ctx, index.DefaultCollection, id)
	if errors.Is(err, index.ErrNotFound) {
		s.abort(c, notFound("chunk_not_found", "there is no passage %q; passage ids look like <document id>:<number>", id))
		return
	}
	if err != nil {
		s.abort(c, err)
		return
	}
	out := chunkResponse{ID: ch.ID, DocID: ch.DocID, Ordinal: ch.Ordinal, Start: ch.Start, End: ch.End, Heading: ch.Heading, Text: ch.Text}
	infos, err := lib.DocInfos(ctx, index.DefaultCollection, []string{ch.DocID})
	if err != nil {
		s.abort(c, err)
		return
	}
	if d, ok := infos[ch.DocID]; ok {
		out.Title, out.Source, out.URL, out.Date = d.Title, d.Source, d.URL, d.Date
	}
	c.JSON(http.StatusOK, out)
}
