package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"wenda/answer"
)

// metrics lives on its own registry, so that two servers in one process
// (as in tests) do not collide and /metrics shows only what wenda exports.
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	retrieval prometheus.Histogram
	llm       *prometheus.HistogramVec
	refusals  prometheus.Counter
	inFlight  prometheus.Gauge
	limited   *prometheus.CounterVec
}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wenda_http_requests_total",
		Help: "HTTP requests by route template, method and status code.",
	}, []string{"route", "method", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "wenda_http_request_duration_seconds",
		Help:    "Time to the end of the HTTP response, streams included.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120},
	}, []string{"route", "method"})
	m.retrieval = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "wenda_retrieval_duration_seconds",
		Help:    "Time to retrieve the passages of one question or search.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	})
	m.llm = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "wenda_llm_duration_seconds",
		Help:    "Time the answerer spent writing one answer, by answerer (llm or extractive) and whether the LLM failed over to the extractive answer.",
		Buckets: []float64{.001, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 20, 30, 60},
	}, []string{"answerer", "fallback"})
	m.refusals = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "wenda_refusals_total",
		Help: "Answers that declined because the articles do not answer the question.",
	})
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "wenda_http_requests_in_flight",
		Help: "HTTP requests being served.",
	})
	m.limited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wenda_http_requests_limited_total",
		Help: "Requests turned away by the per-client rate limit (reason rate, 429) or the cap on concurrent requests (reason concurrency, 503).",
	}, []string{"reason"})
	m.reg.MustRegister(m.requests, m.duration, m.retrieval, m.llm, m.refusals, m.inFlight, m.limited,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// observeAnswer records the stage timings and the refusal of one answer.
func (m *metrics) observeAnswer(a answer.Answer) {
	m.retrieval.Observe(a.Timings.RetrievalMS / 1000)
	m.llm.WithLabelValues(a.Answerer, strconv.FormatBool(a.Fallback)).Observe(a.Timings.GenerationMS / 1000)
	if !a.Answerable {
		m.refusals.Inc()
	}
}

// instrument counts and times every request under its route template, so
// that ids in paths do not multiply the series.
func (s *Server) instrument(c *gin.Context) {
	start := time.Now()
	s.metrics.inFlight.Inc()
	defer s.metrics.inFlight.Dec()
	c.Next()
	route, method := routeLabel(c), methodLabel(c.Request.Method)
	s.metrics.requests.WithLabelValues(route, method, strconv.Itoa(c.Writer.Status())).Inc()
	s.metrics.duration.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
}

func routeLabel(c *gin.Context) string {
	if p := c.FullPath(); p != "" {
		return p
	}
	return "unmatched"
}

// methodLabel keeps arbitrary method names out of the label values.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}
