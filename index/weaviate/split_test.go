package weaviate

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/go-openapi/strfmt"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/fault"
	"github.com/weaviate/weaviate/entities/models"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// A batch that the cluster is too loaded to take goes in halves, down to
// single objects; any other failure, or a single object that fails, ends
// the write.
func TestWriteSplitting(t *testing.T) {
	deadline := fmt.Errorf("batch objects: %w", status.Error(codes.DeadlineExceeded, "context deadline exceeded"))
	cases := []struct {
		name string
		n    int
		// A request fails with err when it carries more than limit
		// objects or the object numbered poison.
		limit, poison int
		err           error
		sizes         []int // of the requests, in order
		waits         []int // the n of each wait
		written       int
		wantErr       string
	}{
		{name: "fits", n: 10, limit: 10, poison: -1, err: deadline,
			sizes: []int{10}, written: 10},
		{name: "timeout", n: 10, limit: 3, poison: -1, err: deadline,
			sizes: []int{10, 5, 2, 3, 5, 2, 3}, waits: []int{1, 2, 2}, written: 10},
		{name: "client deadline", n: 4, limit: 2, poison: -1, err: context.DeadlineExceeded,
			sizes: []int{4, 2, 2}, waits: []int{1}, written: 4},
		{name: "resource exhausted", n: 4, limit: 1, poison: -1, err: status.Error(codes.ResourceExhausted, "too many"),
			sizes: []int{4, 2, 1, 1, 2, 1, 1}, waits: []int{1, 2, 2}, written: 4},
		{name: "HTTP 429", n: 3, limit: 1, poison: -1, err: &fault.WeaviateClientError{StatusCode: 429, Msg: "slow down"},
			sizes: []int{3, 1, 2, 1, 1}, waits: []int{1, 2}, written: 3},
		{name: "HTTP 503", n: 2, limit: 1, poison: -1, err: &fault.WeaviateClientError{StatusCode: 503, Msg: "busy"},
			sizes: []int{2, 1, 1}, waits: []int{1}, written: 2},
		{name: "nothing passes", n: 8, limit: 0, poison: -1, err: deadline,
			sizes: []int{8, 4, 2, 1}, waits: []int{1, 2, 3},
			wantErr: "write 8 objects: 0 written in smaller requests (the cluster was overloaded), then a request of 1 object failed: batch objects: rpc error: code = DeadlineExceeded"},
		{name: "one object never passes", n: 8, limit: 8, poison: 5, err: deadline,
			sizes: []int{8, 4, 4, 2, 1, 1}, waits: []int{1, 2, 3}, written: 5,
			wantErr: "write 8 objects: 5 written in smaller requests (the cluster was overloaded), then a request of 1 object failed"},
		{name: "refusal", n: 8, limit: 4, poison: -1, err: &fault.WeaviateClientError{StatusCode: 422, Msg: "invalid"},
			sizes: []int{8}, wantErr: "write 8 objects: status 422: invalid"},
		{name: "node down", n: 8, limit: 4, poison: -1, err: status.Error(codes.Unavailable, "connection refused"),
			sizes: []int{8}, wantErr: "write 8 objects: rpc error: code = Unavailable"},
		{name: "object refused", n: 8, limit: 4, poison: -1, err: &objectError{id: "x", msg: "no replica"},
			sizes: []int{8}, wantErr: "write 8 objects: object x: no replica"},
		{name: "deeper fails otherwise", n: 8, limit: 4, poison: 6, err: nil,
			sizes: []int{8, 4, 4}, waits: []int{1}, written: 4,
			wantErr: "write 8 objects: 4 written in smaller requests (the cluster was overloaded), then a request of 4 objects failed: status 422"},
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
			err := writeSplitting(context.Background(), objs, write, wait)
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
	err := writeSplitting(ctx, objs, write, pause)
	if requests != 1 || err == nil || !strings.Contains(err.Error(), "slow") {
		t.Fatalf("%d requests, error %v; want 1 request and the deadline", requests, err)
	}
}
