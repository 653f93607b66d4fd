package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"wenda/retrieval"
)

// searchResponse is the reply of GET /v1/search: the ranked passages.
type searchResponse struct {
	Query     string              `json:"query"`
	Mode      retrieval.Mode      `json:"mode"`
	Passages  []retrieval.Passage `json:"passages"`
	Relevance retrieval.Relevance `json:"relevance"`
	Reranked  bool                `json:"reranked"`
	TookMS    float64             `json:"took_ms"`
	// Degraded says why the passages are not what the mode promised (an
	// embedding service down: BM25 alone).
	Degraded string `json:"degraded,omitempty"`
}

// search answers GET /v1/search?q=&k=&mode=&doc=&from=&to=&collection=
// with the passages that best match q; doc may repeat.
func (s *Server) search(c *gin.Context) {
	b := backendOf(c)
	info, err := s.readCollection(c, b, c.Query("collection"))
	if err != nil {
		s.abort(c, err)
		return
	}
	q, err := checkQuestion(c.Query("q"))
	if err != nil {
		s.abort(c, err)
		return
	}
	var k *int
	if v, ok := c.GetQuery("k"); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.abort(c, badRequest("invalid_k", "k is %q; it must be a whole number between 1 and %d", v, retrieval.MaxK))
			return
		}
		k = &n
	}
	n, err := checkK(k)
	if err != nil {
		s.abort(c, err)
		return
	}
	mode, err := checkMode(c.Query("mode"))
	if err != nil {
		s.abort(c, err)
		return
	}
	var f *filters
	if docs, from, to := c.QueryArray("doc"), c.Query("from"), c.Query("to"); len(docs) > 0 || from != "" || to != "" {
		f = &filters{DocIDs: docs, From: from, To: to}
	}
	flt, err := checkFilters(c.Request.Context(), b.Library, info.ID, f)
	if err != nil {
		s.abort(c, err)
		return
	}
	mmr, err := strconv.ParseBool(c.DefaultQuery("mmr", "false"))
	if err != nil {
		s.abort(c, badRequest("invalid_mmr", "mmr is %q; use true or false", c.Query("mmr")))
		return
	}
	start := time.Now()
	res, err := b.Searcher.Search(c.Request.Context(), retrieval.Query{Collection: info.ID, Text: q, K: n, Mode: mode, Filter: flt, MMR: mmr})
	if err != nil {
		s.abort(c, err)
		return
	}
	s.metrics.retrieval.Observe(time.Since(start).Seconds())
	c.JSON(http.StatusOK, searchResponse{
		Query:     res.Query,
		Mode:      res.Mode,
		Passages:  nonNil(res.Passages),
		Relevance: res.Relevance,
		Reranked:  res.Reranked,
		TookMS:    float64(res.Took.Microseconds()) / 1000,
		Degraded:  res.Degraded,
	})
}
