package answer

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
)

// SpanModel ranks the candidate short answers of a question in two
// stages: a linear model (LinearModel) scores every candidate, then a sum
// of regression trees, fitted by gradient boosting on what the linear
// model gets wrong, is added to the scores of its Rerank best and reorders
// them. A linear score cannot say that a feature matters only where
// another holds (a common surname opening a span, for a question asking
// 谁, only when the span is no common word such as 严重地); a tree of three
// levels can say so. The trees learn from the
// candidates they will reorder, the linear model's best of each question
// (a question has about 280 candidates, most of them far from any
// answer), which also keeps training quick. "wenda train" fits both.
type SpanModel struct {
	LinearModel
	Rerank int    `json:"rerank,omitempty"`
	Trees  []Tree `json:"trees,omitempty"`
}

// Tree is a regression tree over a feature vector, its root first. A node
// whose Left is 0 is a leaf worth Value; any other sends a vector whose
// feature Feature is below Threshold to Left and the rest to Right.
// Children come after their parent, so that a walk always ends.
type Tree struct {
	Nodes []TreeNode `json:"nodes"`
}

// TreeNode is one node of a Tree.
type TreeNode struct {
	Feature   int     `json:"f,omitempty"`
	Threshold float64 `json:"t,omitempty"`
	Left      int     `json:"l,omitempty"`
	Right     int     `json:"r,omitempty"`
	Value     float64 `json:"v,omitempty"`
}

// Value is the tree's value of x: the leaf x reaches.
func (t Tree) Value(x []float64) float64 {
	i := 0
	for {
		n := t.Nodes[i]
		if n.Left == 0 {
			return n.Value
		}
		if x[n.Feature] < n.Threshold {
			i = n.Left
		} else {
			i = n.Right
		}
	}
}

// validate checks that every split reads one of d features and that every
// child comes after its parent and exists.
func (t Tree) validate(d int) error {
	if len(t.Nodes) == 0 {
		return fmt.Errorf("tree has no nodes")
	}
	for i, n := range t.Nodes {
		if n.Left == 0 {
			if n.Right != 0 || !finite(n.Value) {
				return fmt.Errorf("tree leaf %d: right %d, value %v", i, n.Right, n.Value)
			}
			continue
		}
		if n.Feature < 0 || n.Feature >= d || !finite(n.Threshold) {
			return fmt.Errorf("tree node %d splits feature %d of %d at %v", i, n.Feature, d, n.Threshold)
		}
		if n.Left <= i || n.Right <= i || n.Left >= len(t.Nodes) || n.Right >= len(t.Nodes) {
			return fmt.Errorf("tree node %d has children %d and %d of %d nodes", i, n.Left, n.Right, len(t.Nodes))
		}
	}
	return nil
}

// Rank scores the feature vectors of one question's candidates and
// returns their order, best first, and their scores: the linear score,
// plus the trees' value for the Rerank best by it. Ties keep the order of
// xs.
func (m *SpanModel) Rank(xs [][]float64) (order []int, scores []float64) {
	scores = make([]float64, len(xs))
	order = make([]int, len(xs))
	for i, x := range xs {
		scores[i] = m.LinearModel.Score(x)
		order[i] = i
	}
	byScore := func(a, b int) int { return cmp.Compare(scores[b], scores[a]) }
	slices.SortStableFunc(order, byScore)
	if len(m.Trees) == 0 {
		return order, scores
	}
	top := order[:min(len(order), m.Rerank)]
	for _, i := range top {
		for _, t := range m.Trees {
			scores[i] += t.Value(xs[i])
		}
	}
	slices.SortStableFunc(top, byScore)
	return order, scores
}

// ParseSpanModel reads a span model from JSON and checks that it weighs
// exactly the named features, in order, and that its trees read only them.
func ParseSpanModel(raw []byte, features []string) (*SpanModel, error) {
	var m SpanModel
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("span model: %w", err)
	}
	if err := m.Validate(features); err != nil {
		return nil, err
	}
	if len(m.Trees) > 0 && m.Rerank < 1 {
		return nil, fmt.Errorf("span model: %d trees rerank %d candidates", len(m.Trees), m.Rerank)
	}
	for i, t := range m.Trees {
		if err := t.validate(len(features)); err != nil {
			return nil, fmt.Errorf("span model: tree %d: %w", i, err)
		}
	}
	return &m, nil
}
