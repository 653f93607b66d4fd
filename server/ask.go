package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"wenda/answer"
	"wenda/retrieval"
)

// askRequest is the body of POST /v1/ask.
type askRequest struct {
	Question string `json:"question"`
	// History holds earlier questions of the conversation, oldest first.
	History []string `json:"history,omitempty"`
	K       *int     `json:"k,omitempty"`
	Mode    string   `json:"mode,omitempty"`
	Filters *filters `json:"filters,omitempty"`
	// MMR spreads the passages across articles.
	MMR bool `json:"mmr,omitempty"`
	// Stream selects Server-Sent Events, as does Accept: text/event-stream.
	Stream bool `json:"stream,omitempty"`
	// Collection is the collection to answer from; default "default".
	Collection string `json:"collection,omitempty"`
}

// The data of each event of a streamed answer. The done event carries the
// answer.Answer that a non-streamed request returns; error carries the
// errorResponse every failure has.
type (
	retrievalEvent struct {
		Passages []retrieval.Passage `json:"passages"`
		// Language is the answer's: zh-Hans, zh-Hant or en (Answer.Language).
		Language string `json:"language,omitempty"`
	}
	// deltaEvent is a piece of verified answer text, with the citations
	// it is the first to use, so its markers can be opened at once.
	deltaEvent struct {
		Text      string            `json:"text"`
		Citations []answer.Citation `json:"citations,omitempty"`
	}
	citationsEvent struct {
		Citations []answer.Citation `json:"citations"`
	}
)

// ask answers POST /v1/ask with the answer.Answer, or streams it.
func (s *Server) ask(c *gin.Context) {
	var body askRequest
	if err := decodeJSON(c.Request, &body, true); err != nil {
		s.abort(c, err)
		return
	}
	b := backendOf(c)
	info, err := s.readCollection(c, b, body.Collection)
	if err != nil {
		s.abort(c, err)
		return
	}
	req, err := answerRequest(c.Request.Context(), b.Library, info.ID, body.Question, body.History, body.K, body.Mode, body.Filters)
	if err != nil {
		s.abort(c, err)
		return
	}
	req.MMR = body.MMR
	req.Topic = topicOf(info)
	if body.Stream || acceptsEventStream(c) {
		s.askStream(c, b, req)
		return
	}
	a, err := b.Asker.Ask(c.Request.Context(), req)
	if err != nil {
		s.abort(c, err)
		return
	}
	s.answered(c, a)
	c.JSON(http.StatusOK, a)
}

func acceptsEventStream(c *gin.Context) bool {
	return strings.Contains(c.GetHeader("Accept"), "text/event-stream")
}

// askStream sends the answer as it is made: retrieval, delta…, citations,
// then done or error.
func (s *Server) askStream(c *gin.Context, b *Backend, req answer.Request) {
	out := newSSE(c.Writer)
	sentDone := false
	a, err := b.Asker.AskStream(c.Request.Context(), req, func(ev answer.Event) error {
		switch ev.Type {
		case answer.EventRetrieval:
			return out.send(string(ev.Type), retrievalEvent{Passages: nonNil(ev.Passages), Language: ev.Language})
		case answer.EventDelta:
			return out.send(string(ev.Type), deltaEvent{Text: ev.Delta, Citations: ev.Citations})
		case answer.EventCitations:
			return out.send(string(ev.Type), citationsEvent{Citations: nonNil(ev.Citations)})
		case answer.EventDone:
			if ev.Answer != nil {
				sentDone = true
				return out.send(string(ev.Type), ev.Answer)
			}
		}
		// An error event comes with the error AskStream returns, which is
		// reported below in the one error shape.
		return nil
	})
	if err != nil {
		s.streamFailed(c, out, string(answer.EventError), err)
		return
	}
	s.answered(c, a)
	if !sentDone {
		_ = out.send(string(answer.EventDone), a)
	}
}

// streamFailed reports err as a JSON error when nothing has been streamed
// yet, and as an event of the given name after that.
func (s *Server) streamFailed(c *gin.Context, out *sseWriter, event string, err error) {
	if !out.started {
		s.abort(c, err)
		return
	}
	if ae := s.failure(c, err); ae.Status != statusClientClosed {
		_ = out.send(event, ae.response())
	}
	c.Abort()
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// answered records a delivered answer in the metrics, and in the log when
// the LLM failed and the extractive answer stood in for it: the client
// sees a 200, so the log is where an operator learns of the failure.
func (s *Server) answered(c *gin.Context, a answer.Answer) {
	s.metrics.observeAnswer(a)
	if a.Degraded != "" {
		s.logger(c).Warn("retrieval degraded", "reason", a.Degraded)
	}
	if a.Fallback {
		s.logger(c).Warn("llm failed; answered extractively", "reason", a.FallbackReason)
	}
}
