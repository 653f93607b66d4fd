//go:build race

package eval

// raceEnabled reports a test binary built with the race detector, under
// which the quality gates skip.
const raceEnabled = true
