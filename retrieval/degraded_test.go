package retrieval

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"wenda/endpoint"
)

// TestEmbedFailureWords: the reason a search fell back to BM25 names the
// embedding service and the kind of failure, never the service's own error
// text or address.
func TestEmbedFailureWords(t *testing.T) {
	inner := errors.New(`Post "http://10.1.2.3:8000/v1/embeddings": dial tcp 10.1.2.3:8000: connect: connection refused`)
	err := fmt.Errorf("%w: %w", ErrEmbedding, &endpoint.Error{Op: "embeddings", Status: 502, Kind: endpoint.ErrUnavailable, Err: inner})
	got := embedFailure(err)
	if !strings.Contains(got, "embedding service") || !strings.Contains(got, "502") || strings.Contains(got, "10.1.2.3") {
		t.Errorf("reason %q", got)
	}
}
