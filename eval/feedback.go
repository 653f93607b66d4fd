package eval

import (
	"slices"
	"strings"

	"wenda/feedback"
)

// Tags FromFeedback puts on the questions it makes.
const (
	TagFeedback    = "feedback"
	TagNeedsReview = "needs-review"
)

// FeedbackQuestion is a question made from a reader's feedback, with what
// a reviewer needs beside it. It is written as one line of a question set;
// LoadQuestions ignores the extra fields.
type FeedbackQuestion struct {
	Question
	// Rating, Note and History are the reader's; Answer is what wenda said.
	Rating  string   `json:"rating"`
	Note    string   `json:"note,omitempty"`
	History []string `json:"history,omitempty"`
	Answer  string   `json:"wenda_answer"`
}

// FromFeedback turns feedback into questions. A thumbs-up confirms the
// answer: an answered question becomes an answerable one whose evidence is
// what the answer's citations rested on (and whose expected fact is the
// short answer, when there was one); a confirmed refusal becomes an
// unanswerable question. These run as they are.
//
// A thumbs-down says wenda was wrong without saying what is right, so its
// question is a draft tagged needs-review with the reader's note: a wrong
// answer becomes an unanswerable question (flip it and add evidence if the
// documents do answer it), a wrong refusal becomes an answerable one with
// no evidence, which LoadQuestions rejects until a reviewer adds some. A
// follow-up becomes its standalone rewrite when the answer had one, and a
// draft otherwise, since it may not make sense without its conversation.
func FromFeedback(entries []feedback.Entry) []FeedbackQuestion {
	out := make([]FeedbackQuestion, 0, len(entries))
	for _, e := range entries {
		q := FeedbackQuestion{
			Question: Question{ID: "fb-" + e.ID, Question: e.Question, Tags: []string{TagFeedback, TagFeedback + "-" + e.Rating}},
			Rating:   e.Rating, Note: e.Note, History: e.History, Answer: e.Answer,
		}
		review := e.Rating != feedback.Up
		if len(e.History) > 0 {
			if e.Standalone != "" {
				q.Question.Question = e.Standalone
			} else {
				review = true
			}
		}
		var docs []string
		for _, c := range e.Citations {
			if !slices.Contains(docs, c.DocID) {
				docs = append(docs, c.DocID)
			}
		}
		switch {
		case e.Rating == feedback.Up && e.Answerable:
			q.Answerable = true
			for _, c := range e.Citations {
				var g Group
				for _, ev := range c.Evidence {
					if t := strings.TrimSpace(ev.Text); Normalize(t) != "" && !slices.Contains(g, t) {
						g = append(g, t)
					}
				}
				if len(g) > 0 {
					q.Evidence = append(q.Evidence, g)
				}
			}
			if len(q.Evidence) == 0 {
				review = true
			}
			if s := strings.TrimSpace(e.ShortAnswer); Normalize(s) != "" {
				q.AnswerFacts = []Group{{s}}
			}
		case e.Rating == feedback.Up:
			q.Answerable = false
		case e.Answerable:
			q.Answerable = false
		default:
			q.Answerable = true
		}
		for _, d := range docs {
			q.Tags = append(q.Tags, "doc:"+d)
		}
		if e.Collection != "" {
			q.Tags = append(q.Tags, "collection:"+e.Collection)
		}
		if review {
			q.Tags = append(q.Tags, TagNeedsReview)
		}
		out = append(out, q)
	}
	return out
}
