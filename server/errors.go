package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"wenda/answer"
	"wenda/endpoint"
	"wenda/retrieval"
)

// errorResponse is the one shape of every failure the API reports. It is
// also the shape OpenAI clients parse, so their SDKs surface the message.
type errorResponse struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// apiError is a failure as the client sees it: a status, a stable code to
// branch on and a message that says what to do.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func badRequest(code, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: code, Message: fmt.Sprintf(format, args...)}
}

func notFound(code, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusNotFound, Code: code, Message: fmt.Sprintf(format, args...)}
}

var (
	errNotReady = &apiError{http.StatusServiceUnavailable, "not_ready",
		"the article index is still loading; try again in a few seconds"}
	errInternal = &apiError{http.StatusInternalServerError, "internal",
		"internal error; the request id in the X-Request-ID header identifies it in the server log"}
)

// statusClientClosed is logged and counted for a request whose client left
// before the answer was ready; nothing reaches that client.
const statusClientClosed = 499

// toAPIError decides, in this one place, what status and words an error
// becomes. Internal error text never reaches the client.
func toAPIError(err error) *apiError {
	var (
		ae       *apiError
		tooLarge *http.MaxBytesError
		ee       *endpoint.Error
	)
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &tooLarge):
		return &apiError{http.StatusRequestEntityTooLarge, "body_too_large",
			fmt.Sprintf("the request body is larger than %d bytes", tooLarge.Limit)}
	case errors.Is(err, answer.ErrEmptyQuestion), errors.Is(err, retrieval.ErrEmptyQuery):
		return badRequest("empty_question", "the question is empty; send a question with some words in it")
	case errors.Is(err, answer.ErrHistoryTooLong):
		return badRequest("history_too_long", "the history has too many turns (at most %d) or a turn longer than %d characters", answer.MaxHistoryTurns, answer.MaxQuestionRunes)
	case errors.Is(err, answer.ErrQuestionTooLong):
		return badRequest("question_too_long", "the question is too long; the limit is %d characters", answer.MaxQuestionRunes)
	case errors.Is(err, retrieval.ErrUnknownMode):
		return badRequest("unknown_mode", "unknown mode; use bm25, vector or hybrid")
	case errors.As(err, &ee):
		return serviceError(ee)
	case errors.Is(err, context.DeadlineExceeded):
		return &apiError{http.StatusGatewayTimeout, "timeout",
			"the server's time limit for one request ran out before the answer was ready; try again later"}
	case errors.Is(err, context.Canceled):
		return &apiError{statusClientClosed, "canceled", "the request was canceled"}
	}
	return errInternal
}

// serviceError says which external service failed and how, in words a
// client can act on; the service's own error text stays in the log.
func serviceError(ee *endpoint.Error) *apiError {
	name, prefix := "the language model service", "llm"
	switch ee.Op {
	case "embeddings":
		name, prefix = "the embedding service", "embeddings"
	case "rerank":
		name, prefix = "the rerank service", "rerank"
	}
	switch {
	case errors.Is(ee, endpoint.ErrTimeout):
		what := "did not answer in time"
		if ee.Detail != "" {
			what = "timed out: " + ee.Detail
		}
		return &apiError{http.StatusGatewayTimeout, prefix + "_timeout", name + " " + what + "; try again later"}
	case errors.Is(ee, endpoint.ErrRejected):
		return &apiError{http.StatusBadGateway, prefix + "_rejected",
			name + " refused the request; the server's model name or API key for it may be wrong"}
	}
	st := http.StatusBadGateway
	if ee.Status == http.StatusTooManyRequests || ee.Status == http.StatusServiceUnavailable {
		st = http.StatusServiceUnavailable
	}
	msg := name + " could not be reached or is overloaded; try again later"
	if ee.Detail != "" {
		msg = name + " failed: " + ee.Detail + "; try again later"
	}
	return &apiError{st, prefix + "_unavailable", msg}
}

// abort ends the request with err in the one error shape.
func (s *Server) abort(c *gin.Context, err error) {
	ae := s.failure(c, err)
	if ae.Status == statusClientClosed {
		c.AbortWithStatus(ae.Status)
		return
	}
	c.AbortWithStatusJSON(ae.Status, ae.response())
}

// failure maps err for the client and logs what the client is not shown.
func (s *Server) failure(c *gin.Context, err error) *apiError {
	ae := toAPIError(err)
	switch {
	case ae == errInternal:
		s.logger(c).Error("request failed", "err", err)
	case ae.Status >= 500 && ae != errNotReady:
		s.logger(c).Warn("request failed", "code", ae.Code, "err", err)
	}
	return ae
}

func (e *apiError) response() errorResponse {
	return errorResponse{Error: errorDetail{Code: e.Code, Message: e.Message}}
}
