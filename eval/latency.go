package eval

import (
	"math"
	"slices"
)

// percentile returns the p-th percentile (0 < p ≤ 100) of xs by nearest
// rank: the smallest value with at least p% of the values at or below it.
// Nearest rank always returns an observed latency, never an interpolation
// between two.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	return s[min(max(rank, 1), len(s))-1]
}

// latency summarises one stage's samples.
func latency(ms []float64) Latency {
	if len(ms) == 0 {
		return Latency{}
	}
	return Latency{P50: percentile(ms, 50), P95: percentile(ms, 95), N: len(ms)}
}
