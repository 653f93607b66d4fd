package embed

import (
	"context"
	"fmt"
	"sync"

	openai "github.com/sashabaranov/go-openai"

	"wenda/endpoint"
	"wenda/hanzi"
)

// OpenAI calls the /embeddings endpoint of any OpenAI-compatible
// service through go-openai, in batches, with retry and a timeout per call.
type OpenAI struct {
	cfg       endpoint.Config
	client    *openai.Client
	batchSize int

	mu  sync.Mutex
	dim int // learned from the first reply unless configured
}

var _ Embedder = (*OpenAI)(nil)

// NewOpenAI returns an embedder for cfg.Model. dim may be 0, in
// which case it is learned from the first reply; set it when the index must
// know the dimension before any text is embedded.
func NewOpenAI(cfg endpoint.Config, dim, batchSize int) (*OpenAI, error) {
	if cfg.Model == "" {
		return nil, fmt.Errorf("embedding endpoint %q: no model configured", cfg.BaseURL)
	}
	if batchSize <= 0 {
		batchSize = 64
	}
	return &OpenAI{cfg: cfg, client: endpoint.NewClient(cfg), batchSize: batchSize, dim: dim}, nil
}

// Spec reports kind "openai" with the model and dimension.
func (e *OpenAI) Spec() Spec {
	e.mu.Lock()
	defer e.mu.Unlock()
	return Spec{Kind: "openai", Model: e.cfg.Model, Dim: e.dim}
}

// Embed sends texts in batches and returns normalised vectors in order.
// Texts are folded first so that both scripts land on the same vectors.
func (e *OpenAI) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += e.batchSize {
		end := min(start+e.batchSize, len(texts))
		batch := make([]string, 0, end-start)
		for _, t := range texts[start:end] {
			batch = append(batch, hanzi.Fold(t))
		}
		vecs, err := e.embedBatch(ctx, batch)
		if err != nil {
			return nil, err
		}
		out = append(out, vecs...)
	}
	return out, nil
}

func (e *OpenAI) embedBatch(ctx context.Context, batch []string) ([][]float32, error) {
	var resp openai.EmbeddingResponse
	err := endpoint.Do(ctx, e.cfg, "embeddings", func(ctx context.Context) error {
		var err error
		resp, err = e.client.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{
			Input: batch,
			Model: openai.EmbeddingModel(e.cfg.Model),
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(resp.Data) != len(batch) {
		return nil, endpoint.Classify("embeddings", fmt.Errorf("asked for %d vectors, got %d", len(batch), len(resp.Data)))
	}
	vecs := make([][]float32, len(batch))
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= len(batch) || vecs[d.Index] != nil {
			return nil, endpoint.Classify("embeddings", fmt.Errorf("reply has bad or repeated index %d", d.Index))
		}
		v := append([]float32(nil), d.Embedding...)
		if err := e.checkDim(len(v)); err != nil {
			return nil, err
		}
		normalize(v)
		vecs[d.Index] = v
	}
	return vecs, nil
}

func (e *OpenAI) checkDim(n int) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if n == 0 {
		return endpoint.Classify("embeddings", fmt.Errorf("empty vector"))
	}
	if e.dim == 0 {
		e.dim = n
	}
	if n != e.dim {
		return endpoint.Classify("embeddings", fmt.Errorf("vector has %d dimensions, want %d", n, e.dim))
	}
	return nil
}
