package weaviate

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/go-openapi/strfmt"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/fault"
	"github.com/weaviate/weaviate/entities/models"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Requests carry at most the engine's request size. A request that the
// cluster is too loaded to take brings the size down and goes in halves,
// down to single objects, each half again at most the size then; any
// other failure, or a single object that fails, ends the write.
func TestWriteSplitting(t *testing.T) {
	deadline := fmt.Errorf("batch objects: %w", status.Error(codes.DeadlineExceeded, "context deadline exceeded"))
	cases := []struct {
		name string
		n    int
		// The engine's batch size (0: n), and the request size it has
		// come to (0: the batch size).
		batch, start int
		// A request fails with err when it carries more than limit
		// objects or the object numbered poison.
		limit, poison int
		err           error
		sizes         []int // of the requests, in order
		waits         []int // the n of each wait
		written       int
		end           int // the request size afterwards
		wantErr       string
	}{
		{name: "fits", n: 10, limit: 10, poison: -1, err: deadline,
			sizes: []int{10}, written: 10, end: 10},
		{name: "at most the batch size", n: 10, batch: 4, limit: 10, poison: -1, err: deadline,
			sizes: []int{4, 4, 2}, written: 10, end: 4},
		{name: "at most the size the engine came to", n: 10, start: 3, limit: 3, poison: -1, err: deadline,
			sizes: []int{3, 3, 3, 1}, written: 10, end: 3},
		// The second half of 10 goes in requests of 2, the size its first
		// half found, instead of timing out whole.
		{name: "timeout", n: 10, limit: 3, poison: -1, err: deadline,
			sizes: []int{10, 5, 2, 2, 1, 2, 2, 1}, waits: []int{1, 2}, written: 10, end: 2},
		{name: "client deadline", n: 4, limit: 2, poison: -1, err: context.DeadlineExceeded,
			sizes: []int{4, 2, 2}, waits: []int{1}, written: 4, end: 2},
		{name: "resource exhausted", n: 4, limit: 1, poison: -1, err: status.Error(codes.ResourceExhausted, "too many"),
			sizes: []int{4, 2, 1, 1, 1, 1}, waits: []int{1, 2}, written: 4, end: 1},
		{name: "HTTP 429", n: 3, limit: 1, poison: -1, err: &fault.WeaviateClientError{StatusCode: 429, Msg: "slow down"},
			sizes: []int{3, 1, 1, 1}, waits: []int{1}, written: 3, end: 1},
		{name: "HTTP 503", n: 2, limit: 1, poison: -1, err: &fault.WeaviateClientError{StatusCode: 503, Msg: "busy"},
			sizes: []int{2, 1, 1}, waits: []int{1}, written: 2, end: 1},
		{name: "nothing passes", n: 8, limit: 0, poison: -1, err: deadline,
			sizes: []int{8, 4, 2, 1}, waits: []int{1, 2, 3}, end: 1,
			wantErr: "write 8 objects: 0 went in, in smaller requests (the cluster was overloaded), but a request of 1 object failed: batch objects: rpc error: code = DeadlineExceeded"},
		{name: "one object never passes", n: 8, limit: 8, poison: 5, err: deadline,
			sizes: []int{8, 4, 4, 2, 1, 1}, waits: []int{1, 2, 3}, written: 5, end: 1,
			wantErr: "write 8 objects: 5 went in, in smaller requests (the cluster was overloaded), but a request of 1 object failed"},
		{name: "refusal", n: 8, limit: 4, poison: -1, err: &fault.WeaviateClientError{StatusCode: 422, Msg: "invalid"},
			sizes: []int{8}, end: 8, wantErr: "write 8 objects: status 422: invalid"},
		{name: "node down", n: 8, limit: 4, poison: -1, err: status.Error(codes.Unavailable, "connection refused"),
			sizes: []int{8}, end: 8, wantErr: "write 8 objects: rpc error: code = Unavailable"},
		{name: "object refused", n: 8, limit: 4, poison: -1, err: &objectError{id: "x", msg: "no replica"},
			sizes: []int{8}, end: 8, wantErr: "write 8 objects: object x: no replica"},
		{name: "deeper fails otherwise", n: 8, limit: 4, poison: 6, err: nil,
			sizes: []int{8, 4, 4}, waits: []int{1}, written: 4, end: 4,
			wantErr: "write 8 objects: 4 went in, in smaller requests (the cluster was overloaded), but a request of 4 objects failed: status 422"},
		{name: "later request fails otherwise", n: 10, start: 4, limit: 10, poison: 9, err: nil,
			sizes: []int{4, 4, 2}, written: 8, end: 4,
			wantErr: "write 10 objects: 8 went in, but a request of 2 objects failed: status 422"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			objs := make([]*models.Object, c.n)
			for i := range objs {
				objs[i] = &models.Object{ID: strfmt.UUID(fmt.Sprint(i))}
			}
			var sizes, waits []int
			written := map[strfmt.UUID]bool{}
			write := func(_ context.Context, part []*models.Object) error {
				sizes = append(sizes, len(part))
				err := c.err
				if c.err == nil { // too large: overloaded; the poison: refused
					err = deadline
				}
				if len(part) > c.limit {
					return err
				}
				for _, o := range part {
					if o.ID == strfmt.UUID(fmt.Sprint(c.poison)) {
						if c.err == nil {
							return &fault.WeaviateClientError{StatusCode: 422, Msg: "invalid"}
						}
						return err
					}
				}
				for _, o := range part {
					written[o.ID] = true
				}
				return nil
			}
			wait := func(_ context.Context, n int) error {
				waits = append(waits, n)
				return nil
			}
			size := newBatchSizer(cmp.Or(c.batch, c.n))
			if c.start > 0 {
				size.size = c.start
			}
			err := writeSplitting(context.Background(), objs, 1, size, write, wait)
			switch {
			case c.wantErr == "" && err != nil:
				t.Fatalf("error %v", err)
			case c.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), c.wantErr)):
				t.Fatalf("error %v, want one that begins %q", err, c.wantErr)
			}
			if !reflect.DeepEqual(sizes, c.sizes) {
				t.Errorf("requests of %v objects, want %v", sizes, c.sizes)
			}
			if !reflect.DeepEqual(waits, c.waits) {
				t.Errorf("waits %v, want %v", waits, c.waits)
			}
			if len(written) != c.written {
				t.Errorf("%d objects written, want %d", len(written), c.written)
			}
			if got := size.peek(); got != c.end {
				t.Errorf("request size %d afterwards, want %d", got, c.end)
			}
		})
	}
}

