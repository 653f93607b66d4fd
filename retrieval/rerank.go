package retrieval

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"wenda/endpoint"
)

// Reranker calls a cross-encoder service through the de facto /rerank API
// served by Jina, Cohere, Hugging Face TEI and vLLM:
//
//	POST {base}/rerank {"model","query","documents":[…],"top_n"}
//	→ {"results":[{"index","relevance_score"}, …]}
type Reranker struct {
	cfg    endpoint.Config
	client *http.Client
}

// NewReranker returns a reranker for cfg (BaseURL and Model required).
func NewReranker(cfg endpoint.Config) (*Reranker, error) {
	if cfg.BaseURL == "" {
		return nil, fmt.Errorf("reranker: no base URL")
	}
	return &Reranker{cfg: cfg, client: &http.Client{}}, nil
}

type rerankRequest struct {
	Model     string   `json:"model,omitempty"`
	Query     string   `json:"query"`
	Documents []string `json:"documents"`
	TopN      int      `json:"top_n"`
}

type rerankResponse struct {
	Results []struct {
		Index          int     `json:"index"`
		RelevanceScore float64 `json:"relevance_score"`
	} `json:"results"`
}

// Rerank returns the relevance score of each document for query, in input
// order. Documents the service leaves out of its reply score -Inf order-wise
// (they keep their relative order after the scored ones).
func (r *Reranker) Rerank(ctx context.Context, query string, docs []string) ([]float64, error) {
	body, err := json.Marshal(rerankRequest{Model: r.cfg.Model, Query: query, Documents: docs, TopN: len(docs)})
	if err != nil {
		return nil, fmt.Errorf("rerank: encode: %w", err)
	}
	var out rerankResponse
	err = endpoint.Do(ctx, r.cfg, "rerank", func(ctx context.Context) error {
		url := strings.TrimRight(r.cfg.BaseURL, "/") + "/rerank"
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		if r.cfg.APIKey != "" {
			req.Header.Set("Authorization", "Bearer "+r.cfg.APIKey)
		}
		resp, err := r.client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
		if err != nil {
			return err
		}
		if resp.StatusCode/100 != 2 {
			return &endpoint.StatusError{Code: resp.StatusCode, Body: string(b[:min(len(b), 200)])}
		}
		out = rerankResponse{}
		return json.Unmarshal(b, &out)
	})
	if err != nil {
		return nil, err
	}
	scores := make([]float64, len(docs))
	seen := make([]bool, len(docs))
	for _, res := range out.Results {
		if res.Index < 0 || res.Index >= len(docs) || seen[res.Index] {
			return nil, endpoint.Classify("rerank", fmt.Errorf("reply has bad or repeated index %d", res.Index))
		}
		seen[res.Index] = true
		scores[res.Index] = res.RelevanceScore
	}
	for i := range scores {
		if !seen[i] {
			scores[i] = -1e9 - float64(i)
		}
	}
	return scores, nil
}
