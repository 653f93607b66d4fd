package retrieval

import (
	"container/heap"
	"context"
	"fmt"
)

// matrix is n vectors of dim float32s stored row after row. A query is one
// pass over it; four independent accumulators in the dot product let the
// CPU overlap the multiply-adds, which is what keeps the scan close to
// memory bandwidth.
type matrix struct {
	n, dim int
	data   []float32
}

func newMatrix(n, dim int) matrix {
	return matrix{n: n, dim: dim, data: make([]float32, n*dim)}
}

func (m matrix) row(i int) []float32 { return m.data[i*m.dim : (i+1)*m.dim : (i+1)*m.dim] }

func (m matrix) set(i int, v []float32) error {
	if len(v) != m.dim {
		return fmt.Errorf("vector has %d dimensions, index has %d", len(v), m.dim)
	}
	copy(m.row(i), v)
	return nil
}

func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// searchVector returns the n chunks whose vectors have the highest cosine
// similarity with q (all vectors are unit length, so the dot product),
// restricted to allowed documents when allowed is non-nil.
func (ix *Index) searchVector(ctx context.Context, q []float32, n int, allowed map[string]bool) ([]hit, error) {
	if len(q) != ix.vecs.dim {
		return nil, fmt.Errorf("vector search: query has %d dimensions, index has %d", len(q), ix.vecs.dim)
	}
	h := make(minHeap, 0, n+1)
	for i := 0; i < ix.vecs.n; i++ {
		if i&4095 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if allowed != nil && !allowed[ix.chunks[i].DocID] {
			continue
		}
		s := float64(dot(q, ix.vecs.row(i)))
		if len(h) < n {
			heap.Push(&h, hit{i, s})
		} else if s > h[0].score {
			h[0] = hit{i, s}
			heap.Fix(&h, 0)
		}
	}
	out := make([]hit, len(h))
	for k := len(h) - 1; k >= 0; k-- {
		out[k] = heap.Pop(&h).(hit)
	}
	return out, nil
}

// minHeap keeps the best n hits with the worst on top; ties break by chunk
// position so results are deterministic.
type minHeap []hit

func (h minHeap) Len() int { return len(h) }
func (h minHeap) Less(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score < h[j].score
	}
	return h[i].chunk > h[j].chunk
}
func (h minHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)   { *h = append(*h, x.(hit)) }
func (h *minHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