// A write whose context ends while it waits to split stops there, with
// the error that made it split.
func TestWriteSplittingStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	objs := []*models.Object{{ID: "a"}, {ID: "b"}}
	requests := 0
	write := func(context.Context, []*models.Object) error {
		requests++
		cancel()
		return status.Error(codes.DeadlineExceeded, "slow")
	}
	err := writeSplitting(ctx, objs, 1, newBatchSizer(2), write, pause)
	if requests != 1 || err == nil || !strings.Contains(err.Error(), "slow") {
		t.Fatalf("%d requests, error %v; want 1 request and the deadline", requests, err)
	}
}

// Writers that share the objects and the request size send few requests
// larger than what the cluster takes: those of the first writers, at the
// batch size and at its half, then a probe now and then.
func TestWriteSplittingConcurrent(t *testing.T) {
	const (
		n, batch, limit, writers = 2000, 16, 4, 4
	)
	objs := make([]*models.Object, n)
	for i := range objs {
		objs[i] = &models.Object{ID: strfmt.UUID(fmt.Sprint(i))}
	}
	var (
		mu                 sync.Mutex
		written            = map[strfmt.UUID]bool{}
		requests, oversize int
		largest            int
	)
	write := func(_ context.Context, part []*models.Object) error {
		mu.Lock()
		defer mu.Unlock()
		requests++
		largest = max(largest, len(part))
		if len(part) > limit {
			oversize++
			return status.Error(codes.DeadlineExceeded, "held")
		}
		for _, o := range part {
			written[o.ID] = true
		}
		return nil
	}
	wait := func(context.Context, int) error { return nil }
	if err := writeSplitting(context.Background(), objs, writers, newBatchSizer(batch), write, wait); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d objects in %d requests, %d of them over %d objects", n, requests, oversize, limit)
	if len(written) != n {
		t.Fatalf("%d objects written, want %d", len(written), n)
	}
	if largest > batch {
		t.Fatalf("a request of %d objects, want at most %d", largest, batch)
	}
	if bound := 2*writers + requests/growAfter; oversize > bound {
		t.Fatalf("%d requests over %d objects, want at most %d", oversize, limit, bound)
	}
}

// A request that fails otherwise ends the write of every writer, and the
// error says how many objects went in and the request that failed.
func TestWriteSplittingConcurrentFailure(t *testing.T) {
	objs := make([]*models.Object, 1000)
	for i := range objs {
		objs[i] = &models.Object{ID: strfmt.UUID(fmt.Sprint(i))}
	}
	write := func(_ context.Context, part []*models.Object) error {
		for _, o := range part {
			if o.ID == "500" {
				return &fault.WeaviateClientError{StatusCode: 422, Msg: "invalid"}
			}
		}
		return nil
	}
	wait := func(context.Context, int) error { return nil }
	err := writeSplitting(context.Background(), objs, 4, newBatchSizer(10), write, wait)
	if err == nil || !strings.HasPrefix(err.Error(), "write 1000 objects: ") ||
		!strings.HasSuffix(err.Error(), "went in, but a request of 10 objects failed: status 422: invalid") {
		t.Fatalf("error %v, want how many of 1000 went in and the refusal of 10", err)
	}
}
