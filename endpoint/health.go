package endpoint

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// The states a Monitor reports.
const (
	StateUnchecked   = "unchecked"   // no call has finished yet
	StateOK          = "ok"          // the last call succeeded
	StateRejected    = "rejected"    // wrong key, unknown model: retrying will not help
	StateUnavailable = "unavailable" // unreachable, 5xx or 429
	StateTimeout     = "timeout"     // the last call ran out of time
)

// Monitor remembers how the last call to one service went, so that an
// operator can see a wrong key or a dead endpoint in /readyz before users
// do. Calls made through Do with the Monitor in their Config update it.
// The zero value is ready to use and safe for concurrent use.
type Monitor struct {
	mu    sync.Mutex
	state string
	err   error
	at    time.Time
}

// Record notes the outcome of one call; a cancelled call says nothing about
// the service and is ignored.
func (m *Monitor) Record(err error) {
	if m == nil || errors.Is(err, context.Canceled) {
		return
	}
	state := StateOK
	if err != nil {
		switch e := Classify("", err); {
		case errors.Is(e, ErrRejected):
			state = StateRejected
		case errors.Is(e, ErrTimeout):
			state = StateTimeout
		default:
			state = StateUnavailable
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.state, m.err, m.at = state, err, time.Now()
}

// State is the last recorded state, StateUnchecked before any, with the
// error behind it (for logs, never for clients).
func (m *Monitor) State() (string, error) {
	if m == nil {
		return StateUnchecked, nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.state == "" {
		return StateUnchecked, nil
	}
	return m.state, m.err
}

// Probe makes one cheap call to the service, listing its models, and
// records the outcome in c.Monitor. It reports an error when the service
// cannot be reached or refuses the key, and, when the listing works but
// does not name c.Model, an error wrapping ErrModelNotListed: some servers
// list only some of the models they serve, so the caller should warn
// rather than stop.
func Probe(ctx context.Context, c Config, op string) error {
	ctx, cancel := context.WithTimeout(ctx, min(c.AttemptTimeout(), 10*time.Second))
	defer cancel()
	list, err := NewClient(c).ListModels(ctx)
	if err != nil {
		// A server without a model listing still answered: the key and
		// the address are fine as far as can be told cheaply.
		if st := Status(err); st == http.StatusNotFound || st == http.StatusMethodNotAllowed {
			c.Monitor.Record(nil)
			return nil
		}
		err = Classify(op, err)
		c.Monitor.Record(err)
		return err
	}
	c.Monitor.Record(nil)
	if c.Model == "" || len(list.Models) == 0 {
		return nil
	}
	if !slices.ContainsFunc(list.Models, func(m openai.Model) bool { return m.ID == c.Model }) {
		return fmt.Errorf("%s: %w: %q is not among the %d models the endpoint lists", op, ErrModelNotListed, c.Model, len(list.Models))
	}
	return nil
}

// ErrModelNotListed is returned by Probe when the endpoint's model list
// does not name the configured model.
var ErrModelNotListed = errors.New("model not listed")
