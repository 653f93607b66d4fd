package answer

// ClaimOverlap is the share of a claim's distinct character bigrams that
// occur in the passages taken together: the measure verification compares
// with DefaultMinOverlap. The evaluation calibrates that threshold with it.
func ClaimOverlap(claim string, passages []string) float64 {
	v := newVerifier(passages, DefaultMinOverlap, false)
	all := make([]int, len(passages))
	for i := range all {
		all[i] = i + 1
	}
	return v.overlap(v.features(claim).bigrams, all)
}
