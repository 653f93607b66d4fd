package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

type healthResponse struct {
	Status        string  `json:"status"`
	UptimeSeconds float64 `json:"uptime_seconds"`
}

// healthz says the process is alive; it does not depend on the index.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, healthResponse{Status: "ok", UptimeSeconds: time.Since(s.started).Seconds()})
}

type readyResponse struct {
	Status    string `json:"status"`
	Documents int    `json:"documents"`
	Answerer  string `json:"answerer"`
	Model     string `json:"model,omitempty"`
}

// readyz is 200 once the index is loaded and questions can be answered,
// 503 before.
func (s *Server) readyz(c *gin.Context) {
	b := s.backend.Load()
	if b == nil {
		c.Header("Retry-After", "5")
		s.abort(c, errNotReady)
		return
	}
	c.JSON(http.StatusOK, readyResponse{
		Status:    "ready",
		Documents: len(b.Library.Documents()),
		Answerer:  b.Asker.Answerer(),
		Model:     b.Asker.Model(),
	})
}
