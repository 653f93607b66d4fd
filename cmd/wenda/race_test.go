//go:build race

package main

// raceEnabled reports a test binary built with the race detector, under
// which the long tests that check no concurrency skip.
const raceEnabled = true
