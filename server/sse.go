package server

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

// sseWriter writes Server-Sent Events whose data is one line of JSON. The
// headers go out with the first event, so a failure before it can still be
// answered with a status code and a JSON error.
type sseWriter struct {
	w       gin.ResponseWriter
	started bool
}

func newSSE(w gin.ResponseWriter) *sseWriter { return &sseWriter{w: w} }

// send writes one event; an empty name writes a data-only event, as the
// OpenAI stream format wants. The returned error is the client's: a write
// to a connection that has gone away.
func (s *sseWriter) send(event string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s event: %w", event, err)
	}
	return s.sendRaw(event, data)
}

func (s *sseWriter) sendRaw(event string, data []byte) error {
	if !s.started {
		h := s.w.Header()
		h.Set("Content-Type", "text/event-stream; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		h.Set("Connection", "keep-alive")
		h.Set("X-Accel-Buffering", "no") // keep nginx from holding the stream back
		s.w.WriteHeader(http.StatusOK)
		s.started = true
	}
	var err error
	if event != "" {
		_, err = fmt.Fprintf(s.w, "event: %s\ndata: %s\n\n", event, data)
	} else {
		_, err = fmt.Fprintf(s.w, "data: %s\n\n", data)
	}
	if err != nil {
		return fmt.Errorf("write event: %w", err)
	}
	s.w.Flush()
	return nil
}
