package answer

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// LinearModel is a logistic-regression model over named features: each
// feature is standardised with Mean and Scale and weighted; Score is the
// weighted sum plus Bias, Probability its logistic transform. wenda ships
// two, both trained by "wenda train" on labelled question sets: the span
// model, which ranks the candidate short answers of a question, and the
// answerability model, whose Threshold decides refusal.
type LinearModel struct {
	Comment  []string  `json:"_comment,omitempty"`
	Features []string  `json:"features"`
	Mean     []float64 `json:"mean"`
	Scale    []float64 `json:"scale"`
	Weights  []float64 `json:"weights"`
	Bias     float64   `json:"bias"`
	// Threshold is the probability below which the service refuses (the
	// answerability model only).
	Threshold float64 `json:"threshold,omitempty"`
}

// ErrModelFeatures is returned for a model trained on other features than
// this build measures.
var ErrModelFeatures = errors.New("model features differ from this build's")

// ParseModel reads a model from JSON and checks that it weighs exactly the
// named features, in order.
func ParseModel(raw []byte, features []string) (*LinearModel, error) {
	var m LinearModel
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	if err := m.Validate(features); err != nil {
		return nil, err
	}
	return &m, nil
}

// Validate checks that the model weighs the named features, in order,
// with a mean, a positive scale and a finite weight each.
func (m *LinearModel) Validate(features []string) error {
	if !slices.Equal(m.Features, features) {
		return fmt.Errorf("%w: model has %s, this build measures %s", ErrModelFeatures, strings.Join(m.Features, ","), strings.Join(features, ","))
	}
	n := len(features)
	if len(m.Weights) != n || len(m.Mean) != n || len(m.Scale) != n {
		return fmt.Errorf("model: %d features but %d weights, %d means, %d scales", n, len(m.Weights), len(m.Mean), len(m.Scale))
	}
	for i := range n {
		if !(m.Scale[i] > 0) || math.IsInf(m.Scale[i], 0) || !finite(m.Weights[i]) || !finite(m.Mean[i]) {
			return fmt.Errorf("model: feature %s has weight %v, mean %v, scale %v", features[i], m.Weights[i], m.Mean[i], m.Scale[i])
		}
	}
	if !finite(m.Bias) || m.Threshold < 0 || m.Threshold > 1 {
		return fmt.Errorf("model: bias %v, threshold %v", m.Bias, m.Threshold)
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Score is the model's linear score of a feature vector.
func (m *LinearModel) Score(x []float64) float64 {
	z := m.Bias
	for i, v := range x {
		z += m.Weights[i] * (v - m.Mean[i]) / m.Scale[i]
	}
	return z
}

// Probability is the logistic transform of Score.
func (m *LinearModel) Probability(x []float64) float64 { return sigmoid(m.Score(x)) }

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }
