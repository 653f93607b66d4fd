package weaviate

import (
	"context"
	"testing"
	"time"
)

// Pauses double from the first up to the bound, each drawn from the upper
// half of its own bound.
func TestBackoff(t *testing.T) {
	bound := pauseFirst
	for n := 1; n <= 40; n++ {
		for range 50 {
			d := backoff(n)
			if d < bound/2 || d > bound {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", n, d, bound/2, bound)
			}
		}
		bound = min(2*bound, pauseMax)
	}
}

// A pause ends when the caller's context does.
func TestPauseHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if err := pause(ctx, 30); err != context.Canceled {
		t.Fatalf("pause with a cancelled context: %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > pauseFirst {
		t.Fatalf("pause with a cancelled context took %v", d)
	}
}
