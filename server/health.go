package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"wenda/endpoint"
	"wenda/index"
)

type healthResponse struct {
	Status        string  `json:"status"`
	UptimeSeconds float64 `json:"uptime_seconds"`
}

// healthz says the process is alive; it does not depend on the index.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, healthResponse{Status: "ok", UptimeSeconds: time.Since(s.started).Seconds()})
}

// Service is an external service the server depends on, watched by a
// Monitor that its calls (and the start-up probe) update.
type Service struct {
	Name    string // "llm", "embeddings", "rerank"
	Monitor *endpoint.Monitor
}

// readyResponse is what probes see. It names no model, key or address:
// probes are open to anyone who can reach the port. Services holds the
// state of each configured external service ("ok", "rejected",
// "unavailable", "timeout" or "unchecked"); a failing one does not make
// the server unready, since answers fall back without it.
type readyResponse struct {
	Status    string            `json:"status"`
	Documents int               `json:"documents"`
	Answerer  string            `json:"answerer"`
	Services  map[string]string `json:"services,omitempty"`
	Index     *IndexStatus      `json:"index,omitempty"`
}

// IndexStatus is what /readyz says about the index beyond its size: that
// it is read-only or stale, and when it last took in a bulk ingest that
// another process handed over.
type IndexStatus struct {
	ReadOnly bool   `json:"read_only,omitempty"`
	Warning  string `json:"warning,omitempty"`
	// Updated is when the last handed-over ingest was applied, with how
	// many documents it put or deleted.
	Updated   *time.Time `json:"updated,omitempty"`
	Documents int        `json:"updated_documents,omitempty"`
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
	info, err := b.Library.Collection(c.Request.Context(), index.DefaultCollection)
	if err != nil {
		s.abort(c, err)
		return
	}
	resp := readyResponse{
		Status:    "ready",
		Documents: info.Documents,
		Answerer:  b.Asker.Answerer(),
	}
	if b.Index != nil {
		st := b.Index()
		resp.Index = &st
	}
	for _, svc := range s.opts.Services {
		if resp.Services == nil {
			resp.Services = map[string]string{}
		}
		resp.Services[svc.Name], _ = svc.Monitor.State()
	}
	c.JSON(http.StatusOK, resp)
}
