package server

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"wenda/auth"
	"wenda/feedback"
)

// feedbackRequest is the body of POST /v1/feedback: a rating of one answer,
// with the answer as the reader saw it.
type feedbackRequest struct {
	Rating      string             `json:"rating"`
	Note        string             `json:"note,omitempty"`
	Collection  string             `json:"collection,omitempty"`
	Question    string             `json:"question"`
	History     []string           `json:"history,omitempty"`
	Standalone  string             `json:"standalone,omitempty"`
	Language    string             `json:"language,omitempty"`
	Answer      string             `json:"answer"`
	Answerable  bool               `json:"answerable"`
	ReasonCode  string             `json:"reason_code,omitempty"`
	Answerer    string             `json:"answerer,omitempty"`
	Model       string             `json:"model,omitempty"`
	ShortAnswer string             `json:"short_answer,omitempty"`
	Citations   []feedbackCitation `json:"citations,omitempty"`
}

// feedbackCitation is a citation as the answer gave it; the quote is not
// needed, since the server reads the evidence from the document itself.
type feedbackCitation struct {
	N        int    `json:"n"`
	DocID    string `json:"doc_id"`
	ChunkID  string `json:"chunk_id,omitempty"`
	Title    string `json:"title,omitempty"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Evidence []struct {
		Start int `json:"start"`
		End   int `json:"end"`
	} `json:"evidence,omitempty"`
}

type feedbackResponse struct {
	ID   string    `json:"id"`
	Time time.Time `json:"time"`
}

var (
	errFeedbackDisabled = &apiError{http.StatusServiceUnavailable, "feedback_disabled",
		"this server does not store feedback"}
	errFeedbackFull = &apiError{http.StatusInsufficientStorage, "feedback_full",
		"the server's feedback file is full; the operator must archive it before more feedback can be stored"}
)

// postFeedback stores a rating of an answer. The evidence of each citation
// is read from the document, so that the stored entry says what the
// answer rested on even if the document later changes.
func (s *Server) postFeedback(c *gin.Context) {
	if s.opts.Feedback == nil {
		s.abort(c, errFeedbackDisabled)
		return
	}
	var body feedbackRequest
	if err := decodeJSON(c.Request, &body, true); err != nil {
		s.abort(c, err)
		return
	}
	// Whoever may ask in a collection may rate its answers.
	coll := strings.TrimSpace(body.Collection)
	if coll == "" {
		coll = defaultCollection
	}
	if err := s.authorize(c, auth.Read, coll); err != nil {
		s.abort(c, err)
		return
	}
	e := feedback.Entry{
		Collection: strings.TrimSpace(body.Collection), Rating: body.Rating, Note: strings.TrimSpace(body.Note),
		Question: strings.TrimSpace(body.Question), History: body.History, Standalone: body.Standalone,
		Language: body.Language, Answer: body.Answer, Answerable: body.Answerable, ReasonCode: body.ReasonCode,
		Answerer: body.Answerer, Model: body.Model, ShortAnswer: body.ShortAnswer,
	}
	for _, bc := range body.Citations {
		fc := feedback.Citation{N: bc.N, DocID: bc.DocID, ChunkID: bc.ChunkID, Title: bc.Title, Start: bc.Start, End: bc.End}
		for _, ev := range bc.Evidence {
			fc.Evidence = append(fc.Evidence, feedback.Evidence{Start: ev.Start, End: ev.End})
		}
		e.Citations = append(e.Citations, fc)
	}
	if err := e.Validate(); err != nil {
		code := "invalid_feedback"
		if e.Rating != feedback.Up && e.Rating != feedback.Down {
			code = "invalid_rating"
		}
		s.abort(c, badRequest(code, "%s", strings.TrimPrefix(err.Error(), feedback.ErrInvalid.Error()+": ")))
		return
	}
	lib := backendOf(c).Library
	for i := range e.Citations {
		fc := &e.Citations[i]
		doc, err := lib.Document(c.Request.Context(), coll, fc.DocID)
		if err != nil {
			continue
		}
		for j := range fc.Evidence {
			fc.Evidence[j].Text = runeSlice(doc.Text, fc.Evidence[j].Start, fc.Evidence[j].End)
		}
	}
	stored, err := s.opts.Feedback.Add(e)
	switch {
	case errors.Is(err, feedback.ErrFull):
		s.abort(c, errFeedbackFull)
		return
	case err != nil:
		s.abort(c, err)
		return
	}
	s.logger(c).Info("feedback stored", "id", stored.ID, "rating", stored.Rating)
	c.JSON(http.StatusCreated, feedbackResponse{ID: stored.ID, Time: stored.Time})
}

type feedbackList struct {
	Feedback []feedback.Entry `json:"feedback"`
}

// listFeedback answers GET /v1/feedback with every stored entry, oldest
// first, or those of one ?collection= and ?rating=. Readers' questions
// are operator data: the route needs the admin key.
func (s *Server) listFeedback(c *gin.Context) {
	if s.opts.Feedback == nil {
		s.abort(c, errFeedbackDisabled)
		return
	}
	entries, err := s.opts.Feedback.List()
	if err != nil {
		s.abort(c, err)
		return
	}
	coll, rating := c.Query("collection"), c.Query("rating")
	out := make([]feedback.Entry, 0, len(entries))
	for _, e := range entries {
		if (coll == "" || e.Collection == coll || coll == defaultCollection && e.Collection == "") && (rating == "" || e.Rating == rating) {
			out = append(out, e)
		}
	}
	c.JSON(http.StatusOK, feedbackList{Feedback: out})
}

// runeSlice is s[start:end] in runes, without converting all of s; it is
// empty when the span lies outside s.
func runeSlice(s string, start, end int) string {
	if start < 0 || end <= start {
		return ""
	}
	i, from := 0, -1
	for b := range s {
		if i == start {
			from = b
		}
		if i == end {
			if from < 0 {
				return ""
			}
			return s[from:b]
		}
		i++
	}
	if i == end && from >= 0 {
		return s[from:]
	}
	return ""
}
