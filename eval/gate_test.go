package eval

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"wenda/corpus"
	"wenda/retrieval"
)

// updateGate raises the thresholds in testdata/gate.json to the measured
// values less a margin; it never lowers one (or raises a ceiling).
var updateGate = flag.Bool("update-gate", false, "raise the thresholds in testdata/gate.json to what this run measured, less a margin")

const gatePath = "testdata/gate.json"

// gateFile is testdata/gate.json: the configuration the gate runs and the
// threshold per metric, named by its JSON path. Metrics where lower is
// better (false refusal) have a ceiling, all others a floor.
type gateFile struct {
	Comment    []string           `json:"_comment"`
	Split      string             `json:"split"`
	Mode       retrieval.Mode     `json:"mode"`
	K          int                `json:"k"`
	EmbedDim   int                `json:"embed_dim"`
	Margin     float64            `json:"margin"`
	Thresholds map[string]float64 `json:"thresholds"`
}

// gated are the headline metrics the gate file must hold a threshold for.
var gated = []string{
	"retrieval.hit_at_5",
	"retrieval.recall_at_5",
	"retrieval.mrr_at_10",
}

// TestGate is the CI quality gate: it builds a real index of the embedded
// articles with the offline embedder, runs the dev questions through the
// offline defaults, and fails when a headline metric falls below its
// threshold. It asserts no timings.
func TestGate(t *testing.T) {
	raw, err := os.ReadFile(gatePath)
	if err != nil {
		t.Fatal(err)
	}
	var g gateFile
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatalf("%s: %v", gatePath, err)
	}
	for _, name := range gated {
		if _, ok := g.Thresholds[name]; !ok {
			t.Errorf("%s has no threshold for %s", gatePath, name)
		}
	}

	ctx := t.Context()
	res, err := corpus.Load(corpus.Embedded(), corpus.Options{})
	if err != nil {
		t.Fatalf("load corpus: %v", err)
	}
	emb, err := retrieval.NewHashEmbedder(g.EmbedDim)
	if err != nil {
		t.Fatal(err)
	}
	ix, _, err := retrieval.Ingest(ctx, res.Documents, retrieval.Options{Dir: t.TempDir(), Embedder: emb}, nil)
	if err != nil {
		t.Fatalf("build index: %v", err)
	}
	defer ix.Close()

	all, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	qs, err := SelectSplit(all, g.Split)
	if err != nil {
		t.Fatal(err)
	}
	r := Runner{Searcher: ix}
	rep, err := r.Run(ctx, qs, Config{K: g.K, Mode: g.Mode, Name: DefaultName, Split: g.Split})
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	if err := WriteTable(&table, rep); err != nil {
		t.Fatal(err)
	}
	t.Logf("measured:\n%s", table.String())

	names := make([]string, 0, len(g.Thresholds))
	for name := range g.Thresholds {
		names = append(names, name)
	}
	sort.Strings(names)
	changed := false
	for _, name := range names {
		limit := g.Thresholds[name]
		m, err := rep.Metric(name)
		if err != nil {
			t.Errorf("%s: %v", gatePath, err)
			continue
		}
		if !m.Defined() {
			t.Errorf("%s: no question measured it", name)
			continue
		}
		lower := LowerIsBetter(name)
		switch {
		case lower && m.Mean > limit:
			t.Errorf("%s = %.4f, above its ceiling %.2f", name, m.Mean, limit)
		case !lower && m.Mean < limit:
			t.Errorf("%s = %.4f, below its floor %.2f", name, m.Mean, limit)
		}
		if *updateGate {
			if next := ratchet(limit, m.Mean, g.Margin, lower); next != limit {
				t.Logf("%s: threshold %.2f → %.2f (measured %.4f)", name, limit, next, m.Mean)
				g.Thresholds[name], changed = next, true
			}
		}
	}
	if changed {
		out, err := json.MarshalIndent(g, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.FromSlash(gatePath), append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// ratchet moves a threshold toward a measurement less a margin, rounded to
// hundredths, but only in the stricter direction: a floor only rises and a
// ceiling only falls.
func ratchet(limit, measured, margin float64, lowerIsBetter bool) float64 {
	if lowerIsBetter {
		return math.Min(limit, math.Ceil((measured+margin)*100-1e-9)/100)
	}
	return math.Max(limit, math.Floor((measured-margin)*100+1e-9)/100)
}

func TestRatchet(t *testing.T) {
	tests := []struct {
		name                    string
		limit, measured, margin float64
		lower                   bool
		want                    float64
	}{
		{"floor rises to measured less margin", 0.80, 0.9375, 0.02, false, 0.91},
		{"floor never falls", 0.95, 0.9375, 0.02, false, 0.95},
		{"ceiling falls to measured plus margin", 0.30, 0.05, 0.02, true, 0.07},
		{"ceiling never rises", 0.05, 0.10, 0.02, true, 0.05},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ratchet(tt.limit, tt.measured, tt.margin, tt.lower); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("ratchet = %v, want %v", got, tt.want)
			}
		})
	}
}
