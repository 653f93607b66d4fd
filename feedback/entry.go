package feedback

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// The ratings a reader can give.
const (
	Up   = "up"
	Down = "down"
)

// Limits of one entry. They bound what one request can make the server
// store; an answer and its citations fit well inside them.
const (
	MaxNoteRunes     = 2000
	MaxQuestionRunes = 2000
	MaxAnswerRunes   = 20000
	MaxHistoryTurns  = 20
	MaxCitations     = 50
	MaxEvidence      = 20 // spans per citation
	MaxIDRunes       = 200
)

// Entry is one piece of feedback on one answer.
type Entry struct {
	ID         string    `json:"id"`
	Time       time.Time `json:"time"`
	Collection string    `json:"collection,omitempty"`
	Rating     string    `json:"rating"`
	Note       string    `json:"note,omitempty"`

	// What was asked: the question, the earlier questions of its
	// conversation (oldest first), and the standalone question a follow-up
	// was rewritten into, if any.
	Question   string   `json:"question"`
	History    []string `json:"history,omitempty"`
	Standalone string   `json:"standalone,omitempty"`
	Language   string   `json:"language,omitempty"`

	// What wenda answered.
	Answer      string     `json:"answer"`
	Answerable  bool       `json:"answerable"`
	ReasonCode  string     `json:"reason_code,omitempty"`
	Answerer    string     `json:"answerer,omitempty"`
	Model       string     `json:"model,omitempty"`
	ShortAnswer string     `json:"short_answer,omitempty"`
	Citations   []Citation `json:"citations,omitempty"`
}

// Citation is what one [n] of the rated answer pointed at.
type Citation struct {
	N       int    `json:"n"`
	DocID   string `json:"doc_id"`
	ChunkID string `json:"chunk_id,omitempty"`
	Title   string `json:"title,omitempty"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	// Evidence are the sentences the claim rested on, as rune offsets in
	// the document, with their text as the document had it when the
	// feedback was given.
	Evidence []Evidence `json:"evidence,omitempty"`
}

// Evidence is one evidence span of a citation.
type Evidence struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text,omitempty"`
}

// ErrInvalid is wrapped by the errors of Validate.
var ErrInvalid = errors.New("invalid feedback")

// Validate checks the fields a reader sends; its errors say what is wrong
// in words a client can show.
func (e *Entry) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
	}
	switch {
	case e.Rating != Up && e.Rating != Down:
		return bad("rating is %q; it must be %q or %q", e.Rating, Up, Down)
	case e.Question == "":
		return bad("question is empty")
	case utf8.RuneCountInString(e.Question) > MaxQuestionRunes:
		return bad("question is longer than %d characters", MaxQuestionRunes)
	case utf8.RuneCountInString(e.Note) > MaxNoteRunes:
		return bad("note is longer than %d characters", MaxNoteRunes)
	case utf8.RuneCountInString(e.Answer) > MaxAnswerRunes:
		return bad("answer is longer than %d characters", MaxAnswerRunes)
	case utf8.RuneCountInString(e.Standalone) > MaxQuestionRunes:
		return bad("standalone is longer than %d characters", MaxQuestionRunes)
	case utf8.RuneCountInString(e.ShortAnswer) > MaxQuestionRunes:
		return bad("short_answer is longer than %d characters", MaxQuestionRunes)
	case len(e.History) > MaxHistoryTurns:
		return bad("history has %d turns; at most %d", len(e.History), MaxHistoryTurns)
	case len(e.Citations) > MaxCitations:
		return bad("%d citations; at most %d", len(e.Citations), MaxCitations)
	}
	for i, h := range e.History {
		if utf8.RuneCountInString(h) > MaxQuestionRunes {
			return bad("history turn %d is longer than %d characters", i+1, MaxQuestionRunes)
		}
	}
	for _, s := range []string{e.Collection, e.Language, e.ReasonCode, e.Answerer, e.Model} {
		if utf8.RuneCountInString(s) > MaxIDRunes {
			return bad("a name field is longer than %d characters", MaxIDRunes)
		}
	}
	for _, c := range e.Citations {
		if utf8.RuneCountInString(c.DocID)+utf8.RuneCountInString(c.ChunkID)+utf8.RuneCountInString(c.Title) > 3*MaxIDRunes {
			return bad("citation %d: doc_id, chunk_id or title is too long", c.N)
		}
		if c.Start < 0 || c.End < c.Start {
			return bad("citation %d: start and end must satisfy 0 <= start <= end", c.N)
		}
		if len(c.Evidence) > MaxEvidence {
			return bad("citation %d has %d evidence spans; at most %d", c.N, len(c.Evidence), MaxEvidence)
		}
		for _, ev := range c.Evidence {
			if ev.Start < 0 || ev.End < ev.Start {
				return bad("citation %d: an evidence span must satisfy 0 <= start <= end", c.N)
			}
		}
	}
	return nil
}
