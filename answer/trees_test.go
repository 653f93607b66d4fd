package answer

import (
	"strings"
	"testing"
)

func TestTreeValue(t *testing.T) {
	// x[1] < 0.5 ? (x[0] < 2 ? -1 : 3) : 7
	tr := Tree{Nodes: []TreeNode{
		{Feature: 1, Threshold: 0.5, Left: 1, Right: 4},
		{Feature: 0, Threshold: 2, Left: 2, Right: 3},
		{Value: -1},
		{Value: 3},
		{Value: 7},
	}}
	tests := []struct {
		x    []float64
		want float64
	}{
		{[]float64{0, 0}, -1},
		{[]float64{2, 0}, 3}, // at the threshold: right
		{[]float64{9, 0.4}, 3},
		{[]float64{0, 0.5}, 7},
	}
	for _, tt := range tests {
		if got := tr.Value(tt.x); got != tt.want {
			t.Errorf("Value(%v) = %v, want %v", tt.x, got, tt.want)
		}
	}
}

// TestParseSpanModelRejects: a span model whose trees could loop, read a
// feature the build does not measure or hold a non-finite number is
// refused when read, not when a question walks into it.
func TestParseSpanModelRejects(t *testing.T) {
	linear := `"features":["a","b"],"mean":[0,0],"scale":[1,1],"weights":[1,1],"bias":0,"rerank":4`
	tests := []struct{ name, trees, want string }{
		{"right child is the root", `[{"nodes":[{"f":0,"t":1,"l":1,"r":2},{"v":1},{"v":2}]},{"nodes":[{"f":0,"t":1,"l":1,"r":0},{"v":1}]}]`, ""},
		{"loop", `[{"nodes":[{"v":0},{"f":0,"t":1,"l":1,"r":1}]}]`, "children"},
		{"feature out of range", `[{"nodes":[{"f":2,"t":1,"l":1,"r":2},{"v":1},{"v":2}]}]`, "splits feature 2"},
		{"child missing", `[{"nodes":[{"f":0,"t":1,"l":1,"r":5},{"v":1}]}]`, "children"},
		{"no candidates to reorder", `[{"nodes":[{"v":1}]}],"rerank":0`, "rerank 0"},
		{"empty tree", `[{"nodes":[]}]`, "no nodes"},
		{"leaf with a right child", `[{"nodes":[{"r":1,"v":1},{"v":2}]}]`, "right"},
	}
	for _, tt := range tests {
		_, err := ParseSpanModel([]byte(`{`+linear+`,"trees":`+tt.trees+`}`), []string{"a", "b"})
		if tt.want == "" {
			// The first tree is valid; the second's split sends the
			// right side back to the root: a loop.
			if err == nil || !strings.Contains(err.Error(), "tree 1") {
				t.Errorf("%s: err %v, want one about tree 1", tt.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want one saying %q", tt.name, err, tt.want)
		}
	}
}

// TestShippedSpanModelHasTrees: the span model wenda ships reads with its
// trees.
func TestShippedSpanModelHasTrees(t *testing.T) {
	if m := DefaultSpanModel(); len(m.Trees) == 0 {
		t.Fatal("the shipped span model has no trees")
	}
}
